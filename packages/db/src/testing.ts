import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Db } from './client.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * A fresh, migrated libSQL file of its own; `cleanup` closes it and removes the folder. With `copyOf`, the file starts
 * as a copy of that database file (checkpointed, so that the file holds everything): a fixture built once per suite.
 */
export async function createTestDb(options: { backgroundCheckpoints?: boolean; copyOf?: string } = {}): Promise<{ db: Db; path: string; url: string; cleanup: () => Promise<void> }> {
  const { copyOf, ...dbOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'sopu-test-'));
  const path = join(dir, 'test.db');
  const url = `file:${path}`;
  if (copyOf) copyFileSync(copyOf, path);
  const db = await createDb({ url, ...dbOptions });
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
