import { useT } from '../../hooks.ts';

/**
 * "Ehdota muutoksia": typing suggests changes instead of making them. A member municipality's drafter only suggests
 * (the toggle is on and says so); the host's drafters choose.
 */
export function SuggestToggle({ forced, on, onChange }: { forced: boolean; on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useT();
  return (
    <button
      type="button"
      className={`button button-small suggest-toggle${on ? ' suggest-toggle--on' : ''}`}
      aria-pressed={on}
      disabled={forced}
      title={forced ? t('negotiation.suggestOnly') : undefined}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onChange(!on)}
    >
      {t('negotiation.suggestMode')}
    </button>
  );
}
