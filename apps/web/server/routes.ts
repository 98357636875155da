import { matchRoutes, type AgnosticRouteObject } from '@remix-run/router';

/** A Remix build's route table as the server build exports it (`build.routes`). */
type RouteManifest = Record<string, { id: string; parentId?: string | undefined; path?: string | undefined; index?: boolean | undefined; caseSensitive?: boolean | undefined } | undefined>;

/**
 * Names a page request by its Remix route's pattern (`/areas/:slug/documents/:documentId`), for logs and metrics: a
 * bounded set of labels, and never the path itself (`/invitations/<token>` holds a credential). Null when no route
 * matches (a static file, or a 404). A single-fetch data request (`/login/code.data`, `/_root.data` for `/`: every
 * client-side navigation and form submission) counts under its page's pattern.
 */
export function remixRouteLabels(manifest: RouteManifest): (pathname: string) => string | null {
  const routes = Object.values(manifest).filter((r): r is NonNullable<typeof r> => Boolean(r));
  const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
    routes
      .filter((r) => r.parentId === parentId)
      .map((r) => (r.index ? { id: r.id, index: true, path: r.path, caseSensitive: r.caseSensitive } : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: tree(r.id) }));
  const root = tree(undefined);
  return (requested) => {
    const pathname = requested === '/_root.data' ? '/' : requested.replace(/\.data$/, '');
    const matches = matchRoutes(root, pathname);
    if (!matches || matches.length === 0) return null;
    const leaf = matches.at(-1)!.route;
    // The root route alone matches every path (its path is empty): that is a 404, not a page.
    if (matches.length === 1 && !leaf.path && !leaf.index) return null;
    const parts = matches.map((m) => m.route.path).filter((p): p is string => Boolean(p));
    return `/${parts.join('/')}`.replace(/\/+/g, '/');
  };
}
