import { latestFeedId, readFeedAfter, type FeedSignal } from '@sopu/core';
import type { Db } from '@sopu/db';
import type { ChangeFeed } from './server.ts';

/** The production change feed: core's feed_events table, woken by the process's own signal. */
export function createCoreFeed(db: Db, signal: FeedSignal): ChangeFeed {
  return {
    latest: () => latestFeedId(db),
    readAfter: (afterId) => readFeedAfter(db, afterId),
    wait: (ms) => signal.wait(ms),
  };
}
