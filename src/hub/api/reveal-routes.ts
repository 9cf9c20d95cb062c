/**
 * Revealing a password in the dashboard, for operators and admins (a viewer never; an agent token never):
 *
 * - POST /api/dashboard/step-up `{ password }`: the user re-enters their own hub password. It goes through
 *   the login throttle (login-throttle.ts) with the same keys and limits as POST /api/login, so a stolen
 *   session cannot guess its user's password any faster than a login can; a wrong one is refused and counted.
 *   Right, the session is stepped up for STEP_UP_MS (step-up.ts). Both outcomes are recorded (kind step-up).
 *   A user with a second factor (src/hub/mfa.ts) sends a code from their app too: a wrong or used one is
 *   refused and counted like a wrong password.
 * - POST /api/dashboard/reveal `{ credentialId }`: the password, only while the session is stepped up,
 *   through the same path as POST /api/vault/readPassword (vault-routes.ts passwordOut): the password-read event,
 *   "revealed in the dashboard", is stored before the password leaves, or nothing leaves.
 *
 * POST, not GET, for both: the server takes a body only as application/json, which a cross-site form cannot
 * send, and the session cookie is SameSite=Strict besides.
 */
import { atLeast, describePrincipal } from '../access';
import { HttpError } from '../http-error';
import { checkMfaCode, normaliseCode } from '../mfa';
import { verifyPassword } from '../passwords';
import { bytes, integer, obj, str } from '../schema';
import { STEP_UP_MS, markSteppedUp, steppedUpUntil } from '../step-up';
import type { HubUser } from '../store';
import { record, refuse, type ApiContext, type Route } from './context';
import { claimPasswordAttempt } from './session-routes';
import { passwordOut } from './vault-routes';

export const STEP_UP_PATH = '/api/dashboard/step-up';
export const REVEAL_PATH = '/api/dashboard/reveal';

/** A user's session with role operator or admin; anyone else is refused, and the refusal recorded. */
async function operatorSession(ctx: ApiContext, what: string, about: { account?: string; credentialId?: number } = {}): Promise<{ user: HubUser; tokenHash: string }> {
  const p = ctx.principal;
  if (p?.kind !== 'user' || !atLeast(p.user.role, 'operator')) await refuse(ctx, what, about);
  const u = p as Extract<typeof p, { kind: 'user' }>;
  return { user: u.user, tokenHash: u.tokenHash };
}

async function stepUp(ctx: ApiContext, a: { password: Buffer; code?: string }): Promise<{ steppedUpUntil: number }> {
  const { user, tokenHash } = await operatorSession(ctx, 'reveal passwords (a viewer never may)');
  const code = a.code === undefined ? undefined : normaliseCode(a.code);
  // Asked before anything is counted: the page learns it must show the code field.
  if (user.mfa && code === undefined) throw new HttpError(403, 'mfa-required', 'you have a second factor: enter the code from your authenticator app with your password');
  const event = (outcome: 'ok' | 'refused', why: string) => record(ctx, {
    kind: 'step-up', outcome, account: user.name, reason: `${describePrincipal(ctx.principal)} from ${ctx.address}: ${why}`,
  });
  // Counted with the logins, before the password is looked at.
  const attempt = await claimPasswordAttempt(ctx, user.name, 'attempts',
    (which, waitS) => event('refused', `too many failed logins or step-ups ${which}; next attempt allowed in ${waitS} s`));
  const found = await ctx.store.userForLogin(user.name);
  if (!found || !(await verifyPassword(a.password, found.passwordHash))) {
    await event('refused', 'wrong password (counted with the failed logins)');
    // Not 401: the session is still good, only the re-entered password is wrong.
    throw new HttpError(403, 'wrong-password', 'wrong password: enter your own hub password to reveal passwords');
  }
  if (user.mfa) {
    const r = await checkMfaCode(ctx.store, user.id, code!, ctx.now());
    if (r !== 'ok') {
      await event('refused', `${r === 'replayed' ? 'second-factor code already used' : 'wrong second-factor code'} (counted with the failed logins)`);
      throw new HttpError(403, 'wrong-code', r === 'replayed' ? 'that code was used already; wait for the next one' : 'wrong second-factor code');
    }
  }
  await attempt.succeeded();
  const until = ctx.now() + STEP_UP_MS;
  if (!(await markSteppedUp(ctx.store.sql, tokenHash, until))) throw new HttpError(401, 'unauthenticated', 'the session has ended; log in again');
  await event('ok', `re-entered their password; may reveal passwords until ${new Date(until).toISOString()}`);
  return { steppedUpUntil: until };
}

async function reveal(ctx: ApiContext, a: { credentialId: number }): Promise<{ password: string }> {
  const found = await ctx.store.credentialScope(a.credentialId);
  const { tokenHash } = await operatorSession(ctx, `reveal the password of credential ${a.credentialId}`, { credentialId: a.credentialId, account: found?.username });
  const until = await steppedUpUntil(ctx.store.sql, tokenHash);
  const now = ctx.now();
  // Not recorded: asking first is how the page learns it must ask for the password.
  if (until === undefined) {
    throw new HttpError(403, 'step-up-required', `revealing a password needs your own password re-entered first (POST ${STEP_UP_PATH}); this session has not`);
  }
  if (until <= now) {
    throw new HttpError(403, 'step-up-required', `revealing a password needs your own password re-entered within the last ${STEP_UP_MS / 60_000} minutes; this session's ended ${Math.ceil((now - until) / 1000)} s ago`);
  }
  return passwordOut(ctx, a.credentialId, found, 'revealed in the dashboard');
}

export const revealRoutes: Route[] = [
  {
    method: 'POST', path: STEP_UP_PATH, body: obj({ password: bytes, code: str }, ['code']), handle: stepUp,
    summary: 'Re-enter your own password (and second-factor code, if you have one): this session may reveal passwords for 5 minutes (operator)',
    response: obj({ steppedUpUntil: integer }),
  },
  {
    method: 'POST', path: REVEAL_PATH, body: obj({ credentialId: integer }), handle: reveal,
    summary: 'A credential\'s password, base64, in a stepped-up session; the password-read event is stored first (operator)',
    response: obj({ password: bytes }),
  },
];
