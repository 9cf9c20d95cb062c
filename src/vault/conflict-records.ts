/**
 * Conflicts with both sides, what every SQL engine does the same way: the input checks, the statements
 * (credential_conflicts, migration 7; `?` placeholders, which PostgreSQL's adapter numbers), the row
 * mapping, and the one rule for the credential's `conflict` flag: on while any machine's conflict on it is
 * still open (no choice yet, or "take the machine's" not yet carried out), off once none is.
 */
import type { Conflict, ConflictChoice, ConflictFilter, ConflictSettlement, ConflictSide } from '../ports/vault.port';
import { VaultInputError } from './errors';
import { foldName } from '../domain/fold-name';
import { decodeSource } from './password-history';
import { checkEventId, checkId, checkName } from './validate';

export function checkSide(side: unknown): ConflictSide {
  const s = side as Partial<ConflictSide> | undefined;
  if (typeof s !== 'object' || s === null) throw new VaultInputError('conflict side must be an object { machine, capturedAt, eventId }');
  return { machine: checkName('conflict machine', s.machine), capturedAt: checkId('conflict capturedAt', s.capturedAt), eventId: checkEventId(s.eventId) };
}

export function checkChoice(choice: unknown): ConflictChoice {
  if (choice !== 'vault' && choice !== 'machine') {
    throw new VaultInputError(`conflict choice must be "vault" (keep the vault's) or "machine" (take the machine's), got ${JSON.stringify(choice)}`);
  }
  return choice;
}

export function checkSettlement(how: unknown): ConflictSettlement {
  if (how !== 'vault-kept' && how !== 'capture-missing') {
    throw new VaultInputError(`conflict settlement must be "vault-kept" or "capture-missing", got ${JSON.stringify(how)}`);
  }
  return how;
}

export function checkFilter(filter: unknown): ConflictFilter {
  if (filter === undefined) return {};
  const f = filter as ConflictFilter;
  if (typeof f !== 'object' || f === null) throw new VaultInputError('conflict filter must be an object');
  const out: ConflictFilter = {};
  if (f.client !== undefined) out.client = checkName('conflict filter client', f.client);
  if (f.machine !== undefined) out.machine = checkName('conflict filter machine', f.machine);
  if (f.credentialId !== undefined) out.credentialId = checkId('conflict filter credentialId', f.credentialId);
  return out;
}

/** A credential_conflicts row joined with its credential (the vault's side). */
export interface ConflictRow {
  credential_id: number; machine: string; captured_at: number; event_id: string; recorded_at: number;
  choice: ConflictChoice | null; resolved_by: string | null; resolved_at: number | null; capture_missing_at: number | null;
  client: string; username: string; version: number; password_set_at: number; password_source: string | null;
}

const SELECT = `SELECT k.credential_id, k.machine, k.captured_at, k.event_id, k.recorded_at, k.choice, k.resolved_by, k.resolved_at,
    k.capture_missing_at, cl.name AS client, c.username, c.version, c.password_set_at, c.password_source
  FROM credential_conflicts k JOIN credentials c ON c.id = k.credential_id JOIN clients cl ON cl.id = c.client_id`;

/** The listing's statement and its arguments, for a checked filter. */
export function listQuery(f: ConflictFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.client !== undefined) { where.push('cl.name_key = ?'); params.push(foldName(f.client)); }
  if (f.machine !== undefined) { where.push('k.machine_key = ?'); params.push(foldName(f.machine)); }
  if (f.credentialId !== undefined) { where.push('k.credential_id = ?'); params.push(f.credentialId); }
  return { sql: `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params };
}

export const CONFLICT_SQL = {
  one: `${SELECT} WHERE k.credential_id = ? AND k.machine_key = ?`,
  /** A newer capture of the same machine replaces the side and forgets the choice; the same event id changes nothing. */
  upsert: `INSERT INTO credential_conflicts (credential_id, machine, machine_key, captured_at, event_id, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (credential_id, machine_key) DO UPDATE SET machine = excluded.machine, captured_at = excluded.captured_at,
      event_id = excluded.event_id, recorded_at = excluded.recorded_at, choice = NULL, resolved_by = NULL, resolved_at = NULL,
      capture_missing_at = NULL
    WHERE credential_conflicts.event_id <> excluded.event_id`,
  resolve: 'UPDATE credential_conflicts SET choice = ?, resolved_by = ?, resolved_at = ? WHERE credential_id = ? AND machine_key = ?',
  remove: 'DELETE FROM credential_conflicts WHERE credential_id = ? AND machine_key = ?',
  missing: `UPDATE credential_conflicts SET choice = NULL, resolved_by = NULL, resolved_at = NULL, capture_missing_at = ?
    WHERE credential_id = ? AND machine_key = ? AND choice = 'machine'`,
  open: `SELECT COUNT(*) AS n FROM credential_conflicts WHERE credential_id = ? AND (choice IS NULL OR choice = 'machine')`,
  flagOn: `INSERT INTO credential_flags (credential_id, flag, set_at) VALUES (?, 'conflict', ?) ON CONFLICT DO NOTHING`,
  flagOff: `DELETE FROM credential_flags WHERE credential_id = ? AND flag = 'conflict'`,
  /** A choice moves updated_at, so push-down's signature moves and the machine's long poll wakes. */
  touch: 'UPDATE credentials SET updated_at = ? WHERE id = ?',
};

/** `?` placeholders numbered for PostgreSQL. */
export const numbered = (sql: string): string => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };

export function toConflict(r: ConflictRow): Conflict {
  const c: Conflict = {
    credentialId: Number(r.credential_id), client: r.client, username: r.username, machine: r.machine, capturedAt: Number(r.captured_at),
    eventId: r.event_id, recordedAt: Number(r.recorded_at),
    vault: { version: Number(r.version), passwordSetAt: Number(r.password_set_at) },
  };
  const source = decodeSource(r.password_source);
  if (source) c.vault.source = source;
  if (r.choice !== null) c.resolution = { choice: r.choice, by: r.resolved_by ?? '', at: Number(r.resolved_at) };
  if (r.capture_missing_at !== null) c.captureMissingAt = Number(r.capture_missing_at);
  return c;
}

/** By credential id, then machine (folded, here rather than in SQL: the engines' collations differ). */
export function sortConflicts(list: Conflict[]): Conflict[] {
  return list.sort((a, b) => a.credentialId - b.credentialId || (foldName(a.machine) < foldName(b.machine) ? -1 : foldName(a.machine) > foldName(b.machine) ? 1 : 0));
}

export const noConflict = (credentialId: number, machine: string): string => `no conflict of machine "${machine}" on credential ${credentialId}`;

/** Why a re-sent capture is not the one a person chose, or undefined when it is. */
export function takeRefusal(c: Conflict | undefined, credentialId: number, machine: string, eventId: string): string | undefined {
  if (!c) return noConflict(credentialId, machine);
  if (c.resolution?.choice !== 'machine') return `the conflict of machine "${machine}" on credential ${credentialId} was not resolved as "take the machine's"`;
  if (c.eventId !== eventId.toLowerCase()) return `the conflict of machine "${machine}" on credential ${credentialId} is about capture ${c.eventId}, not ${eventId}`;
  return undefined;
}
