import { useT } from '../../hooks.ts';

/** The recovery codes, shown once: a list to copy or print, with what they are for. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useT();
  return (
    <section aria-labelledby="recovery-codes-title" className="recovery-codes">
      <h2 id="recovery-codes-title">{t('signIn.recoveryTitle')}</h2>
      <p>{t('signIn.recoveryIntro', { count: codes.length })}</p>
      <p className="notice notice-warning">{t('signIn.recoveryOnce')}</p>
      <ol className="recovery-codes__list" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
