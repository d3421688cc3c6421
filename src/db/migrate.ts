import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';

/** The one ordered folder of migrations: files named `NNNN_description.ts`, applied in name order. */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
type AnyDb = Kysely<any>;
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.ts$/;

class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const names = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of names) {
      const module = (await import(path.join(MIGRATIONS_DIR, file))) as Migration;
      if (typeof module.up !== 'function') throw new Error(`migration ${file} has no up()`);
      migrations[file.replace(/\.ts$/, '')] = module;
    }
    return migrations;
  }
}

function migrator(db: AnyDb): Migrator {
  return new Migrator({ db, provider: new FolderMigrationProvider() });
}

/** Apply every pending migration in order; throws with the failing migration's name on error. */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations in the folder that the database has not applied yet. */
export async function pendingMigrations(db: AnyDb): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
