/**
 * The dashboard's reads at MSP scale (100 clients × 1,000 credentials): the clients with their counts, one
 * page of a client's credentials or of a search by username across clients, a client's machines and a page
 * of its events. Each is a bounded number of indexed statements (migration 8), so its time follows the page
 * size, not the vault's. Pages are keysets, never OFFSET: a page deep in a list costs what the first one does.
 *
 * Credentials page in byte order of the folded username, then id (COLLATE "C" on PostgreSQL, SQLite's
 * own order): the same order on both engines, whatever the database's collation.
 */
import type { Credential, EventRecord, Flag, Mode } from '../domain/types';
import { foldName } from '../domain/fold-name';
import { FLAGS } from '../vault/validate';
import type { Sql } from './sql';
import type { MachineView } from './store';

export interface ClientSummary {
  name: string;
  windowsSync: boolean;
  twoWaySync: boolean;
  autoCreate: boolean;
  defaultMode: Mode;
  agentsWriteShared: boolean;
  credentials: number;
  machines: number;
  /** How many of its credentials carry each flag. */
  flags: Record<Flag, number>;
}

/** Where the next page starts: the last row's folded username and id. */
export interface CredentialKey {
  key: string;
  id: number;
}

export type Match = 'prefix' | 'substring';

export interface CredentialFilter {
  /** Folded by the caller or not: folded here. Absent: every client. */
  client?: string;
  /** A username fragment, folded here as the vault folds names. */
  q?: string;
  match?: Match;
  after?: CredentialKey;
  limit: number;
}

interface ClientRow {
  id: number; name: string; windows_sync: number; two_way_sync: number; auto_create: number; default_mode: Mode;
  agents_write_shared: number; credentials: number; machines: number;
}

const CLIENT_COLUMNS = `cl.id, cl.name, cl.windows_sync, cl.two_way_sync, cl.auto_create, cl.default_mode, cl.agents_write_shared,
  (SELECT COUNT(*) FROM credentials c WHERE c.client_id = cl.id) AS credentials,
  (SELECT COUNT(*) FROM machines m WHERE m.client_id = cl.id) AS machines`;

type EventRow = {
  id: number; time: number; machine: string; account: string | null; credential_id: number | null; kind: string; outcome: EventRecord['outcome'];
  reason: string | null; trace_id: string | null; uid: string | null;
};

/**
 * The ids of a client's newest events before $2 ($1 the client's id, $3 how many): the newest $3 of each of
 * its machines (events_machine) and of each of its credentials (events_credential), merged. On PostgreSQL one
 * LATERAL index range per machine and per credential: asked as one `IN (…) ORDER BY id DESC LIMIT`, the
 * planner walks the primary key backwards and filters, which is fast for the client with the newest events and
 * reads most of the table for one whose events are old (measured: p99 over 390 ms at 100k events). SQLite has
 * no LATERAL; its planner reads the two IN lists through the same indexes.
 */
const PG_CLIENT_EVENT_IDS = `
  SELECT x.id FROM (SELECT m.name FROM machines m WHERE m.client_id = $1 UNION SELECT a.machine FROM hub_agents a WHERE a.client_id = $1) names
    CROSS JOIN LATERAL (SELECT e.id FROM events e WHERE e.machine = names.name AND e.id < $2 ORDER BY e.id DESC LIMIT $3) x
  UNION
  SELECT x.id FROM credentials c
    CROSS JOIN LATERAL (SELECT e.id FROM events e WHERE e.credential_id = c.id AND e.id < $2 ORDER BY e.id DESC LIMIT $3) x
  WHERE c.client_id = $1`;
const SQLITE_CLIENT_EVENT_IDS = `
  SELECT id FROM (SELECT e.id FROM events e WHERE e.id < $2 AND e.machine IN (
      SELECT m.name FROM machines m WHERE m.client_id = $1 UNION SELECT a.machine FROM hub_agents a WHERE a.client_id = $1)
    ORDER BY e.id DESC LIMIT $3)
  UNION
  SELECT id FROM (SELECT e.id FROM events e WHERE e.id < $2 AND e.credential_id IN (SELECT c.id FROM credentials c WHERE c.client_id = $1)
    ORDER BY e.id DESC LIMIT $3)`;

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class BrowseStore {
  /** `COLLATE "C"` on PostgreSQL: what the migration-8 indexes are built with, so the planner uses them. */
  private readonly binary: string;

  constructor(private readonly sql: Sql) {
    this.binary = sql.dialect === 'postgres' ? ' COLLATE "C"' : '';
  }

  /** Every client with its counts, in byte order of the folded name. Three statements whatever the size. */
  async clients(): Promise<ClientSummary[]> {
    const rows = await this.sql.all<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients cl`);
    const flags = await this.flagCounts();
    return rows.map((r) => toSummary(r, flags.get(Number(r.id))))
      .sort((a, b) => byteOrder(foldName(a.name), foldName(b.name)));
  }

  /** One client with its counts; undefined: no such client. */
  async client(name: string): Promise<(ClientSummary & { id: number }) | undefined> {
    const rows = await this.sql.all<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM clients cl WHERE cl.name_key = $1`, [foldName(name)]);
    if (rows.length === 0) return undefined;
    const id = Number(rows[0].id);
    return { ...toSummary(rows[0], (await this.flagCounts(id)).get(id)), id };
  }

  /** A client's machines (by id from client()), sorted by name. */
  async machines(clientId: number): Promise<MachineView[]> {
    const rows = await this.sql.all<{ name: string; client: string; filter_state: string; journal_depth: number; last_seen: number }>(
      `SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
       FROM machines m JOIN clients cl ON cl.id = m.client_id WHERE m.client_id = $1`, [clientId]);
    return rows
      .map((r) => ({ name: r.name, client: r.client, filterState: r.filter_state, journalDepth: Number(r.journal_depth), lastSeen: Number(r.last_seen) }))
      .sort((a, b) => byteOrder(foldName(a.name), foldName(b.name)));
  }

  /**
   * One page of credentials: of one client (by id) or of all, optionally only usernames that start with or
   * contain `q` (folded). `limit + 1` rows are read, to know whether there is a next page without a count.
   */
  async credentials(f: { clientId?: number; q?: string; match?: Match; after?: CredentialKey; limit: number }): Promise<{ credentials: Credential[]; next?: CredentialKey }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => `$${args.push(v)}`;
    if (f.clientId !== undefined) where.push(`c.client_id = ${arg(f.clientId)}`);
    if (f.q !== undefined) {
      const q = foldName(f.q);
      if (f.match === 'prefix') {
        // A range of the byte-ordered index (every name that starts with q sorts from q up to prefixEnd(q)).
        where.push(`c.username_key${this.binary} >= ${arg(q)}`);
        const end = prefixEnd(q);
        if (end !== undefined) where.push(`c.username_key${this.binary} < ${arg(end)}`);
      }
      else where.push(`${this.sql.dialect === 'postgres' ? 'strpos' : 'instr'}(c.username_key, ${arg(q)}) > 0`);
    }
    if (f.after) where.push(`(c.username_key${this.binary}, c.id) > (${arg(f.after.key)}, ${arg(f.after.id)})`);
    const rows = await this.sql.all<{
      id: number; client: string; username: string; username_key: string; windows_sync: number; mode: Mode; version: number; updated_at: number; password_set_at: number;
    }>(
      `SELECT c.id, cl.name AS client, c.username, c.username_key, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at
       FROM credentials c JOIN clients cl ON cl.id = c.client_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.username_key${this.binary}, c.id LIMIT ${arg(f.limit + 1)}`, args);
    const page = rows.slice(0, f.limit);
    const flags = await this.flagsOf(page.map((r) => Number(r.id)));
    const credentials = page.map((r): Credential => ({
      id: Number(r.id), client: r.client, username: r.username, windowsSync: r.windows_sync === 1, mode: r.mode,
      version: Number(r.version), flags: FLAGS.filter((fl) => flags.get(Number(r.id))?.has(fl)),
      updatedAt: Number(r.updated_at), passwordSetAt: Number(r.password_set_at),
    }));
    const last = page[page.length - 1];
    return { credentials, next: rows.length > f.limit ? { key: last.username_key, id: Number(last.id) } : undefined };
  }

  /**
   * A page of a client's events, newest first: those its machines and agents recorded (by the name they
   * were enrolled or reported under), and the hub's about its credentials. `before`: an id from the last page.
   */
  async events(clientId: number, before: number | undefined, limit: number): Promise<{ events: EventRecord[]; next?: number }> {
    const args: unknown[] = [clientId, before ?? Number.MAX_SAFE_INTEGER, limit + 1];
    const rows = await this.sql.all<EventRow>(
      `SELECT id, time, machine, account, credential_id, kind, outcome, reason, trace_id, uid FROM events WHERE id IN (${this.sql.dialect === 'postgres' ? PG_CLIENT_EVENT_IDS : SQLITE_CLIENT_EVENT_IDS})
       ORDER BY id DESC LIMIT $3`, args);
    const page = rows.slice(0, limit);
    const events = page.map((r) => {
      const e: EventRecord = { id: Number(r.id), time: Number(r.time), machine: r.machine, kind: r.kind, outcome: r.outcome };
      if (r.account !== null) e.account = r.account;
      if (r.credential_id !== null) e.credentialId = Number(r.credential_id);
      if (r.reason !== null) e.reason = r.reason;
      if (r.trace_id !== null) e.traceId = r.trace_id;
      if (r.uid !== null) e.uid = r.uid;
      return e;
    });
    return { events, next: rows.length > limit ? events[events.length - 1].id : undefined };
  }

  /** Flag counts per client id (one client's when given). */
  private async flagCounts(clientId?: number): Promise<Map<number, Record<Flag, number>>> {
    const rows = await this.sql.all<{ client_id: number; flag: Flag; n: number }>(
      `SELECT c.client_id, f.flag, COUNT(*) AS n FROM credential_flags f JOIN credentials c ON c.id = f.credential_id
       ${clientId === undefined ? '' : 'WHERE c.client_id = $1'} GROUP BY c.client_id, f.flag`, clientId === undefined ? [] : [clientId]);
    const out = new Map<number, Record<Flag, number>>();
    for (const r of rows) {
      const id = Number(r.client_id);
      if (!out.has(id)) out.set(id, zeroFlags());
      out.get(id)![r.flag] = Number(r.n);
    }
    return out;
  }

  private async flagsOf(ids: number[]): Promise<Map<number, Set<Flag>>> {
    const out = new Map<number, Set<Flag>>();
    if (ids.length === 0) return out;
    const rows = await this.sql.all<{ credential_id: number; flag: Flag }>(
      `SELECT credential_id, flag FROM credential_flags WHERE credential_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids);
    for (const r of rows) {
      const id = Number(r.credential_id);
      if (!out.has(id)) out.set(id, new Set());
      out.get(id)!.add(r.flag);
    }
    return out;
  }
}

/**
 * The least string above every string that starts with `prefix`, in code point order (UTF-8 byte order: SQLite's
 * and COLLATE "C"'s): its last code point plus one. Undefined when there is none (it ends in U+10FFFF).
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1; // past the surrogates, which are no characters
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

function zeroFlags(): Record<Flag, number> {
  return Object.fromEntries(FLAGS.map((f) => [f, 0])) as Record<Flag, number>;
}

function toSummary(r: ClientRow, flags: Record<Flag, number> | undefined): ClientSummary {
  return {
    name: r.name, windowsSync: r.windows_sync === 1, twoWaySync: r.two_way_sync === 1, autoCreate: r.auto_create === 1,
    defaultMode: r.default_mode, agentsWriteShared: r.agents_write_shared === 1,
    credentials: Number(r.credentials), machines: Number(r.machines), flags: flags ?? zeroFlags(),
  };
}
