import { useT } from '../../hooks.ts';

/**
 * Setting up the authenticator app: the QR code (an SVG the server drew from the otpauth URI, inline so that no
 * request carries the key) and the same key as text for typing by hand.
 */
export function TotpSetup({ qrSvg, keyText, accountName }: { qrSvg: string; keyText: string; accountName: string }) {
  const { t } = useT();
  return (
    <section aria-labelledby="totp-setup-title" className="totp-setup">
      <h2 id="totp-setup-title">{t('signIn.setupAppTitle')}</h2>
      <ol className="totp-setup__steps">
        <li>{t('signIn.setupStepApp')}</li>
        <li>
          {t('signIn.setupStepScan')}
          <div className="totp-setup__qr" role="img" aria-label={t('signIn.qrLabel', { account: accountName })} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p>
            {t('signIn.setupKeyText')} <code className="totp-setup__key" data-testid="totp-key">{keyText}</code>
          </p>
        </li>
        <li>{t('signIn.setupStepCode')}</li>
      </ol>
    </section>
  );
}
