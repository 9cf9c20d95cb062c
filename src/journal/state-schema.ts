/**
 * Schema of the bridge's local state file (state.db): the journal, the echo store, reconcile memos and
 * settings. Local to one machine, never shared with the hub, so SQLite-only features are fine here
 * (AUTOINCREMENT keeps journal seq numbers from ever being reused, even after purges).
 */
import type { Migration } from '../sql/migration';

export const STATE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'journal, echo, reconcile memos, settings',
    sql: `
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  machine TEXT NOT NULL,
  account TEXT NOT NULL,
  account_key TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  captured_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  encoding INTEGER NOT NULL CHECK (encoding IN (1, 2)),
  -- the CHANGE frame's sealed part, byte for byte; emptied once the entry is done or superseded
  sealed BLOB NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'superseded', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  outcome TEXT,
  finished_at INTEGER
);
-- Both indexes hold pending rows only: an entry leaves them when it is finished, so they stay as small as
-- the backlog however long the journal grows, and every insert and mark touches little.
-- due() and depth():
CREATE INDEX journal_due ON journal (next_attempt_at, seq) WHERE state = 'pending';
-- pendingFor(account):
CREATE INDEX journal_account ON journal (account_key, seq) WHERE state = 'pending';

CREATE TABLE echo (
  hash BLOB PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX echo_expiry ON echo (expires_at);

CREATE TABLE reconcile_memo (
  credential_id INTEGER PRIMARY KEY,
  vault_version INTEGER NOT NULL,
  local_fingerprint TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('match', 'mismatch', 'set', 'failed')),
  checked_at INTEGER NOT NULL
);

CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'event outbox',
    sql: `
-- Events on their way to the vault's event log (src/journal/sqlite.event-outbox.ts): written here first,
-- delivered in seq order, deleted once the vault took them. One row per commit, holding the events
-- recorded since the last one (a JSON array), so an event costs no statement of its own. AUTOINCREMENT:
-- delivery remembers the last seq the vault took, and a seq reused after the table ran empty would hide
-- behind it.
CREATE TABLE event_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  -- EventRecord[] as JSON, each with its uid (the vault stores a uid once per machine, so a delivery
  -- repeated after a crash is harmless); no password, token or key is ever in an event
  events TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count > 0),
  -- > 0: this row's one event stands for that many events dropped to keep the outbox bounded
  dropped INTEGER NOT NULL DEFAULT 0
);
`,
  },
  {
    version: 3,
    name: 'conflicted captures',
    sql: `
-- A capture the vault refused as a conflict is kept, sealed, in state 'conflicted' until a person resolves
-- the conflict on the hub (src/service/conflict-resolutions.ts): "take the machine's" sends it again
-- (state back to 'pending' with resend = 1, which overrides the conflict), "keep the vault's" wipes it.
-- The finished-row cap and the age purge drop only done and superseded rows, so they never drop it.
-- SQLite cannot change a CHECK in place: the table is rebuilt, rows and seq numbers kept, and the
-- AUTOINCREMENT high mark carried over (a seq is never reused, even one whose row was purged).
CREATE TABLE journal_v3 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  machine TEXT NOT NULL,
  account TEXT NOT NULL,
  account_key TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  captured_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  encoding INTEGER NOT NULL CHECK (encoding IN (1, 2)),
  sealed BLOB NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'superseded', 'dead', 'conflicted')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  outcome TEXT,
  finished_at INTEGER,
  -- 1: a conflicted capture sent again because a person chose it; the vault takes it over the conflict
  resend INTEGER NOT NULL DEFAULT 0 CHECK (resend IN (0, 1))
);
INSERT INTO journal_v3 (seq, event_id, machine, account, account_key, account_id, captured_at, received_at, encoding, sealed,
  state, attempts, next_attempt_at, last_error, outcome, finished_at)
  SELECT seq, event_id, machine, account, account_key, account_id, captured_at, received_at, encoding, sealed,
    state, attempts, next_attempt_at, last_error, outcome, finished_at FROM journal;
DELETE FROM sqlite_sequence WHERE name = 'journal_v3';
INSERT INTO sqlite_sequence (name, seq) SELECT 'journal_v3', seq FROM sqlite_sequence WHERE name = 'journal';
DROP TABLE journal;
ALTER TABLE journal_v3 RENAME TO journal;
CREATE INDEX journal_due ON journal (next_attempt_at, seq) WHERE state = 'pending';
CREATE INDEX journal_account ON journal (account_key, seq) WHERE state = 'pending';
-- conflicted(): few rows, found without a scan
CREATE INDEX journal_conflicted ON journal (seq) WHERE state = 'conflicted';
`,
  },
];
