/**
 * A hub user's own TOTP second factor (src/hub/mfa.ts), and an admin's reset of someone else's:
 *
 * - GET /api/account/mfa: whether the caller has one, and whether this hub requires it of them.
 * - POST /api/account/mfa/begin: a new secret, answered once (base32 and otpauth:// URI) and stored sealed
 *   as pending; refused while one is in force (an admin resets it first: a stolen session must not swap it).
 * - POST /api/account/mfa/confirm `{ code }`: a code from the app switches it on; from then on the user's
 *   logins and step-ups ask for a code.
 * - POST /api/users/mfa-reset `{ name }` (admin): removes a user's second factor; their sessions end.
 *
 * The first three are served to an admin without a second factor on a hub with --require-mfa (mfa-gate.ts).
 */
import { describePrincipal } from '../access';
import { HttpError } from '../http-error';
import { beginMfa, confirmMfa, normaliseCode } from '../mfa';
import { bool, obj, str } from '../schema';
import { base32, otpauthUri } from '../totp';
import { resetUserMfa } from '../user-admin';
import { record, refuse, requireUser, type ApiContext, type Route } from './context';
import { publicUser, userAnswer } from './shapes';

/** The issuer an authenticator app lists the account under. */
export const MFA_ISSUER = 'pwbridge hub';

async function begin(ctx: ApiContext): Promise<{ secret: string; uri: string }> {
  const me = requireUser(ctx);
  if (me.mfa) throw new HttpError(409, 'mfa-on', 'a second factor is already on for this user; an admin can reset it (Users, or pwbridge hub-user mfa-reset) before a new one is enrolled');
  const secret = await beginMfa(ctx.store, me.id);
  try {
    return { secret: base32(secret), uri: otpauthUri(MFA_ISSUER, me.name, secret) };
  } finally {
    secret.fill(0);
  }
}

async function confirm(ctx: ApiContext, a: { code: string }): Promise<{ enabled: boolean }> {
  const me = requireUser(ctx);
  const code = normaliseCode(a.code);
  const r = await confirmMfa(ctx.store, me.id, code, ctx.now());
  const why = `${describePrincipal(ctx.principal)} from ${ctx.address}: `;
  if (r === 'enabled') {
    await record(ctx, { kind: 'mfa-enabled', outcome: 'ok', account: me.name, reason: `${why}second factor (TOTP) switched on` });
    return { enabled: true };
  }
  await record(ctx, { kind: 'mfa-enabled', outcome: 'refused', account: me.name,
    reason: `${why}${r === 'not-begun' ? 'no enrolment begun' : 'wrong code'}; the second factor was not switched on` });
  if (r === 'not-begun') throw new HttpError(409, 'mfa-not-begun', 'no enrolment begun: ask for a new secret first (POST /api/account/mfa/begin)');
  throw new HttpError(400, 'wrong-code', 'wrong code: enter the 6 digits your authenticator app shows now for this account (and check the phone\'s clock)');
}

export const mfaRoutes: Route[] = [
  {
    method: 'GET', path: '/api/account/mfa', withoutMfa: true,
    summary: 'Whether your login has a second factor (TOTP), and whether this hub requires one of you',
    response: obj({ enabled: bool, required: bool }),
    async handle(ctx) {
      const me = requireUser(ctx);
      return { enabled: me.mfa, required: ctx.requireMfa === true && me.role === 'admin' };
    },
  },
  {
    method: 'POST', path: '/api/account/mfa/begin', body: obj({}), withoutMfa: true, handle: begin,
    summary: 'Begin enrolling a second factor: a new TOTP secret, shown once (base32 and otpauth:// URI); on after confirm',
    response: obj({ secret: str, uri: str }),
  },
  {
    method: 'POST', path: '/api/account/mfa/confirm', body: obj({ code: str }), withoutMfa: true, handle: confirm,
    summary: 'Switch the second factor on with a code from the authenticator app',
    response: obj({ enabled: bool }),
  },
  {
    method: 'POST', path: '/api/users/mfa-reset', body: obj({ name: str }),
    summary: 'Remove a user\'s second factor (a lost phone); their sessions end (admin)',
    response: userAnswer,
    async handle(ctx, a: { name: string }) {
      const me = requireUser(ctx);
      if (me.role !== 'admin') await refuse(ctx, `reset the second factor of user "${a.name}"`);
      const r = await resetUserMfa({ vault: ctx.vault, store: ctx.store, by: describePrincipal(ctx.principal), now: ctx.now }, a.name);
      return { user: publicUser(r.user) };
    },
  },
];
