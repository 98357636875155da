import { useLocation, useParams } from '@remix-run/react';
import { areaName, isolate } from '../format.ts';
import { useT } from '../hooks.ts';
import { LANGUAGES } from '../i18n.ts';
import { useRootData } from '../root-data.ts';
import { BellIcon } from './icons.tsx';

/**
 * Every page's header. Signed in: the current area, an area switcher (with several areas), the person and their role
 * there, and log out. Always: the language switcher. All of it works as plain forms without JavaScript.
 */
export function SiteHeader() {
  const { t, lang } = useT();
  const root = useRootData();
  const { slug } = useParams();
  const location = useLocation();
  const here = location.pathname + location.search;
  const memberships = root?.memberships ?? [];
  const current = memberships.find((m) => m.slug === slug);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipLink')}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <p className="brand">
            <a href="/" className="brand-link">
              {t('app.name')}
            </a>
            <span className="brand-tagline">{t('app.tagline')}</span>
          </p>
          {/* A plain form: the new language needs a fresh document (server-rendered in that language). */}
          <form method="post" action="/language" className="language-switcher" aria-label={t('header.languageLabel')}>
            <input type="hidden" name="redirectTo" value={here} />
            {LANGUAGES.map((code) => (
              <button key={code} type="submit" name="lang" value={code} lang={code} className="link-button" aria-current={code === lang ? 'true' : undefined}>
                {t(`language.${code}`)}
              </button>
            ))}
          </form>
        </div>
        {root?.user ? (
          <div className="header-user-bar">
            <div className="container header-row">
              <div className="header-area">
                {current ? <p className="current-area">{areaName(current.areaName, lang)}</p> : null}
                {memberships.length > 1 ? (
                  <form method="get" action="/" className="area-switcher">
                    <label htmlFor="area-switcher">{t('header.switchArea')}</label>
                    <select id="area-switcher" name="area" defaultValue={current?.slug ?? ''}>
                      {current ? null : <option value="">{t('header.areaLabel')}</option>}
                      {memberships.map((m) => (
                        <option key={m.slug} value={m.slug}>
                          {areaName(m.areaName, lang)}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button button-small button-on-dark">
                      {t('header.switchAreaSubmit')}
                    </button>
                  </form>
                ) : null}
              </div>
              <div className="header-person">
                <a href="/notifications" className="bell" aria-current={location.pathname === '/notifications' ? 'page' : undefined}>
                  <BellIcon />
                  <span className="visually-hidden">{t('notifications.bellLabel')} </span>
                  {root.unreadNotifications > 0 ? (
                    <span className="bell__count" data-testid="bell-count">
                      {root.unreadNotifications}
                      <span className="visually-hidden"> {t('notifications.unread', { count: root.unreadNotifications })}</span>
                    </span>
                  ) : (
                    <span className="visually-hidden">{t('notifications.noneUnread')}</span>
                  )}
                </a>
                <p className="person">
                  <span className="visually-hidden">{t('header.signedInAs')} </span>
                  {current ? t('header.userWithRole', { name: isolate(root.user.displayName), role: t(`roles.${current.role}`) }) : <bdi>{root.user.displayName}</bdi>}
                </p>
                <a href="/account" className="header-link" aria-current={location.pathname === '/account' ? 'page' : undefined}>
                  {t('header.account')}
                </a>
                <form method="post" action="/logout">
                  <button type="submit" className="button button-small button-on-dark">
                    {t('header.logout')}
                  </button>
                </form>
              </div>
            </div>
          </div>
        ) : null}
      </header>
    </>
  );
}

export function SiteFooter() {
  const { t } = useT();
  return (
    <footer className="site-footer">
      <div className="container">
        <p>{t('app.footer')}</p>
      </div>
    </footer>
  );
}
