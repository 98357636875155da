import { Form, useActionData, useNavigation } from '@remix-run/react';
import { ErrorSummary } from '../form.tsx';
import { useT } from '../../hooks.ts';
import type { action } from '../../routes/areas.$slug.approvals.tsx';
import type { Overview } from './types.ts';

/** The host admin's form for the date the agreement states for its entry into force (an area setting). */
export function EntryIntoForceForm({ overview }: { overview: Overview }) {
  const { t } = useT();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result && 'errors' in result && result.intent === 'entry-into-force' ? result.errors : undefined;
  return (
    <Form method="post" className="approval-entry-into-force" aria-labelledby="entry-heading">
      <h3 id="entry-heading">{t('approvals.entryIntoForce.heading')}</h3>
      <ErrorSummary errors={errors} idPrefix="entry-" labels={{ date: t('approvals.entryIntoForce.label') }} />
      <input type="hidden" name="intent" value="entry-into-force" />
      <input type="hidden" name="documentId" value={overview.documentId} />
      <label htmlFor="entry-date">{t('approvals.entryIntoForce.label')}</label>
      <p id="entry-date-hint" className="field-hint">
        {t('approvals.entryIntoForce.hint')}
      </p>
      <input id="entry-date" name="entryIntoForce" type="date" defaultValue={overview.entryIntoForce ?? ''} aria-describedby="entry-date-hint" />
      <button type="submit" className="button button-secondary" disabled={navigation.state !== 'idle'}>
        {t('approvals.entryIntoForce.save')}
      </button>
    </Form>
  );
}
