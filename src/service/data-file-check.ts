/**
 * Before the service opens its SQLite files for good: are they SQLite files, and whole? A corrupt or
 * truncated state.db or vault.db is not something a restart mends, so `pwbridge run` stops with a
 * DataFileError (the CLI's exit status 65, which the systemd unit lists in RestartPreventExitStatus)
 * naming the file and the way to recover, instead of crashing later mid-write and being restarted in a loop.
 *
 * The check is SQLite's own `PRAGMA quick_check` (every page of every table and index is read; the
 * cross-checks of integrity_check are skipped): linear in the file's size, paid once per start.
 */
import * as fs from 'node:fs';
import type { DataPaths } from '../config/paths';
import { sqliteCode } from '../sqlite/database';
import { defaultSqliteDriver } from '../sqlite/drivers';

/** A data file the service cannot use as it is. The message says which and what to do. */
export class DataFileError extends Error {
  constructor(readonly file: string, problem: string, recovery: string) {
    super(`${file}: ${problem}. ${recovery}`);
    this.name = 'DataFileError';
  }
}

/** What the operator does about each file (docs/troubleshooting.md; docs/windows.md, "Recovery"). */
const RECOVERY: Record<'state' | 'vault', string> = {
  state: 'Stop pwbridge, move the file aside (with its -wal and -shm files) and start again: a new journal is made; '
    + 'changes it still held as pending are lost unless recovered with `sqlite3 FILE .recover`, and the next reconcile pass '
    + 'finds passwords that differ from the vault',
  vault: 'Stop pwbridge and restore the file (with its -wal file) from a backup, or recover what is readable with '
    + '`sqlite3 FILE .recover`; pwbridge does not start on a damaged vault because every write it makes there would build on it',
};

/** Result codes that mean the bytes are not a (whole) SQLite database. */
function isDamage(err: unknown): boolean {
  const code = sqliteCode(err) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/** Throws DataFileError when `file` exists and is not a sound SQLite database. A missing file passes (it is created). */
export function checkDataFile(file: string, role: 'state' | 'vault'): void {
  if (!fs.existsSync(file)) return;
  let problem: string | undefined;
  try {
    const db = defaultSqliteDriver().open(file);
    try {
      const rows = db.prepare('PRAGMA quick_check(3)').pluck().all() as string[];
      if (rows.length !== 1 || rows[0] !== 'ok') problem = `is damaged (SQLite's quick_check: ${rows.join('; ').slice(0, 300)})`;
    } finally {
      db.close();
    }
  } catch (err) {
    if (!isDamage(err)) throw err;
    problem = sqliteCode(err) === 'SQLITE_NOTADB'
      ? 'is not a SQLite database (its header is damaged or it was overwritten)'
      : `is damaged (${(err as Error).message})`;
  }
  if (problem) throw new DataFileError(file, problem, RECOVERY[role].replace('FILE', file));
}

/** Run `open`; a damaged file's SQLite error becomes a DataFileError naming it (for every command, not only run). */
export function openNamingDamage<T>(file: string, role: 'state' | 'vault', open: () => T): T {
  try {
    return open();
  } catch (err) {
    if (!isDamage(err)) throw err;
    throw new DataFileError(file, `is damaged (${(err as Error).message})`, RECOVERY[role].replace('FILE', file));
  }
}

/** Both of the service's SQLite files; the vault's only when it is embedded (a hub keeps its own). */
export function checkDataFiles(paths: DataPaths, embeddedVault: boolean): void {
  checkDataFile(paths.stateDb, 'state');
  if (embeddedVault) checkDataFile(paths.vaultDb, 'vault');
}
