/**
 * The vault's rows as the domain sees them: each row shape and its mapper written once, for SqliteVault
 * and PostgresVault, which read the same columns (one migration set) through different engines.
 *
 * What the engines hand back differently is settled here, each in one named place, so the two adapters
 * cannot drift apart:
 * - booleans are SMALLINT 0/1 on both (migrations.ts); SQLite's INTEGER and pg's int2 both arrive as a
 *   number: isSet() reads one, smallintOf() writes one.
 * - BIGINT (ids, versions, times in ms): SQLite gives a number in the safe range (src/sqlite/database.ts);
 *   pg gives text, which the vault pool's type parser (postgres-open.ts, parseInt8) turns into a number
 *   or refuses. The row types say number because by here it is one on both engines.
 * - bytes: BLOB and BYTEA both arrive as a Buffer.
 * - a credential's flags: SQLite's CRED_SELECT folds them into one group_concat text (NULL for none),
 *   PostgreSQL's into a text[]; sqliteFlags() reads the text.
 * - SqliteVault reads credentials in raw mode (columns by position: it halves a 10k listing's cost), so
 *   sqliteCredential() reads that tuple; PostgresVault gets named columns, postgresCredential().
 */
import type { Client, Credential, EventRecord, Mode } from '../domain/types';
import { FLAGS } from './validate';

/** A boolean column's value to store (SMALLINT 0/1 on both engines). */
export const smallintOf = (v: boolean): number => (v ? 1 : 0);
/** A boolean column's value as read (a number on both engines). */
const isSet = (v: number): boolean => v === 1;

export interface ClientRow {
  name: string; windows_sync: number; two_way_sync: number; auto_create: number; default_mode: Mode; agents_write_shared: number;
}

export function toClient(r: ClientRow): Client {
  return {
    name: r.name, windowsSync: isSet(r.windows_sync), twoWaySync: isSet(r.two_way_sync), autoCreate: isSet(r.auto_create),
    defaultMode: r.default_mode, agentsWriteShared: isSet(r.agents_write_shared),
  };
}

/** A credential's columns (CRED_SELECT on both engines) but its flags, which each engine encodes its own way. */
interface CredentialColumns {
  id: number; client: string; username: string; windows_sync: number; mode: Mode; version: number; updated_at: number;
  password_set_at: number;
}

function toCredential(r: CredentialColumns, flags: readonly string[]): Credential {
  return {
    id: r.id, client: r.client, username: r.username, windowsSync: isSet(r.windows_sync), mode: r.mode, version: r.version,
    // Flags in one fixed order, whatever order the engine's aggregate produced.
    flags: FLAGS.filter((f) => flags.includes(f)), updatedAt: r.updated_at, passwordSetAt: r.password_set_at,
  };
}

/** SqliteVault's CRED_SELECT, by position (raw mode); flags as group_concat text, NULL for none. */
export type SqliteCredentialRow = [id: number, client: string, username: string, windowsSync: number, mode: Mode, version: number,
  updatedAt: number, passwordSetAt: number, flags: string | null];

export function sqliteCredential([id, client, username, windowsSync, mode, version, updatedAt, passwordSetAt, flags]: SqliteCredentialRow): Credential {
  return toCredential({
    id, client, username, windows_sync: windowsSync, mode, version, updated_at: updatedAt, password_set_at: passwordSetAt,
  }, sqliteFlags(flags));
}

/** group_concat's text ('expire,locked'), or NULL when the credential has no flags. */
function sqliteFlags(text: string | null): string[] {
  return text ? text.split(',') : [];
}

/** PostgresVault's CRED_SELECT and credPage(): named columns, flags as a text[] (pg parses it into string[]). */
export interface PostgresCredentialRow extends CredentialColumns { flags: string[] }

export function postgresCredential(r: PostgresCredentialRow): Credential {
  return toCredential(r, r.flags);
}

/** The password a write is about to replace, with what a capture write checks (same columns on both engines). */
export interface SealedRow { password_enc: Buffer; username_key: string; version: number }
/** …and what goes into its history row. */
export interface CurrentRow extends SealedRow { password_set_at: number; password_source: string | null }

export interface EventRow {
  id: number; time: number; machine: string; account: string | null; credential_id: number | null; kind: string;
  outcome: EventRecord['outcome']; reason: string | null; trace_id: string | null; uid: string | null;
}

/** NULL columns become absent fields, as the port's EventRecord has them. */
export function toEvent(r: EventRow): EventRecord {
  const e: EventRecord = { id: r.id, time: r.time, machine: r.machine, kind: r.kind, outcome: r.outcome };
  if (r.account !== null) e.account = r.account;
  if (r.credential_id !== null) e.credentialId = r.credential_id;
  if (r.reason !== null) e.reason = r.reason;
  if (r.trace_id !== null) e.traceId = r.trace_id;
  if (r.uid !== null) e.uid = r.uid;
  return e;
}

/** A machine as `status`, the hub and the tests list it (not on the port). */
export interface MachineRecord {
  name: string;
  client: string;
  filterState: string;
  journalDepth: number;
  lastSeen: number;
}

export interface MachineRow { name: string; client: string; filter_state: string; journal_depth: number; last_seen: number }

export function toMachineRecord(r: MachineRow): MachineRecord {
  return { name: r.name, client: r.client, filterState: r.filter_state, journalDepth: r.journal_depth, lastSeen: r.last_seen };
}
