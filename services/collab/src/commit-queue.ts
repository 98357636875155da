import type { AppendBatch, PendingUpdate } from './store.ts';

/**
 * Group commit: whatever a room queues while one commit runs goes into the next one. A batch is handed to
 * `onStored` only after `write` resolved (persist before broadcast). When a write fails, the queue stops for good:
 * what is queued is dropped (never relayed), every waiter resolves with `false`, and `onFailed` is told once.
 */
export class CommitQueue<U extends PendingUpdate> {
  #afterSeq: number;
  #updates: U[] = [];
  #audit: AppendBatch['audit'] = [];
  #clients: AppendBatch['clients'] = [];
  #notifications: NonNullable<AppendBatch['notifications']> = [];
  #waiters: Array<(stored: boolean) => void> = [];
  #scheduled = false;
  /** A batch was written at once in this event-loop turn: later ones in the turn are grouped (#schedule). */
  #turnStarted = false;
  /** When the last batch began to be written (the queue's clock), -Infinity before the first. */
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  #writing = false;
  #failed = false;

  constructor(
    afterSeq: number,
    private readonly write: (batch: AppendBatch) => Promise<void>,
    private readonly onStored: (updates: U[], lastSeq: number) => void,
    private readonly onFailed: (error: unknown) => void,
    /** Within this many ms of the last write the room counts as busy, and every batch is grouped (#schedule). */
    private readonly busyWindowMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#afterSeq = afterSeq;
  }

  /** The sequence number of the last stored update. */
  get lastSeq() {
    return this.#afterSeq;
  }

  get failed() {
    return this.#failed;
  }

  /** Nothing queued and nothing being written: the room's document is exactly what is stored. */
  get idle() {
    return !this.#writing && this.#updates.length === 0 && this.#audit.length === 0 && this.#clients.length === 0 && this.#notifications.length === 0;
  }

  push(update: U) {
    if (this.#failed) return;
    this.#updates.push(update);
    this.#schedule();
  }

  pushAudit(event: AppendBatch['audit'][number]) {
    if (this.#failed) return;
    this.#audit.push(event);
    this.#schedule();
  }

  pushClient(client: AppendBatch['clients'][number]) {
    if (this.#failed) return;
    this.#clients.push(client);
    this.#schedule();
  }

  pushNotification(event: NonNullable<AppendBatch['notifications']>[number]) {
    if (this.#failed) return;
    this.#notifications.push(event);
    this.#schedule();
  }

  /** Resolves true once everything queued before the call is stored, or false if storing failed. */
  whenStored(): Promise<boolean> {
    if (this.#failed) return Promise.resolve(false);
    if (this.idle) return Promise.resolve(true);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * In a quiet room the first batch of an event-loop turn is written at once (a microtask: right after the frame that
   * made it, before the loop handles other sockets' frames); what comes later in the same turn waits for the check
   * phase and goes together (group commit). Waiting for the check phase every time put an edit that arrived among many
   * other frames (a burst of presence echoes) behind all of them before it was even stored. In a busy room (a batch
   * written within `busyWindowMs`) every batch waits for the check phase: writing and relaying the turn's first update
   * alone would make every other update read in that turn wait for a whole relay to every socket, and relay twice
   * (decision 005).
   */
  #schedule() {
    if (this.#scheduled || this.#writing || this.#failed) return;
    this.#scheduled = true;
    if (this.#turnStarted || this.now() - this.#lastWriteAt < this.busyWindowMs) {
      setImmediate(() => void this.#flush());
      return;
    }
    this.#turnStarted = true;
    setImmediate(() => (this.#turnStarted = false));
    queueMicrotask(() => void this.#flush());
  }

  async #flush() {
    this.#scheduled = false;
    if (this.#failed) return;
    const updates = this.#updates.splice(0);
    const batch: AppendBatch = { afterSeq: this.#afterSeq, updates, audit: this.#audit.splice(0), clients: this.#clients.splice(0), notifications: this.#notifications.splice(0) };
    // Waiters so far wait for exactly this batch (and what was written before it).
    const waiters = this.#waiters.splice(0);
    this.#writing = true;
    this.#lastWriteAt = this.now();
    try {
      await this.write(batch);
    } catch (error) {
      this.#writing = false;
      this.#fail(error, waiters);
      return;
    }
    this.#writing = false;
    this.#afterSeq += updates.length;
    this.onStored(updates, this.#afterSeq);
    for (const resolve of waiters) resolve(true);
    if (!this.idle) this.#schedule();
    else for (const resolve of this.#waiters.splice(0)) resolve(true);
  }

  #fail(error: unknown, waiters: Array<(stored: boolean) => void>) {
    this.#failed = true;
    this.#updates = [];
    this.#audit = [];
    this.#clients = [];
    this.#notifications = [];
    for (const resolve of [...waiters, ...this.#waiters.splice(0)]) resolve(false);
    this.onFailed(error);
  }
}
