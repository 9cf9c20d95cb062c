/**
 * The vault on PostgreSQL, for the hub: several processes share one database and keep nothing of their
 * own between calls. Same schema (vaultMigrations('postgres')), same sealing (SecretBox, same AAD), same
 * answers as SqliteVault; the contract suite runs against both.
 *
 * Concurrency: every write is one READ COMMITTED transaction. A write that depends on a row's current
 * state locks that row first (SELECT … FOR NO KEY UPDATE), so a version check holds until the COMMIT
 * whichever process writes next; an insert that loses a race to another process (same client, username
 * or event id) fails on the unique constraint and the whole transaction runs again, where its checks see
 * the other row (postgres-open.ts: withTransaction).
 */
import type { Pool, PoolClient } from 'pg';
import type { Client, Credential, EventQuery, EventRecord, Flag, NewClient } from '../domain/types';
import {
  VaultConflictError, VaultNotFoundError,
  type ClientChange, type Conflict, type ConflictChoice, type ConflictFilter, type ConflictSettlement, type ConflictSide, type CredentialChange, type NewCredential, type PasswordHistoryEntry, type PasswordSource, type VaultPort,
} from '../ports/vault.port';
import { ImportBatchError, checkImportWrite, type BatchImport, type ImportWrite } from './batch-import';
import {
  CONFLICT_SQL, checkChoice, checkFilter, checkSettlement, checkSide, listQuery, noConflict, numbered, sortConflicts, takeRefusal, toConflict,
  type ConflictRow,
} from './conflict-records';
import { CLIENT_HOLDINGS_SQL, checkEmpty, type ClientHoldings } from './client-delete';
import { VaultInputError } from './errors';
import { foldName } from '../domain/fold-name';
import { machinePrefix, type MachineListing } from './machine-listing';
import { vaultMigrations } from './migrations';
import {
  checkHistoryKeep, checkRestore, checkSource, currentEntry, encodeSource, historyContext, openOrUndefined, toHistoryEntry, type HistoryRow,
} from './password-history';
import { describePostgresUrl, openPool, runPostgresMigrations, withTransaction } from './postgres-open';
import { KEY_CHECK_NAME, credentialContext, keyCheckOpens, sealKeyCheck } from './sealing';
import {
  postgresCredential as toCredential, smallintOf as b, toClient, toEvent, toMachineRecord,
  type ClientRow, type CurrentRow, type EventRow, type MachineRecord, type MachineRow, type PostgresCredentialRow as CredRow,
} from './rows';
import { namedQuery } from '../sql/named-query';
import { SecretBox } from './secret-box';
import { checkCaptureWrite } from './shared-write';
import {
  checkBool, checkChange, checkClientChange, checkEvent, checkEventId, checkFlag, checkId, checkName,
  checkNewClient, checkNewCredential, checkPassword,
} from './validate';

export interface PostgresVaultOptions {
  /** A libpq-style URL (`postgres://user@host/db`, `?host=/socket/dir`, `?options=-c search_path=…`). */
  url: string;
  /** 32-byte key from ensureVaultKey(); copied, so the caller may wipe it after open. */
  key: Buffer;
  /** Clock for updatedAt and applied-event times; tests inject it. */
  now?: () => number;
  /** Connections this process keeps at most (default 10). */
  maxConnections?: number;
  /** Earlier passwords kept per credential (default 10; 0 keeps none). */
  historyKeep?: number;
}

/** Anything that runs a query: the pool (one statement, autocommit) or a transaction's connection. */
type Db = Pick<PoolClient, 'query'>;

const DEFAULT_EVENT_LIMIT = 1000;
/** The conflict statements with PostgreSQL's numbered placeholders. */
const PG = Object.fromEntries(Object.entries(CONFLICT_SQL).map(([k, v]) => [k, numbered(v)])) as typeof CONFLICT_SQL;

// The same shapes as SqliteVault's. Flags come back as a text[] (pg parses it into string[]).
const CRED_SELECT = `
  SELECT c.id, cl.name AS client, c.username, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at,
         ARRAY(SELECT f.flag FROM credential_flags f WHERE f.credential_id = c.id) AS flags
  FROM credentials c JOIN clients cl ON cl.id = c.client_id`;
/**
 * A listing (many rows): the rows first, then the flags of just those rows in one pass, instead of
 * CRED_SELECT's subquery per row. One statement, so one snapshot, as before.
 */
const credPage = (where: string) => `
  WITH page AS (
    SELECT c.id, cl.name AS client, c.username, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at
    FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE ${where})
  SELECT p.*, COALESCE(f.flags, '{}') AS flags
  FROM page p LEFT JOIN (
    SELECT credential_id, array_agg(flag) AS flags FROM credential_flags
    WHERE credential_id IN (SELECT id FROM page) GROUP BY credential_id) f ON f.credential_id = p.id
  ORDER BY p.id`;
const LIST_CREDS = credPage('cl.name_key = $1');
// Shared (no `\` in the name) or the machine's own `MACHINE\user` ($2 is the folded `MACHINE\`, or null).
// Each side is an index (migration 14's credentials_shared; credentials_client_user, whose byte order makes
// "starts with MACHINE\" the range from `MACHINE\` up to `MACHINE]`, the next byte: $3), not a filter over
// every credential of the client.
const LIST_MACHINE_CREDS = credPage(
  "cl.name_key = $1 AND (strpos(c.username_key, '\\') = 0"
  + ' OR (c.username_key COLLATE "C" >= $2::text AND c.username_key COLLATE "C" < $3::text))');
const CURRENT_SELECT = 'SELECT password_enc, username_key, version, password_set_at, password_source FROM credentials';
const CLIENT_COLUMNS = 'name, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared';
const CLIENT_SELECT = `SELECT ${CLIENT_COLUMNS} FROM clients`;
const EVENT_SELECT = 'SELECT id, time, machine, account, credential_id, kind, outcome, reason, trace_id, uid FROM events';

export class PostgresVault implements VaultPort, MachineListing, BatchImport {
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly box: SecretBox,
    private readonly now: () => number,
    private readonly historyKeep: number,
  ) {}

  /**
   * Connect, bring the schema up to date (creating it in an empty database) and check the key. Errors
   * name the database by user, host and name; never the URL's password, never a key.
   */
  static async open(options: PostgresVaultOptions): Promise<PostgresVault> {
    const historyKeep = checkHistoryKeep(options.historyKeep);
    const box = new SecretBox(options.key);
    const where = describePostgresUrl(options.url);
    const pool = openPool({ url: options.url, max: options.maxConnections });
    try {
      await runPostgresMigrations(pool, where, vaultMigrations('postgres'));
      const vault = new PostgresVault(pool, box, options.now ?? Date.now, historyKeep);
      await vault.checkKey(where);
      return vault;
    } catch (err) {
      await pool.end().catch(() => undefined);
      const message = (err as Error).message;
      throw new Error(message.includes(where) ? message : `PostgreSQL vault ${where}: ${message}`);
    }
  }

  // ---- clients -------------------------------------------------------------------------------------

  async addClient(input: NewClient): Promise<Client> {
    const client = checkNewClient(input);
    const key = foldName(client.name);
    return withTransaction(this.pool, async (db) => {
      if ((await db.query('SELECT 1 FROM clients WHERE name_key = $1', [key])).rowCount) {
        throw new VaultInputError(`client "${client.name}" already exists`);
      }
      const { rows } = await db.query<ClientRow>(
        `INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CLIENT_COLUMNS}`,
        [client.name, key, b(client.windowsSync), b(client.twoWaySync), b(client.autoCreate), client.defaultMode, b(client.agentsWriteShared)]);
      return toClient(rows[0]);
    });
  }

  /** One statement: an option not given keeps its value (COALESCE), whatever another process changed meanwhile. */
  async updateClient(name: string, change: ClientChange): Promise<Client> {
    checkName('client name', name);
    const c = checkClientChange(change);
    const opt = (v: boolean | undefined) => (v === undefined ? null : b(v));
    const { rows } = await this.pool.query<ClientRow>(
      `UPDATE clients SET windows_sync = COALESCE($2, windows_sync), two_way_sync = COALESCE($3, two_way_sync),
         auto_create = COALESCE($4, auto_create), default_mode = COALESCE($5, default_mode),
         agents_write_shared = COALESCE($6, agents_write_shared)
       WHERE name_key = $1 RETURNING ${CLIENT_COLUMNS}`,
      [foldName(name), opt(c.windowsSync), opt(c.twoWaySync), opt(c.autoCreate), c.defaultMode ?? null, opt(c.agentsWriteShared)]);
    if (rows.length === 0) throw new VaultNotFoundError(`client "${name}"`);
    return toClient(rows[0]);
  }

  /**
   * The client's row is locked first (FOR UPDATE): a credential, machine or agent being added to it in
   * another process holds a key-share lock on it (the foreign key), so the counts below wait for that
   * insert and see it; an insert that comes after waits for this delete and then finds no client.
   */
  async deleteClient(name: string): Promise<void> {
    checkName('client name', name);
    await withTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: number; name: string }>('SELECT id, name FROM clients WHERE name_key = $1 FOR UPDATE', [foldName(name)]);
      if (rows.length === 0) throw new VaultNotFoundError(`client "${name}"`);
      const { id } = rows[0];
      const held = (await db.query<Record<keyof ClientHoldings, string>>(CLIENT_HOLDINGS_SQL, [id])).rows[0];
      checkEmpty(rows[0].name, { credentials: Number(held.credentials), machines: Number(held.machines), agents: Number(held.agents) });
      await db.query('DELETE FROM hub_agents WHERE client_id = $1 AND revoked_at IS NOT NULL', [id]);
      await db.query('DELETE FROM clients WHERE id = $1', [id]);
    });
  }

  async getClient(name: string): Promise<Client | undefined> {
    const { rows } = await this.pool.query<ClientRow>(namedQuery(`${CLIENT_SELECT} WHERE name_key = $1`, [foldName(name)]));
    return rows[0] && toClient(rows[0]);
  }

  async listClients(): Promise<Client[]> {
    return (await this.pool.query<ClientRow>(`${CLIENT_SELECT} ORDER BY id`)).rows.map(toClient);
  }

  // ---- credentials ---------------------------------------------------------------------------------

  async addCredential(cred: NewCredential, eventId?: string, source?: PasswordSource): Promise<Credential> {
    checkNewCredential(cred);
    const ev = eventId === undefined ? undefined : checkEventId(eventId);
    const from = checkSource(source);
    return withTransaction(this.pool, async (db) => {
      const done = ev === undefined ? undefined : await this.appliedCredential(db, ev);
      if (done) return done;
      const id = await this.addInTransaction(db, cred, from);
      if (ev !== undefined) await this.markApplied(db, ev, id);
      return this.credentialById(db, id);
    });
  }

  /** addCredential's write, in the caller's transaction. */
  private async addInTransaction(db: Db, cred: NewCredential, from: PasswordSource | undefined): Promise<number> {
    const clientId = await this.requireClientId(db, cred.client);
    if (await this.credentialByName(db, cred.client, cred.username)) {
      throw new VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
    }
    return this.insertCredential(db, clientId, cred, undefined, from);
  }

  /**
   * Many credentials in one transaction (imports, benches). Not on the port. Refuses the whole batch if
   * any username already exists.
   */
  async bulkAddCredentials(creds: NewCredential[]): Promise<Credential[]> {
    creds.forEach(checkNewCredential);
    return withTransaction(this.pool, async (db) => {
      const ids: number[] = [];
      for (const cred of creds) {
        const clientId = await this.requireClientId(db, cred.client);
        if (await this.credentialByName(db, cred.client, cred.username)) {
          throw new VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
        }
        ids.push(await this.insertCredential(db, clientId, cred));
      }
      const { rows } = await db.query<CredRow>(`${CRED_SELECT} WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`, [ids]);
      return rows.map(toCredential);
    });
  }

  async updateCredential(client: string, username: string, change: CredentialChange, source?: PasswordSource): Promise<Credential> {
    checkName('client name', client);
    checkName('username', username);
    checkChange(change);
    const from = checkSource(source);
    return withTransaction(this.pool, async (db) => this.credentialById(db, await this.updateInTransaction(db, client, username, change, from)));
  }

  /** updateCredential's write, in the caller's transaction (the row locked until it ends). */
  private async updateInTransaction(db: Db, client: string, username: string, change: CredentialChange, from: PasswordSource | undefined): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT c.id FROM credentials c JOIN clients cl ON cl.id = c.client_id
       WHERE cl.name_key = $1 AND c.username_key = $2 FOR NO KEY UPDATE OF c`, [foldName(client), foldName(username)]);
    if (rows.length === 0) throw new VaultNotFoundError(`credential "${username}" in client "${client}"`);
    const id = rows[0].id;
    const now = this.now();
    if (change.password !== undefined) {
      await this.replacePassword(db, id, change.password, now, from);
    }
    if (change.mode !== undefined || change.windowsSync !== undefined) {
      await db.query(
        'UPDATE credentials SET mode = COALESCE($1, mode), windows_sync = COALESCE($2, windows_sync), updated_at = $3 WHERE id = $4',
        [change.mode ?? null, change.windowsSync === undefined ? null : b(change.windowsSync), now, id]);
    }
    return id;
  }

  /** src/vault/batch-import.ts: the writes checked first, then applied in one transaction (run again whole on a retryable failure). */
  async importBatch(writes: ImportWrite[], source?: PasswordSource): Promise<Credential[]> {
    const from = checkSource(source);
    let at = 0;
    try {
      for (; at < writes.length; at++) checkImportWrite(writes[at]);
      return await withTransaction(this.pool, async (db) => {
        const ids: number[] = [];
        for (at = 0; at < writes.length; at++) {
          const w = writes[at];
          ids.push(w.kind === 'create' ? await this.addInTransaction(db, w.credential, from) : await this.updateInTransaction(db, w.client, w.username, w.change, from));
        }
        const { rows } = await db.query<CredRow>(`${CRED_SELECT} WHERE c.id = ANY($1::bigint[])`, [ids]);
        const byId = new Map(rows.map((r) => [Number(toCredential(r).id), toCredential(r)]));
        return ids.map((id) => byId.get(Number(id))!);
      });
    } catch (err) {
      throw new ImportBatchError(at, err);
    }
  }

  /** Its flags and applied-event ids go with it (their foreign keys); the identity column never hands its id out again. */
  async deleteCredential(client: string, username: string): Promise<Credential> {
    checkName('client name', client);
    checkName('username', username);
    return withTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: number }>(
        `SELECT c.id FROM credentials c JOIN clients cl ON cl.id = c.client_id
         WHERE cl.name_key = $1 AND c.username_key = $2 FOR UPDATE OF c`, [foldName(client), foldName(username)]);
      if (rows.length === 0) throw new VaultNotFoundError(`credential "${username}" in client "${client}"`);
      const gone = await this.credentialById(db, rows[0].id);
      await db.query('DELETE FROM credential_flags WHERE credential_id = $1', [gone.id]);
      await db.query('DELETE FROM applied_events WHERE credential_id = $1', [gone.id]);
      await db.query('DELETE FROM credentials WHERE id = $1', [gone.id]);
      return gone;
    });
  }

  /** An unknown client lists nothing (reads do not fail on names; writes do). */
  async listCredentials(client: string): Promise<Credential[]> {
    const { rows } = await this.pool.query<CredRow>(LIST_CREDS, [foldName(client)]);
    return rows.map(toCredential);
  }

  /** The agent's listing (src/vault/machine-listing.ts), filtered in SQL. */
  async listCredentialsForMachine(client: string, machine: string): Promise<Credential[]> {
    const prefix = machinePrefix(machine);
    // The prefix ends with `\` (0x5C): the names that start with it sort before the prefix with `]` (0x5D) there.
    const below = prefix === null ? null : `${prefix.slice(0, -1)}]`;
    const { rows } = await this.pool.query<CredRow>(namedQuery(LIST_MACHINE_CREDS, [foldName(client), prefix, below]));
    return rows.map(toCredential);
  }

  async findCredential(client: string, username: string): Promise<Credential | undefined> {
    return this.credentialByName(this.pool, client, username);
  }

  async readPassword(credentialId: number): Promise<Buffer> {
    checkId('credentialId', credentialId);
    const { rows } = await this.pool.query<{ password_enc: Buffer; username_key: string }>(
      namedQuery('SELECT password_enc, username_key FROM credentials WHERE id = $1', [credentialId]));
    if (rows.length === 0) throw new VaultNotFoundError(`credential ${credentialId}`);
    try {
      return this.box.open(rows[0].password_enc, credentialContext(credentialId, rows[0].username_key));
    } catch (err) {
      throw new Error(`credential ${credentialId}: ${(err as Error).message}`);
    }
  }

  async setPasswordFromCapture(credentialId: number, password: Buffer, baseVersion: number, eventId: string, capturedAt?: number,
    source?: PasswordSource): Promise<{ credential: Credential; applied: boolean }> {
    checkId('credentialId', credentialId);
    checkId('baseVersion', baseVersion);
    const ev = checkEventId(eventId);
    checkPassword(password);
    const from = checkSource(source);
    return withTransaction(this.pool, async (db) => {
      // Idempotency first: after the first apply the version has moved on, so a re-delivery would
      // otherwise look like a conflict.
      const done = await this.appliedCredential(db, ev);
      if (done) return { credential: done, applied: false };
      // The lock holds the version until COMMIT: a writer in another process waits here, then reads the
      // version this transaction wrote.
      const { rows } = await db.query<{ username_key: string; version: number; username: string; client: string; agents_write_shared: number }>(
        `SELECT c.username_key, c.version, c.username, cl.name AS client, cl.agents_write_shared
         FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1 FOR NO KEY UPDATE OF c`, [credentialId]);
      if (rows.length === 0) throw new VaultNotFoundError(`credential ${credentialId}`);
      checkCaptureWrite({ name: rows[0].client, agentsWriteShared: rows[0].agents_write_shared === 1 }, rows[0].username);
      // Asked again under the lock: the same event, delivered to another process, may have just committed.
      const doneMeanwhile = await this.appliedCredential(db, ev);
      if (doneMeanwhile) return { credential: doneMeanwhile, applied: false };
      const { version } = rows[0];
      if (version !== baseVersion) throw new VaultConflictError(credentialId, baseVersion, version);
      await this.replacePassword(db, credentialId, password, capturedAt ?? this.now(), from);
      await this.markApplied(db, ev, credentialId);
      return { credential: await this.credentialById(db, credentialId), applied: true };
    });
  }

  async createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number, source?: PasswordSource):
    Promise<{ credential: Credential; applied: boolean }> {
    checkNewCredential(cred);
    const ev = checkEventId(eventId);
    const from = checkSource(source);
    return withTransaction(this.pool, async (db) => {
      const done = await this.appliedCredential(db, ev);
      if (done) return { credential: done, applied: false };
      const clientId = await this.requireClientId(db, cred.client);
      const client = (await db.query<ClientRow>(`${CLIENT_SELECT} WHERE id = $1`, [clientId])).rows[0];
      checkCaptureWrite(toClient(client), cred.username);
      // Someone (an operator, another event, another hub process) created it meanwhile: keep theirs.
      const existing = await this.credentialByName(db, cred.client, cred.username);
      if (existing) return { credential: existing, applied: false };
      const id = await this.insertCredential(db, clientId, cred, capturedAt, from);
      await this.markApplied(db, ev, id);
      return { credential: await this.credentialById(db, id), applied: true };
    });
  }

  /** One statement per table, in one REPEATABLE READ snapshot, so the current row and the history agree. */
  async listPasswordHistory(credentialId: number): Promise<PasswordHistoryEntry[]> {
    checkId('credentialId', credentialId);
    return withTransaction(this.pool, async (db) => {
      await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const cur = (await db.query<CurrentRow>(`${CURRENT_SELECT} WHERE id = $1`, [credentialId])).rows[0];
      if (!cur) throw new VaultNotFoundError(`credential ${credentialId}`);
      const { rows } = await db.query<HistoryRow>(
        'SELECT version, set_at, source, replaced_at FROM password_history WHERE credential_id = $1 ORDER BY version DESC', [credentialId]);
      return [currentEntry(cur.version, cur.password_set_at, cur.password_source), ...rows.map(toHistoryEntry)];
    });
  }

  async restorePassword(credentialId: number, version: number, by: string): Promise<Credential> {
    const r = checkRestore(credentialId, version, by);
    return withTransaction(this.pool, async (db) => {
      // Locked as for any password write: a capture in another process waits, then sees the new version.
      const cur = (await db.query<CurrentRow>(`${CURRENT_SELECT} WHERE id = $1 FOR NO KEY UPDATE`, [r.credentialId])).rows[0];
      if (!cur) throw new VaultNotFoundError(`credential ${r.credentialId}`);
      const { rows } = await db.query<{ password_enc: Buffer }>(
        'SELECT password_enc FROM password_history WHERE credential_id = $1 AND version = $2', [r.credentialId, r.version]);
      if (rows.length === 0) throw new VaultNotFoundError(`version ${r.version} in the password history of credential ${r.credentialId}`);
      const password = this.openHistory(r.credentialId, cur.username_key, r.version, rows[0].password_enc);
      try {
        await this.replacePassword(db, r.credentialId, password, this.now(), { kind: 'restore', fromVersion: r.version, by: r.by });
      } finally {
        password.fill(0);
      }
      return this.credentialById(db, r.credentialId);
    });
  }

  async setFlag(credentialId: number, flag: Flag, on: boolean): Promise<void> {
    checkId('credentialId', credentialId);
    checkFlag(flag);
    checkBool('on', on);
    // Credentials are never deleted, so existence checked outside a transaction stays true.
    const exists = (await this.pool.query('SELECT 1 FROM credentials WHERE id = $1', [credentialId])).rowCount;
    if (!exists) throw new VaultNotFoundError(`credential ${credentialId}`);
    if (on) {
      await this.pool.query('INSERT INTO credential_flags (credential_id, flag, set_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [credentialId, flag, this.now()]);
    } else {
      await this.pool.query('DELETE FROM credential_flags WHERE credential_id = $1 AND flag = $2', [credentialId, flag]);
    }
  }

  // ---- conflicts (src/vault/conflict-records.ts) ----------------------------------------------------

  async recordConflict(credentialId: number, side: ConflictSide): Promise<void> {
    checkId('credentialId', credentialId);
    const s = checkSide(side);
    await withTransaction(this.pool, async (db) => {
      const exists = (await db.query('SELECT 1 FROM credentials WHERE id = $1 FOR NO KEY UPDATE', [credentialId])).rowCount;
      if (!exists) throw new VaultNotFoundError(`credential ${credentialId}`);
      const now = this.now();
      await db.query(PG.upsert, [credentialId, s.machine, foldName(s.machine), s.capturedAt, s.eventId, now]);
      await db.query(PG.flagOn, [credentialId, now]);
    });
  }

  async listConflicts(filter?: ConflictFilter): Promise<Conflict[]> {
    const q = listQuery(checkFilter(filter));
    return sortConflicts((await this.pool.query<ConflictRow>(numbered(q.sql), q.params)).rows.map(toConflict));
  }

  async resolveConflict(credentialId: number, machine: string, choice: ConflictChoice, by: string): Promise<Conflict> {
    checkId('credentialId', credentialId);
    checkName('machine', machine);
    const c = checkChoice(choice);
    checkName('resolved by', by);
    return withTransaction(this.pool, async (db) => {
      // The credential's row is the lock every conflict write of it takes, as password writes do.
      await db.query('SELECT 1 FROM credentials WHERE id = $1 FOR NO KEY UPDATE', [credentialId]);
      const cur = await this.conflictOf(db, credentialId, machine);
      if (!cur) throw new VaultNotFoundError(noConflict(credentialId, machine));
      if (c === 'machine' && cur.captureMissingAt !== undefined) {
        throw new VaultInputError(`machine "${cur.machine}" no longer holds the conflicted capture (it said so ${new Date(cur.captureMissingAt).toISOString()}); only keeping the vault's can settle this conflict`);
      }
      const now = this.now();
      await db.query(PG.resolve, [c, by, now, credentialId, foldName(machine)]);
      await db.query(PG.touch, [now, credentialId]);
      await this.syncConflictFlag(db, credentialId);
      return (await this.conflictOf(db, credentialId, machine))!;
    });
  }

  async takeConflictedCapture(credentialId: number, password: Buffer, eventId: string, machine: string): Promise<{ credential: Credential; applied: boolean }> {
    checkId('credentialId', credentialId);
    checkPassword(password);
    const ev = checkEventId(eventId);
    checkName('machine', machine);
    return withTransaction(this.pool, async (db) => {
      await db.query('SELECT 1 FROM credentials WHERE id = $1 FOR NO KEY UPDATE', [credentialId]);
      const done = await this.appliedCredential(db, ev);
      if (done) return { credential: done, applied: false };
      const cur = await this.conflictOf(db, credentialId, machine);
      const refusal = takeRefusal(cur, credentialId, machine, ev);
      if (refusal) throw new VaultInputError(refusal);
      const now = this.now();
      await this.replacePassword(db, credentialId, password, now, { kind: 'capture', machine: cur!.machine, resolvedBy: cur!.resolution!.by });
      await this.markApplied(db, ev, credentialId);
      await db.query(PG.remove, [credentialId, foldName(machine)]);
      await this.syncConflictFlag(db, credentialId);
      return { credential: await this.credentialById(db, credentialId), applied: true };
    });
  }

  async settleConflict(credentialId: number, machine: string, how: ConflictSettlement): Promise<void> {
    checkId('credentialId', credentialId);
    checkName('machine', machine);
    const h = checkSettlement(how);
    await withTransaction(this.pool, async (db) => {
      await db.query('SELECT 1 FROM credentials WHERE id = $1 FOR NO KEY UPDATE', [credentialId]);
      const cur = await this.conflictOf(db, credentialId, machine);
      if (!cur) throw new VaultNotFoundError(noConflict(credentialId, machine));
      const now = this.now();
      if (h === 'vault-kept') {
        if (cur.resolution?.choice !== 'vault') throw new VaultInputError(`the conflict of machine "${machine}" on credential ${credentialId} was not resolved as "keep the vault's"`);
        await db.query(PG.remove, [credentialId, foldName(machine)]);
      } else {
        await db.query(PG.missing, [now, credentialId, foldName(machine)]);
      }
      await db.query(PG.touch, [now, credentialId]);
      await this.syncConflictFlag(db, credentialId);
    });
  }

  private async conflictOf(db: Db, credentialId: number, machine: string): Promise<Conflict | undefined> {
    const { rows } = await db.query<ConflictRow>(PG.one, [credentialId, foldName(machine)]);
    return rows[0] && toConflict(rows[0]);
  }

  private async syncConflictFlag(db: Db, credentialId: number): Promise<void> {
    const { rows } = await db.query<{ n: number | string }>(PG.open, [credentialId]);
    if (Number(rows[0].n) > 0) await db.query(PG.flagOn, [credentialId, this.now()]);
    else await db.query(PG.flagOff, [credentialId]);
  }

  // ---- machines and events -------------------------------------------------------------------------

  async recordMachine(machine: { name: string; client: string; filterState: string; journalDepth: number }): Promise<void> {
    checkName('machine name', machine?.name);
    checkName('client name', machine.client);
    checkName('filterState', machine.filterState);
    checkId('journalDepth', machine.journalDepth);
    // One statement: the client lookup and the upsert are atomic, and concurrent upserts of one name merge.
    const { rowCount } = await this.pool.query(namedQuery(`INSERT INTO machines (name, name_key, client_id, filter_state, journal_depth, last_seen, filter_state_since)
       SELECT $1, $2, cl.id, $4, $5, $6, $6 FROM clients cl WHERE cl.name_key = $3
       ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, client_id = excluded.client_id,
         filter_state_since = CASE WHEN machines.filter_state = excluded.filter_state THEN machines.filter_state_since ELSE excluded.last_seen END,
         filter_state = excluded.filter_state, journal_depth = excluded.journal_depth, last_seen = excluded.last_seen`,
      [machine.name, foldName(machine.name), foldName(machine.client), machine.filterState, machine.journalDepth, this.now()]));
    if (!rowCount) throw new VaultNotFoundError(`client "${machine.client}"`);
  }

  /** Not on the port: for `status`, the hub and tests. Ordered by folded name, byte order as on SQLite. */
  async listMachines(): Promise<MachineRecord[]> {
    const { rows } = await this.pool.query<MachineRow>(
      `SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
       FROM machines m JOIN clients cl ON cl.id = m.client_id ORDER BY m.name_key COLLATE "C"`);
    return rows.map(toMachineRecord);
  }

  /**
   * All events in one transaction. Ids are assigned here; an `id` on the input is ignored. An event whose
   * `uid` is already stored for its machine is skipped (a repeated delivery; its identity value is spent).
   *
   * Appends from all processes take turns (a table lock that readers do not wait for), so ids are
   * assigned in commit order: a reader paging with `afterId` (`events --follow`) never sees an event
   * whose id is below one it has already seen. Without it, an identity value taken by a transaction that
   * commits later would appear behind the reader's cursor and be skipped for good.
   *
   * The lock is held for one round trip, not four: BEGIN, LOCK, INSERT and COMMIT go as one simple query
   * (every audited read on the hub appends here, so they queue on this lock). That protocol takes no bind
   * parameters, so the whole batch travels as ONE JSON literal quoted by pg's escapeLiteral, and nothing
   * else is interpolated (appendEventsSql).
   */
  async appendEvents(events: EventRecord[]): Promise<void> {
    events.forEach(checkEvent);
    events.forEach(checkEventText);
    if (events.length === 0) return;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(appendEventsSql(client.escapeLiteral(eventsJson(events))));
    } catch (err) {
      // A statement that failed mid-way leaves the session inside an aborted transaction (the server skips
      // the rest, COMMIT included): end it before the connection goes back to the pool.
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // the connection is gone: do not hand it back to the pool
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** Oldest first (by id). `limit` defaults to 1000; page with `afterId`. */
  async queryEvents(q: EventQuery): Promise<EventRecord[]> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    const arg = (v: string | number): string => `$${args.push(v)}`;
    if (q.sinceMs !== undefined) where.push(`time >= ${arg(checkId('sinceMs', q.sinceMs))}`);
    if (q.account !== undefined) where.push(`account_key = ${arg(foldName(q.account))}`);
    if (q.kind !== undefined) where.push(`kind = ${arg(q.kind)}`);
    if (q.machine !== undefined) where.push(`machine = ${arg(q.machine)}`);
    if (q.afterId !== undefined) where.push(`id > ${arg(checkId('afterId', q.afterId))}`);
    const limit = q.limit === undefined ? DEFAULT_EVENT_LIMIT : checkId('limit', q.limit);
    const sql = `${EVENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id${q.latest ? ' DESC' : ''} LIMIT ${arg(limit)}`;
    const rows = (await this.pool.query<EventRow>(sql, args)).rows.map(toEvent);
    return q.latest ? rows.reverse() : rows;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  // ---- internals -----------------------------------------------------------------------------------

  private async requireClientId(db: Db, name: string): Promise<number> {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM clients WHERE name_key = $1', [foldName(name)]);
    if (rows.length === 0) throw new VaultNotFoundError(`client "${name}"`);
    return rows[0].id;
  }

  private async credentialByName(db: Db, client: string, username: string): Promise<Credential | undefined> {
    const { rows } = await db.query<CredRow>(`${CRED_SELECT} WHERE cl.name_key = $1 AND c.username_key = $2`,
      [foldName(client), foldName(username)]);
    return rows[0] && toCredential(rows[0]);
  }

  private async credentialById(db: Db, id: number): Promise<Credential> {
    const { rows } = await db.query<CredRow>(`${CRED_SELECT} WHERE c.id = $1`, [id]);
    if (rows.length === 0) throw new VaultNotFoundError(`credential ${id}`);
    return toCredential(rows[0]);
  }

  /** The credential an already-applied event id produced, or undefined when the id is new. */
  private async appliedCredential(db: Db, eventId: string): Promise<Credential | undefined> {
    const { rows } = await db.query<{ credential_id: number }>('SELECT credential_id FROM applied_events WHERE event_id = $1', [eventId]);
    return rows.length === 0 ? undefined : this.credentialById(db, rows[0].credential_id);
  }

  /** A concurrent apply of the same id elsewhere makes this insert fail (unique), and the retry answers applied: false. */
  private async markApplied(db: Db, eventId: string, credentialId: number): Promise<void> {
    await db.query('INSERT INTO applied_events (event_id, credential_id, at) VALUES ($1, $2, $3)', [eventId, credentialId, this.now()]);
  }

  /**
   * The row is inserted first and sealed second because the AAD binds the id, which only the insert
   * assigns; both happen in the caller's transaction, so no reader ever sees the empty placeholder.
   */
  private async insertCredential(db: Db, clientId: number, cred: NewCredential, passwordSetAt?: number, source?: PasswordSource): Promise<number> {
    const now = this.now();
    const { rows } = await db.query<{ id: number }>(`INSERT INTO credentials
      (client_id, username, username_key, password_enc, windows_sync, mode, version, updated_at, password_set_at, password_source)
      VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9) RETURNING id`,
    [clientId, cred.username, foldName(cred.username), Buffer.alloc(0), b(cred.windowsSync), cred.mode, now, passwordSetAt ?? now,
      encodeSource(source)]);
    const id = rows[0].id;
    await db.query('UPDATE credentials SET password_enc = $1 WHERE id = $2', [this.seal(id, cred.username, cred.password), id]);
    return id;
  }

  /**
   * Every password write comes through here, in the caller's transaction and with the credential's row
   * locked by it: the password it replaces goes into the history (resealed with the version in its AAD),
   * the history is cut to the newest `historyKeep`, then the new one is stored as the next version. A
   * current password that does not open (a damaged record) is not kept: the write must not fail for it.
   */
  private async replacePassword(db: Db, id: number, password: Buffer, setAt: number, source: PasswordSource | undefined): Promise<void> {
    const cur = (await db.query<CurrentRow>(`${CURRENT_SELECT} WHERE id = $1`, [id])).rows[0];
    if (!cur) throw new VaultNotFoundError(`credential ${id}`);
    const now = this.now();
    const old = this.historyKeep > 0 ? openOrUndefined(this.box, cur.password_enc, credentialContext(id, cur.username_key)) : undefined;
    if (old) {
      let sealed: Buffer;
      try {
        sealed = this.box.seal(old, historyContext(id, cur.username_key, cur.version));
      } finally {
        old.fill(0);
      }
      await db.query(`INSERT INTO password_history (credential_id, version, password_enc, set_at, source, replaced_at)
        VALUES ($1, $2, $3, $4, $5, $6)`, [id, cur.version, sealed, cur.password_set_at, cur.password_source, now]);
    }
    // Everything at or below the (keep+1)-th newest version, one index seek (as the SQLite vault does; NOT IN
    // over a LIMIT subquery re-reads the history); fewer than keep+1 rows: NULL, nothing deleted.
    await db.query(`DELETE FROM password_history WHERE credential_id = $1 AND version <=
      (SELECT version FROM password_history WHERE credential_id = $1 ORDER BY version DESC LIMIT 1 OFFSET $2)`, [id, this.historyKeep]);
    await db.query('UPDATE credentials SET password_enc = $1, version = version + 1, updated_at = $2, password_set_at = $3, password_source = $4 WHERE id = $5',
      [this.box.seal(password, credentialContext(id, cur.username_key)), now, setAt, encodeSource(source), id]);
  }

  private openHistory(id: number, usernameKey: string, version: number, sealed: Buffer): Buffer {
    try {
      return this.box.open(sealed, historyContext(id, usernameKey, version));
    } catch (err) {
      throw new Error(`credential ${id} history version ${version}: ${(err as Error).message}`);
    }
  }

  private seal(id: number, username: string, password: Buffer): Buffer {
    return this.box.seal(password, credentialContext(id, foldName(username)));
  }

  /**
   * Fail at open, with a clear message, when the key is not the one this vault was created with. Two
   * processes opening a new database at once store one record: the second checks against the first's.
   */
  private async checkKey(where: string): Promise<void> {
    await this.pool.query('INSERT INTO vault_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [KEY_CHECK_NAME, sealKeyCheck(this.box)]);
    const { rows } = await this.pool.query<{ value: Buffer }>('SELECT value FROM vault_meta WHERE name = $1', [KEY_CHECK_NAME]);
    if (!keyCheckOpens(this.box, rows[0].value)) {
      throw new Error(`the vault key does not open ${where} (the database was created with another key)`);
    }
  }
}

/**
 * PostgreSQL's TEXT cannot hold U+0000 (SQLite's can). Refused up front with the field's name, like any
 * other bad event, rather than as a driver error. Names never get here: checkName refuses control
 * characters. No event field holds a password, so the message may say which field.
 */
function checkEventText(e: EventRecord, index: number): void {
  for (const field of ['account', 'reason', 'traceId'] as const) {
    if (e[field]?.includes('\u0000')) throw new VaultInputError(`event ${index}: ${field} contains a NUL character`);
  }
}

/**
 * The batch as a JSON array of arrays, in the column order of appendEventsSql. account_key is folded
 * here, with the same foldName as every other key. Lone surrogates become U+FFFD, as pg's UTF-8 encoding
 * of a bind parameter did: JSON.stringify would write them as `\udXXX` escapes, which PostgreSQL's json
 * refuses.
 */
function eventsJson(events: EventRecord[]): string {
  const text = (v: string | undefined): string | null => (v === undefined ? null : v.replace(/\p{Cs}/gu, '\uFFFD'));
  return JSON.stringify(events.map((e) => [
    e.time, text(e.machine), text(e.account), e.account === undefined ? null : text(foldName(e.account)),
    e.credentialId ?? null, text(e.kind), e.outcome, text(e.reason), text(e.traceId), e.uid ?? null,
  ]));
}

/**
 * One simple query: lock, insert the batch, commit. `batch` is the already-quoted JSON literal and the
 * only value in the text. Rows are inserted in array order (ORDER BY the ordinality), so a batch keeps its
 * order in the ids.
 */
function appendEventsSql(batch: string): string {
  return `BEGIN;
LOCK TABLE events IN EXCLUSIVE MODE;
INSERT INTO events (time, machine, account, account_key, credential_id, kind, outcome, reason, trace_id, uid)
  SELECT (e->>0)::bigint, e->>1, e->>2, e->>3, (e->>4)::bigint, e->>5, e->>6, e->>7, e->>8, e->>9
  FROM json_array_elements(${batch}::json) WITH ORDINALITY AS x(e, n) ORDER BY n
  ON CONFLICT (uid, machine) DO NOTHING;
COMMIT;`;
}
