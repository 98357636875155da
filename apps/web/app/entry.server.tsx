import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { isRouteErrorResponse, RemixServer } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from './i18n.ts';
import { registerAllTranslations } from './i18n.resources.server.ts';
import { resolveLanguage } from './i18n.server.ts';
import { NonceContext } from './nonce.ts';
import { FORM_ACTION_HEADER } from './sign-in.server.ts';

// Before any request: pages, titles and errors are rendered in whichever language a request asks for.
registerAllTranslations();

export const streamTimeout = 5_000;

/**
 * Renders the whole page before sending it (no deferred data here, so waiting for all of it costs nothing and gives
 * every client, with or without JavaScript, complete HTML). One i18next instance per request.
 */
/**
 * Content Security Policy for pages (ASVS 14.4.3): scripts only from us or carrying this response's nonce (Remix's
 * inline hydration scripts), live connections only to our own host, no framing. Styles allow inline attributes:
 * presence colours and collaborators' carets are set per person. Vite's dev server injects its own scripts, so
 * development runs without it.
 */
function contentSecurityPolicy(request: Request, nonce: string, formAction: string[]): string {
  const host = new URL(request.url).host;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${host} wss://${host}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...formAction].join(' '),
    "object-src 'none'",
  ].join('; ');
}

/** A render error, logged through the server's logger (with the request id) when there is one. */
function logError(context: AppLoadContext | undefined, error: unknown) {
  if (context?.log) context.log.error({ err: error }, 'page error');
  else console.error(error);
}

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext?: AppLoadContext) {
  const i18n = createI18n(resolveLanguage(request));
  const nonce = randomBytes(16).toString('base64');
  // A page whose form may be answered with a redirect to a municipality's identity provider names its origins
  // (sign-in.server.ts); the header itself is not sent.
  const formAction = (responseHeaders.get(FORM_ACTION_HEADER) ?? '').split(' ').filter((origin) => /^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin) || /^http:\/\/\[::1\](:\d+)?$/.test(origin));
  responseHeaders.delete(FORM_ACTION_HEADER);
  if (!import.meta.env.DEV) responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(request, nonce, formAction));
  return new Promise<Response>((resolve, reject) => {
    /** Errors React recovered from while rendering: the page is still sent, as a 500, and they are logged. */
    const recovered: unknown[] = [];
    let deadline: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          // The deadline is for streamed data that never arrives (Remix's own streamTimeout, plus a second). It counts
          // from the shell: the time a render waited for the CPU before it (a busy machine, many requests at once)
          // is not a stuck stream, and aborting then answered a correct page with a 500.
          deadline = setTimeout(() => abort(new Error(`the page ${new URL(request.url).pathname} was not rendered within ${streamTimeout + 1_000} ms of its shell`)), streamTimeout + 1_000);
        },
        onAllReady() {
          clearTimeout(deadline);
          // A 500 is never silent (an error before the shell is logged by handleError, through the rejection).
          for (const error of recovered.splice(0)) logError(loadContext, error);
          const body = new PassThrough();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(deadline);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          recovered.push(error);
        },
      },
    );
  });
}

/** A loader's form-action header is for the page's policy only: data requests (client navigations) never send it. */
export const handleDataRequest: HandleDataRequestFunction = (response) => {
  response.headers.delete(FORM_ACTION_HEADER);
  return response;
};

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  // A 4xx thrown by a loader or action is an answer to bad input (shown by the error boundary), not a server fault.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (error instanceof Response && error.status < 500) return;
  logError(context, error);
};
