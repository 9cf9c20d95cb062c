/**
 * Opening a pwbridge SQLite file the same way everywhere (vault.db and state.db): private file mode,
 * WAL, synchronous=FULL, foreign keys, and the schema brought up to date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_VERSION_DDL, type Migration } from '../sql/migration';
import type { SqliteDatabase, SqliteDriver } from './database';
import { defaultSqliteDriver } from './drivers';

/** `driver`: the SQLite driver to open with; absent, the one src/sqlite/drivers.ts picks for this Node. */
export function openDatabase(file: string, migrations: Migration[], driver: SqliteDriver = defaultSqliteDriver()): SqliteDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Create the file ourselves at 0600: SQLite gives the -wal and -shm files the main file's mode, so
  // this keeps all three private (they hold usernames and sealed blobs) whatever the umask is.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const db = driver.open(file);
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a transaction is durable once COMMIT returns, even across power loss (the journal acks
    // captures on that promise; the vault applies events exactly once on it).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Another handle (the CLI while the service runs) may hold the write lock briefly.
    db.pragma('busy_timeout = 5000');
    runMigrations(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Apply each migration newer than the file's schema_version, each in its own transaction. */
export function runMigrations(db: SqliteDatabase, file: string, migrations: Migration[]): void {
  db.exec(SCHEMA_VERSION_DDL);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new Error(`${file} has schema version ${current}, newer than this pwbridge knows (${latest}); upgrade pwbridge`);
  }
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.version, m.name, Date.now());
      });
    } catch (err) {
      throw new Error(`${file}: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
  }
}
