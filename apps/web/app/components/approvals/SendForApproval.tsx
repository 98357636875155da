import { PROPOSAL_BACKGROUND_MAX_LENGTH } from '@sopu/core/rules';
import { Form, Link, useNavigation } from '@remix-run/react';
import type { FormErrors } from '../../form-errors.ts';
import { ErrorSummary } from '../form.tsx';
import { useT } from '../../hooks.ts';
import { short, type Overview, type Versions } from './types.ts';

/** The host admin sends a version to the councils; when the latest is already out, sending another is folded away. */
export function SendForApproval({ overview, versions, docBase, openRequest, sendErrors, background }: { overview: Overview; versions: Versions; docBase: string; openRequest: Overview['requests'][number] | undefined; sendErrors: FormErrors | undefined; background?: string | undefined }) {
  const { t } = useT();
  const navigation = useNavigation();
  // The latest version is already out (or every council has decided on it): sending is then the rarer case (another
  // version), folded away.
  const current = overview.requests[0] && overview.requests[0].status !== 'superseded' ? overview.requests[0] : null;
  const latestSent = current && versions[0] && current.version === versions[0].number ? current : null;
  const sendForm = (
    <Form method="post" className="approval-send__form" aria-labelledby="send-heading">
      <ErrorSummary errors={sendErrors} idPrefix="send-" labels={{ version: t('approvals.version'), background: t('exports.background') }} />
      <input type="hidden" name="intent" value="send" />
      <input type="hidden" name="documentId" value={overview.documentId} />
      {versions.length === 0 ? (
        <p>
          {t('approvals.noVersions')} <Link to={`${docBase}/versions`}>{t('versions.saveHeading')}</Link>
        </p>
      ) : (
        <>
          <label htmlFor="send-version">{t('approvals.version')}</label>
          <select id="send-version" name="version" defaultValue={String(versions[0]!.number)}>
            {versions.map((v) => (
              <option key={v.number} value={v.number}>
                {t('versions.option', { number: v.number, label: v.label })} ({short(v.hash)})
              </option>
            ))}
          </select>
          {openRequest ? <p className="field-hint">{t('approvals.supersedes', { version: openRequest.version })}</p> : null}
          <div className="approval-send__background">
            <label htmlFor="send-background">{t('exports.background')}</label>
            <p id="send-background-hint" className="hint">
              {t('exports.backgroundHint')}
            </p>
            {sendErrors?.fields?.background ? (
              <p id="send-background-error" className="error-message">
                {t(sendErrors.fields.background.key, sendErrors.fields.background.values ?? {})}
              </p>
            ) : null}
            <textarea
              id="send-background"
              name="background"
              className="textarea"
              rows={6}
              maxLength={PROPOSAL_BACKGROUND_MAX_LENGTH}
              defaultValue={background ?? ''}
              aria-describedby={sendErrors?.fields?.background ? 'send-background-hint send-background-error' : 'send-background-hint'}
              aria-invalid={sendErrors?.fields?.background ? true : undefined}
            />
          </div>
          <button type="submit" className="button" disabled={navigation.state !== 'idle'}>
            {t('approvals.send')}
          </button>
        </>
      )}
    </Form>
  );
  return (
    <section className="approval-send" aria-labelledby="send-heading">
      <h2 id="send-heading">{t('approvals.sendHeading')}</h2>
      {latestSent ? (
        <p>
          {t('approvals.latestSent', { version: latestSent.version })} <Link to={`${docBase}/versions`}>{t('versions.title')}</Link>
        </p>
      ) : null}
      {latestSent && !sendErrors ? (
        <details>
          <summary>{t('approvals.sendOther')}</summary>
          {sendForm}
        </details>
      ) : (
        sendForm
      )}
    </section>
  );
}
