export { createCollabServer, type CollabServer, type CollabOptions, type Authorize, type ConnectionGrant, type Denial } from './server.ts';
export { createCoreAuthorizer } from './authorize.ts';
export { createDbDocumentStore, type DocumentStore, type LoadedDocument, type PendingUpdate } from './store.ts';
export { CLOSE, MAX_FRAME_BYTES } from './close-codes.ts';
export { Room } from './room.ts';
