import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError } from '@remix-run/react';
import { getMe, isDomainError } from '@sopu/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPage } from './components/error-page.tsx';
import { SiteFooter, SiteHeader } from './components/site-header.tsx';
import { resolveLanguage } from './i18n.server.ts';
import './load-context.ts';
import type { RootData } from './root-data.ts';
import { useRootData } from './root-data.ts';
import { getActor } from './session.server.ts';
import stylesHref from './styles.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export const meta = () => [{ title: 'Sopu' }];

export async function loader(args: LoaderFunctionArgs): Promise<RootData> {
  const lang = resolveLanguage(args.request);
  const actor = await getActor(args);
  if (!actor) return { lang, user: null, memberships: [] };
  try {
    const me = await getMe(args.context.deps.db, actor);
    return {
      lang,
      user: { displayName: me.user.displayName, email: me.user.email },
      memberships: me.memberships.map((m) => ({ slug: m.areaSlug, areaName: m.areaName, role: m.role, municipalityCode: m.municipalityCode })),
    };
  } catch (error) {
    if (isDomainError(error) && error.code === 'unauthenticated') return { lang, user: null, memberships: [] };
    throw error;
  }
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const { i18n } = useTranslation();
  return (
    <html lang={root?.lang ?? i18n.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <SiteHeader />
        {children}
        <SiteFooter />
        <ScrollRestoration />
        <Scripts />
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
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
