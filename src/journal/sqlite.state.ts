/**
 * The bridge's local state: one SQLite file (state.db) behind three small stores that share its handle.
 * WAL + synchronous=FULL (see openDatabase), so what a store has returned from survives a crash.
 */
import type { SqliteDatabase, SqliteDriver } from '../sqlite/database';
import { openDatabase } from '../sqlite/open-database';
import { SqliteEchoStore, type EchoStoreOptions } from './sqlite.echo';
import { SqliteEventOutbox, type EventOutboxOptions } from './sqlite.event-outbox';
import { SqliteJournal } from './sqlite.journal';
import { SqliteStateStore } from './sqlite.state-store';
import { STATE_MIGRATIONS } from './state-schema';
import { WriteBehind } from './write-behind';

export interface StateDbOptions extends EchoStoreOptions {
  /** Key for the echo store's HMAC (≥ 16 bytes). Not stored in state.db. */
  echoKey: Buffer;
  /** Clock for finished/updated times; tests inject it. */
  now?: () => number;
  /** The SQLite driver; absent, the one src/sqlite/drivers.ts picks. Tests run each driver. */
  sqlite?: SqliteDriver;
  /** Finished journal rows kept whatever their age (finished-cap.ts); absent, DEFAULT_KEEP_FINISHED. */
  keepFinished?: number;
  /** The event outbox's bound and drop report. */
  outbox?: EventOutboxOptions;
  /** A write-behind commit (journal marks, outbox rows) failed; its `writes` are queued again for a retry. */
  onWriteError?: (err: Error, writes: number) => void;
}

export interface StateDb {
  readonly journal: SqliteJournal;
  readonly echo: SqliteEchoStore;
  readonly state: SqliteStateStore;
  readonly outbox: SqliteEventOutbox;
  /** The shared handle, for callers that need a transaction across stores. */
  readonly db: SqliteDatabase;
  close(): void;
}

export function openStateDb(path: string, options: StateDbOptions): StateDb {
  const db = openDatabase(path, STATE_MIGRATIONS, options.sqlite);
  try {
    const now = options.now ?? Date.now;
    // One write-behind for the stores whose rows may land a few ms late, so they share each commit.
    const writes = new WriteBehind(db, { onError: options.onWriteError });
    const journal = new SqliteJournal(db, now, writes, options.keepFinished);
    return {
      db,
      journal,
      outbox: new SqliteEventOutbox(db, writes, options.outbox),
      echo: new SqliteEchoStore(db, options.echoKey, options),
      state: new SqliteStateStore(db, now),
      close: () => {
        if (!db.open) return;
        journal.flushMarks();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

export { SqliteJournal } from './sqlite.journal';
export { SqliteEchoStore } from './sqlite.echo';
export { SqliteStateStore } from './sqlite.state-store';
export { SqliteEventOutbox } from './sqlite.event-outbox';
