import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { useNonce } from './nonce.ts';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError } from '@remix-run/react';
import { can, getMe, isDomainError, listNotifications } from '@sopu/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPage } from './components/error-page.tsx';
import { announceHydrated } from './hydration.ts';
import { SiteFooter, SiteHeader } from './components/site-header.tsx';
import { resolveLanguage } from './i18n.server.ts';
import { translationChunk } from './translation-chunks.server.ts';
import './load-context.ts';
import type { RootData } from './root-data.ts';
import { useRootData } from './root-data.ts';
import { getActor } from './session.server.ts';
import stylesHref from './styles.css?url';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'public' } satisfies RouteHandle;

// An inline icon: the app ships no public/ folder of its own, and browsers ask for one on every first visit.
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#003479"/><text x="16" y="23" font-family="sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">S</text></svg>')}`;

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: ICON, type: 'image/svg+xml' },
];

export const meta = () => [{ title: 'Sopu' }];

export async function loader(args: LoaderFunctionArgs): Promise<RootData> {
  const lang = resolveLanguage(args.request);
  const base = { lang, translationChunk: translationChunk(lang) ?? null };
  const actor = await getActor(args);
  if (!actor) return { ...base, user: null, memberships: [], unreadNotifications: 0 };
  try {
    const [me, notifications] = await Promise.all([getMe(args.context.deps.db, actor), listNotifications(args.context.deps, actor, { limit: 1 })]);
    return {
      ...base,
      unreadNotifications: notifications.unread,
      user: { displayName: me.user.displayName, email: me.user.email },
      memberships: me.memberships.map((m) => ({ slug: m.areaSlug, areaName: m.areaName, role: m.role, municipalityCode: m.municipalityCode, canManage: can(m, 'members.manage') })),
    };
  } catch (error) {
    if (isDomainError(error) && error.code === 'unauthenticated') return { ...base, user: null, memberships: [], unreadNotifications: 0 };
    throw error;
  }
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const { i18n } = useTranslation();
  const nonce = useNonce();
  return (
    <html lang={root?.lang ?? i18n.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {root?.translationChunk ? <link rel="modulepreload" href={root.translationChunk} /> : null}
      </head>
      <body>
        <SiteHeader />
        {children}
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { lang } = useLoaderData<typeof loader>();
  const { i18n } = useTranslation();
  // The language switcher reloads the document, so this only matters if the language changes another way.
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
  }, [i18n, lang]);
  useEffect(announceHydrated, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  useEffect(announceHydrated, []);
  return <ErrorPage error={useRouteError()} />;
}
