/**
 * Every VaultPort method at `POST /api/vault/<method>`, with the method's arguments by name (what
 * src/vault/http.vault.ts calls). Users pass by role; an agent token only for its own client and machine,
 * each refusal recorded before the 403 (context.ts gate). The password history's two methods are in
 * history-routes.ts.
 */
import type { EventQuery, EventRecord, Flag, NewClient } from '../../domain/types';
import { VaultPolicyError, type ClientChange, type CredentialChange, type NewCredential } from '../../ports/vault.port';
import { hasMachineListing } from '../../vault/machine-listing';
import { HUB_EVENT_KINDS, appliesToAgent, describePrincipal, ownMachineCredential, sameName } from '../access';
import { boundCaptureTime, describeClamp } from '../capture-time';
import { noteRead } from '../rotation/after-read';
import { arr, bool, bytes, integer, list, obj, str } from '../schema';
import type { CredentialScope } from '../store';
import { agentMayTouch, agentMayTouchId, agentOf, gate, record, refuse, type ApiContext, type Route } from './context';
import { sourceOf } from './history-routes';
import {
  captureResult, client, clientChangeBody, credential, empty, event, newClientBody, nullableClient, nullableCredential,
} from './shapes';

const newCredSchema = obj({ client: str, username: str, password: bytes, windowsSync: bool, mode: str });
const eventBody = obj(
  { id: integer, time: integer, machine: str, account: str, credentialId: integer, kind: str, outcome: str, reason: str, traceId: str, uid: str },
  ['id', 'account', 'credentialId', 'reason', 'traceId', 'uid'],
);
const eventQueryBody = obj(
  { sinceMs: integer, account: str, kind: str, machine: str, afterId: integer, limit: integer, latest: bool },
  ['sinceMs', 'account', 'kind', 'machine', 'afterId', 'limit', 'latest'],
);
/** Events per appendEvents request; the adapter sends bigger batches in several requests. */
export const MAX_EVENTS_PER_REQUEST = 2000;

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
 * unrecorded. `how` ends the event's reason (the dashboard's reveal, reveal-routes.ts, says so).
 */
export async function passwordOut(ctx: ApiContext, credentialId: number, found: CredentialScope | undefined, how?: string): Promise<{ password: string }> {
  const password = await ctx.vault.readPassword(credentialId);
  try {
    await record(ctx, {
      kind: 'password-read', outcome: 'info', credentialId, account: found?.username,
      reason: `read by ${describePrincipal(ctx.principal)}${found && ctx.principal?.kind === 'user' ? `, credential of client "${found.client}"` : ''}${how ? `: ${how}` : ''}`,
    });
    // A person read it: a rotate-after-read policy replaces it after its grace (src/hub/rotation/after-read.ts).
    if (ctx.principal?.kind === 'user') await noteRead(ctx.store.sql, credentialId, ctx.now());
    return { password: password.toString('base64') };
  } finally {
    password.fill(0);
  }
}

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

const vaultMethods: Record<string, Pick<Route, 'body' | 'summary' | 'response' | 'handle'>> = {
  addClient: {
    body: obj({ client: newClientBody }),
    summary: 'Create a client; options not given get the defaults (operator)',
    response: obj({ client }),
    async handle(ctx, a: { client: NewClient }) {
      await gate(ctx, `add client "${a.client.name}"`, 'operator');
      return { client: await ctx.vault.addClient(a.client) };
    },
  },
  updateClient: {
    body: obj({ name: str, change: clientChangeBody }),
    summary: 'Change a client\'s options; the name stays the key (operator)',
    response: obj({ client }),
    async handle(ctx, a: { name: string; change: ClientChange }) {
      await gate(ctx, `change client "${a.name}"`, 'operator');
      const client = await ctx.vault.updateClient(a.name, a.change);
      await record(ctx, { kind: 'client-changed', outcome: 'ok', reason: `client "${client.name}" changed by ${describePrincipal(ctx.principal)}: ${describeChange(a.change) || 'nothing'}` });
      return { client };
    },
  },
  deleteClient: {
    body: obj({ name: str }),
    summary: 'Delete an empty client (operator)',
    response: empty,
    async handle(ctx, a: { name: string }) {
      await gate(ctx, `delete client "${a.name}"`, 'operator');
      await ctx.vault.deleteClient(a.name);
      await record(ctx, { kind: 'client-deleted', outcome: 'ok', reason: `client "${a.name}" deleted by ${describePrincipal(ctx.principal)}` });
      return {};
    },
  },
  getClient: {
    body: obj({ name: str }),
    summary: 'One client, or null (any user; an agent its own client)',
    response: obj({ client: nullableClient }),
    async handle(ctx, a: { name: string }) {
      await gate(ctx, `read client "${a.name}"`, 'viewer', () => sameName(a.name, agentOf(ctx).client));
      return { client: (await ctx.vault.getClient(a.name)) ?? null };
    },
  },
  listClients: {
    body: obj({}),
    summary: 'Every client (an agent: its own only)',
    response: obj({ clients: list(client) }),
    async handle(ctx) {
      const all = await ctx.vault.listClients();
      const p = ctx.principal!;
      return { clients: p.kind === 'agent' ? all.filter((c) => sameName(c.name, p.agent.client)) : all };
    },
  },
  addCredential: {
    body: obj({ credential: newCredSchema, eventId: str }, ['eventId']),
    summary: 'Add a credential with its password (operator; an agent its own machine\'s)',
    response: obj({ credential }),
    async handle(ctx, a: { credential: NewCredential; eventId?: string }) {
      const c = a.credential;
      await gate(ctx, `add credential "${c.username}" to client "${c.client}"`, 'operator',
        () => ownMachineCredential(agentOf(ctx), c.client, c.username), { account: c.username });
      return { credential: await ctx.vault.addCredential(c, a.eventId, sourceOf(ctx)) };
    },
  },
  updateCredential: {
    body: obj({ client: str, username: str, change: obj({ mode: str, windowsSync: bool, password: bytes }, ['mode', 'windowsSync', 'password']) }),
    summary: 'Change a credential\'s mode, Windows Sync or password (operator; an agent its own machine\'s)',
    response: obj({ credential }),
    async handle(ctx, a: { client: string; username: string; change: CredentialChange }) {
      await gate(ctx, `change credential "${a.username}" of client "${a.client}"`, 'operator',
        () => ownMachineCredential(agentOf(ctx), a.client, a.username), { account: a.username });
      return { credential: await ctx.vault.updateCredential(a.client, a.username, a.change, sourceOf(ctx)) };
    },
  },
  deleteCredential: {
    body: obj({ client: str, username: str }),
    summary: 'Delete a credential and its password; answers it as it was (operator; never an agent)',
    response: obj({ credential }),
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
    summary: 'A client\'s credentials (any user; an agent those that reach its machine)',
    response: obj({ credentials: list(credential) }),
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
    summary: 'One credential by username, or null',
    response: obj({ credential: nullableCredential }),
    async handle(ctx, a: { client: string; username: string }) {
      await gate(ctx, `look up credential "${a.username}" of client "${a.client}"`, 'viewer',
        () => appliesToAgent(agentOf(ctx), a.client, a.username), { account: a.username });
      return { credential: (await ctx.vault.findCredential(a.client, a.username)) ?? null };
    },
  },
  readPassword: {
    body: obj({ credentialId: integer }),
    summary: 'A credential\'s password, base64; the password-read event is stored first (operator; an agent its machine\'s)',
    response: obj({ password: bytes }),
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
    summary: 'A captured password change, applied if the credential is still at baseVersion (409 otherwise); once per eventId',
    response: captureResult,
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
    summary: 'A credential created from a capture of an unknown account; once per eventId',
    response: captureResult,
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
    summary: 'Set or clear a flag on a credential (operator; an agent its machine\'s)',
    response: empty,
    async handle(ctx, a: { credentialId: number; flag: Flag; on: boolean }) {
      const scope = await agentMayTouchId(ctx, a.credentialId);
      await gate(ctx, `flag credential ${a.credentialId}`, 'operator', () => scope.ok, { credentialId: a.credentialId, account: scope.account });
      await ctx.vault.setFlag(a.credentialId, a.flag, a.on);
      // A person clearing a conflict by hand is audited like a resolution (src/hub/api/conflict-routes.ts).
      if (a.flag === 'conflict' && !a.on && ctx.principal?.kind === 'user') {
        await record(ctx, { kind: 'conflict-flag-cleared', outcome: 'ok', credentialId: a.credentialId, account: scope.account,
          reason: `${describePrincipal(ctx.principal)} cleared the conflict flag of credential ${a.credentialId} by hand (no side chosen)` });
      }
      return {};
    },
  },
  recordMachine: {
    body: obj({ machine: obj({ name: str, client: str, filterState: str, journalDepth: integer }) }),
    summary: 'What a machine\'s agent reports: capture state and journal depth',
    response: empty,
    async handle(ctx, a: { machine: { name: string; client: string; filterState: string; journalDepth: number } }) {
      const m = a.machine;
      await gate(ctx, `record machine "${m.name}" in client "${m.client}"`, 'operator',
        () => sameName(m.name, agentOf(ctx).machine) && sameName(m.client, agentOf(ctx).client));
      await ctx.vault.recordMachine(m);
      return {};
    },
  },
  appendEvents: {
    body: obj({ events: arr(eventBody, MAX_EVENTS_PER_REQUEST) }),
    summary: 'Store events (an agent: its own machine\'s, not the hub\'s kinds)',
    response: empty,
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
    body: obj({ query: eventQueryBody }),
    summary: 'Events matching a query (an agent: its own machine\'s only)',
    response: obj({ events: list(event) }),
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

export const VAULT_METHODS = Object.keys(vaultMethods);

export const vaultRoutes: Route[] = Object.entries(vaultMethods).map(([name, r]): Route => ({ method: 'POST', path: `/api/vault/${name}`, ...r }));
