import { useT } from '../../hooks.ts';

/** A labelled choice of a document's versions (and, with `withCurrent`, its current text), for comparing two. */
export function VersionSelect({ id, name, label, versions, defaultValue, withCurrent }: { id: string; name: string; label: string; versions: Array<{ number: number; label: string }>; defaultValue: string; withCurrent: boolean }) {
  const { t } = useT();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} key={defaultValue}>
        {withCurrent ? <option value="current">{t('versions.currentText')}</option> : null}
        {versions.map((v) => (
          <option key={v.number} value={v.number}>
            {t('versions.option', { number: v.number, label: v.label })}
          </option>
        ))}
      </select>
    </>
  );
}
