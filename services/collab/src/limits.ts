import { MAX_FRAME_BYTES } from './close-codes.ts';

/** Every bound the collab server keeps per connection, in one place; each is tested, each closes with a code. */
export interface Limits {
  /** One WebSocket frame (ws closes with 1009 above it). */
  maxFrameBytes: number;
  /** Frames kept while the room loads, before they can be handled. */
  maxEarlyFrames: number;
  maxEarlyBytes: number;
  /**
   * A socket's unsent data, and the updates kept for it while its first sync answer is due; above it the socket is
   * dropped as too slow (its client resyncs on reconnect).
   */
  maxBufferedBytes: number;
  /** Updates held because they start after what the document has (the missing part is still on its way). */
  maxHeldUpdates: number;
  maxHeldBytes: number;
  /** Sync requests (SyncStep1, awareness queries): each makes the server encode the document for the asker. */
  syncRequests: { burst: number; perSecond: number };
  /**
   * Presence (awareness) per connection: client ids it may own, size of one state, states applied per second; and
   * how long the room holds renewals (a client re-sending an unchanged state, every 15 s, so that its peers do not
   * drop it after 30 s) to relay them together (decision 005; 0 relays each at once). Under 15 s, so a peer hears of
   * each state within 30 s.
   */
  presence: { maxIds: number; maxStateBytes: number; burst: number; perSecond: number; renewalRelayMs: number };
}

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxEarlyFrames: 64,
  maxEarlyBytes: 2 * MAX_FRAME_BYTES,
  maxBufferedBytes: 16 * MAX_FRAME_BYTES,
  maxHeldUpdates: 32,
  maxHeldBytes: 2 * MAX_FRAME_BYTES,
  syncRequests: { burst: 5, perSecond: 0.5 },
  presence: { maxIds: 4, maxStateBytes: 4096, burst: 30, perSecond: 20, renewalRelayMs: 5_000 },
};

/** A token bucket on an injected clock: `take()` is false when the rate is exceeded. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    private readonly rate: { burst: number; perSecond: number },
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = rate.burst;
    this.#at = now();
  }

  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.rate.perSecond) * 1000);
  }

  #refill() {
    const t = this.now();
    this.#tokens = Math.min(this.rate.burst, this.#tokens + ((t - this.#at) / 1000) * this.rate.perSecond);
    this.#at = t;
  }
}
