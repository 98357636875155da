import { data, redirect, type ActionFunctionArgs } from '@remix-run/node';
import { isLanguage } from '../i18n.ts';
import { langCookie } from '../i18n.server.ts';
import { safeRedirect } from '../safe-redirect.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'public' } satisfies RouteHandle;

/** The header's language switcher: remember the choice in the `lang` cookie and go back to the same page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get('lang');
  if (!isLanguage(lang)) throw data({ code: 'invalid_input' }, { status: 400 });
  throw redirect(safeRedirect(form.get('redirectTo')), {
    headers: { 'Set-Cookie': langCookie(lang, context.env.publicUrl.startsWith('https:')) },
  });
}

export function loader() {
  throw redirect('/');
}
