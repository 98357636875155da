import { readFileSync } from 'node:fs';

/**
 * The clock core's rules read. Normally `Date.now`; with SOPU_CLOCK_OFFSET_FILE (tests on a local URL only, see
 * env.ts) the real time plus the milliseconds written in that file, re-read at most every 100 ms, so that an
 * end-to-end test can let a deadline pass. A missing or unreadable file, or anything but an integer, means no offset.
 */
export function ruleClock(offsetFile: string | undefined): () => number {
  if (!offsetFile) return Date.now;
  let offset = 0;
  let readAt = -Infinity;
  return () => {
    const now = Date.now();
    if (now - readAt >= 100) {
      readAt = now;
      try {
        const text = readFileSync(offsetFile, 'utf8').trim();
        offset = /^-?\d{1,15}$/.test(text) ? Number(text) : 0;
      } catch {
        offset = 0;
      }
    }
    return now + offset;
  };
}
