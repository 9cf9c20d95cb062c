/**
 * Enrolment tokens, for mass deployment: an admin makes a token for one client, with an expiry and a
 * number of uses, and a deployment tool hands it to `pwbridge setup --enrol-token-file` on each machine,
 * so no hub user's password is ever on a machine. POST /api/agents/enrol-with-token takes one use and
 * enrols exactly as POST /api/agents does (enrolMachine): the agent token it answers is scoped to that
 * one client and that one machine, like every agent token. Only the token's hash is stored.
 *
 * Admins only: a token is a bearer credential that mints agent tokens (which read every password of the
 * client) many times over, for days, without a person at the machine; an operator with setup-ad-sync
 * still enrols one machine at a time with their own login.
 */
import type { EnrolmentRefusal, EnrolmentToken } from '../store';
import { VaultInputError } from '../../vault/errors';
import { describePrincipal } from '../access';
import { HttpError } from '../http-error';
import { addressThrottleKey } from '../login-throttle';
import { newToken, tokenHash } from '../passwords';
import { bool, bytes, integer, list, nullable, obj, str } from '../schema';
import { enrolMachine, checkMachineName } from './agent-routes';
import { record, refuse, requireUser, type ApiContext, type Route } from './context';
import { agent } from './shapes';

export const ENROLMENT_DEFAULT_HOURS = 24;
export const ENROLMENT_MAX_HOURS = 30 * 24;
export const ENROLMENT_DEFAULT_USES = 1;
export const ENROLMENT_MAX_USES = 10_000;

const enrolmentToken = obj({
  id: integer, client: str, createdBy: str, createdAt: integer, expiresAt: integer, uses: integer, usesLeft: integer,
  revokedAt: nullable(integer), revokedBy: nullable(str),
});

/** The message a refused token gets: which condition failed, and what to do. */
export const REFUSAL_MESSAGES: Record<EnrolmentRefusal, string> = {
  unknown: 'the enrolment token is not valid (no such token); ask an admin for a new one',
  revoked: 'the enrolment token was revoked; ask an admin for a new one',
  expired: 'the enrolment token has expired; ask an admin for a new one',
  'used-up': 'the enrolment token is used up (every use has been taken); ask an admin for a new one',
};

async function requireAdmin(ctx: ApiContext, what: string): Promise<void> {
  if (requireUser(ctx).role !== 'admin') await refuse(ctx, `${what} (enrolment tokens are for admins)`);
}

function inRange(name: string, value: number | undefined, dflt: number, max: number): number {
  const v = value ?? dflt;
  if (!Number.isSafeInteger(v) || v < 1 || v > max) throw new VaultInputError(`${name} must be a whole number from 1 to ${max}, got ${v}`);
  return v;
}

const describe = (t: EnrolmentToken) => `enrolment token #${t.id} of client "${t.client}"`;

async function create(ctx: ApiContext, a: { client: string; expiresInHours?: number; uses?: number }): Promise<unknown> {
  await requireAdmin(ctx, `create an enrolment token for client "${a.client}"`);
  const hours = inRange('expiresInHours', a.expiresInHours, ENROLMENT_DEFAULT_HOURS, ENROLMENT_MAX_HOURS);
  const uses = inRange('uses', a.uses, ENROLMENT_DEFAULT_USES, ENROLMENT_MAX_USES);
  const client = await ctx.vault.getClient(a.client);
  if (!client) throw new HttpError(404, 'not-found', `client "${a.client}" does not exist`, { what: `client "${a.client}"` });
  const token = newToken('pwe');
  const now = ctx.now();
  const made = await ctx.store.createEnrolmentToken({
    client: client.name, tokenHash: tokenHash(token), createdBy: requireUser(ctx).name, now, expiresAt: now + hours * 3600_000, uses,
  });
  await record(ctx, {
    kind: 'enrolment-token-created', outcome: 'ok',
    reason: `${describe(made)} created by ${describePrincipal(ctx.principal)}: ${uses} use(s), expires ${new Date(made.expiresAt).toISOString()}`,
  });
  return { token, enrolmentToken: made };
}

async function revoke(ctx: ApiContext, a: { id: number }): Promise<unknown> {
  await requireAdmin(ctx, `revoke enrolment token #${a.id}`);
  const r = await ctx.store.revokeEnrolmentToken(a.id, requireUser(ctx).name, ctx.now());
  if (!r) throw new HttpError(404, 'not-found', `enrolment token #${a.id} does not exist`, { what: `enrolment token #${a.id}` });
  if (r.changed) {
    await record(ctx, {
      kind: 'enrolment-token-revoked', outcome: 'ok',
      reason: `${describe(r.token)} revoked by ${describePrincipal(ctx.principal)} with ${r.token.usesLeft} of ${r.token.uses} use(s) left`,
    });
  }
  return { enrolmentToken: r.token, changed: r.changed };
}

/**
 * Public: the token is the credential. Each attempt is counted against the caller's address first, as a
 * login's is (login-throttle.ts, in one statement): guessing tokens is slowed down like guessing
 * passwords, and a success gives the attempt back. Refusals are 401 (the credential presented does not
 * authenticate, as for a revoked agent token) with a message that says which condition failed: an unknown
 * token learns nothing from it, and a deployment's operator sees at once whether to ask for a new token.
 */
async function enrolWithToken(ctx: ApiContext, a: { token: Buffer; machine: string }): Promise<unknown> {
  checkMachineName(a.machine);
  const refused = async (why: string) => record(ctx, {
    kind: 'enrolment-token-refused', outcome: 'refused', reason: `enrolment of machine "${a.machine}" from ${ctx.address} refused: ${why}`,
  });
  const { store, limits } = ctx;
  const addressKey = addressThrottleKey(ctx.address);
  const claim = await store.throttle.claim([{ key: addressKey, free: limits.perAddress }], limits);
  if (!claim.allowed) {
    const waitS = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
    await refused(`too many failed attempts from this address; slowed down, next attempt allowed in ${waitS} s`);
    throw new HttpError(429, 'rate-limited', `too many failed enrolment attempts from this address; try again in ${waitS} s`, { retryAfterS: waitS },
      { 'Retry-After': String(waitS) });
  }
  const taken = await store.takeEnrolmentUse(tokenHash(a.token), ctx.now());
  if ('refused' in taken) {
    await refused(`${taken.token ? describe(taken.token) : 'unknown token'}: ${taken.refused}`);
    throw new HttpError(401, 'unauthenticated', REFUSAL_MESSAGES[taken.refused], { reason: taken.refused });
  }
  await store.throttle.release(addressKey);
  const t = taken.token;
  return enrolMachine(ctx, {
    client: t.client, machine: a.machine, enrolledBy: `enrolment token #${t.id}`,
    by: `${describe(t)} (created by ${t.createdBy}; ${t.usesLeft} of ${t.uses} use(s) left) from ${ctx.address}`,
  });
}

export const enrolmentRoutes: Route[] = [
  {
    method: 'POST', path: '/api/enrolment-tokens',
    summary: 'Create an enrolment token for one client (expiresInHours 1 to 720, default 24; uses 1 to 10000, default 1); the token is shown once (admin)',
    body: obj({ client: str, expiresInHours: integer, uses: integer }, ['expiresInHours', 'uses']),
    response: obj({ token: str, enrolmentToken }),
    handle: create,
  },
  {
    method: 'GET', path: '/api/enrolment-tokens',
    summary: 'The enrolment tokens, newest first: client, who made it when, expiry, uses left, revoked (never the token) (admin)',
    response: obj({ enrolmentTokens: list(enrolmentToken) }),
    async handle(ctx) {
      await requireAdmin(ctx, 'list enrolment tokens');
      return { enrolmentTokens: await ctx.store.listEnrolmentTokens() };
    },
  },
  {
    method: 'POST', path: '/api/enrolment-tokens/revoke',
    summary: 'Revoke an enrolment token: no machine enrols with it any more; enrolled machines keep their agent tokens (admin)',
    body: obj({ id: integer }),
    response: obj({ enrolmentToken, changed: bool }),
    handle: revoke,
  },
  {
    method: 'POST', path: '/api/agents/enrol-with-token', public: true,
    summary: 'Enrol a machine with an enrolment token (base64): one use taken, an agent token for the token\'s client, shown once (public: the token is the credential)',
    body: obj({ token: bytes, machine: str }),
    response: obj({ token: str, agent }),
    handle: enrolWithToken,
  },
];
