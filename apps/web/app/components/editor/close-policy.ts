/**
 * Closes that are about this connection, not about access (services/collab/src/close-codes.ts): the socket read too
 * slowly (4408) or sent too much at once (4429). The stock y-websocket client gives up for good on every 44xx; these
 * are worth another try after its back-off, with the edits kept. Every other 44xx stays final (no session, no access,
 * an update the server refused), and every other code is retried, as the stock client does.
 */
const CLOSE_RETRIED: ReadonlySet<number> = new Set([4408, 4429]);

export function shouldReconnect(event: Pick<CloseEvent, 'code'>): boolean {
  return CLOSE_RETRIED.has(event.code) || !(event.code >= 4400 && event.code < 4500);
}
