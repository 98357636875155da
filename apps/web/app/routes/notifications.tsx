import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { DomainError, listNotifications, markNotificationsRead, type RouteHandle } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { areaName, formatDateTime, formatDeadline, isolate } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): one's own notifications. */
export const handle = { access: 'signed-in' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('notifications.title')]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  return orHttpError(args.request, listNotifications(args.context.deps, actor));
}

/** Mark all read, or open one: it is marked read and the thread opens. */
export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const form = await args.request.formData();
  const id = form.get('id');
  try {
    if (form.get('intent') === 'read-all') {
      await markNotificationsRead(args.context.deps, actor, {});
      return redirect('/notifications');
    }
    if (typeof id !== 'string') throw new DomainError('invalid_input', 'no notification', { field: 'id' });
    const { items } = await listNotifications(args.context.deps, actor, { limit: 200 });
    const item = items.find((n) => n.id === id);
    await markNotificationsRead(args.context.deps, actor, { ids: [id] });
    if (item?.document && item.threadId) return redirect(`/areas/${item.area.slug}/documents/${item.document.id}?thread=${item.threadId}`);
    if (item?.round) return redirect(`/areas/${item.area.slug}/rounds/${item.round.id}`);
    return redirect('/notifications');
  } catch (error) {
    return formFailure(error, args.request, {});
  }
}

export default function Notifications() {
  const data = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const navigation = useNavigation();
  return (
    <Main>
      <h1>{t('notifications.title')}</h1>
      <p>
        <Link to="/notifications/settings">{t('notifications.mailSettings')}</Link>
      </p>
      <p role="status">{data.unread > 0 ? t('notifications.unread', { count: data.unread }) : t('notifications.noneUnread')}</p>
      {data.unread > 0 ? (
        <Form method="post">
          <button type="submit" name="intent" value="read-all" className="button button-secondary" disabled={navigation.state !== 'idle'}>
            {t('notifications.markAllRead')}
          </button>
        </Form>
      ) : null}
      {data.items.length === 0 ? (
        <p>{t('notifications.empty')}</p>
      ) : (
        <ul className="notification-list">
          {data.items.map((n) => (
            <li key={n.id} className={n.readAt === null ? 'notification notification--unread' : 'notification'}>
              <p className="notification__what">
                {n.readAt === null ? <span className="badge badge--new">{t('notifications.new')}</span> : null}
                {n.kind === 'round_reminder' && n.round
                  ? t('notifications.roundReminder', { name: isolate(n.actor?.name ?? '?'), deadline: formatDeadline(n.round.deadline, lang) })
                  : t('notifications.mention', { name: isolate(n.actor?.name ?? '?'), document: n.document?.title ?? '' })}
              </p>
              <p className="notification__meta">
                {areaName(n.area.name, lang)} · <time dateTime={new Date(n.createdAt).toISOString()}>{formatDateTime(n.createdAt, lang)}</time>
              </p>
              {n.excerpt ? <blockquote className="notification__excerpt" dir="auto">{n.excerpt}</blockquote> : null}
              <Form method="post">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="button button-small">
                  {t('notifications.open')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Main>
  );
}
