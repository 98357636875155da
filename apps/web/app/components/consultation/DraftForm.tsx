import { useLoaderData, useActionData } from '@remix-run/react';
import { type RoundFieldValues, RoundForm } from './round.tsx';
import { useSubmitting, SubmitButton } from '../form.tsx';
import { useT } from '../../hooks.ts';
import type { loader, action } from '../../routes/areas.$slug.rounds.$consultationRoundId.tsx';
import type { Round } from './types.ts';

/** A draft round, seen only by the host admin: edit its fields, open it, or throw it away. */
export function DraftForm({ round, draft }: { round: Round; draft: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['draft']> }) {
  const { t } = useT();
  const result = useActionData<typeof action>();
  const saving = useSubmitting((f) => f.get('intent') === 'save-draft');
  const opening = useSubmitting((f) => f.get('intent') === 'open-draft');
  const discarding = useSubmitting((f) => f.get('intent') === 'discard');
  const mine = result && 'intent' in result && result.intent === 'draft';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const sent = (mine && 'values' in result ? result.values : undefined) as Record<string, string> | undefined;
  const local = round.deadlineLocal; // "2026-12-15T16:00+02:00"
  const values: RoundFieldValues = {
    version: sent?.version ?? String(round.version.number),
    title: sent?.title ?? round.title,
    questions: sent?.questions ?? round.questions.join('\n'),
    deadlineDate: sent?.deadlineDate ?? local.slice(0, 10),
    deadlineTime: sent?.deadlineTime ?? local.slice(11, 16),
    invited: sent ? (sent.invited ?? '').split(',') : round.invitees.map((i) => i.municipality.code),
    coverLetter: sent?.coverLetter ?? round.coverLetter,
    shortPeriodReason: sent?.shortPeriodReason ?? '',
  };
  return (
    <RoundForm id="draft-heading" heading={t('consultation.draftHeading')} intro={t('consultation.draftIntro')} errors={errors} versions={draft.versions} members={draft.members} hostName={draft.hostName} values={values} minimumPeriod={draft.minimumPeriod} now={draft.now}>
        <SubmitButton name="intent" value="open-draft" pending={opening} pendingLabel={t('consultation.opening')}>
          {t('consultation.open')}
        </SubmitButton>
        <SubmitButton name="intent" value="save-draft" variant="secondary" pending={saving} pendingLabel={t('consultation.saving')}>
          {t('consultation.saveDraftChanges')}
        </SubmitButton>
        <SubmitButton
          name="intent"
          value="discard"
          variant="danger"
          pending={discarding}
          pendingLabel={t('consultation.discarding')}
          formNoValidate
          onClick={(event) => {
            if (!window.confirm(t('consultation.discardConfirm'))) event.preventDefault();
          }}
        >
          {t('consultation.discard')}
        </SubmitButton>
    </RoundForm>
  );
}
