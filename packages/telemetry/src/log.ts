import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino from 'pino';

/**
 * Sopu's structured logs: one JSON object a line (pino), `info` and below on stdout, `warn` and above on stderr
 * (written through console.error, so that a test's "no unexpected console.error" catches a server's error too).
 * Every line written while a request is handled carries its request id (`reqId`), through the API, Remix and the
 * collab server alike: the id lives in an AsyncLocalStorage around the request's handling (withRequestId).
 *
 * What is logged is chosen at each call, never a request's body, headers or raw path (a path can hold an
 * invitation or unlock token): requests are logged by route pattern. The redaction below is a second line only.
 */
export type Logger = pino.Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LineSink {
  write(line: string): void;
}

export interface LoggerOptions {
  /** The process's part: `web`, `collab`, `ops`. */
  name: string;
  level?: LogLevel;
  /** Fields on every line (the collab instance id). */
  base?: Record<string, unknown>;
  /** Where `info` and below go (default: stdout, synchronously). */
  out?: LineSink;
  /** Where `warn` and above go (default: console.error, i.e. stderr). */
  err?: LineSink;
}

const requests = new AsyncLocalStorage<{ reqId: string }>();

/** Runs `fn` with `reqId` as the request id of every line logged inside it (its awaits and callbacks too). */
export function withRequestId<T>(reqId: string, fn: () => T): T {
  return requests.run({ reqId }, fn);
}

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.reqId;
}

/** An id a proxy we run may hand us (HAProxy's unique-id): letters, digits and a few separators, bounded. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{6,128}$/;

/**
 * The request id of an incoming request: the proxy's `X-Request-Id` when the proxy is ours (TRUST_PROXY) and the id
 * is well-formed, else a new one. A client's own header is never taken on trust: it could forge another request's id.
 */
export function requestIdOf(header: string | null | undefined, trustProxy: boolean): string {
  if (trustProxy && header && FORWARDED_ID.test(header)) return header;
  return randomUUID();
}

/** Fields that must never reach a log line, wherever a caller puts them. */
export const REDACTED_PATHS = [
  'password', '*.password', 'token', '*.token', 'cookie', '*.cookie', 'authorization', '*.authorization',
  'headers.cookie', 'headers.authorization', '*.headers.cookie', '*.headers.authorization', 'body', '*.body', 'statement', '*.statement',
];

const consoleErr: LineSink = { write: (line) => console.error(line.replace(/\n$/, '')) };

export function createLogger(options: LoggerOptions): Logger {
  const out = options.out ?? pino.destination({ fd: 1, sync: true });
  const err = options.err ?? consoleErr;
  const streams = pino.multistream(
    [
      { level: 'trace', stream: out },
      { level: 'warn', stream: err },
    ],
    { dedupe: true },
  );
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const store = requests.getStore();
        return store ? { reqId: store.reqId } : {};
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    streams,
  );
}

/** A logger that writes nothing (tests and tools that have no use for logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
