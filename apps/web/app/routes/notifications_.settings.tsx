import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { createCalendarFeed, DomainError, getMailSettings, MAIL_KINDS, revokeCalendarFeed, updateMailSettings, type RouteHandle } from '@sopu/core';
import { StatusMessage } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { CalendarFeed } from '../components/mail/CalendarFeed.tsx';
import { MailSettingsForm } from '../components/mail/MailSettingsForm.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor, sessionMeta } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): one's own mail settings. */
export const handle = { access: 'signed-in' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('mailSettings.title')]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  return { settings: await orHttpError(args.request, getMailSettings(args.context.deps, actor)) };
}

/** Save the language and each kind's choice; make (or replace) the calendar address, or stop it. */
export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const form = await args.request.formData();
  const intent = form.get('intent');
  try {
    switch (intent) {
      case 'save': {
        const modes = Object.fromEntries(MAIL_KINDS.flatMap((kind) => (form.has(`mode.${kind}`) ? [[kind, form.get(`mode.${kind}`)]] : [])));
        await updateMailSettings(deps, actor, { language: form.get('language'), modes });
        return { ok: true as const, intent, feedUrl: null };
      }
      case 'feed-create': {
        const { url } = await createCalendarFeed(deps, actor, sessionMeta(args));
        return { ok: true as const, intent, feedUrl: url };
      }
      case 'feed-revoke':
        await revokeCalendarFeed(deps, actor, sessionMeta(args));
        return { ok: true as const, intent, feedUrl: null };
      default:
        throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
    }
  } catch (error) {
    return formFailure(error, args.request, { intent: typeof intent === 'string' ? intent : null, feedUrl: null }, {}, { selects: ['language'] });
  }
}

export default function MailSettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  return (
    <Main>
      <div className="mail-settings">
        <p>
          <Link to="/notifications">{t('notifications.title')}</Link>
        </p>
        <h1>{t('mailSettings.title')}</h1>
        <p>{t('mailSettings.intro', { email: settings.email })}</p>
        {result?.ok && result.intent === 'save' ? (
          <StatusMessage>
            <p>{t('mailSettings.saved')}</p>
          </StatusMessage>
        ) : null}
        <MailSettingsForm settings={settings} errors={result && !result.ok && result.intent === 'save' ? result.errors : undefined} />
        <CalendarFeed feed={settings.calendarFeed} created={result?.ok ? result.feedUrl : null} revoked={Boolean(result?.ok && result.intent === 'feed-revoke')} />
      </div>
    </Main>
  );
}
