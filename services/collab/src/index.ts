export { createCollabServer, type CollabServer, type CollabOptions, type CollabLog, type CollabMetrics, type Authorize, type ChangeFeed, type ConnectionGrant, type Denial } from './server.ts';
export { createCoreFeed } from './feed.ts';
export { MESSAGE_SOPU_EVENTS } from './protocol.ts';
export { createCoreAuthorizer } from './authorize.ts';
export { createDbDocumentStore, LeaseLost, type DocumentStore, type LoadedDocument, type PendingUpdate, type AppendBatch } from './store.ts';
export { CLOSE, MAX_FRAME_BYTES } from './close-codes.ts';
export { DEFAULT_LIMITS, type Limits } from './limits.ts';
export { Room, SERVER_ORIGIN } from './room.ts';
export { exitOnFatalError } from './fatal.ts';
