import type { AppLoadContext } from '@remix-run/node';
import { isOidcError } from '@sopu/auth';
import QRCode from 'qrcode';

/**
 * The cookies of a sign-in in progress (docs/decisions/024), both HttpOnly, SameSite=Lax (the provider sends the
 * browser back with a top-level GET), Secure on https, short-lived and scoped to their pages:
 * - `sopu_login`: a log-in between the password and the second factor (Path=/login);
 * - `sopu_oidc`: binds a sign-in through an identity provider to this browser (Path=/auth/oidc).
 * Their tokens are random; the server stores only their sha256.
 */
export const CHALLENGE_COOKIE = 'sopu_login';
export const OIDC_COOKIE = 'sopu_oidc';
const PATHS = { [CHALLENGE_COOKIE]: '/login', [OIDC_COOKIE]: '/auth/oidc' } as const;
const TOKEN = /^[a-z2-7]{32}$/;

export function readTokenCookie(request: Request, name: typeof CHALLENGE_COOKIE | typeof OIDC_COOKIE): string | null {
  const header = request.headers.get('Cookie');
  if (!header || header.length > 16_384) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN.test(value) ? value : null;
  }
  return null;
}

/** The Set-Cookie of a sign-in cookie until `expiresAt`, or (token null) the one that clears it. */
export function signInCookie(context: AppLoadContext, name: typeof CHALLENGE_COOKIE | typeof OIDC_COOKIE, token: string | null, expiresAt = 0): string {
  const secure = context.env.publicUrl.startsWith('https:') ? '; Secure' : '';
  const maxAge = token ? Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)) : 0;
  return `${name}=${token ?? ''}; Path=${PATHS[name]}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/** The otpauth URI as an SVG QR code (inline in the page: no request carries the key). */
export async function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
}

/** The identity provider could not be asked to start a sign-in (unreachable, or its discovery document is wrong). */
export const providerUnavailable = (error: unknown): boolean => isOidcError(error);

/**
 * The header by which a page's loader widens its Content-Security-Policy's form-action to identity providers'
 * origins (entry.server.tsx reads it and never sends it): the page's form may be answered with a redirect there.
 */
export const FORM_ACTION_HEADER = 'X-Sopu-Form-Action';

export function formActionHeaders(origins: string[]): Record<string, string> {
  return origins.length > 0 ? { [FORM_ACTION_HEADER]: origins.join(' ') } : {};
}
