import { sql, type Db } from '@sopu/db';
import { sectionFragment, sectionsMap } from '@sopu/doc-model';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;

function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * A raw y-websocket client on a real socket: it sends exactly the frames a test asks for (no client-side checks),
 * keeps the document the server sends, and counts the data frames it receives.
 */
export class RoomClient {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  /** Every frame received (sync, awareness): a refused socket must receive none. */
  frames = 0;
  /** Sync step 2 answers received: each is the reply to one of our sync step 1 frames. */
  #answers = 0;
  #waiters: Array<() => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    // A refusal closes at once; nobody may wait on `opened` then.
    this.opened.catch(() => {});
    this.ws.on('message', (data: Buffer) => {
      this.frames++;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), 'server');
      if (step === syncProtocol.messageYjsSyncStep2) {
        this.#answers++;
        for (const wake of this.#waiters.splice(0)) wake();
      }
    });
  }

  /**
   * Sends sync step 1 and waits for the server's step 2. The server answers only once everything it applied before
   * is stored, so after this returns an update sent earlier is either in the database or was refused.
   */
  async roundTrip(): Promise<void> {
    const want = this.#answers + 1;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.ws.send(encoding.toUint8Array(encoder));
    await within(
      new Promise<void>((resolve) => {
        const check = () => (this.#answers >= want ? resolve() : this.#waiters.push(check));
        check();
      }),
      10_000,
      'the sync step 2 answer',
    );
  }

  /** A paragraph added to the first section, sent as a y-websocket update frame. */
  sendEdit(): void {
    const key = [...sectionsMap(this.doc).keys()][0];
    if (key === undefined) throw new Error('the document has no section to edit');
    const before = Y.encodeStateVector(this.doc);
    const fragment = sectionFragment(this.doc, key);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('matrix')]);
    fragment.insert(fragment.length, [paragraph]);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(this.doc, before));
    this.ws.send(encoding.toUint8Array(encoder));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    await within(this.closed, 10_000, 'the socket to close');
    this.doc.destroy();
  }

  /** Waits for the server to close the socket (a refusal). */
  closedWithin(ms: number): Promise<{ code: number; reason: string }> {
    return within(this.closed, ms, 'the server to close the socket');
  }
}

/** The last stored update of a document, in the log or folded into its snapshot: it grows with every stored update. */
export async function lastSeq(db: Db, documentId: string): Promise<number> {
  const { rows } = await sql<{ seq: number | null }>`
    SELECT max(coalesce((SELECT max(seq) FROM doc_updates WHERE document_id = ${documentId}), 0),
               coalesce((SELECT seq FROM doc_snapshots WHERE document_id = ${documentId}), 0)) AS seq`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}
