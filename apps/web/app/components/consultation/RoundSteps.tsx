import { Form, Link } from '@remix-run/react';
import { SubmitButton, useSubmitting } from '../form.tsx';
import { useT } from '../../hooks.ts';
import type { Round } from './types.ts';

/** A refused step's reason, shown beside its button. */
export function Blocked({ state }: { state: { allowed: boolean; reason?: string } }) {
  const { t } = useT();
  if (state.allowed || !state.reason || state.reason === 'forbidden') return null;
  return <p className="hint">{t(`consultation.refusal.${state.reason}`, { defaultValue: '' })}</p>;
}

/** The host admin's steps on a round (remind, close, publish the summary), each refused with its reason; others see the summary's link once published. */
export function RoundSteps({ slug, round, manager }: { slug: string; round: Round; manager: boolean }) {
  const { t } = useT();
  const closing = useSubmitting((f) => f.get('intent') === 'close');
  const reminding = useSubmitting((f) => f.get('intent') === 'remind');
  const publishing = useSubmitting((f) => f.get('intent') === 'publish');
  return manager ? (
    <section aria-labelledby="steps-heading" className="round-steps">
      <h2 id="steps-heading">{t('consultation.stepsHeading')}</h2>
      <div className="round-steps__row">
        {round.state === 'open' ? (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="remind" />
              <SubmitButton variant="secondary" pending={reminding} pendingLabel={t('consultation.reminding')} disabled={!round.actions.remind.allowed}>
                {t('consultation.remind')}
              </SubmitButton>
              <Blocked state={round.actions.remind} />
            </Form>
            <Form
              method="post"
              onSubmit={(event) => {
                if (!window.confirm(t('consultation.closeConfirm'))) event.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="close" />
              <SubmitButton pending={closing} pendingLabel={t('consultation.closing')} disabled={!round.actions.close.allowed}>
                {t('consultation.close')}
              </SubmitButton>
              <Blocked state={round.actions.close} />
            </Form>
          </>
        ) : null}
        {round.state === 'closed' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <SubmitButton pending={publishing} pendingLabel={t('consultation.publishing')} disabled={!round.actions.publish.allowed}>
              {t('consultation.publish')}
            </SubmitButton>
            <Blocked state={round.actions.publish} />
          </Form>
        ) : null}
        {round.state !== 'open' ? <Link to={`/areas/${slug}/rounds/${round.id}/summary`}>{t('consultation.summaryLink')}</Link> : null}
      </div>
    </section>
  ) : round.state === 'summary_published' ? (
    <p>
      <Link to={`/areas/${slug}/rounds/${round.id}/summary`}>{t('consultation.summaryLink')}</Link>
    </p>
  ) : null;
}
