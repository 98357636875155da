/** WebSocket close codes of the collab server, in one place. 44xx mirror the HTTP statuses they stand for. */
export const CLOSE = {
  /** A frame that does not decode as the y-websocket protocol, or an update Yjs cannot read. */
  invalidFrame: 4400,
  /** No valid session (any more). */
  unauthenticated: 4401,
  /** Origin not allowed. */
  forbidden: 4403,
  /** No such document, or not a member of its area: the same answer, so existence does not leak. */
  notFound: 4404,
  /** The socket does not read what it is sent fast enough (its send buffer is over the limit). */
  tooSlow: 4408,
  /**
   * Another process writes this document now (one writer per document), or took it over: reconnect later, through
   * the proxy, which routes the document to that process. 1013 (Try Again Later), not a 44xx: the stock y-websocket
   * client stops reconnecting for good on 4400–4499, and a writer's lease changing hands is no reason for that. The
   * reason text tells it apart from a database that did not answer.
   */
  servedElsewhere: 1013,
  /** An update that breaks the document's layout (packages/doc-model guard): refused whole, nothing stored. */
  layoutViolation: 4422,
  /** Too many requests: sync requests, presence, or held frames over their limits. */
  rateLimited: 4429,
  /** A frame over the size limit (ws closes with 1009 itself when maxPayload is exceeded). */
  frameTooLarge: 1009,
  /** Storing an update failed; the client reconnects and resends what it has. */
  storageFailed: 1011,
  /** The server could not check access just now (the database did not answer): reconnect later. */
  tryAgainLater: 1013,
  /** The server is shutting down. */
  goingAway: 1001,
  /**
   * This process handed the document over to another process that asked for it (docs/decisions/028): reconnect
   * (through the proxy, which routes the document there). Not a 44xx: the stock y-websocket client gives up on those.
   */
  handedOver: 1012,
} as const;

export const MAX_FRAME_BYTES = 1024 * 1024;
