import { Form } from '@remix-run/react';
import type { FormErrors } from '../../form-errors.ts';
import { formatDateTime, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { ErrorSummary } from '../form.tsx';
import type { Overview, Tokens } from './types.ts';

/** The host admin's tokens for councils' case-management systems: listed, revoked, issued (the secret is shown once). */
export function ApprovalTokens({ overview, tokens, tokenErrors }: { overview: Overview; tokens: Tokens; tokenErrors: FormErrors | undefined }) {
  const { t, lang } = useT();
  return (
    <section className="approval-tokens" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{t('approvals.tokensHeading')}</h2>
      <p>{t('approvals.tokensIntro')}</p>
      {tokens.length > 0 ? (
        <ul className="token-list">
          {tokens.map((tok) => (
            <li key={tok.id}>
              <strong>{tok.label}</strong> · {municipalityName(tok.municipalityName, lang)} · {tok.revokedAt ? t('approvals.tokenRevokedAt', { when: formatDateTime(tok.revokedAt, lang) }) : t('approvals.tokenActive')}
              {!tok.revokedAt ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="revoke-token" />
                  <input type="hidden" name="apiTokenId" value={tok.id} />
                  <button type="submit" className="link-button">
                    {t('approvals.revokeToken')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <Form method="post" className="approval-token-form">
        <ErrorSummary errors={tokenErrors} idPrefix="token-" labels={{ municipalityCode: t('approvals.municipality'), label: t('approvals.tokenLabel') }} />
        <input type="hidden" name="intent" value="issue-token" />
        <label htmlFor="token-municipalityCode">{t('approvals.municipality')}</label>
        <select id="token-municipalityCode" name="municipalityCode">
          {overview.municipalities.map((m) => (
            <option key={m.code} value={m.code}>
              {municipalityName(m.name, lang)}
            </option>
          ))}
        </select>
        <label htmlFor="token-label">{t('approvals.tokenLabel')}</label>
        <input id="token-label" name="label" maxLength={100} required placeholder={t('approvals.tokenLabelExample')} />
        <button type="submit" className="button button-secondary">
          {t('approvals.issueToken')}
        </button>
      </Form>
    </section>
  );
}
