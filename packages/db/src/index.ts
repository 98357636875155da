export * from './schema.ts';
export { checkpointerOf, createDb, normaliseDatabaseUrl, type Db, type DbOptions } from './client.ts';
export type { Checkpointer } from './checkpointer.ts';
export { isMigrated, latestMigrationName, migrateToLatest } from './migrate.ts';
export { createTestDb } from './testing.ts';
export { nativeStatements, type NativeStatements, type NativeRun, type NativeValue } from './native.ts';
export { sql, type Transaction, type Kysely } from 'kysely';
export { BACKUP_MAGIC, BackupRefused, databaseFile, restoreBackup, verifyBackup, writeBackup, type BackupHeader } from './backup.ts';
