/**
 * The agents' side of the hub: enrolment (POST /api/agents, by a user, `pwbridge setup`; with an
 * enrolment token, enrolment-routes.ts, through the same enrolMachine) and push-down's
 * long poll (GET /api/changes, by an agent token). Everything else an agent does goes through the vault
 * routes (vault-routes.ts), gated to its own client and machine.
 */
import type { Permission } from '../store';
import { VaultInputError } from '../../vault/errors';
import { checkName } from '../../vault/validate';
import { atLeast, describePrincipal, reservedMachineMessage, reservedMachineName } from '../access';
import { HttpError } from '../http-error';
import { newToken, tokenHash } from '../passwords';
import { bool, obj, str } from '../schema';
import { refuse, requireUser, type ApiContext, type Route } from './context';
import type { QueryParams } from './query';
import { agent } from './shapes';

/** Push-down: how long GET /api/changes holds a request open at most. */
export const CHANGES_MAX_WAIT_MS = 25_000;
export { CHANGES_POLL_MS } from '../change-watch';

/**
 * Declared for the OpenAPI document. The handler reads them leniently, as agents since the first release
 * send them: a waitMs that is not a number is the default, one out of range is clamped, and a cursor is
 * whatever the last answer said.
 */
const CHANGES_QUERY: QueryParams = {
  after: { t: 'string', minLength: 0, maxLength: 256, description: 'The cursor of the last answer; absent or empty: answer at once with the current cursor' },
  waitMs: { t: 'integer', min: 0, max: CHANGES_MAX_WAIT_MS, description: `How long to wait for a change (default and most ${CHANGES_MAX_WAIT_MS})` },
};

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

/** Enrol an agent (`pwbridge setup` with a user's login): a token for one client and one machine; only its hash is kept. */
async function enrol(ctx: ApiContext, a: { client: string; machine: string }): Promise<unknown> {
  const me = requireUser(ctx);
  checkMachineName(a.machine);
  if (!me.permissions.includes('setup-ad-sync' as Permission) || !atLeast(me.role, 'operator')) {
    await refuse(ctx, `enrol machine "${a.machine}" (it needs the permission setup-ad-sync)`);
  }
  return enrolMachine(ctx, { client: a.client, machine: a.machine, enrolledBy: me.name, by: describePrincipal(ctx.principal) });
}

/** What any enrolment checks of the machine's name before anything is spent or stored (400 naming the fault). */
export function checkMachineName(machine: string): void {
  checkName('machine', machine);
  const reserved = reservedMachineName(machine);
  if (reserved) throw new VaultInputError(reservedMachineMessage(machine, reserved));
  if (machine.includes('\\')) throw new VaultInputError('machine must not contain a backslash');
}

/**
 * The enrolment itself, shared by POST /api/agents (a user) and POST /api/agents/enrol-with-token: a new
 * agent token for one client and one machine (the machine's earlier tokens revoked), the machine recorded,
 * the agent-enrolled event (its text says `by`: who, or which enrolment token). The caller has checked who may.
 */
export async function enrolMachine(ctx: ApiContext, a: { client: string; machine: string; enrolledBy: string; by: string }): Promise<{ token: string; agent: { client: string; machine: string } }> {
  checkMachineName(a.machine);
  const client = await ctx.vault.getClient(a.client);
  if (!client) throw new HttpError(404, 'not-found', `client "${a.client}" does not exist`, { what: `client "${a.client}"` });
  const token = newToken('pwa');
  const enrolled = await ctx.store.createAgent({ client: client.name, machine: a.machine, tokenHash: tokenHash(token), enrolledBy: a.enrolledBy });
  await ctx.vault.recordMachine({ name: a.machine, client: client.name, filterState: 'unknown', journalDepth: 0 });
  await ctx.vault.appendEvents([{
    time: ctx.now(), machine: a.machine, kind: 'agent-enrolled', outcome: 'ok',
    reason: `machine "${a.machine}" enrolled into client "${client.name}" by ${a.by}${enrolled.revoked ? `; ${enrolled.revoked} earlier token(s) of this machine revoked` : ''}`,
  }]);
  return { token, agent: { client: enrolled.client, machine: enrolled.machine } };
}

export const agentRoutes: Route[] = [
  {
    method: 'POST', path: '/api/agents',
    summary: 'Enrol a machine into a client: an agent token, shown once (operator with setup-ad-sync)',
    body: obj({ client: str, machine: str }),
    response: obj({ token: str, agent }),
    handle: enrol,
  },
  {
    method: 'GET', path: '/api/changes',
    summary: 'Push-down long poll (agent tokens): the cursor of what the agent syncs, once it differs from after',
    query: CHANGES_QUERY,
    response: obj({ cursor: str, changed: bool }),
    handle: changes,
  },
];
