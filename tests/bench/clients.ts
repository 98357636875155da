// The benchmark's clients, the same for every server:
//  - `socketClass`: the `ws` WebSocket a real y-websocket `WebsocketProvider` is given (session cookie, Origin), and
//    for Hocuspocus a thin framing adapter (Hocuspocus prefixes every message with the document name, wants an Auth
//    message first, and answers with messages the stock client does not know: those are dropped).
//  - `LightClient`: a y-websocket protocol client on a raw socket for the load phases. It syncs once (so it has the
//    template), then types into its own Y.Doc; after the sync it does not apply its peers' updates (in a browser
//    each tab applies them on its own CPU, not on the load generator's), it only reads them off the socket. An
//    observer hands every update it receives to an `ArrivalTracker`, which knows when each edit was made.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { ORIGIN } from './common.ts';

export type Framing = 'y-websocket' | 'hocuspocus';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const HOCUSPOCUS_SYNC_REPLY = 4;

/** Hocuspocus's Auth message (type 2, token subtype 0): sent first for every document on a socket. */
export function hocuspocusAuth(documentName: string, token = ''): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, 0);
  encoding.writeVarString(e, token);
  return encoding.toUint8Array(e);
}

export function hocuspocusFrame(documentName: string, message: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeUint8Array(e, message);
  return encoding.toUint8Array(e);
}

/** A Hocuspocus frame as the stock y-websocket protocol, or null for Hocuspocus's own messages. */
export function hocuspocusUnframe(data: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(data);
  decoding.readVarString(decoder);
  const start = decoder.pos;
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_SYNC || type === MESSAGE_AWARENESS || type === MESSAGE_QUERY_AWARENESS) return data.subarray(start);
  if (type === HOCUSPOCUS_SYNC_REPLY) {
    // The server's SyncStep1 after its SyncStep2: the same as a sync message to a stock client.
    const out = data.slice(start);
    out[0] = MESSAGE_SYNC;
    return out;
  }
  return null; // Authenticated, SyncStatus (an acknowledgement of every update), Ping, …
}

const asBytes = (data: WebSocket.RawData): Uint8Array =>
  Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The WebSocket class a WebsocketProvider is given (`WebSocketPolyfill`). */
export function socketClass(cookie: string | undefined, framing: Framing) {
  const headers = { ...(cookie ? { cookie } : {}), origin: ORIGIN };
  if (framing === 'y-websocket') {
    return class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    };
  }
  return class HocuspocusSocket extends WebSocket {
    readonly #name: string;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
      this.#name = decodeURIComponent(String(url).split('/').pop() ?? '');
      // Registered before the provider's onopen: the Auth message goes first.
      this.on('open', () => super.send(hocuspocusAuth(this.#name)));
    }
    override send(data: Uint8Array, ...rest: unknown[]) {
      (super.send as (...args: unknown[]) => void)(hocuspocusFrame(this.#name, data), ...rest);
    }
    // Every 'message' (the provider's onmessage included) sees the stock protocol, or nothing.
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message') {
        const inner = hocuspocusUnframe(asBytes(args[0] as WebSocket.RawData));
        if (!inner) return true;
        const copy = inner.slice();
        args[0] = this.binaryType === 'arraybuffer' ? copy.buffer : Buffer.from(copy.buffer);
      }
      return super.emit(event, ...args);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** When each edit was made, and when each observer first saw it. */
export class ArrivalTracker {
  /** Per client id: its edits in order (clock after the edit, when it was made). */
  readonly #edits = new Map<number, Array<{ end: number; t0: number; first: number; seen: number }>>();
  /** Latency of each edit to the first observer that got it, and of every arrival at every observer. */
  readonly first: number[] = [];
  readonly all: number[] = [];
  /** epochMs of each edit's start, same order as `first`. */
  readonly starts: number[] = [];
  recording = true;

  constructor(readonly observers: number) {}

  made(client: number, end: number, t0: number) {
    let list = this.#edits.get(client);
    if (!list) this.#edits.set(client, (list = []));
    list.push({ end, t0, first: 0, seen: 0 });
  }

  /** Observer `index` received an update covering `to` (client → clock after). */
  arrived(index: number, positions: Map<number, number>, now: number, cursor: Map<number, number>) {
    for (const [client, to] of positions) {
      const list = this.#edits.get(client);
      if (!list) continue;
      let i = cursor.get(client) ?? 0;
      while (i < list.length && list[i]!.end <= to) {
        const edit = list[i]!;
        const latency = now - edit.t0;
        if (this.recording) this.all.push(latency);
        if (edit.first === 0) {
          edit.first = now;
          if (this.recording) {
            this.first.push(latency);
            this.starts.push(performance.timeOrigin + edit.t0);
          }
        }
        edit.seen++;
        i++;
      }
      cursor.set(client, i);
    }
  }

  /** Edits not seen by every observer. */
  missing(): number {
    let n = 0;
    for (const list of this.#edits.values()) for (const e of list) if (e.seen < this.observers) n++;
    return n;
  }

  reset() {
    this.first.length = 0;
    this.all.length = 0;
    this.starts.length = 0;
  }
}

interface LightOptions {
  cookie?: string | undefined;
  framing: Framing;
  /** Receives updates after the sync (an observer). */
  observer?: { tracker: ArrivalTracker; index: number };
  /** Send SyncStep1 on open and wait for the answer (false: an idle socket that only connects). */
  sync?: boolean;
}

/** A y-websocket protocol client on a raw socket (see the top of this file). */
export class LightClient {
  readonly ws: WebSocket;
  readonly doc = new Y.Doc();
  readonly opened: Promise<void>;
  readonly synced: Promise<void>;
  isSynced = false;
  closed = false;
  closeCode = 0;
  /** When the socket was created, opened, and when the sync answer arrived and was applied (performance.now()). */
  readonly t0 = performance.now();
  tOpen = 0;
  tAnswer = 0;
  tApplied = 0;
  #text: Y.XmlText | null = null;
  readonly #cursor = new Map<number, number>();

  constructor(
    url: string,
    readonly documentName: string,
    readonly options: LightOptions,
  ) {
    const framing = options.framing;
    this.ws = new WebSocket(framing === 'hocuspocus' ? url : `${url}/${documentName}`, { headers: { ...(options.cookie ? { cookie: options.cookie } : {}), origin: ORIGIN }, perMessageDeflate: false });
    let syncedResolve!: () => void;
    let fail!: (error: Error) => void;
    this.synced = new Promise<void>((resolve, reject) => {
      syncedResolve = resolve;
      fail = reject;
    });
    this.synced.catch(() => undefined);
    this.opened = new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => {
        this.tOpen = performance.now();
        if (framing === 'hocuspocus') this.ws.send(hocuspocusAuth(documentName));
        if (options.sync !== false) {
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep1(e, this.doc);
          this.#send(encoding.toUint8Array(e));
        }
        resolve();
      });
      this.ws.once('error', (error) => {
        reject(error);
        fail(error);
      });
    });
    this.opened.catch(() => undefined);
    this.ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      fail(new Error(`closed with ${code} before the sync`));
    });
    this.ws.on('message', (data) => {
      let bytes = asBytes(data);
      if (framing === 'hocuspocus') {
        const inner = hocuspocusUnframe(bytes);
        if (!inner) return;
        bytes = inner;
      }
      const decoder = decoding.createDecoder(bytes);
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        if (!this.isSynced || options.sync !== false) {
          // Answer the server's SyncStep1 as y-websocket does (with what this client has that the server lacks).
          const stateVector = decoding.readVarUint8Array(decoder);
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep2(e, this.doc, stateVector);
          this.#send(encoding.toUint8Array(e));
        }
        return;
      }
      const update = decoding.readVarUint8Array(decoder);
      if (step === syncProtocol.messageYjsSyncStep2 && !this.isSynced) {
        this.tAnswer = performance.now();
        Y.applyUpdate(this.doc, update, 'server');
        this.tApplied = performance.now();
        this.isSynced = true;
        syncedResolve();
        return;
      }
      const observer = options.observer;
      if (observer && this.isSynced) {
        const now = performance.now();
        observer.tracker.arrived(observer.index, Y.parseUpdateMeta(update).to, now, this.#cursor);
      }
    });
  }

  #send(message: Uint8Array) {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(this.options.framing === 'hocuspocus' ? hocuspocusFrame(this.documentName, message) : message);
  }

  /**
   * One keystroke at the end of this client's own paragraph (created in `section:<section>` on the first call),
   * sent as one update; reports it to the tracker.
   */
  type(section: string, tracker: ArrivalTracker | null) {
    const doc = this.doc;
    const t0 = performance.now();
    let update: Uint8Array | null = null;
    const listener = (u: Uint8Array) => (update = u);
    doc.on('update', listener);
    doc.transact(() => {
      if (!this.#text) {
        const fragment = doc.getXmlFragment(`section:${section}`);
        const paragraph = new Y.XmlElement('paragraph');
        this.#text = new Y.XmlText();
        paragraph.insert(0, [this.#text]);
        fragment.insert(fragment.length, [paragraph]);
      }
      this.#text.insert(this.#text.length, 'abcdefghij'[this.#text.length % 10]!);
    });
    doc.off('update', listener);
    if (!update) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
    this.#send(encoding.toUint8Array(e));
    tracker?.made(doc.clientID, Y.getState(doc.store, doc.clientID), t0);
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    this.doc.destroy();
  }
}
