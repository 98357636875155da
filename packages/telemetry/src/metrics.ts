import { timingSafeEqual, createHash } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), in a registry of its own (never prom-client's global one: two
 * servers in one test process must not share counters). Served at GET /metrics behind METRICS_TOKEN.
 */
export interface Metrics {
  registry: Registry;
  /** One HTTP request answered: its route pattern (never the raw path), method and status. */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
  /** What the collab server reports (services/collab's CollabMetrics has this shape). */
  collab: {
    stored(updates: number, seconds: number): void;
    relayed(messages: number): void;
    rechecked(sockets: number, seconds: number): void;
    handedOver(): void;
  };
  /** Reads the collab server's open connections and loaded rooms at each scrape. */
  observeCollab(read: () => { connections: number; rooms: number }): void;
  /** Reads the mail queue at each scrape (waiting to be sent, given up). */
  observeMail(read: () => Promise<{ queued: number; failed: number }>): void;
  /** Failed delivery attempts of one mail run. */
  mailFailures(count: number): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sopu_', eventLoopMonitoringPrecision: 10 });
  const registers = [registry];

  const httpRequests = new Counter({ name: 'sopu_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'] as const, registers });
  const httpSeconds = new Histogram({
    name: 'sopu_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (until its headers), by route pattern',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const stored = new Counter({ name: 'sopu_collab_updates_stored_total', help: 'Document updates committed by the collab server', registers });
  const relayed = new Counter({ name: 'sopu_collab_updates_relayed_total', help: 'Update messages sent to other clients after their commit', registers });
  const commitSeconds = new Histogram({
    name: 'sopu_collab_group_commit_seconds',
    help: 'Time of one group commit of a room (updates, audit events and client ids in one write)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  const recheckSeconds = new Histogram({
    name: 'sopu_collab_recheck_seconds',
    help: 'Time of one access re-check of a room\'s open sockets (session and membership)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const handovers = new Counter({ name: 'sopu_collab_handovers_total', help: 'Documents this process handed over to another process that asked for them', registers });
  const mailFailures = new Counter({ name: 'sopu_mail_delivery_failures_total', help: 'Mail delivery attempts that failed', registers });

  let readCollab: () => { connections: number; rooms: number } = () => ({ connections: 0, rooms: 0 });
  new Gauge({ name: 'sopu_collab_connections', help: 'Open collab WebSocket connections', registers, collect() { this.set(readCollab().connections); } });
  new Gauge({ name: 'sopu_collab_rooms', help: 'Documents loaded in collab rooms (each under this process\'s lease)', registers, collect() { this.set(readCollab().rooms); } });

  let readMail: () => Promise<{ queued: number; failed: number }> = async () => ({ queued: 0, failed: 0 });
  let mailRead: Promise<{ queued: number; failed: number }> | null = null;
  // Both gauges come from one query per scrape.
  const mail = () => (mailRead ??= readMail().finally(() => setImmediate(() => (mailRead = null))));
  new Gauge({ name: 'sopu_mail_queue_depth', help: 'Mail waiting to be sent (queued or retrying)', registers, async collect() { this.set((await mail()).queued); } });
  new Gauge({ name: 'sopu_mail_given_up', help: 'Mail given up after every attempt failed', registers, async collect() { this.set((await mail()).failed); } });

  return {
    registry,
    httpRequest(route, method, status, seconds) {
      httpRequests.inc({ route, method, status: String(status) });
      httpSeconds.observe({ route }, seconds);
    },
    collab: {
      stored(updates, seconds) {
        if (updates > 0) stored.inc(updates);
        commitSeconds.observe(seconds);
      },
      relayed(messages) {
        if (messages > 0) relayed.inc(messages);
      },
      rechecked(_sockets, seconds) {
        recheckSeconds.observe(seconds);
      },
      handedOver() {
        handovers.inc();
      },
    },
    observeCollab(read) {
      readCollab = read;
    },
    observeMail(read) {
      readMail = read;
    },
    mailFailures(count) {
      if (count > 0) mailFailures.inc(count);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/**
 * Whether an `Authorization` header carries the metrics token (`Bearer <token>`), compared in constant time (by
 * hashes of equal length, so that neither the token nor its length leaks through timing).
 */
export function hasMetricsToken(authorization: string | null | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(authorization ?? '');
  if (!match) return false;
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}
