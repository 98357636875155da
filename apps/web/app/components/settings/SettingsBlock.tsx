import { useLoaderData, useActionData, Form } from '@remix-run/react';
import type { ReactNode } from 'react';
import { SubmitButton, ErrorSummary } from '../form.tsx';
import type { FormErrors } from '../../form-errors.ts';
import { useT } from '../../hooks.ts';
import type { loader, action } from '../../routes/areas.$slug.settings.tsx';

/** A part of the place a complaint is about (settings.server.ts namedIssues): a key with values, or words as they are. */
type IssuePart = string | { key: string; values: Record<string, string | number> };

export type Settings = ReturnType<typeof useLoaderData<typeof loader>>['settings'];

export function useResult(intents: string[]) {
  const result = useActionData<typeof action>();
  const mine = result && 'intent' in result && intents.includes(String(result.intent)) ? result : undefined;
  return { result: mine, errors: mine && 'errors' in mine ? (mine.errors as FormErrors & { list?: Array<{ key: string; values?: Record<string, string>; parts?: IssuePart[]; problem?: string }> }) : undefined };
}

/** One settings form: its heading, what it is for, what was saved, and the intent the action dispatches on. */
export function SettingsBlock({ id, heading, intro, saved, intent, children }: { id: string; heading: string; intro: string; saved: string[]; intent?: string; children: ReactNode }) {
  return (
    <Form method="post" className="settings-block" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <p>{intro}</p>
      <Saved intents={saved} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {children}
    </Form>
  );
}

/** A settings form's save button, "Saving…" while it is sent. */
export function SaveButton({ pending }: { pending: boolean }) {
  const { t } = useT();
  return (
    <SubmitButton pending={pending} pendingLabel={t('settings.saving')}>
      {t('settings.save')}
    </SubmitButton>
  );
}

function Saved({ intents }: { intents: string[] }) {
  const { t } = useT();
  const { result, errors } = useResult(intents);
  if (errors?.list) {
    const part = (p: IssuePart) => (typeof p !== 'string' ? t(p.key, p.values) : p.startsWith('settings.') ? t(p, { defaultValue: p.slice(p.lastIndexOf('.') + 1) }) : p);
    const words = (m: { parts?: IssuePart[]; problem?: string }) => ({ where: (m.parts ?? []).map(part).join(', '), message: m.problem ? t(m.problem) : '' });
    return (
      <div className="error-summary" role="alert" tabIndex={-1}>
        <h3>{t('settings.fix')}</h3>
        <ul>
          {errors.list.map((m, i) => (
            <li key={i}>{t(m.key, words(m))}</li>
          ))}
        </ul>
      </div>
    );
  }
  if (errors) return <ErrorSummary errors={errors} />;
  if (result && 'message' in result && result.message)
    return (
      <p className="notice notice-success" role="status">
        {t(result.message)}
      </p>
    );
  return null;
}
