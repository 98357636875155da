import { redirect, type AppLoadContext } from '@remix-run/node';
import { readDeviceCookie, type IssuedDevice } from '@sopu/auth';
import { authenticate, deviceCookieHeader, type Actor } from '@sopu/core';

interface Args {
  request: Request;
  context: AppLoadContext;
}

export function readSessionToken({ request, context }: Args): string | null {
  return context.deps.sessions.readCookie(request.headers.get('Cookie'));
}

// One request may run several loaders (root and route); they share one session lookup.
const actors = new WeakMap<Request, Promise<Actor | null>>();

/** The signed-in person, or null. */
export function getActor(args: Args): Promise<Actor | null> {
  let actor = actors.get(args.request);
  if (!actor) {
    actor = authenticate(args.context.deps, readSessionToken(args)).then((user) =>
      user ? { userId: user.id, email: user.email, displayName: user.displayName } : null,
    );
    actors.set(args.request, actor);
  }
  return actor;
}

/** Where to send someone who must log in first, remembering the page they wanted (GET only). */
export function loginUrl(request: Request): string {
  const url = new URL(request.url);
  const back = request.method === 'GET' ? url.pathname + url.search : url.pathname;
  return back === '/' ? '/login' : `/login?${new URLSearchParams({ redirectTo: back })}`;
}

/** The signed-in person, or a redirect to /login?redirectTo=<this page>. */
export async function requireActor(args: Args): Promise<Actor> {
  const actor = await getActor(args);
  if (!actor) throw redirect(loginUrl(args.request));
  return actor;
}

export function sessionCookieHeader(context: AppLoadContext, token: string): string {
  return context.deps.sessions.cookie(token).serialize();
}

/** The browser's device cookie (a known device of an account, docs/decisions/003), if it has one. */
export function readDeviceToken({ request }: Args): string | null {
  return readDeviceCookie(request.headers.get('Cookie'));
}

export function deviceCookie(context: AppLoadContext, device: IssuedDevice): string {
  return deviceCookieHeader(context.deps, device);
}

export function blankSessionCookieHeader(context: AppLoadContext): string {
  return context.deps.sessions.blankCookie().serialize();
}

/** Request metadata stored with a new session. */
export function sessionMeta({ request, context }: Args): { ip: string | null; userAgent: string | null } {
  return { ip: context.clientIp, userAgent: request.headers.get('User-Agent') };
}
