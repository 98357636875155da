import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Db } from './client.ts';
import { migrateToLatest } from './migrate.ts';

/** A fresh, migrated libSQL file of its own; `cleanup` closes it and removes the folder. */
export async function createTestDb(options: { backgroundCheckpoints?: boolean } = {}): Promise<{ db: Db; path: string; url: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sopu-test-'));
  const path = join(dir, 'test.db');
  const url = `file:${path}`;
  const db = await createDb({ url, ...options });
  await migrateToLatest(db);
  return {
    db,
    path,
    url,
    cleanup: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
