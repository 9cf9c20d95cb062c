/**
 * The embedded vault: one SQLite file, passwords sealed with SecretBox.
 *
 * SQLite is synchronous here (src/sqlite/); the port is async so the hub's HTTP adapter can implement it too.
 * Every method here does its work synchronously inside an `async` function, so a throw becomes a
 * rejection and a transaction never spans an await.
 */
import type { Client, Credential, EventQuery, EventRecord, Flag, NewClient } from '../domain/types';
import {
  VaultConflictError, VaultNotFoundError,
  type ClientChange, type Conflict, type ConflictChoice, type ConflictFilter, type ConflictSettlement, type ConflictSide, type CredentialChange, type NewCredential, type PasswordHistoryEntry, type PasswordSource, type VaultPort,
} from '../ports/vault.port';
import type { SqliteDatabase, SqliteDriver, SqliteStatement } from '../sqlite/database';
import { ImportBatchError, checkImportWrite, type BatchImport, type ImportWrite } from './batch-import';
import {
  CONFLICT_SQL, checkChoice, checkFilter, checkSettlement, checkSide, listQuery, noConflict, sortConflicts, takeRefusal, toConflict,
  type ConflictRow,
} from './conflict-records';
import { CLIENT_HOLDINGS_SQL, checkEmpty, type ClientHoldings } from './client-delete';
import { VaultInputError } from './errors';
import { foldName } from '../domain/fold-name';
import { machinePrefix, type MachineListing } from './machine-listing';
import { vaultMigrations } from './migrations';
import { GroupCommit } from './group-commit';
import {
  checkHistoryKeep, checkRestore, checkSource, currentEntry, encodeSource, historyContext, openOrUndefined, toHistoryEntry, type HistoryRow,
} from './password-history';
import {
  smallintOf as b, sqliteCredential as toCredential, toClient, toEvent, toMachineRecord,
  type ClientRow, type CurrentRow, type EventRow, type MachineRecord, type MachineRow, type SealedRow, type SqliteCredentialRow as CredRow,
} from './rows';
import { SecretBox } from './secret-box';
import { KEY_CHECK_NAME, credentialContext, keyCheckOpens, sealKeyCheck } from './sealing';
import { checkCaptureWrite } from './shared-write';
import { openDatabase } from '../sqlite/open-database';
import {
  checkBool, checkChange, checkClientChange, checkEvent, checkEventId, checkFlag, checkId, checkName,
  checkNewClient, checkNewCredential, checkPassword,
} from './validate';

export interface SqliteVaultOptions {
  /** The vault database file (created if missing). */
  path: string;
  /** 32-byte key from ensureVaultKey(); copied, so the caller may wipe it after open. */
  key: Buffer;
  /** Clock for updatedAt and applied-event times; tests inject it. */
  now?: () => number;
  /** The SQLite driver; absent, the one src/sqlite/drivers.ts picks. Tests run each driver. */
  sqlite?: SqliteDriver;
  /** Earlier passwords kept per credential (default 10; 0 keeps none). */
  historyKeep?: number;
}

/** What a capture write checks first: the credential's version and whether its client lets it be written. */
interface CaptureTargetRow { username_key: string; version: number; username: string; client: string; agents_write_shared: number }
const DEFAULT_EVENT_LIMIT = 1000;
/** vault_meta row: the highest credential id ever deleted (as decimal text), below which no new id falls. */
const DELETED_HIGH = 'credential-id-deleted-high';

// One SELECT shape for every credential read, so the listing of 10k is one query (flags folded in).
const CRED_SELECT = `
  SELECT c.id, cl.name AS client, c.username, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at,
         (SELECT group_concat(f.flag, ',') FROM credential_flags f WHERE f.credential_id = c.id) AS flags
  FROM credentials c JOIN clients cl ON cl.id = c.client_id`;
const CLIENT_SELECT = 'SELECT name, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared FROM clients';
const EVENT_SELECT = 'SELECT id, time, machine, account, credential_id, kind, outcome, reason, trace_id, uid FROM events';

/** Every statement the vault runs, prepared once at open. */
function prepareStatements(db: SqliteDatabase) {
  return {
    insertClient: db.prepare(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    updateClient: db.prepare(`UPDATE clients SET windows_sync = ?, two_way_sync = ?, auto_create = ?, default_mode = ?, agents_write_shared = ?
      WHERE name_key = ?`),
    clientHoldings: db.prepare(CLIENT_HOLDINGS_SQL.replace(/\$1/g, '@id')),
    deleteRevokedAgents: db.prepare('DELETE FROM hub_agents WHERE client_id = ? AND revoked_at IS NOT NULL'),
    deleteClient: db.prepare('DELETE FROM clients WHERE id = ?'),
    clientByKey: db.prepare(`${CLIENT_SELECT} WHERE name_key = ?`),
    listClients: db.prepare(`${CLIENT_SELECT} ORDER BY id`),
    clientId: db.prepare('SELECT id FROM clients WHERE name_key = ?').pluck(),

    // The id is spelled out: SQLite's own choice (the highest id + 1) would hand a deleted last credential's
    // id to the next one, and an agent's reconcile memo (keyed by id) would vouch for the newcomer.
    insertCred: db.prepare(`INSERT INTO credentials
      (id, client_id, username, username_key, password_enc, windows_sync, mode, version, updated_at, password_set_at, password_source)
      VALUES ((SELECT MAX(n) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS n FROM credentials
        UNION ALL SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM vault_meta WHERE name = '${DELETED_HIGH}')),
        ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`),
    deletedHighGet: db.prepare(`SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM vault_meta WHERE name = '${DELETED_HIGH}'`).pluck(),
    deletedHighPut: db.prepare(`INSERT INTO vault_meta (name, value) VALUES ('${DELETED_HIGH}', ?)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
    deleteCredFlags: db.prepare('DELETE FROM credential_flags WHERE credential_id = ?'),
    deleteCredApplied: db.prepare('DELETE FROM applied_events WHERE credential_id = ?'),
    deleteCred: db.prepare('DELETE FROM credentials WHERE id = ?'),
    credById: db.prepare(`${CRED_SELECT} WHERE c.id = ?`).raw(),
    credByName: db.prepare(`${CRED_SELECT} WHERE cl.name_key = ? AND c.username_key = ?`).raw(),
    listCreds: db.prepare(`${CRED_SELECT} WHERE cl.name_key = ? ORDER BY c.id`).raw(),
    // Shared (no `\` in the name) or the machine's own `MACHINE\user` (@prefix: the folded `MACHINE\`, or null).
    listMachineCreds: db.prepare(`${CRED_SELECT} WHERE cl.name_key = @client
      AND (instr(c.username_key, '\\') = 0 OR substr(c.username_key, 1, length(@prefix)) = @prefix) ORDER BY c.id`).raw(),
    sealedById: db.prepare('SELECT password_enc, username_key, version FROM credentials WHERE id = ?'),
    captureTarget: db.prepare(`SELECT c.username_key, c.version, c.username, cl.name AS client, cl.agents_write_shared
      FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE c.id = ?`),
    setSealed: db.prepare('UPDATE credentials SET password_enc = ? WHERE id = ?'),
    setPassword: db.prepare(`UPDATE credentials SET password_enc = ?, version = version + 1, updated_at = ?, password_set_at = ?,
      password_source = ? WHERE id = ?`),
    currentById: db.prepare('SELECT password_enc, username_key, version, password_set_at, password_source FROM credentials WHERE id = ?'),
    historyPut: db.prepare(`INSERT INTO password_history (credential_id, version, password_enc, set_at, source, replaced_at)
      VALUES (?, ?, ?, ?, ?, ?)`),
    // Only the newest @keep earlier passwords stay.
    // Everything at or below the (keep+1)-th newest version: one seek on the primary key. (NOT IN over a
    // LIMIT subquery built a temporary table on every write, 3 to 9 times slower, measured.) Fewer than
    // keep+1 rows: the subquery is NULL and nothing is deleted.
    historyTrim: db.prepare(`DELETE FROM password_history WHERE credential_id = @id AND version <=
      (SELECT version FROM password_history WHERE credential_id = @id ORDER BY version DESC LIMIT 1 OFFSET @keep)`),
    historyList: db.prepare('SELECT version, set_at, source, replaced_at FROM password_history WHERE credential_id = ? ORDER BY version DESC'),
    historySealed: db.prepare('SELECT password_enc FROM password_history WHERE credential_id = ? AND version = ?').pluck(),
    setMeta: db.prepare('UPDATE credentials SET mode = ?, windows_sync = ?, updated_at = ? WHERE id = ?'),

    appliedGet: db.prepare('SELECT credential_id FROM applied_events WHERE event_id = ?').pluck(),
    appliedPut: db.prepare('INSERT INTO applied_events (event_id, credential_id, at) VALUES (?, ?, ?)'),

    flagAdd: db.prepare('INSERT INTO credential_flags (credential_id, flag, set_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    flagDel: db.prepare('DELETE FROM credential_flags WHERE credential_id = ? AND flag = ?'),

    upsertMachine: db.prepare(`INSERT INTO machines (name, name_key, client_id, filter_state, journal_depth, last_seen, filter_state_since)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, client_id = excluded.client_id,
        filter_state_since = CASE WHEN machines.filter_state = excluded.filter_state THEN machines.filter_state_since ELSE excluded.last_seen END,
        filter_state = excluded.filter_state, journal_depth = excluded.journal_depth, last_seen = excluded.last_seen`),
    listMachines: db.prepare(`SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
      FROM machines m JOIN clients cl ON cl.id = m.client_id ORDER BY m.name_key`),

    // An event whose uid this machine's events already hold was delivered before: stored once.
    insertEvent: db.prepare(`INSERT INTO events (time, machine, account, account_key, credential_id, kind, outcome, reason, trace_id, uid)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid, machine) DO NOTHING`),

    conflictOne: db.prepare(CONFLICT_SQL.one),
    conflictUpsert: db.prepare(CONFLICT_SQL.upsert),
    conflictResolve: db.prepare(CONFLICT_SQL.resolve),
    conflictRemove: db.prepare(CONFLICT_SQL.remove),
    conflictMissing: db.prepare(CONFLICT_SQL.missing),
    conflictOpen: db.prepare(CONFLICT_SQL.open).pluck(),
    conflictFlagOn: db.prepare(CONFLICT_SQL.flagOn),
    conflictFlagOff: db.prepare(CONFLICT_SQL.flagOff),
    touch: db.prepare(CONFLICT_SQL.touch),

    metaGet: db.prepare('SELECT value FROM vault_meta WHERE name = ?').pluck(),
    metaPut: db.prepare('INSERT INTO vault_meta (name, value) VALUES (?, ?)'),
  };
}

export class SqliteVault implements VaultPort, MachineListing, BatchImport {
  private readonly db: SqliteDatabase;
  private readonly box: SecretBox;
  private readonly now: () => number;
  private readonly st: ReturnType<typeof prepareStatements>;
  /** queryEvents and listConflicts statements, one per combination of filters used (at most 16 + 8). */
  private readonly eventQueries = new Map<string, SqliteStatement>();
  /** The capture path's writes (and events, flags) share one COMMIT per turn of the event loop. */
  private readonly group: GroupCommit;
  private readonly historyKeep: number;

  static async open(options: SqliteVaultOptions): Promise<SqliteVault> {
    return new SqliteVault(options);
  }

  constructor(options: SqliteVaultOptions) {
    const historyKeep = checkHistoryKeep(options.historyKeep);
    const box = new SecretBox(options.key);
    const db = openDatabase(options.path, vaultMigrations('sqlite'), options.sqlite);
    try {
      this.st = prepareStatements(db);
      this.db = db;
      this.group = new GroupCommit(db);
      this.box = box;
      this.now = options.now ?? Date.now;
      this.historyKeep = historyKeep;
      this.checkKey(options.path);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  // ---- clients -------------------------------------------------------------------------------------

  async addClient(input: NewClient): Promise<Client> {
    const client = checkNewClient(input);
    const key = foldName(client.name);
    this.db.transaction(() => {
      if (this.st.clientId.get(key) !== undefined) throw new VaultInputError(`client "${client.name}" already exists`);
      this.st.insertClient.run(client.name, key, b(client.windowsSync), b(client.twoWaySync), b(client.autoCreate),
        client.defaultMode, b(client.agentsWriteShared));
    }, 'immediate');
    return this.clientSync(client.name)!;
  }

  async updateClient(name: string, change: ClientChange): Promise<Client> {
    checkName('client name', name);
    const options = checkClientChange(change);
    return this.db.transaction(() => {
      const current = this.clientSync(name);
      if (!current) throw new VaultNotFoundError(`client "${name}"`);
      const c = { ...current, ...options };
      this.st.updateClient.run(b(c.windowsSync), b(c.twoWaySync), b(c.autoCreate), c.defaultMode, b(c.agentsWriteShared), foldName(name));
      return this.clientSync(name)!;
    }, 'immediate');
  }

  async deleteClient(name: string): Promise<void> {
    checkName('client name', name);
    this.db.transaction(() => {
      const current = this.clientSync(name);
      if (!current) throw new VaultNotFoundError(`client "${name}"`);
      const id = this.requireClientId(name);
      checkEmpty(current.name, this.st.clientHoldings.get({ id }) as ClientHoldings);
      this.st.deleteRevokedAgents.run(id);
      this.st.deleteClient.run(id);
    }, 'immediate');
  }

  async getClient(name: string): Promise<Client | undefined> {
    return this.clientSync(name);
  }

  async listClients(): Promise<Client[]> {
    return (this.st.listClients.all() as ClientRow[]).map(toClient);
  }

  // ---- credentials ---------------------------------------------------------------------------------

  async addCredential(cred: NewCredential, eventId?: string, source?: PasswordSource): Promise<Credential> {
    checkNewCredential(cred);
    const ev = eventId === undefined ? undefined : checkEventId(eventId);
    const from = checkSource(source);
    return this.db.transaction(() => {
      const done = ev === undefined ? undefined : this.appliedCredential(ev);
      if (done) return done;
      const id = this.addInTransaction(cred, from);
      if (ev !== undefined) this.st.appliedPut.run(ev, id, this.now());
      return this.credentialById(id);
    }, 'immediate');
  }

  /** addCredential's write, in the caller's transaction. */
  private addInTransaction(cred: NewCredential, from: PasswordSource | undefined): number {
    const clientId = this.requireClientId(cred.client);
    if (this.st.credByName.get(foldName(cred.client), foldName(cred.username)) !== undefined) {
      throw new VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
    }
    return this.insertCredential(clientId, cred, undefined, from);
  }

  /**
   * Many credentials in one transaction (imports, benches): one fsync instead of one per row.
   * Not on the port. Refuses the whole batch if any username already exists.
   */
  bulkAddCredentials(creds: NewCredential[]): Credential[] {
    creds.forEach(checkNewCredential);
    return this.db.transaction(() => creds.map((cred) => {
      const clientId = this.requireClientId(cred.client);
      if (this.st.credByName.get(foldName(cred.client), foldName(cred.username)) !== undefined) {
        throw new VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
      }
      return this.credentialById(this.insertCredential(clientId, cred));
    }), 'immediate');
  }

  async updateCredential(client: string, username: string, change: CredentialChange, source?: PasswordSource): Promise<Credential> {
    checkName('client name', client);
    checkName('username', username);
    checkChange(change);
    const from = checkSource(source);
    return this.db.transaction(() => this.credentialById(this.updateInTransaction(client, username, change, from)), 'immediate');
  }

  /** updateCredential's write, in the caller's transaction. */
  private updateInTransaction(client: string, username: string, change: CredentialChange, from: PasswordSource | undefined): number {
    const row = this.st.credByName.get(foldName(client), foldName(username)) as CredRow | undefined;
    if (!row) throw new VaultNotFoundError(`credential "${username}" in client "${client}"`);
    const current = toCredential(row);
    const now = this.now();
    if (change.password !== undefined) {
      this.replacePassword(current.id, change.password, now, from);
    }
    if (change.mode !== undefined || change.windowsSync !== undefined) {
      this.st.setMeta.run(change.mode ?? current.mode, b(change.windowsSync ?? current.windowsSync), now, current.id);
    }
    return current.id;
  }

  /** src/vault/batch-import.ts: the writes checked first, then applied in one transaction. */
  async importBatch(writes: ImportWrite[], source?: PasswordSource): Promise<Credential[]> {
    const from = checkSource(source);
    let at = 0;
    try {
      for (; at < writes.length; at++) checkImportWrite(writes[at]);
      at = 0;
      return this.db.transaction(() => {
        const ids: number[] = [];
        for (; at < writes.length; at++) {
          const w = writes[at];
          ids.push(w.kind === 'create' ? this.addInTransaction(w.credential, from) : this.updateInTransaction(w.client, w.username, w.change, from));
        }
        return ids.map((id) => this.credentialById(id));
      }, 'immediate');
    } catch (err) {
      throw new ImportBatchError(at, err);
    }
  }

  /** Its flags and applied-event ids go with it (their foreign keys); its id is remembered so none reuses it. */
  async deleteCredential(client: string, username: string): Promise<Credential> {
    checkName('client name', client);
    checkName('username', username);
    return this.db.transaction(() => {
      const row = this.st.credByName.get(foldName(client), foldName(username)) as CredRow | undefined;
      if (!row) throw new VaultNotFoundError(`credential "${username}" in client "${client}"`);
      const gone = toCredential(row);
      this.st.deleteCredFlags.run(gone.id);
      this.st.deleteCredApplied.run(gone.id);
      this.st.deleteCred.run(gone.id);
      const high = (this.st.deletedHighGet.get() as number | undefined) ?? 0;
      if (gone.id > high) this.st.deletedHighPut.run(Buffer.from(String(gone.id)));
      return gone;
    }, 'immediate');
  }

  /** An unknown client lists nothing (reads do not fail on names; writes do). */
  async listCredentials(client: string): Promise<Credential[]> {
    return (this.st.listCreds.all(foldName(client)) as CredRow[]).map(toCredential);
  }

  /** The agent's listing (src/vault/machine-listing.ts), filtered in SQL. */
  async listCredentialsForMachine(client: string, machine: string): Promise<Credential[]> {
    return (this.st.listMachineCreds.all({ client: foldName(client), prefix: machinePrefix(machine) }) as CredRow[]).map(toCredential);
  }

  async findCredential(client: string, username: string): Promise<Credential | undefined> {
    const row = this.st.credByName.get(foldName(client), foldName(username)) as CredRow | undefined;
    return row && toCredential(row);
  }

  async readPassword(credentialId: number): Promise<Buffer> {
    checkId('credentialId', credentialId);
    const row = this.st.sealedById.get(credentialId) as SealedRow | undefined;
    if (!row) throw new VaultNotFoundError(`credential ${credentialId}`);
    try {
      return this.box.open(row.password_enc, credentialContext(credentialId, row.username_key));
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
    return this.group.submit(() => {
      // Idempotency first: after the first apply the version has moved on, so a re-delivery would
      // otherwise look like a conflict.
      const done = this.appliedCredential(ev);
      if (done) return { credential: done, applied: false };
      const row = this.st.captureTarget.get(credentialId) as CaptureTargetRow | undefined;
      if (!row) throw new VaultNotFoundError(`credential ${credentialId}`);
      checkCaptureWrite({ name: row.client, agentsWriteShared: row.agents_write_shared === 1 }, row.username);
      if (row.version !== baseVersion) throw new VaultConflictError(credentialId, baseVersion, row.version);
      const now = this.now();
      this.replacePassword(credentialId, password, capturedAt ?? now, from);
      this.st.appliedPut.run(ev, credentialId, now);
      return { credential: this.credentialById(credentialId), applied: true };
    });
  }

  async createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number, source?: PasswordSource):
    Promise<{ credential: Credential; applied: boolean }> {
    checkNewCredential(cred);
    const ev = checkEventId(eventId);
    const from = checkSource(source);
    return this.group.submit(() => {
      const done = this.appliedCredential(ev);
      if (done) return { credential: done, applied: false };
      const clientId = this.requireClientId(cred.client);
      checkCaptureWrite(this.clientSync(cred.client)!, cred.username);
      // Someone (an operator, another event) created it meanwhile: keep theirs, never a duplicate.
      const existing = this.st.credByName.get(foldName(cred.client), foldName(cred.username)) as CredRow | undefined;
      if (existing) return { credential: toCredential(existing), applied: false };
      const id = this.insertCredential(clientId, cred, capturedAt, from);
      this.st.appliedPut.run(ev, id, this.now());
      return { credential: this.credentialById(id), applied: true };
    });
  }

  async listPasswordHistory(credentialId: number): Promise<PasswordHistoryEntry[]> {
    checkId('credentialId', credentialId);
    return this.db.transaction(() => {
      const cur = this.st.currentById.get(credentialId) as CurrentRow | undefined;
      if (!cur) throw new VaultNotFoundError(`credential ${credentialId}`);
      return [currentEntry(cur.version, cur.password_set_at, cur.password_source), ...(this.st.historyList.all(credentialId) as HistoryRow[]).map(toHistoryEntry)];
    });
  }

  async restorePassword(credentialId: number, version: number, by: string): Promise<Credential> {
    const r = checkRestore(credentialId, version, by);
    return this.db.transaction(() => {
      const cur = this.st.currentById.get(r.credentialId) as CurrentRow | undefined;
      if (!cur) throw new VaultNotFoundError(`credential ${r.credentialId}`);
      const sealed = this.st.historySealed.get(r.credentialId, r.version) as Buffer | undefined;
      if (sealed === undefined) throw new VaultNotFoundError(`version ${r.version} in the password history of credential ${r.credentialId}`);
      const password = this.openHistory(r.credentialId, cur.username_key, r.version, sealed);
      try {
        this.replacePassword(r.credentialId, password, this.now(), { kind: 'restore', fromVersion: r.version, by: r.by });
      } finally {
        password.fill(0);
      }
      return this.credentialById(r.credentialId);
    }, 'immediate');
  }

  async setFlag(credentialId: number, flag: Flag, on: boolean): Promise<void> {
    checkId('credentialId', credentialId);
    checkFlag(flag);
    checkBool('on', on);
    return this.group.submit(() => {
      if (this.st.sealedById.get(credentialId) === undefined) throw new VaultNotFoundError(`credential ${credentialId}`);
      if (on) this.st.flagAdd.run(credentialId, flag, this.now());
      else this.st.flagDel.run(credentialId, flag);
    });
  }

  // ---- conflicts (src/vault/conflict-records.ts) ----------------------------------------------------

  async recordConflict(credentialId: number, side: ConflictSide): Promise<void> {
    checkId('credentialId', credentialId);
    const s = checkSide(side);
    return this.group.submit(() => {
      if (this.st.sealedById.get(credentialId) === undefined) throw new VaultNotFoundError(`credential ${credentialId}`);
      const now = this.now();
      this.st.conflictUpsert.run(credentialId, s.machine, foldName(s.machine), s.capturedAt, s.eventId, now);
      this.st.conflictFlagOn.run(credentialId, now);
    });
  }

  async listConflicts(filter?: ConflictFilter): Promise<Conflict[]> {
    const q = listQuery(checkFilter(filter));
    // One statement per combination of filters (at most 8), prepared once: every reconcile pass lists.
    let stmt = this.eventQueries.get(q.sql);
    if (!stmt) {
      stmt = this.db.prepare(q.sql);
      this.eventQueries.set(q.sql, stmt);
    }
    return sortConflicts((stmt.all(...(q.params as Array<string | number>)) as ConflictRow[]).map(toConflict));
  }

  async resolveConflict(credentialId: number, machine: string, choice: ConflictChoice, by: string): Promise<Conflict> {
    checkId('credentialId', credentialId);
    checkName('machine', machine);
    const c = checkChoice(choice);
    checkName('resolved by', by);
    return this.db.transaction(() => {
      const cur = this.conflictSync(credentialId, machine);
      if (!cur) throw new VaultNotFoundError(noConflict(credentialId, machine));
      if (c === 'machine' && cur.captureMissingAt !== undefined) {
        throw new VaultInputError(`machine "${cur.machine}" no longer holds the conflicted capture (it said so ${new Date(cur.captureMissingAt).toISOString()}); only keeping the vault's can settle this conflict`);
      }
      const now = this.now();
      this.st.conflictResolve.run(c, by, now, credentialId, foldName(machine));
      this.st.touch.run(now, credentialId);
      this.syncConflictFlag(credentialId);
      return this.conflictSync(credentialId, machine)!;
    }, 'immediate');
  }

  async takeConflictedCapture(credentialId: number, password: Buffer, eventId: string, machine: string): Promise<{ credential: Credential; applied: boolean }> {
    checkId('credentialId', credentialId);
    checkPassword(password);
    const ev = checkEventId(eventId);
    checkName('machine', machine);
    return this.db.transaction(() => {
      const done = this.appliedCredential(ev);
      if (done) return { credential: done, applied: false };
      const cur = this.conflictSync(credentialId, machine);
      const refusal = takeRefusal(cur, credentialId, machine, ev);
      if (refusal) throw new VaultInputError(refusal);
      const now = this.now();
      this.replacePassword(credentialId, password, now, { kind: 'capture', machine: cur!.machine, resolvedBy: cur!.resolution!.by });
      this.st.appliedPut.run(ev, credentialId, now);
      this.st.conflictRemove.run(credentialId, foldName(machine));
      this.syncConflictFlag(credentialId);
      return { credential: this.credentialById(credentialId), applied: true };
    }, 'immediate');
  }

  async settleConflict(credentialId: number, machine: string, how: ConflictSettlement): Promise<void> {
    checkId('credentialId', credentialId);
    checkName('machine', machine);
    const h = checkSettlement(how);
    this.db.transaction(() => {
      const cur = this.conflictSync(credentialId, machine);
      if (!cur) throw new VaultNotFoundError(noConflict(credentialId, machine));
      const now = this.now();
      if (h === 'vault-kept') {
        if (cur.resolution?.choice !== 'vault') throw new VaultInputError(`the conflict of machine "${machine}" on credential ${credentialId} was not resolved as "keep the vault's"`);
        this.st.conflictRemove.run(credentialId, foldName(machine));
      } else {
        this.st.conflictMissing.run(now, credentialId, foldName(machine));
      }
      this.st.touch.run(now, credentialId);
      this.syncConflictFlag(credentialId);
    }, 'immediate');
  }

  private conflictSync(credentialId: number, machine: string): Conflict | undefined {
    const row = this.st.conflictOne.get(credentialId, foldName(machine)) as ConflictRow | undefined;
    return row && toConflict(row);
  }

  /** The flag is on while a machine's conflict on the credential is still open (conflict-records.ts). */
  private syncConflictFlag(credentialId: number): void {
    if ((this.st.conflictOpen.get(credentialId) as number) > 0) this.st.conflictFlagOn.run(credentialId, this.now());
    else this.st.conflictFlagOff.run(credentialId);
  }

  // ---- machines and events -------------------------------------------------------------------------

  async recordMachine(machine: { name: string; client: string; filterState: string; journalDepth: number }): Promise<void> {
    checkName('machine name', machine?.name);
    checkName('client name', machine.client);
    checkName('filterState', machine.filterState);
    checkId('journalDepth', machine.journalDepth);
    this.db.transaction(() => {
      const clientId = this.requireClientId(machine.client);
      this.st.upsertMachine.run(machine.name, foldName(machine.name), clientId, machine.filterState, machine.journalDepth,
        this.now(), this.now());
    }, 'immediate');
  }

  /** Not on the port: for `status` and tests. */
  listMachines(): MachineRecord[] {
    return (this.st.listMachines.all() as MachineRow[]).map(toMachineRecord);
  }

  /**
   * All events in one transaction. Ids are assigned here; an `id` on the input is ignored. An event whose
   * `uid` is already stored for its machine is skipped (a repeated delivery).
   */
  async appendEvents(events: EventRecord[]): Promise<void> {
    events.forEach(checkEvent);
    return this.group.submit(() => {
      for (const e of events) {
        this.st.insertEvent.run(e.time, e.machine, e.account ?? null, e.account === undefined ? null : foldName(e.account),
          e.credentialId ?? null, e.kind, e.outcome, e.reason ?? null, e.traceId ?? null, e.uid ?? null);
      }
    });
  }

  /** Oldest first (by id). `limit` defaults to 1000; page with `afterId`. */
  async queryEvents(q: EventQuery): Promise<EventRecord[]> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.sinceMs !== undefined) { where.push('time >= ?'); args.push(checkId('sinceMs', q.sinceMs)); }
    if (q.account !== undefined) { where.push('account_key = ?'); args.push(foldName(q.account)); }
    if (q.kind !== undefined) { where.push('kind = ?'); args.push(q.kind); }
    if (q.machine !== undefined) { where.push('machine = ?'); args.push(q.machine); }
    if (q.afterId !== undefined) { where.push('id > ?'); args.push(checkId('afterId', q.afterId)); }
    const limit = q.limit === undefined ? DEFAULT_EVENT_LIMIT : checkId('limit', q.limit);
    const sql = `${EVENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id${q.latest ? ' DESC' : ''} LIMIT ?`;
    let stmt = this.eventQueries.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.eventQueries.set(sql, stmt);
    }
    const rows = (stmt.all(...args, limit) as EventRow[]).map(toEvent);
    return q.latest ? rows.reverse() : rows;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.group.flush();
    this.db.close();
  }

  // ---- internals -----------------------------------------------------------------------------------

  private clientSync(name: string): Client | undefined {
    const row = this.st.clientByKey.get(foldName(name)) as ClientRow | undefined;
    return row && toClient(row);
  }

  private requireClientId(name: string): number {
    const id = this.st.clientId.get(foldName(name)) as number | undefined;
    if (id === undefined) throw new VaultNotFoundError(`client "${name}"`);
    return id;
  }

  private credentialById(id: number): Credential {
    const row = this.st.credById.get(id) as CredRow | undefined;
    if (!row) throw new VaultNotFoundError(`credential ${id}`);
    return toCredential(row);
  }

  /** The credential an already-applied event id produced, or undefined when the id is new. */
  private appliedCredential(eventId: string): Credential | undefined {
    const id = this.st.appliedGet.get(eventId) as number | undefined;
    return id === undefined ? undefined : this.credentialById(id);
  }

  /**
   * The row is inserted first and sealed second because the AAD binds the id, which only the insert
   * assigns; both happen in the caller's transaction, so no reader ever sees the empty placeholder.
   */
  private insertCredential(clientId: number, cred: NewCredential, passwordSetAt?: number, source?: PasswordSource): number {
    const now = this.now();
    const id = Number(this.st.insertCred.run(clientId, cred.username, foldName(cred.username), Buffer.alloc(0),
      b(cred.windowsSync), cred.mode, now, passwordSetAt ?? now, encodeSource(source)).lastInsertRowid);
    this.st.setSealed.run(this.seal(id, cred.username, cred.password), id);
    return id;
  }

  /**
   * Every password write comes through here, inside the caller's transaction: the password it replaces
   * goes into the history (resealed with the version in its AAD), the history is cut to the newest
   * `historyKeep`, then the new one is stored as the next version. A current password that does not open
   * (a damaged record) is not kept: the write that replaces it must not fail for it.
   */
  private replacePassword(id: number, password: Buffer, setAt: number, source: PasswordSource | undefined): void {
    const cur = this.st.currentById.get(id) as CurrentRow | undefined;
    if (!cur) throw new VaultNotFoundError(`credential ${id}`);
    const now = this.now();
    const old = this.historyKeep > 0 ? openOrUndefined(this.box, cur.password_enc, credentialContext(id, cur.username_key)) : undefined;
    if (old) {
      try {
        this.st.historyPut.run(id, cur.version, this.box.seal(old, historyContext(id, cur.username_key, cur.version)),
          cur.password_set_at, cur.password_source, now);
      } finally {
        old.fill(0);
      }
    }
    this.st.historyTrim.run({ id, keep: this.historyKeep });
    this.st.setPassword.run(this.box.seal(password, credentialContext(id, cur.username_key)), now, setAt, encodeSource(source), id);
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

  /** Fail at open, with a clear message, when the key is not the one this vault was created with. */
  private checkKey(file: string): void {
    const sealed = this.st.metaGet.get(KEY_CHECK_NAME) as Buffer | undefined;
    if (sealed === undefined) {
      this.st.metaPut.run(KEY_CHECK_NAME, sealKeyCheck(this.box));
      return;
    }
    const ok = keyCheckOpens(this.box, sealed);
    if (!ok) throw new Error(`the vault key does not open ${file} (the database was created with another key)`);
  }
}

// Re-exported so callers of the SQLite vault need one import.
export { VaultInputError } from './errors';
