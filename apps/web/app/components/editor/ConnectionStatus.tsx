import { useT } from '../../hooks.ts';
import type { Collab } from './use-collab.ts';

/** The connection, said plainly and announced to screen readers when it changes. */
export function ConnectionStatus({ collab }: { collab: Collab | null }) {
  const { t } = useT();
  const state = collab?.ended ? 'ended' : (collab?.connection ?? 'connecting');
  const label = collab?.ended === 'session' ? t('editor.connection.sessionEnded') : collab?.ended === 'access' ? t('editor.connection.accessEnded') : t(`editor.connection.${state}`);
  const saving = collab && !collab.ended ? (collab.unsaved ? t('editor.unsaved') : collab.synced ? t('editor.allSaved') : null) : null;
  return (
    <p className={`connection connection--${state}`} role="status" aria-live="polite" data-testid="connection" data-state={state}>
      <span className="connection__dot" aria-hidden="true" />
      <span>{label}</span>
      {saving ? <span className={collab?.unsaved ? 'connection__unsaved' : 'connection__saved'}>{saving}</span> : null}
    </p>
  );
}
