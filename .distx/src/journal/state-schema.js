"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.STATE_MIGRATIONS = void 0;
exports.STATE_MIGRATIONS = [
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
];
//# sourceMappingURL=state-schema.js.map