import { useState } from 'react';
import { useSubmitting } from '../form.tsx';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

export function KeyFacts({ settings }: { settings: Settings }) {
  const { t } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'key-facts');
  const [items, setItems] = useState(() => [...settings.keyFacts, { fi: '', sv: '', en: '' }]);
  return (
    <SettingsBlock id="facts-heading" heading={t('settings.factsHeading')} intro={t('settings.factsIntro')} saved={['key-facts']} intent="key-facts">
      <ol className="facts-edit">
        {items.map((f, i) => (
          <li key={`${i}-${items.length}`}>
            {(['fi', 'sv', 'en'] as const).map((l) => (
              <label key={l} className="facts-edit__field">
                <span>{t(`settings.factIn.${l}`)}</span>
                <textarea className="textarea" rows={2} maxLength={500} name={`f.${i}.${l}`} defaultValue={f[l]} disabled={!settings.canEdit} />
              </label>
            ))}
            {settings.canEdit ? (
              <button type="button" className="link-button" onClick={() => setItems(items.filter((_, j) => j !== i))} aria-label={t('settings.removeRow', { row: i + 1 })}>
                {t('settings.remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {settings.canEdit ? (
        <span className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => setItems([...items, { fi: '', sv: '', en: '' }])}>
            {t('settings.addFact')}
          </button>
          <SaveButton pending={pending} />
        </span>
      ) : null}
    </SettingsBlock>
  );
}
