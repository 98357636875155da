// Shared bits of the benchmark: messages between the parent and its child processes, statistics, formatting.

export const ORIGIN = 'http://sopu.test';

/** Child → parent, once listening. */
export interface ServerReady {
  type: 'ready';
  port: number;
  /** URL the y-websocket client is given; the room name (document id) is appended by the client. */
  wsUrl: string;
  documentId: string;
  /** Session cookies of users that may edit the document (ours only; empty for the plain server). */
  cookies: string[];
  description: string;
  /** How a client frames the y-websocket protocol for this server (Hocuspocus prefixes the document name). */
  framing?: 'y-websocket' | 'hocuspocus';
  /** Ours: a second document holding 10,000 stored keystrokes (open → synced); others open any name. */
  openDocumentId?: string;
  /** Ours: a third document for the idle connections. */
  idleDocumentId?: string;
}

/** Parent → child. */
export type ServerCommand =
  | { type: 'cpu'; id: number }
  | { type: 'stats'; id: number; reset?: boolean }
  | { type: 'profile-start'; id: number }
  | { type: 'profile-stop'; id: number; file: string }
  /** Heap and RSS after a full GC. */
  | { type: 'memory'; id: number }
  /** Is the document loaded in a room (in memory)? */
  | { type: 'loaded'; id: number; documentId: string }
  /** Unload every room nobody is connected to now, as the unload timer would later (ours). */
  | { type: 'unload'; id: number }
  /** Session cookies for `count` more sockets, one session each (ours). */
  | { type: 'sessions'; id: number; count: number }
  | { type: 'stop' };

/** Child → parent, answers to commands. */
export type ServerAnswer =
  | { type: 'cpu'; id: number; userMicros: number; systemMicros: number }
  | { type: 'stats'; id: number; stats: Record<string, number>; windows: Record<string, Array<[number, number]>> }
  | { type: 'profile-start'; id: number }
  | { type: 'profile-stop'; id: number }
  | { type: 'memory'; id: number; heapUsed: number; external: number; rss: number }
  | { type: 'loaded'; id: number; loaded: boolean }
  | { type: 'unload'; id: number }
  | { type: 'sessions'; id: number; cookies: string[] };

/** Nearest-rank percentile of already sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

export const ms = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Wall-clock milliseconds comparable between processes on this machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

/** This process's CPU time so far (user + system, all threads), ms. */
export const processCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
