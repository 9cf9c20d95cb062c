/**
 * Password history on the hub: `POST /api/vault/listPasswordHistory` (any user) and
 * `POST /api/vault/restorePassword` (operators and admins), what src/vault/http.vault.ts calls; and the
 * source the hub records for every password write (sourceOf), taken from the login, never from the body.
 *
 * Agents are refused both (and the refusal recorded): an agent needs neither to sync, a listing of a
 * shared credential names the other machines it was captured on, and a restore chosen by root on one
 * machine would put an old, possibly leaked, password back on every machine the credential reaches.
 */
import type { PasswordSource } from '../../ports/vault.port';
import { HUB_MACHINE, atLeast, describePrincipal } from '../access';
import { HttpError } from '../http-error';
import { integer, list, obj } from '../schema';
import type { HubUser, Role } from '../store';
import type { ApiContext, Route } from './context';
import { credential, historyEntry } from './shapes';

/** Who wrote a password, as the hub knows it: an agent's capture on its machine, or the logged-in user. */
export function sourceOf(ctx: ApiContext): PasswordSource | undefined {
  const p = ctx.principal;
  if (p?.kind === 'agent') return { kind: 'capture', machine: p.agent.machine };
  if (p?.kind === 'user') return { kind: 'user', user: p.user.name };
  return undefined;
}

/** A user with at least `role`; anyone else is refused with 403, after the refusal is recorded. */
async function requireRole(ctx: ApiContext, role: Role, what: string, credentialId: number): Promise<HubUser> {
  const p = ctx.principal;
  if (p?.kind === 'user' && atLeast(p.user.role, role)) return p.user;
  const reason = `${describePrincipal(p)} may not ${what}${p?.kind === 'agent' ? ' (password history is for users)' : ''}`;
  await ctx.vault.appendEvents([{
    time: ctx.now(), machine: p?.kind === 'agent' ? p.agent.machine : HUB_MACHINE, kind: 'access-refused', outcome: 'refused',
    reason, credentialId,
  }]);
  throw new HttpError(403, 'forbidden', reason);
}

export const historyRoutes: Route[] = [
  {
    method: 'POST', path: '/api/vault/listPasswordHistory',
    summary: 'A credential\'s passwords, newest first: when and from where each came, never the password (any user)',
    body: obj({ credentialId: integer }),
    response: obj({ history: list(historyEntry) }),
    async handle(ctx, a: { credentialId: number }) {
      await requireRole(ctx, 'viewer', `list the password history of credential ${a.credentialId}`, a.credentialId);
      return { history: await ctx.vault.listPasswordHistory(a.credentialId) };
    },
  },
  {
    method: 'POST', path: '/api/vault/restorePassword',
    summary: 'Make an earlier password current again, as a new version (operator)',
    body: obj({ credentialId: integer, version: integer }),
    response: obj({ credential }),
    async handle(ctx, a: { credentialId: number; version: number }) {
      const user = await requireRole(ctx, 'operator', `restore version ${a.version} of credential ${a.credentialId}`, a.credentialId);
      const credential = await ctx.vault.restorePassword(a.credentialId, a.version, user.name);
      await ctx.vault.appendEvents([{
        time: ctx.now(), machine: HUB_MACHINE, kind: 'password-restored', outcome: 'ok', credentialId: credential.id,
        account: credential.username,
        reason: `version ${a.version} of credential "${credential.username}" (client "${credential.client}") restored by `
          + `${describePrincipal(ctx.principal)} as version ${credential.version}`,
      }]);
      return { credential };
    },
  },
];
