/**
 * Runs `work` now and then every `intervalMs`, never two at once (a slow run delays the next instead of overlapping
 * it). The timer does not keep the process alive; `stop` waits for a run in progress.
 */
export function every(intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = work()
      .then(() => undefined, onError)
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
