import { useActionData, Form } from '@remix-run/react';
import { CREATABLE_KINDS } from '@sopu/core/rules';
import { useSubmitting, ErrorSummary, SelectField, Field, SubmitButton } from '../form.tsx';
import { useT } from '../../hooks.ts';
import type { action } from '../../routes/areas.$slug._index.tsx';

export function CreateDocumentForm() {
  const { t } = useT();
  const result = useActionData<typeof action>();
  const errors = result && 'errors' in result ? result.errors : undefined;
  const submitting = useSubmitting();
  return (
    <Form method="post" className="create-document" aria-labelledby="create-document-heading" noValidate>
      <h3 id="create-document-heading">{t('dashboard.createDocument.title')}</h3>
      <ErrorSummary errors={errors} idPrefix="doc-" labels={{ kind: t('dashboard.createDocument.kind'), title: t('dashboard.createDocument.titleLabel') }} />
      <SelectField name="kind" id="doc-kind" label={t('dashboard.createDocument.kind')} error={errors?.fields?.kind} required defaultValue="">
        <option value="" disabled>
          {t('dashboard.createDocument.choose')}
        </option>
        {CREATABLE_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {t(`documentKinds.${kind}`)}
          </option>
        ))}
      </SelectField>
      <Field name="title" id="doc-title" label={t('dashboard.createDocument.titleLabel')} hint={t('dashboard.createDocument.titleHint')} error={errors?.fields?.title} maxLength={200} />
      <SubmitButton pending={submitting} pendingLabel={t('dashboard.createDocument.creating')}>
        {t('dashboard.createDocument.submit')}
      </SubmitButton>
    </Form>
  );
}
