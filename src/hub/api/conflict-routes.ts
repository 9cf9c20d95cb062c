/**
 * Conflicts on the hub: the VaultPort's conflict methods at `POST /api/vault/<method>` (what
 * src/vault/http.vault.ts calls), with who may call each:
 *
 * - recordConflict, takeConflictedCapture, settleConflict: an agent, for its own machine and a credential
 *   that reaches it (the machine named in the body must be the token's); operators and admins besides.
 * - listConflicts: any user (both sides are metadata, never a password); an agent sees its own machine's only.
 * - resolveConflict: operators and admins only, never an agent (root on one machine must not choose its own
 *   capture over the vault). Every choice is an event, conflict-resolved, with who chose which side; the
 *   event is stored before the answer.
 *
 * "Keep the vault's" reaches the machine through push-down: the choice moves the credential's updated_at
 * (the change watcher's signature) and the machine's cursor includes its open choices (change-cursor.ts),
 * so its long poll wakes and its reconcile pass carries the choice out.
 */
import type { ConflictChoice, ConflictFilter, ConflictSettlement, ConflictSide } from '../../ports/vault.port';
import { appliesToAgent, atLeast, describePrincipal, sameName, type Principal } from '../access';
import { record, refuse, type ApiContext, type Route } from './context';
import { arr, bool, bytes, integer, obj, oneOf, str, type Schema } from '../schema';

const sourceSchema = obj({ kind: str, machine: str, user: str, fromVersion: integer, by: str, resolvedBy: str },
  ['machine', 'user', 'fromVersion', 'by', 'resolvedBy']);
const conflictSchema = obj({
  credentialId: integer, client: str, username: str, machine: str, capturedAt: integer, eventId: str, recordedAt: integer,
  vault: obj({ version: integer, passwordSetAt: integer, source: sourceSchema }, ['source']),
  resolution: obj({ choice: oneOf(['vault', 'machine']), by: str, at: integer }),
  captureMissingAt: integer,
}, ['resolution', 'captureMissingAt']);
const credentialSchema: Schema = obj({
  id: integer, client: str, username: str, windowsSync: bool, mode: str, version: integer, flags: arr(str, 10), updatedAt: integer, passwordSetAt: integer,
});
const MAX_CONFLICTS = 100_000;

type Agent = Extract<Principal, { kind: 'agent' }>['agent'];
const agentOf = (ctx: ApiContext): Agent | undefined => (ctx.principal?.kind === 'agent' ? ctx.principal.agent : undefined);

/**
 * An agent may touch a conflict of its own machine on a credential that reaches it; a user needs `role`.
 * Refusals are recorded (refuse()).
 */
async function mayTouch(ctx: ApiContext, what: string, credentialId: number, machine: string, role: 'operator' | 'viewer'): Promise<void> {
  const p = ctx.principal;
  const scope = await ctx.store.credentialScope(credentialId);
  const about = { credentialId, account: scope?.username };
  if (p?.kind === 'user') {
    if (!atLeast(p.user.role, role)) await refuse(ctx, what, about);
    return;
  }
  const agent = agentOf(ctx);
  if (!agent || !sameName(machine, agent.machine) || (scope && !appliesToAgent(agent, scope.client, scope.username))) await refuse(ctx, what, about);
}

export const conflictRoutes: Route[] = [
  {
    method: 'POST', path: '/api/vault/recordConflict',
    summary: 'Flag a conflict and keep the machine\'s side of it (machine, capture time, event id; never the password)',
    body: obj({ credentialId: integer, side: obj({ machine: str, capturedAt: integer, eventId: str }) }),
    response: obj({}),
    async handle(ctx, a: { credentialId: number; side: ConflictSide }) {
      await mayTouch(ctx, `record a conflict of machine "${a.side.machine}" on credential ${a.credentialId}`, a.credentialId, a.side.machine, 'operator');
      // A capture time from the future is the hub's now, as for a capture write (capture-time.ts).
      await ctx.vault.recordConflict(a.credentialId, { ...a.side, capturedAt: Math.min(a.side.capturedAt, ctx.now()) });
      return {};
    },
  },
  {
    method: 'POST', path: '/api/vault/listConflicts',
    summary: 'Open conflicts with both sides: the machine\'s capture and the vault\'s password (when and from where)',
    body: obj({ filter: obj({ client: str, machine: str, credentialId: integer }, ['client', 'machine', 'credentialId']) }, ['filter']),
    response: obj({ conflicts: arr(conflictSchema, MAX_CONFLICTS) }),
    async handle(ctx, a: { filter?: ConflictFilter }) {
      let filter = a.filter ?? {};
      const agent = agentOf(ctx);
      if (agent) {
        if (filter.machine !== undefined && !sameName(filter.machine, agent.machine)) await refuse(ctx, `list the conflicts of machine "${filter.machine}"`);
        filter = { ...filter, machine: agent.machine, client: agent.client };
      }
      return { conflicts: await ctx.vault.listConflicts(filter) };
    },
  },
  {
    method: 'POST', path: '/api/vault/resolveConflict',
    summary: 'Resolve one machine\'s conflict: "vault" keeps the vault\'s password (pushed down), "machine" takes the machine\'s capture (operators and admins)',
    body: obj({ credentialId: integer, machine: str, choice: oneOf(['vault', 'machine']) }),
    response: obj({ conflict: conflictSchema }),
    async handle(ctx, a: { credentialId: number; machine: string; choice: ConflictChoice }) {
      const p = ctx.principal;
      const what = `resolve the conflict of machine "${a.machine}" on credential ${a.credentialId}`;
      if (p?.kind !== 'user' || !atLeast(p.user.role, 'operator')) {
        await refuse(ctx, `${what}${p?.kind === 'agent' ? ' (a person chooses, never an agent)' : ''}`, { credentialId: a.credentialId });
      }
      const user = (p as Extract<Principal, { kind: 'user' }>).user;
      const conflict = await ctx.vault.resolveConflict(a.credentialId, a.machine, a.choice, user.name);
      await record(ctx, {
        kind: 'conflict-resolved', outcome: 'ok', credentialId: conflict.credentialId, account: conflict.username,
        reason: `${describePrincipal(p)} chose ${a.choice === 'vault' ? '"keep the vault\'s" (version ' + conflict.vault.version + ', pushed down to '
          : '"take the machine\'s" (the capture of ' + new Date(conflict.capturedAt).toISOString() + ' on '}${conflict.machine}) `
          + `for credential "${conflict.username}" of client "${conflict.client}"`,
      });
      return { conflict };
    },
  },
  {
    method: 'POST', path: '/api/vault/takeConflictedCapture',
    summary: 'The machine re-sends its conflicted capture after a person chose it; it becomes the password whatever the version',
    body: obj({ credentialId: integer, password: bytes, eventId: str, machine: str }),
    response: obj({ credential: credentialSchema, applied: bool }),
    async handle(ctx, a: { credentialId: number; password: Buffer; eventId: string; machine: string }) {
      await mayTouch(ctx, `send the conflicted capture of machine "${a.machine}" for credential ${a.credentialId}`, a.credentialId, a.machine, 'operator');
      return ctx.vault.takeConflictedCapture(a.credentialId, a.password, a.eventId, a.machine);
    },
  },
  {
    method: 'POST', path: '/api/vault/settleConflict',
    summary: 'The machine carried out a choice ("vault-kept") or has no capture to send ("capture-missing")',
    body: obj({ credentialId: integer, machine: str, how: oneOf(['vault-kept', 'capture-missing']) }),
    response: obj({}),
    async handle(ctx, a: { credentialId: number; machine: string; how: ConflictSettlement }) {
      await mayTouch(ctx, `settle the conflict of machine "${a.machine}" on credential ${a.credentialId}`, a.credentialId, a.machine, 'operator');
      await ctx.vault.settleConflict(a.credentialId, a.machine, a.how);
      return {};
    },
  },
];


