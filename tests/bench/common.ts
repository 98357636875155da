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
}

/** Parent → child. */
export type ServerCommand =
  | { type: 'cpu'; id: number }
  | { type: 'stats'; id: number; reset?: boolean }
  | { type: 'profile-start'; id: number }
  | { type: 'profile-stop'; id: number; file: string }
  | { type: 'stop' };

/** Child → parent, answers to commands. */
export type ServerAnswer =
  | { type: 'cpu'; id: number; userMicros: number; systemMicros: number }
  | { type: 'stats'; id: number; stats: Record<string, number>; windows: Record<string, Array<[number, number]>> }
  | { type: 'profile-start'; id: number }
  | { type: 'profile-stop'; id: number };

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
