import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** The y-websocket protocol's message types (y-websocket, y-protocols). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Sopu's own message: a client that sends it (payload: varUint 0) subscribes to the document's change events
 * (comment threads, the person's notifications); the server then sends it `{ events: [...] }` as a varString of
 * JSON. A stock y-websocket client never subscribes, so it never receives one.
 */
export const MESSAGE_SOPU_EVENTS = 100;

export type Message =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' }
  | { type: 'subscribe-events' };

/** A frame that is not the y-websocket protocol. */
export class InvalidFrame extends Error {}

/** Reads one frame; throws InvalidFrame for anything else. Never applies anything. */
export function readMessage(bytes: Uint8Array): Message {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) {
          Y.decodeStateVector(payload); // throws on a state vector Yjs cannot read
          return { type: 'sync-step1', stateVector: payload };
        }
        if (step === syncProtocol.messageYjsSyncStep2) return { type: 'sync-step2', update: payload };
        if (step === syncProtocol.messageYjsUpdate) return { type: 'update', update: payload };
        throw new InvalidFrame(`unknown sync step ${step}`);
      }
      case MESSAGE_AWARENESS:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MESSAGE_QUERY_AWARENESS:
        return { type: 'query-awareness' };
      case MESSAGE_AUTH:
        return { type: 'auth' };
      case MESSAGE_SOPU_EVENTS: {
        const op = decoding.readVarUint(decoder);
        if (op !== 0) throw new InvalidFrame(`unknown events operation ${op}`);
        return { type: 'subscribe-events' };
      }
      default:
        throw new InvalidFrame(`unknown message type ${type}`);
    }
  } catch (error) {
    throw error instanceof InvalidFrame ? error : new InvalidFrame(String(error));
  }
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Message = (doc: Y.Doc) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(e, doc);
  });

export const syncStep2Message = (doc: Y.Doc, stateVector: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeSyncStep2(e, doc, stateVector);
  });

export const updateMessage = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
  });

export const awarenessMessage = (awarenessUpdate: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });

/** Change events for a subscribed client: which threads changed, whether the person has new notifications. */
export const eventsMessage = (events: Array<{ kind: string; threadId?: string }>) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_SOPU_EVENTS);
    encoding.writeVarString(e, JSON.stringify({ events }));
  });
