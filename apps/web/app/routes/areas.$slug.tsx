import { NavLink, Outlet, useParams, useRouteError } from '@remix-run/react';
import { ErrorPage } from '../components/error-page.tsx';
import { useT } from '../hooks.ts';
import { useRootData } from '../root-data.ts';

/** The area's own navigation; pages for host admins appear only to them (the server checks again on each page). */
function AreaNav() {
  const { t } = useT();
  const { slug = '' } = useParams();
  const membership = useRootData()?.memberships.find((m) => m.slug === slug);
  if (!membership) return null;
  const base = `/areas/${encodeURIComponent(slug)}`;
  const items: Array<[string, string]> = [[base, t('nav.overview')], [`${base}/approvals`, t('nav.approvals')], [`${base}/verify`, t('nav.verify')]];
  if (membership.canManage) items.push([`${base}/settings`, t('nav.settings')], [`${base}/members`, t('nav.members')], [`${base}/outbox`, t('nav.outbox')], [`${base}/audit`, t('nav.audit')]);
  if (items.length < 2) return null;
  return (
    <nav className="area-nav" aria-label={t('header.areaNav')}>
      <ul className="container">
        {items.map(([to, label]) => (
          <li key={to}>
            <NavLink to={to} end prefetch="intent">
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function AreaLayout() {
  return (
    <>
      <AreaNav />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return (
    <>
      <AreaNav />
      <ErrorPage error={useRouteError()} />
    </>
  );
}
