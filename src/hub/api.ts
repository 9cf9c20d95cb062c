/**
 * The hub's JSON API: login and sessions, users, agent enrolment, and every VaultPort method at
 * `POST /api/vault/<method>` with the method's arguments by name (what src/vault/http.vault.ts calls).
 * Each route declares who may call it and the shape of its body; src/hub/server.ts does the HTTP.
 */
import type { EventQuery, EventRecord, Flag, NewClient } from '../domain/types';
import { VaultPolicyError, type ClientChange, type CredentialChange, type NewCredential, type VaultPort } from '../ports/vault.port';
import { VaultInputError } from '../vault/errors';
import { foldName } from '../vault/fold';
import { hasMachineListing } from '../vault/machine-listing';
import { checkName } from '../vault/validate';
import {
  HUB_EVENT_KINDS, HUB_MACHINE, appliesToAgent, atLeast, describePrincipal, ownMachineCredential, reservedMachineMessage,
  reservedMachineName, sameName,
  type Principal,
} from './access';
import { boundCaptureTime, describeClamp } from './capture-time';
import { dashboardRoutes } from './dashboard-api';
import { historyRoutes, sourceOf } from './history-api';
import { HttpError } from './http-error';
import { addressThrottleKey, userThrottleKey, type ThrottleLimits } from './login-throttle';
import { decoyHash, newToken, tokenHash, verifyPassword } from './passwords';
import { arr, bool, bytes, integer, obj, str, type Schema } from './schema';
import { LastAdminError, checkRole, type CredentialScope, type HubStore, type HubUser, type Permission, type Role } from './store';
import { changeAccess, createUser, setDisabled, setPassword, type UserAdmin } from './user-admin';

/** Failed-login throttle: `free` failures per user name and per address, then waits that double (login-throttle.ts). */
export type LoginLimits = ThrottleLimits;

/**
 * 5 failures of a user name (50 from an address: offices behind one NAT), then 1 s, 2 s, 4 s … up to
 * 5 min between attempts: about 290 guesses a day per user at most, against passwords of 12 characters or
 * more, while the user themself is only ever minutes from a login. Forgotten after 15 quiet minutes.
 */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perAddress: 50, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, windowMs: 15 * 60_000 };
export const SESSION_TTL_MS = 12 * 3600_000;
export const SESSION_COOKIE = 'pwbridge_session';
/** Hub user passwords: long enough to resist online guessing together with the rate limit. */
export const MIN_USER_PASSWORD = 12;
export const MAX_USER_PASSWORD = 1024;

export interface ApiContext {
  vault: VaultPort;
  store: HubStore;
  limits: LoginLimits;
  principal?: Principal;
  /** The peer's address, for login limits and events. */
  address: string;
  now: () => number;
  /** The request's query string (GET routes). */
  query?: URLSearchParams;
  /** True once the peer has gone or the hub is closing: a long poll stops. */
  gone?: () => boolean;
  /** Extra response headers (Set-Cookie). */
  setHeader(name: string, value: string): void;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** No login needed (login itself, health). */
  public?: boolean;
  body?: Schema;
  /** One line for the OpenAPI document. */
  summary?: string;
  /** The shape of a successful answer (the OpenAPI document's, and what the tests check real answers against). */
  response?: Schema;
  handle(ctx: ApiContext, args: any): Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

// ---- shared schemas ----------------------------------------------------------------------------------

const CLIENT_OPTION_FIELDS = { windowsSync: bool, twoWaySync: bool, autoCreate: bool, defaultMode: str, agentsWriteShared: bool };
/** A new client: the name, and the options that are not to be the defaults (CLIENT_DEFAULTS; the vault fills them in). */
const clientSchema = obj({ name: str, ...CLIENT_OPTION_FIELDS }, Object.keys(CLIENT_OPTION_FIELDS));
const clientChangeSchema = obj(CLIENT_OPTION_FIELDS, Object.keys(CLIENT_OPTION_FIELDS));
const newCredSchema = obj({ client: str, username: str, password: bytes, windowsSync: bool, mode: str });
const eventSchema = obj(
  { id: integer, time: integer, machine: str, account: str, credentialId: integer, kind: str, outcome: str, reason: str, traceId: str, uid: str },
  ['id', 'account', 'credentialId', 'reason', 'traceId', 'uid'],
);
const querySchema = obj(
  { sinceMs: integer, account: str, kind: str, machine: str, afterId: integer, limit: integer, latest: bool },
  ['sinceMs', 'account', 'kind', 'machine', 'afterId', 'limit', 'latest'],
);
/** Events per appendEvents request; the adapter sends bigger batches in several requests. */
export const MAX_EVENTS_PER_REQUEST = 2000;

// ---- helpers -------------------------------------------------------------------------------------------

export async function record(ctx: ApiContext, e: Omit<EventRecord, 'time' | 'machine'>): Promise<void> {
  const machine = ctx.principal?.kind === 'agent' ? ctx.principal.agent.machine : HUB_MACHINE;
  await ctx.vault.appendEvents([{ ...e, time: ctx.now(), machine }]);
}

/** Refuse with 403, after recording who tried what (the event is stored before the answer). */
export async function refuse(ctx: ApiContext, what: string, about: { account?: string; credentialId?: number } = {}): Promise<never> {
  const reason = `${describePrincipal(ctx.principal)} may not ${what}`;
  await record(ctx, { kind: 'access-refused', outcome: 'refused', reason, ...about });
  throw new HttpError(403, 'forbidden', reason);
}

function requireUser(ctx: ApiContext): HubUser {
  if (ctx.principal?.kind !== 'user') throw new HttpError(403, 'forbidden', `${describePrincipal(ctx.principal)}: this needs a user's login, not an agent token`);
  return ctx.principal.user;
}

/**
 * The gate of every vault route. A user needs `role`; an agent passes only what `agentAllows` says
 * (undefined: no agent may call it). Both refusals are recorded.
 */
async function gate(ctx: ApiContext, what: string, role: Role, agentAllows?: () => Promise<boolean> | boolean,
  about: { account?: string; credentialId?: number } = {}): Promise<void> {
  const p = ctx.principal!;
  if (p.kind === 'user') {
    if (!atLeast(p.user.role, role)) await refuse(ctx, what, about);
    return;
  }
  if (!agentAllows || !(await agentAllows())) await refuse(ctx, what, about);
}

/** For the id-based methods: where the credential is (an unknown id passes, and the vault says not found). */
async function agentMayTouchId(ctx: ApiContext, id: number): Promise<{ ok: boolean; account?: string }> {
  if (ctx.principal?.kind !== 'agent') return { ok: true };
  return agentMayTouch(ctx, await ctx.store.credentialScope(id));
}

/** agentMayTouchId with the credential's scope already looked up (undefined: no such id). */
function agentMayTouch(ctx: ApiContext, scope: CredentialScope | undefined): { ok: boolean; account?: string } {
  if (ctx.principal?.kind !== 'agent' || !scope) return { ok: true };
  return { ok: appliesToAgent(ctx.principal.agent, scope.client, scope.username), account: scope.username };
}

/**
 * A capturedAt from the future is taken as the hub's now (capture-time.ts). The checked body is changed in
 * place, so the sync-latency metric sees the time stored. The event is recorded once the write applied
 * (a retry that finds it done, or a conflict, stored nothing of that time).
 */
function bindCaptureTime(ctx: ApiContext, a: { capturedAt?: number }): { recordIfClamped(credentialId: number, account: string): Promise<void> } {
  const sent = a.capturedAt;
  const bound = boundCaptureTime(sent, ctx.now());
  a.capturedAt = bound.capturedAt;
  return {
    async recordIfClamped(credentialId, account) {
      if (bound.aheadMs === undefined) return;
      await record(ctx, { kind: 'capture-time-clamped', outcome: 'info', credentialId, account, reason: `${describeClamp(sent!, bound.aheadMs, bound.capturedAt!)}; sent by ${describePrincipal(ctx.principal)}` });
    },
  };
}

/**
 * A credential's password for the caller (already let through), base64. The password-read event is stored
 * before the password leaves: if storing it fails, the request fails and nothing is sent, so no read goes
 * unrecorded. `how` ends the event's reason (the dashboard's reveal, src/hub/reveal-api.ts, says so).
 */
export async function passwordOut(ctx: ApiContext, credentialId: number, found: CredentialScope | undefined, how?: string): Promise<{ password: string }> {
  const password = await ctx.vault.readPassword(credentialId);
  try {
    await record(ctx, {
      kind: 'password-read', outcome: 'info', credentialId, account: found?.username,
      reason: `read by ${describePrincipal(ctx.principal)}${found && ctx.principal?.kind === 'user' ? `, credential of client "${found.client}"` : ''}${how ? `: ${how}` : ''}`,
    });
    return { password: password.toString('base64') };
  } finally {
    password.fill(0);
  }
}

const agentOf = (ctx: ApiContext) => (ctx.principal as Extract<Principal, { kind: 'agent' }>).agent;

/**
 * A capture write the client's options refuse (a shared credential while agents may not write them): the
 * attempt is recorded before the 403, like any refusal, since it is what root on a machine would try.
 */
async function refusedByPolicy<T>(ctx: ApiContext, about: { account?: string; credentialId?: number }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof VaultPolicyError) {
      await record(ctx, { kind: 'access-refused', outcome: 'refused', reason: `${describePrincipal(ctx.principal)}: ${err.message}`, ...about });
    }
    throw err;
  }
}

/** Who changed a client's options, and to what (the options are no secret). */
const describeChange = (c: ClientChange): string => Object.entries(c).map(([k, v]) => `${k}=${String(v)}`).join(', ');

// ---- vault routes ----------------------------------------------------------------------------------------

const vaultRoutes: Record<string, { body: Schema; handle: Route['handle'] }> = {
  addClient: {
    body: obj({ client: clientSchema }),
    async handle(ctx, a: { client: NewClient }) {
      await gate(ctx, `add client "${a.client.name}"`, 'operator');
      return { client: await ctx.vault.addClient(a.client) };
    },
  },
  updateClient: {
    body: obj({ name: str, change: clientChangeSchema }),
    async handle(ctx, a: { name: string; change: ClientChange }) {
      await gate(ctx, `change client "${a.name}"`, 'operator');
      const client = await ctx.vault.updateClient(a.name, a.change);
      await record(ctx, { kind: 'client-changed', outcome: 'ok', reason: `client "${client.name}" changed by ${describePrincipal(ctx.principal)}: ${describeChange(a.change) || 'nothing'}` });
      return { client };
    },
  },
  deleteClient: {
    body: obj({ name: str }),
    async handle(ctx, a: { name: string }) {
      await gate(ctx, `delete client "${a.name}"`, 'operator');
      await ctx.vault.deleteClient(a.name);
      await record(ctx, { kind: 'client-deleted', outcome: 'ok', reason: `client "${a.name}" deleted by ${describePrincipal(ctx.principal)}` });
      return {};
    },
  },
  getClient: {
    body: obj({ name: str }),
    async handle(ctx, a: { name: string }) {
      await gate(ctx, `read client "${a.name}"`, 'viewer', () => sameName(a.name, agentOf(ctx).client));
      return { client: (await ctx.vault.getClient(a.name)) ?? null };
    },
  },
  listClients: {
    body: obj({}),
    async handle(ctx) {
      const all = await ctx.vault.listClients();
      const p = ctx.principal!;
      return { clients: p.kind === 'agent' ? all.filter((c) => sameName(c.name, p.agent.client)) : all };
    },
  },
  addCredential: {
    body: obj({ credential: newCredSchema, eventId: str }, ['eventId']),
    async handle(ctx, a: { credential: NewCredential; eventId?: string }) {
      const c = a.credential;
      await gate(ctx, `add credential "${c.username}" to client "${c.client}"`, 'operator',
        () => ownMachineCredential(agentOf(ctx), c.client, c.username), { account: c.username });
      return { credential: await ctx.vault.addCredential(c, a.eventId, sourceOf(ctx)) };
    },
  },
  updateCredential: {
    body: obj({ client: str, username: str, change: obj({ mode: str, windowsSync: bool, password: bytes }, ['mode', 'windowsSync', 'password']) }),
    async handle(ctx, a: { client: string; username: string; change: CredentialChange }) {
      await gate(ctx, `change credential "${a.username}" of client "${a.client}"`, 'operator',
        () => ownMachineCredential(agentOf(ctx), a.client, a.username), { account: a.username });
      return { credential: await ctx.vault.updateCredential(a.client, a.username, a.change, sourceOf(ctx)) };
    },
  },
  deleteCredential: {
    body: obj({ client: str, username: str }),
    async handle(ctx, a: { client: string; username: string }) {
      // Operators only: no agent token may delete, not even its own machine's credential (a machine that
      // could drop its vault entry could leave Change Password mode unseen).
      await gate(ctx, `delete credential "${a.username}" of client "${a.client}"`, 'operator', undefined, { account: a.username });
      const gone = await ctx.vault.deleteCredential(a.client, a.username);
      await record(ctx, {
        kind: 'credential-deleted', outcome: 'ok', credentialId: gone.id, account: gone.username,
        reason: `credential "${gone.username}" (id ${gone.id}, mode ${gone.mode}) of client "${gone.client}" deleted by ${describePrincipal(ctx.principal)}`,
      });
      return { credential: gone };
    },
  },
  listCredentials: {
    body: obj({ client: str }),
    async handle(ctx, a: { client: string }) {
      await gate(ctx, `list the credentials of client "${a.client}"`, 'viewer', () => sameName(a.client, agentOf(ctx).client));
      const p = ctx.principal!;
      if (p.kind !== 'agent') return { credentials: await ctx.vault.listCredentials(a.client) };
      // The gate made a.client the agent's own client: only the machine's rows are fetched.
      if (hasMachineListing(ctx.vault)) return { credentials: await ctx.vault.listCredentialsForMachine(a.client, p.agent.machine) };
      const all = await ctx.vault.listCredentials(a.client);
      return { credentials: all.filter((c) => appliesToAgent(p.agent, c.client, c.username)) };
    },
  },
  findCredential: {
    body: obj({ client: str, username: str }),
    async handle(ctx, a: { client: string; username: string }) {
      await gate(ctx, `look up credential "${a.username}" of client "${a.client}"`, 'viewer',
        () => appliesToAgent(agentOf(ctx), a.client, a.username), { account: a.username });
      return { credential: (await ctx.vault.findCredential(a.client, a.username)) ?? null };
    },
  },
  readPassword: {
    body: obj({ credentialId: integer }),
    async handle(ctx, a: { credentialId: number }) {
      // One lookup serves both the agent's gate and the audit event's account and client.
      const found = await ctx.store.credentialScope(a.credentialId);
      const scope = agentMayTouch(ctx, found);
      await gate(ctx, `read the password of credential ${a.credentialId}`, 'operator', () => scope.ok,
        { credentialId: a.credentialId, account: scope.account });
      return passwordOut(ctx, a.credentialId, found);
    },
  },
  setPasswordFromCapture: {
    body: obj({ credentialId: integer, password: bytes, baseVersion: integer, eventId: str, capturedAt: integer }, ['capturedAt']),
    async handle(ctx, a: { credentialId: number; password: Buffer; baseVersion: number; eventId: string; capturedAt?: number }) {
      const scope = await agentMayTouchId(ctx, a.credentialId);
      await gate(ctx, `set the password of credential ${a.credentialId}`, 'operator', () => scope.ok,
        { credentialId: a.credentialId, account: scope.account });
      const at = bindCaptureTime(ctx, a);
      const r = await refusedByPolicy(ctx, { credentialId: a.credentialId, account: scope.account },
        () => ctx.vault.setPasswordFromCapture(a.credentialId, a.password, a.baseVersion, a.eventId, a.capturedAt, sourceOf(ctx)));
      if (r.applied) await at.recordIfClamped(r.credential.id, r.credential.username);
      return r;
    },
  },
  createFromCapture: {
    body: obj({ credential: newCredSchema, eventId: str, capturedAt: integer }, ['capturedAt']),
    async handle(ctx, a: { credential: NewCredential; eventId: string; capturedAt?: number }) {
      const c = a.credential;
      await gate(ctx, `create credential "${c.username}" in client "${c.client}"`, 'operator',
        () => ownMachineCredential(agentOf(ctx), c.client, c.username), { account: c.username });
      const at = bindCaptureTime(ctx, a);
      const r = await refusedByPolicy(ctx, { account: c.username }, () => ctx.vault.createFromCapture(c, a.eventId, a.capturedAt, sourceOf(ctx)));
      if (r.applied) await at.recordIfClamped(r.credential.id, r.credential.username);
      return r;
    },
  },
  setFlag: {
    body: obj({ credentialId: integer, flag: str, on: bool }),
    async handle(ctx, a: { credentialId: number; flag: Flag; on: boolean }) {
      const scope = await agentMayTouchId(ctx, a.credentialId);
      await gate(ctx, `flag credential ${a.credentialId}`, 'operator', () => scope.ok, { credentialId: a.credentialId, account: scope.account });
      await ctx.vault.setFlag(a.credentialId, a.flag, a.on);
      // A person clearing a conflict by hand is audited like a resolution (src/hub/conflict-api.ts).
      if (a.flag === 'conflict' && !a.on && ctx.principal?.kind === 'user') {
        await record(ctx, { kind: 'conflict-flag-cleared', outcome: 'ok', credentialId: a.credentialId, account: scope.account,
          reason: `${describePrincipal(ctx.principal)} cleared the conflict flag of credential ${a.credentialId} by hand (no side chosen)` });
      }
      return {};
    },
  },
  recordMachine: {
    body: obj({ machine: obj({ name: str, client: str, filterState: str, journalDepth: integer }) }),
    async handle(ctx, a: { machine: { name: string; client: string; filterState: string; journalDepth: number } }) {
      const m = a.machine;
      await gate(ctx, `record machine "${m.name}" in client "${m.client}"`, 'operator',
        () => sameName(m.name, agentOf(ctx).machine) && sameName(m.client, agentOf(ctx).client));
      await ctx.vault.recordMachine(m);
      return {};
    },
  },
  appendEvents: {
    body: obj({ events: arr(eventSchema, MAX_EVENTS_PER_REQUEST) }),
    async handle(ctx, a: { events: EventRecord[] }) {
      const p = ctx.principal!;
      if (p.kind === 'agent') {
        const other = a.events.find((e) => e.machine !== p.agent.machine);
        if (other) await refuse(ctx, `append events of machine "${other.machine}"`);
        const forged = a.events.find((e) => HUB_EVENT_KINDS.has(e.kind));
        if (forged) await refuse(ctx, `append an event of kind "${forged.kind}" (only the hub records those)`);
      } else {
        await gate(ctx, 'append events', 'operator');
      }
      await ctx.vault.appendEvents(a.events);
      return {};
    },
  },
  queryEvents: {
    body: obj({ query: querySchema }),
    async handle(ctx, a: { query: EventQuery }) {
      const p = ctx.principal!;
      let q = a.query;
      if (p.kind === 'agent') {
        if (q.machine !== undefined && q.machine !== p.agent.machine) await refuse(ctx, `read the events of machine "${q.machine}"`);
        q = { ...q, machine: p.agent.machine };
      }
      return { events: await ctx.vault.queryEvents(q) };
    },
  },
};

export const VAULT_METHODS = Object.keys(vaultRoutes);

// ---- sessions, users, agents ---------------------------------------------------------------------------

/**
 * One attempt at a hub user's password (a login, a dashboard step-up), counted against the user and the
 * address before the password is looked at, in one statement per key: parallel guesses cannot all pass.
 * Over the limit: `refused` records why (which key, how long to wait), then 429 with Retry-After; a guess
 * made now says nothing, right or wrong. After a right password, `succeeded()` clears the user's count
 * and gives the address its attempt back.
 */
export async function claimPasswordAttempt(ctx: ApiContext, name: string, attempts: string,
  refused: (which: 'of this user' | 'from this address', waitS: number) => Promise<void>): Promise<{ succeeded(): Promise<void> }> {
  const { store, limits } = ctx;
  const userKey = userThrottleKey(foldName(name));
  const addressKey = addressThrottleKey(ctx.address);
  const claim = await store.throttle.claim([{ key: userKey, free: limits.perUser }, { key: addressKey, free: limits.perAddress }], limits);
  if (!claim.allowed) {
    const waitS = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
    await refused(claim.key === userKey ? 'of this user' : 'from this address', waitS);
    throw new HttpError(429, 'rate-limited', `too many failed ${attempts} for this user or address; try again in ${waitS} s`, { retryAfterS: waitS },
      { 'Retry-After': String(waitS) });
  }
  return {
    async succeeded() {
      await store.throttle.clear(userKey);
      await store.throttle.release(addressKey);
    },
  };
}

async function login(ctx: ApiContext, a: { user: string; password: Buffer; bearer?: boolean }): Promise<unknown> {
  const { store } = ctx;
  const name = a.user;
  if (name.length === 0 || name.length > 256) throw new HttpError(400, 'bad-request', 'user must be 1 to 256 characters');
  const event = (outcome: 'ok' | 'refused', why: string) => record(ctx, {
    kind: 'login', outcome, account: name, reason: `user "${name}" from ${ctx.address}: ${why}`,
  });
  const attempt = await claimPasswordAttempt(ctx, name, 'logins',
    (which, waitS) => event('refused', `too many failed logins ${which}; slowed down, next attempt allowed in ${waitS} s`));
  const found = await store.userForLogin(name);
  const ok = await verifyPassword(a.password, found?.passwordHash ?? await decoyHash());
  if (!found || !ok || found.user.disabled) {
    // Already counted by the claim.
    await event('refused', !found ? 'no such user' : !ok ? 'wrong password' : 'user disabled');
    throw new HttpError(401, 'unauthenticated', 'wrong user name or password');
  }
  await attempt.succeeded();
  const token = newToken('pws');
  const expiresAt = await store.createSession(found.user.id, tokenHash(token), SESSION_TTL_MS);
  await event('ok', 'logged in');
  ctx.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`);
  // The token is in the body only when asked for (the CLI): a browser keeps it in the HttpOnly cookie,
  // out of reach of the page's scripts.
  return { user: publicUser(found.user), expiresAt, ...(a.bearer ? { token } : {}) };
}

const publicUser = (u: HubUser) => ({ name: u.name, role: u.role, permissions: u.permissions, disabled: u.disabled });

/** Also the hub host's CLI (src/cli/commands/hub-user.ts): one rule for a hub user's password. */
export function checkUserPassword(password: Buffer): void {
  if (password.length < MIN_USER_PASSWORD || password.length > MAX_USER_PASSWORD) {
    throw new HttpError(400, 'bad-request', `password must be ${MIN_USER_PASSWORD} to ${MAX_USER_PASSWORD} bytes`);
  }
}

/** Changes to users made by the caller (an admin; src/hub/user-admin.ts records them as theirs). */
const userAdmin = (ctx: ApiContext): UserAdmin => ({ vault: ctx.vault, store: ctx.store, by: describePrincipal(ctx.principal), now: ctx.now });

/**
 * An admin's changes to users, the same operations as the hub host's CLI (src/hub/user-admin.ts):
 * POST /api/users/<op> with the user's name. Refusing the last enabled admin is a 409.
 */
function userChange(op: string, body: Schema, run: (a: UserAdmin, args: any) => Promise<{ user?: HubUser; after?: HubUser }>): Route { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    method: 'POST', path: `/api/users/${op}`, body,
    async handle(ctx, args: { name: string }) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, `${op} user "${args.name}"`);
      try {
        const r = await run(userAdmin(ctx), args);
        return { user: publicUser((r.user ?? r.after)!) };
      } catch (err) {
        if (err instanceof LastAdminError) throw new HttpError(409, 'last-admin', err.message);
        throw err;
      }
    },
  };
}

const userChangeRoutes: Route[] = [
  userChange('passwd', obj({ name: str, password: bytes }), (a, x: { name: string; password: Buffer }) => setPassword(a, x.name, x.password)),
  userChange('disable', obj({ name: str }), (a, x: { name: string }) => setDisabled(a, x.name, true)),
  userChange('enable', obj({ name: str }), (a, x: { name: string }) => setDisabled(a, x.name, false)),
  userChange('set', obj({ name: str, role: str, permissions: arr(str, 8) }, ['role', 'permissions']),
    (a, x: { name: string; role?: string; permissions?: string[] }) => {
      if (x.role === undefined && x.permissions === undefined) throw new HttpError(400, 'bad-request', 'give role, permissions or both');
      return changeAccess(a, x.name, { role: x.role === undefined ? undefined : checkRole(x.role), permissions: x.permissions as Permission[] | undefined });
    }),
];

/** Push-down: how long GET /api/changes holds a request open at most. */
export const CHANGES_MAX_WAIT_MS = 25_000;
export { CHANGES_POLL_MS } from './change-watch';

/**
 * GET /api/changes?after=CURSOR&waitMs=N (agent tokens only): answers `{ cursor, changed }` as soon as the
 * cursor of what the agent's reconcile depends on (src/hub/change-cursor.ts) differs from `after`, or after
 * the wait with `changed: false`. No `after`: at once (the agent's first call, on every (re)connect).
 * The poll waits in this process's ChangeWatch, which looks at the database once per tick for every open
 * poll; the cursor itself comes from the database alone, so any hub process can answer the next poll.
 */
async function changes(ctx: ApiContext): Promise<unknown> {
  const p = ctx.principal!;
  if (p.kind !== 'agent') throw new HttpError(403, 'forbidden', `${describePrincipal(p)}: changes are for an agent token`);
  const after = ctx.query?.get('after') ?? '';
  const waitRaw = Number(ctx.query?.get('waitMs') ?? CHANGES_MAX_WAIT_MS);
  const waitMs = Number.isFinite(waitRaw) ? Math.min(Math.max(0, Math.floor(waitRaw)), CHANGES_MAX_WAIT_MS) : CHANGES_MAX_WAIT_MS;
  return ctx.store.watchChanges().wait(p.agent, after, waitMs, () => ctx.gone?.() ?? false);
}

export const routes: Route[] = [
  { method: 'GET', path: '/api/changes', handle: changes },
  { method: 'GET', path: '/healthz', public: true, handle: async () => ({ ok: true }) },
  {
    method: 'GET', path: '/readyz', public: true,
    async handle(ctx) {
      try {
        await ctx.store.ping();
      } catch (err) {
        // Anyone may ask: the answer does not repeat the database's message (it names hosts and users); the log does.
        throw Object.assign(new HttpError(503, 'not-ready', 'the database does not answer; the hub\'s log has the detail'), { cause: err });
      }
      return { ready: true };
    },
  },
  {
    method: 'POST', path: '/api/login', public: true,
    body: obj({ user: str, password: bytes, bearer: bool }, ['bearer']),
    handle: login,
  },
  {
    method: 'POST', path: '/api/logout', body: obj({}),
    async handle(ctx) {
      if (ctx.principal?.kind === 'user') await ctx.store.deleteSession(ctx.principal.tokenHash);
      ctx.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
      return {};
    },
  },
  {
    method: 'GET', path: '/api/me',
    async handle(ctx) {
      const p = ctx.principal!;
      return p.kind === 'user' ? { user: publicUser(p.user) } : { agent: { client: p.agent.client, machine: p.agent.machine } };
    },
  },
  {
    method: 'GET', path: '/api/users',
    async handle(ctx) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, 'list users');
      return { users: (await ctx.store.listUsers()).map(publicUser) };
    },
  },
  {
    method: 'POST', path: '/api/users',
    body: obj({ name: str, role: str, permissions: arr(str, 8), password: bytes }, ['permissions']),
    async handle(ctx, a: { name: string; role: string; permissions?: string[]; password: Buffer }) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, `create user "${a.name}"`);
      const user = await createUser(userAdmin(ctx), a.name, checkRole(a.role), (a.permissions ?? []) as Permission[], a.password);
      return { user: publicUser(user) };
    },
  },
  ...userChangeRoutes,
  {
    // Enrol an agent (`pwbridge setup`): a token for one client and one machine; only its hash is kept.
    method: 'POST', path: '/api/agents',
    body: obj({ client: str, machine: str }),
    async handle(ctx, a: { client: string; machine: string }) {
      const me = requireUser(ctx);
      checkName('machine', a.machine);
      const reserved = reservedMachineName(a.machine);
      if (reserved) throw new VaultInputError(reservedMachineMessage(a.machine, reserved));
      if (!me.permissions.includes('setup-ad-sync' as Permission) || !atLeast(me.role, 'operator')) {
        await refuse(ctx, `enrol machine "${a.machine}" (it needs the permission setup-ad-sync)`);
      }
      if (a.machine.includes('\\')) throw new VaultInputError('machine must not contain a backslash');
      const client = await ctx.vault.getClient(a.client);
      if (!client) throw new HttpError(404, 'not-found', `client "${a.client}" does not exist`, { what: `client "${a.client}"` });
      const token = newToken('pwa');
      const agent = await ctx.store.createAgent({ client: client.name, machine: a.machine, tokenHash: tokenHash(token), enrolledBy: me.name });
      await ctx.vault.recordMachine({ name: a.machine, client: client.name, filterState: 'unknown', journalDepth: 0 });
      await ctx.vault.appendEvents([{
        time: ctx.now(), machine: a.machine, kind: 'agent-enrolled', outcome: 'ok',
        reason: `machine "${a.machine}" enrolled into client "${client.name}" by ${describePrincipal(ctx.principal)}${agent.revoked ? `; ${agent.revoked} earlier token(s) of this machine revoked` : ''}`,
      }]);
      return { token, agent: { client: agent.client, machine: agent.machine } };
    },
  },
  ...Object.entries(vaultRoutes).map(([name, r]): Route => ({ method: 'POST', path: `/api/vault/${name}`, body: r.body, handle: r.handle })),
  ...dashboardRoutes,
  ...historyRoutes,
];


