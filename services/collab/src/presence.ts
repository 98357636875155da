import { caretLabel, CARET_USER_FIELD, CURSOR_FIELD, PRESENCE_FIELD, type PresenceIdentity } from '@sopu/doc-model';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { TokenBucket, type Limits } from './limits.ts';
import { InvalidFrame } from './protocol.ts';

/** What the presence policy keeps per connection. */
export interface PresencePeer {
  identity: PresenceIdentity;
  readOnly: boolean;
  /** Awareness client ids this connection owns. */
  presenceIds: Set<number>;
  presenceBucket?: TokenBucket;
  /** The latest state per id that arrived over the rate, applied when the rate allows. */
  presenceDeferred?: Map<number, Entry>;
  presenceTimer?: NodeJS.Timeout | undefined;
}

interface Entry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown) => isRecord(value) && Number.isSafeInteger(value.client) && Number.isSafeInteger(value.clock) && Object.keys(value).length === 2;

/** A y-prosemirror relative position as JSON (relativePositionToJSON): only these keys, of these types. */
function isRelativePosition(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'type' || key === 'item') {
      if (v !== null && v !== undefined && !isId(v)) return false;
    } else if (key === 'tname') {
      if (v !== null && v !== undefined && !(typeof v === 'string' && v.length <= 100)) return false;
    } else if (key === 'assoc') {
      if (!Number.isSafeInteger(v)) return false;
    } else return false;
  }
  return true;
}

function cursorOf(value: unknown): { anchor: unknown; head: unknown } | undefined {
  if (!isRecord(value) || !isRelativePosition(value.anchor) || !isRelativePosition(value.head)) return undefined;
  return { anchor: value.anchor, head: value.head };
}

/**
 * Presence is per connection: a connection speaks only for the awareness client ids it owns (the first few it
 * uses that nobody else owns), each state is bounded in size, states are applied at a bounded rate (the latest
 * wins when over it), and who a person is (name, municipality, role, read-only, colour) is set here from the
 * session, never taken from the client. Entries for other ids are dropped silently: the stock y-websocket client
 * echoes every awareness change it sees, its peers' included.
 */
export class PresencePolicy {
  readonly #owners = new Map<number, PresencePeer>();

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly limits: Limits['presence'],
    private readonly isSection: (key: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Handles one awareness frame of `peer`. Throws InvalidFrame when the bytes are not an awareness update. */
  receive(peer: PresencePeer, update: Uint8Array): void {
    const entries: Entry[] = [];
    try {
      const decoder = decoding.createDecoder(update);
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) {
        const clientId = decoding.readVarUint(decoder);
        const clock = decoding.readVarUint(decoder);
        // Read as bytes: a foreign or oversized state is skipped without decoding its text.
        const bytes = decoding.readVarUint8Array(decoder);
        const entry = this.#entry(peer, clientId, clock, bytes);
        if (entry) entries.push(entry);
      }
    } catch (error) {
      throw new InvalidFrame(`awareness: ${String(error)}`);
    }
    if (entries.length === 0) return;
    peer.presenceBucket ??= new TokenBucket(this.limits, this.now);
    if (peer.presenceBucket.take()) {
      this.#apply(peer, entries);
      return;
    }
    peer.presenceDeferred ??= new Map();
    for (const entry of entries) peer.presenceDeferred.set(entry.clientId, entry);
    if (!peer.presenceTimer) {
      peer.presenceTimer = setTimeout(() => {
        peer.presenceTimer = undefined;
        const deferred = [...(peer.presenceDeferred?.values() ?? [])];
        peer.presenceDeferred?.clear();
        if (deferred.length > 0 && [...deferred].some((e) => this.#owners.get(e.clientId) === peer)) {
          peer.presenceBucket?.take();
          this.#apply(peer, deferred);
        }
      }, Math.max(10, peer.presenceBucket.waitMs()));
    }
  }

  /** Removes everything a leaving connection said, for everyone. */
  leave(peer: PresencePeer) {
    clearTimeout(peer.presenceTimer);
    peer.presenceDeferred?.clear();
    const ids = [...peer.presenceIds];
    for (const id of ids) if (this.#owners.get(id) === peer) this.#owners.delete(id);
    peer.presenceIds.clear();
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
  }

  #entry(peer: PresencePeer, clientId: number, clock: number, bytes: Uint8Array): Entry | null {
    const owner = this.#owners.get(clientId);
    if (owner !== undefined && owner !== peer) return null;
    if (bytes.byteLength > this.limits.maxStateBytes) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return null;
    }
    if (raw !== null && !isRecord(raw)) return null;
    if (owner === undefined) {
      // A removal of an id nobody owns says nothing; a new id is claimed only within the cap.
      if (raw === null || peer.presenceIds.size >= this.limits.maxIds) return null;
      this.#owners.set(clientId, peer);
      peer.presenceIds.add(clientId);
    }
    return { clientId, clock, state: raw === null ? null : this.#sanitise(peer, raw) };
  }

  /** The state as the server lets everyone see it: identity from the session, a valid section, a well-formed caret. */
  #sanitise(peer: PresencePeer, raw: Record<string, unknown>): Record<string, unknown> {
    const claimed = isRecord(raw[PRESENCE_FIELD]) ? raw[PRESENCE_FIELD].section : null;
    const section = typeof claimed === 'string' && this.isSection(claimed) ? claimed : null;
    const state: Record<string, unknown> = {
      [PRESENCE_FIELD]: { ...peer.identity, readOnly: peer.readOnly, section },
      [CARET_USER_FIELD]: { name: caretLabel(peer.identity), color: peer.identity.colour },
    };
    const cursor = cursorOf(raw[CURSOR_FIELD]);
    if (cursor) state[CURSOR_FIELD] = cursor;
    return state;
  }

  #apply(peer: PresencePeer, entries: Entry[]) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(encoder, entry.clientId);
      encoding.writeVarUint(encoder, entry.clock);
      encoding.writeVarString(encoder, JSON.stringify(entry.state));
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), peer);
  }
}
