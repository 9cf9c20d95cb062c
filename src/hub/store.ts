/**
 * The hub's own records, in the vault's database (migration 2): users, login sessions, enrolled agents
 * and failed-login counters (src/hub/login-throttle.ts); enrolment tokens (migration 9). Everything lives in the database, so any hub
 * process on it can serve any request; a process keeps nothing of its own between requests. Tokens are
 * stored as SHA-256 only.
 */
import { VaultInputError } from '../vault/errors';
import { foldName } from '../domain/fold-name';
import { checkName } from '../vault/validate';
import { reservedMachineName, reservedMachineMessage } from './access';
import { cursorFor, toChangeCredential, type ChangeState } from './change-cursor';
import { ChangeWatch } from './change-watch';
import { LoginThrottle, userThrottleKey } from './login-throttle';
import type { SecretBox } from '../vault/secret-box';
import type { Sql, SqlQueries } from './sql';

/** Push-down's per-tick query (HubStore.changeSignatures); exported so a test can ask each engine what it reads. */
export const CHANGE_SIGNATURES_SQL = `SELECT name_key AS k, windows_sync AS ws, two_way_sync AS tw, auto_create AS ac, default_mode AS dm,
  change_seq AS seq FROM clients`;

export type Role = 'admin' | 'operator' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];
export type Permission = 'setup-ad-sync';
export const PERMISSIONS: readonly Permission[] = ['setup-ad-sync'];

export interface HubUser {
  id: number;
  name: string;
  role: Role;
  permissions: Permission[];
  disabled: boolean;
  createdAt: number;
  /** A TOTP second factor is in force (src/hub/mfa.ts). */
  mfa: boolean;
}

/** An enrolment token as listed (never the token: only its hash is stored). */
export interface EnrolmentToken {
  id: number;
  client: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  uses: number;
  usesLeft: number;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** Why a presented enrolment token cannot be used now (undefined from takeEnrolmentUse: one use taken). */
export type EnrolmentRefusal = 'unknown' | 'revoked' | 'expired' | 'used-up';

interface EnrolmentRow { id: number; client: string; created_by: string; created_at: number; expires_at: number; uses: number; uses_left: number; revoked_at: number | null; revoked_by: string | null }

const ENROLMENT_SELECT = `SELECT t.id, c.name AS client, t.created_by, t.created_at, t.expires_at, t.uses, t.uses_left, t.revoked_at, t.revoked_by
  FROM hub_enrolment_tokens t JOIN clients c ON c.id = t.client_id`;

function toEnrolmentToken(r: EnrolmentRow): EnrolmentToken {
  const n = (v: number | null) => (v == null ? null : Number(v));
  return {
    id: Number(r.id), client: r.client, createdBy: r.created_by, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
    uses: Number(r.uses), usesLeft: Number(r.uses_left), revokedAt: n(r.revoked_at), revokedBy: r.revoked_by,
  };
}

export interface HubAgent {
  id: number;
  client: string;
  machine: string;
}

/** A row of the machines table, as the dashboard shows it. */
export interface MachineView {
  name: string;
  client: string;
  filterState: string;
  journalDepth: number;
  lastSeen: number;
}

const byKey = (a: string, b: string): number => (foldName(a) < foldName(b) ? -1 : foldName(a) > foldName(b) ? 1 : 0);

export interface CredentialScope {
  client: string;
  username: string;
}

interface UserRow { id: number; name: string; role: Role; permissions: string; password_hash: string; disabled: number; created_at: number; totp_enc: Buffer | null }

// totp_enc only for whether it is NULL (HubUser.mfa); the sealed secret is opened by src/hub/mfa.ts alone.
const USER_COLUMNS = 'id, name, role, permissions, password_hash, disabled, created_at, totp_enc';

function toUser(r: UserRow): HubUser {
  return {
    id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at, mfa: r.totp_enc != null,
    permissions: r.permissions === '' ? [] : (r.permissions.split(',') as Permission[]),
  };
}

export function checkRole(value: unknown): Role {
  if (!ROLES.includes(value as Role)) throw new VaultInputError(`role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as Role;
}

/**
 * Setup AD Sync hands out an agent token that reads the client's passwords, so only a role that may read
 * passwords itself may hold it: a viewer with it could read every password through an agent of their own.
 */
export function checkPermissions(role: Role, value: unknown): Permission[] {
  if (!Array.isArray(value) || value.some((p) => !PERMISSIONS.includes(p as Permission))) {
    throw new VaultInputError(`permissions must be a list of ${PERMISSIONS.join(', ')}`);
  }
  const perms = [...new Set(value as Permission[])].sort();
  if (role === 'viewer' && perms.includes('setup-ad-sync')) {
    throw new VaultInputError('permission setup-ad-sync needs role operator or admin: an enrolled agent reads passwords, which a viewer may not');
  }
  return perms;
}

/** Refused: the change would leave the hub without an enabled admin (nobody could manage users any more). */
export class LastAdminError extends Error {
  constructor(readonly user: string, what: string) {
    super(`user "${user}" is the last enabled admin: ${what} it and nobody could manage the hub's users; make another admin first`);
    this.name = 'LastAdminError';
  }
}

export class HubStore {
  private watch?: ChangeWatch;
  /** Failed logins per user name and per address. */
  readonly throttle: LoginThrottle;

  /**
   * `box`: the vault key, for what the hub seals in its own tables (a user's TOTP secret, src/hub/mfa.ts);
   * openHubDatabase gives it. Without it, TOTP enrolment and codes fail with a clear error.
   */
  constructor(readonly sql: Sql, private readonly now: () => number = Date.now, readonly box?: SecretBox) {
    this.throttle = new LoginThrottle(sql, now);
  }

  async ping(): Promise<void> {
    await this.sql.all('SELECT 1 AS ok');
  }

  // ---- users -------------------------------------------------------------------------------------

  /**
   * The first admin, only if the hub has no user yet. In one transaction, so hub processes starting
   * together on one new database make one admin between them. Returns whether this call made it.
   */
  async createFirstAdmin(name: string, passwordHash: string): Promise<boolean> {
    checkName('admin name', name);
    return this.sql.tx(async (q) => {
      if ((await q.all('SELECT id FROM hub_users LIMIT 1')).length > 0) return false;
      await q.run(`INSERT INTO hub_users (name, name_key, role, permissions, password_hash, created_at) VALUES ($1, $2, 'admin', $3, $4, $5)`,
        [name, foldName(name), 'setup-ad-sync', passwordHash, this.now()]);
      return true;
    });
  }

  async hasUsers(): Promise<boolean> {
    return (await this.sql.all('SELECT id FROM hub_users LIMIT 1')).length > 0;
  }

  async createUser(user: { name: string; role: Role; permissions: Permission[] }, passwordHash: string): Promise<HubUser> {
    checkName('name', user.name);
    const role = checkRole(user.role);
    const perms = checkPermissions(role, user.permissions);
    const rows = await this.sql.all<UserRow>(
      `INSERT INTO hub_users (name, name_key, role, permissions, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name_key) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [user.name, foldName(user.name), role, perms.join(','), passwordHash, this.now()]);
    if (rows.length === 0) throw new VaultInputError(`user "${user.name}" already exists`);
    return toUser(rows[0]);
  }

  async listUsers(): Promise<HubUser[]> {
    return (await this.sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM hub_users ORDER BY id`)).map(toUser);
  }

  /** The user and their stored hash, for login. */
  async userForLogin(name: string): Promise<{ user: HubUser; passwordHash: string } | undefined> {
    const rows = await this.sql.all<UserRow>(`SELECT ${USER_COLUMNS} FROM hub_users WHERE name_key = $1`, [foldName(name)]);
    return rows[0] && { user: toUser(rows[0]), passwordHash: rows[0].password_hash };
  }

  // ---- sessions ----------------------------------------------------------------------------------

  async createSession(userId: number, tokenHash: string, ttlMs: number): Promise<number> {
    const now = this.now();
    await this.sql.run('DELETE FROM hub_sessions WHERE expires_at < $1', [now]);
    await this.sql.run('INSERT INTO hub_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenHash, userId, now, now + ttlMs]);
    return now + ttlMs;
  }

  /** The user of a live session; a disabled user's sessions no longer count. */
  async sessionUser(tokenHash: string): Promise<HubUser | undefined> {
    const rows = await this.sql.all<UserRow>(
      `SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')} FROM hub_sessions s JOIN hub_users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0`, [tokenHash, this.now()]);
    return rows[0] && toUser(rows[0]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.sql.run('DELETE FROM hub_sessions WHERE token_hash = $1', [tokenHash]);
  }

  // ---- agents ------------------------------------------------------------------------------------

  /**
   * Enrol a machine into a client: earlier tokens of the same machine are revoked in the same
   * transaction (a machine serves one client, with one token). The client must exist.
   */
  async createAgent(a: { client: string; machine: string; tokenHash: string; enrolledBy: string }): Promise<HubAgent & { revoked: number }> {
    checkName('machine', a.machine);
    const reserved = reservedMachineName(a.machine);
    if (reserved) throw new VaultInputError(reservedMachineMessage(a.machine, reserved));
    return this.sql.tx(async (q) => {
      const clients = await q.all<{ id: number; name: string }>('SELECT id, name FROM clients WHERE name_key = $1', [foldName(a.client)]);
      if (clients.length === 0) throw new VaultInputError(`client "${a.client}" does not exist`);
      const now = this.now();
      const revoked = await q.run('UPDATE hub_agents SET revoked_at = $1 WHERE machine_key = $2 AND revoked_at IS NULL', [now, foldName(a.machine)]);
      const rows = await q.all<{ id: number }>(
        `INSERT INTO hub_agents (token_hash, client_id, machine, machine_key, enrolled_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [a.tokenHash, clients[0].id, a.machine, foldName(a.machine), a.enrolledBy, now]);
      return { id: rows[0].id, client: clients[0].name, machine: a.machine, revoked };
    });
  }

  async agentByToken(tokenHash: string): Promise<HubAgent | undefined> {
    const rows = await this.sql.all<{ id: number; client: string; machine: string }>(
      `SELECT a.id, c.name AS client, a.machine FROM hub_agents a JOIN clients c ON c.id = a.client_id
       WHERE a.token_hash = $1 AND a.revoked_at IS NULL`, [tokenHash]);
    return rows[0];
  }

  // ---- enrolment tokens (src/hub/api/enrolment-routes.ts) ---------------------------------------------

  /** A token for one existing client; `now` is the hub's clock (the routes' ctx.now). */
  async createEnrolmentToken(t: { client: string; tokenHash: string; createdBy: string; now: number; expiresAt: number; uses: number }): Promise<EnrolmentToken> {
    const rows = await this.sql.all<{ id: number }>(
      `INSERT INTO hub_enrolment_tokens (token_hash, client_id, created_by, created_at, expires_at, uses, uses_left)
       SELECT $1, id, $2, $3, $4, $5, $5 FROM clients WHERE name_key = $6 RETURNING id`,
      [t.tokenHash, t.createdBy, t.now, t.expiresAt, t.uses, foldName(t.client)]);
    if (rows.length === 0) throw new VaultInputError(`client "${t.client}" does not exist`);
    return (await this.enrolmentToken(Number(rows[0].id)))!;
  }

  async enrolmentToken(id: number): Promise<EnrolmentToken | undefined> {
    const rows = await this.sql.all<EnrolmentRow>(`${ENROLMENT_SELECT} WHERE t.id = $1`, [id]);
    return rows[0] && toEnrolmentToken(rows[0]);
  }

  /** Newest first. */
  async listEnrolmentTokens(): Promise<EnrolmentToken[]> {
    return (await this.sql.all<EnrolmentRow>(`${ENROLMENT_SELECT} ORDER BY t.id DESC`)).map(toEnrolmentToken);
  }

  /** Undefined: no such id. `changed` false: it was revoked already (the first revocation's who and when stay). */
  async revokeEnrolmentToken(id: number, by: string, now: number): Promise<{ token: EnrolmentToken; changed: boolean } | undefined> {
    const changed = await this.sql.run('UPDATE hub_enrolment_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL', [now, by, id]);
    const token = await this.enrolmentToken(id);
    return token && { token, changed: changed > 0 };
  }

  /**
   * Take one use of the token with this hash: one UPDATE whose WHERE holds every condition, so parallel
   * enrolments cannot spend more uses than are left (SQLite orders writers; PostgreSQL re-checks the WHERE
   * on the row's latest version after the lock). Refused: a second look says which condition failed.
   */
  async takeEnrolmentUse(tokenHash: string, now: number): Promise<{ token: EnrolmentToken } | { refused: EnrolmentRefusal; token?: EnrolmentToken }> {
    const taken = await this.sql.all<{ id: number }>(
      `UPDATE hub_enrolment_tokens SET uses_left = uses_left - 1
       WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses_left > 0 RETURNING id`, [tokenHash, now]);
    if (taken.length > 0) return { token: (await this.enrolmentToken(Number(taken[0].id)))! };
    const rows = await this.sql.all<EnrolmentRow>(`${ENROLMENT_SELECT} WHERE t.token_hash = $1`, [tokenHash]);
    if (!rows[0]) return { refused: 'unknown' };
    const token = toEnrolmentToken(rows[0]);
    const refused: EnrolmentRefusal = token.revokedAt !== null ? 'revoked' : token.expiresAt <= now ? 'expired' : 'used-up';
    return { refused, token };
  }

  // ---- scope lookups -----------------------------------------------------------------------------

  /** Which client and username a credential id belongs to (names never change once created). */
  async credentialScope(id: number): Promise<CredentialScope | undefined> {
    const rows = await this.sql.all<CredentialScope>(
      'SELECT cl.name AS client, c.username FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1', [id]);
    return rows[0];
  }

  /** What push-down's cursor is computed from (src/hub/change-cursor.ts); undefined: no such client. Three indexed queries. */
  async changeState(client: string): Promise<ChangeState | undefined> {
    const cl = await this.sql.all<{ id: number; windows_sync: number; two_way_sync: number; auto_create: number; default_mode: string }>(
      'SELECT id, windows_sync, two_way_sync, auto_create, default_mode FROM clients WHERE name_key = $1', [foldName(client)]);
    if (cl.length === 0) return undefined;
    const c = cl[0];
    const rows = await this.sql.all<{ id: number; username: string; version: number; mode: string; windows_sync: number }>(
      'SELECT id, username, version, mode, windows_sync FROM credentials WHERE client_id = $1 ORDER BY id', [c.id]);
    const resolutions = await this.sql.all<{ credential_id: number; machine_key: string; choice: string }>(
      `SELECT k.credential_id, k.machine_key, k.choice FROM credential_conflicts k JOIN credentials c ON c.id = k.credential_id
       WHERE c.client_id = $1 AND k.choice IS NOT NULL ORDER BY k.credential_id, k.machine_key`, [c.id]);
    return {
      client: { windowsSync: c.windows_sync, twoWaySync: c.two_way_sync, autoCreate: c.auto_create, defaultMode: c.default_mode },
      credentials: rows.map(toChangeCredential),
      resolutions: resolutions.map((r) => ({ credentialId: Number(r.credential_id), machineKey: r.machine_key, choice: r.choice })),
    };
  }

  /** The push-down cursor of an agent of `client` on `machine` (GET /api/changes). */
  async changeCursor(client: string, machine: string): Promise<string> {
    return cursorFor(await this.changeState(client), machine);
  }

  /**
   * One query for every client: a signature that moves whenever anything changeState reads for that client
   * moves. change_seq (migration 13) is bumped by triggers in the same transaction as every credential or
   * conflict write that can move a cursor; the sync options are read as they are. One row per client, no
   * credential row read: the watcher (change-watch.ts) runs this once per tick for all open polls and reads
   * a client's credentials only when its signature moved.
   */
  async changeSignatures(): Promise<Map<string, string>> {
    const rows = await this.sql.all<Record<string, unknown> & { k: string }>(CHANGE_SIGNATURES_SQL);
    // pg returns BIGINT as text, SQLite as a number: each engine compares with itself.
    return new Map(rows.map((r) => [r.k, `${r.ws}|${r.tw}|${r.ac}|${r.dm}|${r.seq}`]));
  }

  /** The newest event's id, 0 when there is none (the dashboard's event watcher, event-watch.ts): a primary-key lookup. */
  async latestEventId(): Promise<number> {
    const rows = await this.sql.all<{ id: number | string | null }>('SELECT MAX(id) AS id FROM events');
    return Number(rows[0]?.id ?? 0);
  }

  /** This process's watcher of open push-down polls (made on first use, closed with the store). */
  watchChanges(): ChangeWatch {
    this.watch ??= new ChangeWatch(this);
    return this.watch;
  }

  // ---- dashboard reads (src/hub/api/dashboard-routes.ts) -----------------------------------------------

  /** Every machine the hub has heard of, with what its agent last reported; sorted by name here (collations differ). */
  async listMachines(): Promise<MachineView[]> {
    const rows = await this.sql.all<{ name: string; client: string; filter_state: string; journal_depth: number; last_seen: number }>(
      `SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
       FROM machines m JOIN clients cl ON cl.id = m.client_id`);
    return rows
      .map((r) => ({ name: r.name, client: r.client, filterState: r.filter_state, journalDepth: Number(r.journal_depth), lastSeen: Number(r.last_seen) }))
      .sort((a, b) => byKey(a.name, b.name));
  }

  /** How many credentials carry each flag, per client (clients without a flag are left out). */
  async flagCounts(): Promise<Array<{ client: string; flag: string; count: number }>> {
    const rows = await this.sql.all<{ client: string; flag: string; n: number }>(
      `SELECT cl.name AS client, f.flag, COUNT(*) AS n
       FROM credential_flags f JOIN credentials c ON c.id = f.credential_id JOIN clients cl ON cl.id = c.client_id
       GROUP BY cl.name, f.flag`);
    return rows.map((r) => ({ client: r.client, flag: r.flag, count: Number(r.n) })).sort((a, b) => byKey(a.client, b.client) || byKey(a.flag, b.flag));
  }

  // ---- metrics (GET /metrics, src/hub/hub-metrics.ts) ----------------------------------------------

  /**
   * Events with afterId < id <= upToId (no upper bound when absent) counted by kind and outcome, and the
   * highest id among them: a range of the primary key, so a scrape reads only the events since the last.
   */
  async eventCounts(afterId: number, upToId?: number): Promise<{ kind: string; outcome: string; n: number; maxId: number }[]> {
    const rows = await this.sql.all<{ kind: string; outcome: string; n: number; max_id: number }>(
      `SELECT kind, outcome, COUNT(*) AS n, MAX(id) AS max_id FROM events WHERE id > $1 AND id <= $2 GROUP BY kind, outcome`,
      [afterId, upToId ?? Number.MAX_SAFE_INTEGER]);
    return rows.map((r) => ({ kind: r.kind, outcome: r.outcome, n: Number(r.n), maxId: Number(r.max_id) }));
  }

  /** The highest event id (0 when there is none): the end of the primary key's index. */
  async maxEventId(): Promise<number> {
    const rows = await this.sql.all<{ m: number | null }>('SELECT MAX(id) AS m FROM events');
    return Number(rows[0]?.m ?? 0);
  }

  /** The lowest event id above `id`, if any (counting skips a gap in the ids with it). */
  async eventIdAfter(id: number): Promise<number | undefined> {
    const rows = await this.sql.all<{ m: number | null }>('SELECT MIN(id) AS m FROM events WHERE id > $1', [id]);
    return rows[0]?.m == null ? undefined : Number(rows[0].m);
  }

  /** Credentials by flag and by mode, machines by filter state (with their journal depths), live agents. */
  async metricsTotals(): Promise<{
    flags: { flag: string; n: number }[];
    modes: { mode: string; n: number }[];
    machines: { state: string; n: number; depth: number }[];
    agents: number;
  }> {
    const flags = await this.sql.all<{ flag: string; n: number }>('SELECT flag, COUNT(*) AS n FROM credential_flags GROUP BY flag');
    const modes = await this.sql.all<{ mode: string; n: number }>('SELECT mode, COUNT(*) AS n FROM credentials GROUP BY mode');
    // SUM of a BIGINT is NUMERIC on PostgreSQL (text through pg): cast back.
    const machines = await this.sql.all<{ state: string; n: number; depth: number }>(
      'SELECT filter_state AS state, COUNT(*) AS n, CAST(SUM(journal_depth) AS BIGINT) AS depth FROM machines GROUP BY filter_state');
    const agents = await this.sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM hub_agents WHERE revoked_at IS NULL');
    return {
      flags: flags.map((r) => ({ flag: r.flag, n: Number(r.n) })),
      modes: modes.map((r) => ({ mode: r.mode, n: Number(r.n) })),
      machines: machines.map((r) => ({ state: r.state, n: Number(r.n), depth: Number(r.depth ?? 0) })),
      agents: Number(agents[0]?.n ?? 0),
    };
  }

  close(): Promise<void> {
    this.watch?.close();
    return this.sql.close();
  }

  // ---- operator changes to users (src/hub/user-admin.ts) ----------------------------------------

  async findUser(name: string): Promise<HubUser | undefined> {
    return (await this.userForLogin(name))?.user;
  }

  /**
   * A new password: the user's sessions end and its failed-login count is cleared, in the same
   * transaction (whoever knew the old password is logged out). Undefined: no such user.
   */
  async setUserPassword(name: string, passwordHash: string): Promise<{ user: HubUser; sessionsEnded: number } | undefined> {
    return this.sql.tx(async (q) => {
      const rows = await q.all<UserRow>(`UPDATE hub_users SET password_hash = $1 WHERE name_key = $2 RETURNING ${USER_COLUMNS}`,
        [passwordHash, foldName(name)]);
      if (rows.length === 0) return undefined;
      const sessionsEnded = await q.run('DELETE FROM hub_sessions WHERE user_id = $1', [rows[0].id]);
      await this.throttle.clear(userThrottleKey(foldName(name)), q);
      return { user: toUser(rows[0]), sessionsEnded };
    });
  }

  /**
   * Disable (its sessions end too) or enable a user. The last enabled admin is never disabled: a hub
   * without one can no longer manage its users. `changed` is false when it already was so.
   */
  async setUserDisabled(name: string, disabled: boolean): Promise<{ user: HubUser; changed: boolean; sessionsEnded: number } | undefined> {
    return this.sql.tx(async (q) => {
      const user = await this.lockedUser(q, name);
      if (!user) return undefined;
      if (user.disabled === disabled) return { user, changed: false, sessionsEnded: 0 };
      if (disabled && user.role === 'admin') await this.keepAnAdmin(q, user, 'disable');
      await q.run('UPDATE hub_users SET disabled = $1 WHERE id = $2', [disabled ? 1 : 0, user.id]);
      const sessionsEnded = disabled ? await q.run('DELETE FROM hub_sessions WHERE user_id = $1', [user.id]) : 0;
      return { user: { ...user, disabled }, changed: true, sessionsEnded };
    });
  }

  /** A new role and permissions (checked together); the last enabled admin is never demoted. */
  async setUserRole(name: string, role: Role, permissions: Permission[]): Promise<{ before: HubUser; after: HubUser } | undefined> {
    const r = checkRole(role);
    const perms = checkPermissions(r, permissions);
    return this.sql.tx(async (q) => {
      const before = await this.lockedUser(q, name);
      if (!before) return undefined;
      if (before.role === 'admin' && r !== 'admin' && !before.disabled) await this.keepAnAdmin(q, before, 'demote');
      await q.run('UPDATE hub_users SET role = $1, permissions = $2 WHERE id = $3', [r, perms.join(','), before.id]);
      return { before, after: { ...before, role: r, permissions: perms } };
    });
  }

  /**
   * The user, and on PostgreSQL a lock on every enabled admin's row as well as its own, so two changes at
   * once cannot each leave "the other" admin (READ COMMITTED re-checks a locked row's WHERE after the
   * wait). SQLite's BEGIN IMMEDIATE already orders all writers.
   */
  private async lockedUser(q: SqlQueries, name: string): Promise<HubUser | undefined> {
    const forUpdate = this.sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
    await q.all(`SELECT id FROM hub_users WHERE role = 'admin' AND disabled = 0 ORDER BY id${forUpdate}`);
    const rows = await q.all<UserRow>(`SELECT ${USER_COLUMNS} FROM hub_users WHERE name_key = $1${forUpdate}`, [foldName(name)]);
    return rows[0] && toUser(rows[0]);
  }

  private async keepAnAdmin(q: SqlQueries, user: HubUser, what: string): Promise<void> {
    const others = await q.all<{ id: number }>(`SELECT id FROM hub_users WHERE role = 'admin' AND disabled = 0 AND id <> $1`, [user.id]);
    if (others.length === 0) throw new LastAdminError(user.name, what);
  }
}
