import type { LoaderFunctionArgs } from '@remix-run/node';
import { calendarFeed, isDomainError, type RouteHandle } from '@sopu/core';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): whoever holds the calendar address (a calendar
 * program fetches it without signing in); the secret token in it is the key, and it can be replaced or stopped.
 */
export const handle = { access: 'public' } satisfies RouteHandle;

/** The person's calendar (text/calendar): their areas' round deadlines and council meetings. Unknown or stopped: 404. */
export async function loader(args: LoaderFunctionArgs) {
  try {
    const body = await calendarFeed(args.context.deps, args.params.token);
    return new Response(body, { headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'inline; filename="sopu.ics"' } });
  } catch (error) {
    if (isDomainError(error) && error.code === 'not_found') return new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    throw error;
  }
}
