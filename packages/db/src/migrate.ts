import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '@sopu/migrations';
import type { Db } from './client.ts';

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, { cause: result.error });
  }
}

/** The name of the newest migration this code knows. */
export function latestMigrationName(): string {
  return Object.keys(migrations).sort().at(-1) ?? '';
}

/**
 * Whether the database answers and is migrated to the newest migration this code knows (what a process checks
 * before it says it is ready). Never throws: a database that does not answer is simply not ready.
 */
export async function isMigrated(db: Db): Promise<boolean> {
  try {
    const row = await db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never, 'desc').limit(1).executeTakeFirst();
    return (row as { name?: string } | undefined)?.name === latestMigrationName();
  } catch {
    return false;
  }
}
