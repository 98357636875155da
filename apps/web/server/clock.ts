import { readFileSync } from 'node:fs';

/**
 * The clock core's rules read. Normally `Date.now`; with SOPU_CLOCK_OFFSET_FILE (tests on a local URL only, see
 * env.ts) the real time plus the milliseconds written in that file, read at every reading (a few bytes from the page
 * cache; tests only), so that an end-to-end test lets a deadline pass by writing the file and nothing else: the next
 * request the server answers already runs on the new time, with no wait for a cache to expire. A missing or
 * unreadable file, or anything but an integer, means no offset.
 */
export function ruleClock(offsetFile: string | undefined): () => number {
  if (!offsetFile) return Date.now;
  return () => Date.now() + offsetIn(offsetFile);
}

function offsetIn(file: string): number {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return /^-?\d{1,15}$/.test(text) ? Number(text) : 0;
  } catch {
    return 0;
  }
}
