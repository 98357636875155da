import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { logout } from '@sopu/core';
import { blankSessionCookieHeader, readSessionToken, sessionMeta } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'public' } satisfies RouteHandle;

export async function action(args: ActionFunctionArgs) {
  const token = readSessionToken(args);
  if (token) await logout(args.context.deps, token, sessionMeta(args));
  throw redirect('/login?notice=loggedOut', { headers: { 'Set-Cookie': blankSessionCookieHeader(args.context) } });
}

/** Logging out changes state, so it is a POST only; a stray GET goes home. */
export function loader() {
  throw redirect('/');
}
