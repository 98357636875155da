import { Form } from '@remix-run/react';
import type { MailSettings } from '@sopu/core';
import { formatDateTime } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { StatusMessage, SubmitButton, useSubmitting } from '../form.tsx';

/**
 * The person's calendar feed: a secret address a calendar (Outlook: "Subscribe from web") fetches the deadlines and
 * council meetings from. Stored hashed, so its address is shown once, right after it is made (`created`); making a
 * new one stops the old, and it can be stopped outright.
 */
export function CalendarFeed({ feed, created, revoked }: { feed: MailSettings['calendarFeed']; created: string | null; revoked: boolean }) {
  const { t, lang } = useT();
  const creating = useSubmitting((form) => form.get('intent') === 'feed-create');
  const revoking = useSubmitting((form) => form.get('intent') === 'feed-revoke');
  return (
    <section className="settings-block" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">{t('mailSettings.calendarHeading')}</h2>
      <p>{t('mailSettings.calendarIntro')}</p>
      {revoked ? (
        <StatusMessage>
          <p>{t('mailSettings.calendarRevoked')}</p>
        </StatusMessage>
      ) : null}
      {created ? (
        <div className="status-message calendar-created" role="status">
          <label htmlFor="calendar-url" className="calendar-created__label">
            {t('mailSettings.calendarCreated')}
          </label>
          <p id="calendar-url-hint" className="hint">
            {t('mailSettings.calendarCreatedHint')}
          </p>
          <input id="calendar-url" className="input calendar-url" readOnly value={created} aria-describedby="calendar-url-hint" onFocus={(e) => e.currentTarget.select()} />
          <p>
            <a href={created.replace(/^https?:/, 'webcal:')}>{t('mailSettings.calendarOpen')}</a>
          </p>
        </div>
      ) : null}
      {feed ? (
        <p>
          {t('mailSettings.calendarActive', { created: formatDateTime(feed.createdAt, lang) })}{' '}
          {feed.lastUsedAt === null ? t('mailSettings.calendarNeverUsed') : t('mailSettings.calendarUsed', { time: formatDateTime(feed.lastUsedAt, lang) })}
        </p>
      ) : (
        <p>{t('mailSettings.calendarNone')}</p>
      )}
      <div className="button-row">
        <Form method="post">
          <input type="hidden" name="intent" value="feed-create" />
          <SubmitButton pending={creating} pendingLabel={t('mailSettings.calendarCreating')} variant={feed ? 'secondary' : 'primary'}>
            {feed ? t('mailSettings.calendarReplace') : t('mailSettings.calendarCreate')}
          </SubmitButton>
        </Form>
        {feed ? (
          <Form method="post">
            <input type="hidden" name="intent" value="feed-revoke" />
            <SubmitButton pending={revoking} pendingLabel={t('mailSettings.calendarRevoking')} variant="danger">
              {t('mailSettings.calendarRevoke')}
            </SubmitButton>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
