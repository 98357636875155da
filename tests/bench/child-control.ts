// The IPC side of a server child process: CPU time, stats, on-demand CPU profiles (only of the measured phase,
// through the inspector, so that start-up and module loading stay out of them), and stop.
import { writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname } from 'node:path';
import type { ServerAnswer, ServerCommand } from './common.ts';

export interface ChildStats {
  stats: Record<string, number>;
  /** Time windows [start, end] (epochMs) of what the server was busy with, e.g. re-check bursts. */
  windows: Record<string, Array<[number, number]>>;
}

export interface ChildHandlers {
  stats: (reset: boolean) => Promise<ChildStats>;
  stop: () => Promise<void>;
  loaded?: (documentId: string) => Promise<boolean>;
  unload?: () => Promise<void>;
  sessions?: (count: number) => Promise<string[]>;
}

export function serveParent(handlers: ChildHandlers) {
  let session: Session | null = null;
  // How long the event loop was blocked (a 10 ms timer's lateness): anything here delays every socket of the server.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const reply = (answer: ServerAnswer) => process.send!(answer);
  process.on('message', (message: ServerCommand) => {
    void (async () => {
      if (message.type === 'cpu') {
        const usage = process.cpuUsage();
        reply({ type: 'cpu', id: message.id, userMicros: usage.user, systemMicros: usage.system });
      } else if (message.type === 'stats') {
        const { stats, windows } = await handlers.stats(message.reset ?? false);
        reply({ type: 'stats', id: message.id, stats: { ...stats, loopDelayP99: loopDelay.percentile(99) / 1e6, loopDelayMax: loopDelay.max / 1e6 }, windows });
        if (message.reset) loopDelay.reset();
      }
      else if (message.type === 'profile-start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        reply({ type: 'profile-start', id: message.id });
      } else if (message.type === 'profile-stop') {
        if (session) {
          const { profile } = await session.post('Profiler.stop');
          mkdirSync(dirname(message.file), { recursive: true });
          writeFileSync(message.file, JSON.stringify(profile));
          session.disconnect();
          session = null;
        }
        reply({ type: 'profile-stop', id: message.id });
      } else if (message.type === 'memory') {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        await new Promise((resolve) => setImmediate(resolve));
        gc?.();
        const m = process.memoryUsage();
        reply({ type: 'memory', id: message.id, heapUsed: m.heapUsed, external: m.external, rss: m.rss });
      } else if (message.type === 'loaded') {
        reply({ type: 'loaded', id: message.id, loaded: (await handlers.loaded?.(message.documentId)) ?? true });
      } else if (message.type === 'unload') {
        await handlers.unload?.();
        reply({ type: 'unload', id: message.id });
      } else if (message.type === 'sessions') {
        reply({ type: 'sessions', id: message.id, cookies: (await handlers.sessions?.(message.count)) ?? [] });
      } else if (message.type === 'stop') await handlers.stop();
    })().catch((error) => {
      console.error(error);
      process.exit(1);
    });
  });
  process.on('disconnect', () => process.exit(1));
}

/**
 * BENCH_TRACE=1: time inside the server process from an update frame's arrival (ws 'message') to the first send of
 * an update message, per edit (only for frames that carry a sync update). Patches the `ws` prototype of this process.
 */
export interface Traced {
  /** Durations (ms) of every traced edit, emptied by the call. */
  (): number[];
  /** The slow traced edits (start and end, epoch ms) and the garbage collections meanwhile, emptied by the call. */
  slow(thresholdMs: number): { edits: Array<[number, number]>; handled: number[]; gc: Array<[number, number]> };
}

export async function traceUpdates(): Promise<Traced> {
  const samples: Array<[number, number, number]> = [];
  const gc: Array<[number, number]> = [];
  const durations = () => samples.splice(0).map(([a, b]) => b - a);
  const slow = (threshold: number) => ({
    edits: samples.filter(([a, b]) => b - a >= threshold).map(([a, b]) => [performance.timeOrigin + a, performance.timeOrigin + b] as [number, number]),
    /** How long the frame's own 'message' handlers ran (synchronously), per slow edit. */
    handled: samples.filter(([a, b]) => b - a >= threshold).map(([, , h]) => h),
    gc: gc.splice(0),
  });
  if (process.env.BENCH_TRACE !== '1') return Object.assign(durations, { slow });
  const { PerformanceObserver } = await import('node:perf_hooks');
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push([performance.timeOrigin + e.startTime, performance.timeOrigin + e.startTime + e.duration]);
  }).observe({ entryTypes: ['gc'] });
  const { WebSocket } = await import('ws');
  const proto = WebSocket.prototype as unknown as { emit: (...a: unknown[]) => boolean; send: (...a: unknown[]) => void };
  let pending = 0;
  let handled = 0;
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: unknown, ...args: unknown[]) {
    if (event === 'message') {
      const raw = args[0];
      const data = raw instanceof ArrayBuffer ? new Uint8Array(raw) : (raw as Uint8Array);
      // y-websocket update: [0 sync][2 update]; Hocuspocus is not traced.
      if (data && data[0] === 0 && data[1] === 2 && pending === 0) {
        pending = performance.now();
        const result = emit.call(this, event, ...args);
        handled = performance.now() - pending;
        return result;
      }
    }
    return emit.call(this, event, ...args);
  };
  const send = proto.send;
  proto.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
    const bytes = data as Uint8Array;
    if (pending !== 0 && bytes && bytes[0] === 0 && bytes[1] === 2) {
      samples.push([pending, performance.now(), handled]);
      pending = 0;
    }
    return send.call(this, data, ...rest);
  };
  return Object.assign(durations, { slow });
}
