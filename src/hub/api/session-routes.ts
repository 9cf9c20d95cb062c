/**
 * Logging in and out, and who the caller is: POST /api/login (public), POST /api/logout, GET /api/me. A
 * login answers a session cookie (HttpOnly, Secure, SameSite=Strict) and, for the CLI only when asked, the
 * same token in the body. Every attempt at a user's password goes through claimPasswordAttempt.
 */
import { foldName } from '../../domain/fold-name';
import { HttpError } from '../http-error';
import { addressThrottleKey, userThrottleKey } from '../login-throttle';
import { checkMfaCode, normaliseCode } from '../mfa';
import { decoyHash, newToken, tokenHash, verifyPassword } from '../passwords';
import { bool, bytes, either, integer, obj, str } from '../schema';
import { record, type ApiContext, type LoginLimits, type Route } from './context';
import { agent, empty, publicUser, user } from './shapes';

/**
 * 5 failures of a user name (50 from an address: offices behind one NAT), then 1 s, 2 s, 4 s … up to
 * 5 min between attempts: about 290 guesses a day per user at most, against passwords of 12 characters or
 * more, while the user themself is only ever minutes from a login. Forgotten after 15 quiet minutes.
 */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perAddress: 50, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, windowMs: 15 * 60_000 };
export const SESSION_TTL_MS = 12 * 3600_000;
export const SESSION_COOKIE = 'pwbridge_session';

/**
 * One attempt at a hub user's password (a login, a dashboard step-up), counted against the user and the
 * address before the password is looked at, in one statement per key: parallel guesses cannot all pass.
 * Over the limit: `refused` records why (which key, how long to wait), then 429 with Retry-After; a guess
 * made now says nothing, right or wrong. After a right password, `succeeded()` clears the user's count
 * and gives the address its attempt back.
 */
export async function claimPasswordAttempt(ctx: ApiContext, name: string, attempts: string,
  refused: (which: 'of this user' | 'from this address', waitS: number) => Promise<void>): Promise<{ succeeded(): Promise<void>; givenBack(): Promise<void> }> {
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
    /** The attempt guessed nothing (a right password, its second factor not yet sent): uncounted, the earlier failures kept. */
    async givenBack() {
      await store.throttle.release(userKey);
      await store.throttle.release(addressKey);
    },
  };
}

async function login(ctx: ApiContext, a: { user: string; password: Buffer; code?: string; bearer?: boolean }): Promise<unknown> {
  const { store } = ctx;
  const name = a.user;
  if (name.length === 0 || name.length > 256) throw new HttpError(400, 'bad-request', 'user must be 1 to 256 characters');
  const code = a.code === undefined ? undefined : normaliseCode(a.code);
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
  if (found.user.mfa) await secondFactor(ctx, found.user.id, code, attempt, event);
  await attempt.succeeded();
  const token = newToken('pws');
  const expiresAt = await store.createSession(found.user.id, tokenHash(token), SESSION_TTL_MS);
  await event('ok', 'logged in');
  ctx.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`);
  // The token is in the body only when asked for (the CLI): a browser keeps it in the HttpOnly cookie,
  // out of reach of the page's scripts.
  return { user: publicUser(found.user), expiresAt, ...(a.bearer ? { token } : {}) };
}

/**
 * A user with TOTP: no code yet gives the attempt back and asks for one (the password was right, nothing
 * was guessed); a wrong or already used code stays counted, exactly like a wrong password.
 */
async function secondFactor(ctx: ApiContext, userId: number, code: string | undefined, attempt: { givenBack(): Promise<void> },
  event: (outcome: 'ok' | 'refused', why: string) => Promise<void>): Promise<void> {
  if (code === undefined) {
    await attempt.givenBack();
    throw new HttpError(401, 'mfa-required', 'this user has a second factor: send the 6-digit code from the authenticator app as well (code)');
  }
  const r = await checkMfaCode(ctx.store, userId, code, ctx.now());
  if (r === 'ok') return;
  // Counted by the claim, like a wrong password.
  await event('refused', r === 'replayed' ? 'second-factor code already used (replay refused)' : 'wrong second-factor code');
  throw new HttpError(401, 'wrong-code', r === 'replayed'
    ? 'that code was used already; wait for the next one your authenticator app shows' : 'wrong second-factor code');
}

export const sessionRoutes: Route[] = [
  {
    method: 'POST', path: '/api/login', public: true,
    summary: 'Log in: a session cookie, and the token in the body too when bearer is true (the CLI); a user with a second factor sends its code too',
    body: obj({ user: str, password: bytes, code: str, bearer: bool }, ['code', 'bearer']),
    response: obj({ user, expiresAt: integer, token: str }, ['token']),
    handle: login,
  },
  {
    method: 'POST', path: '/api/logout', body: obj({}), withoutMfa: true,
    summary: 'End this session (the cookie is cleared)',
    response: empty,
    async handle(ctx) {
      if (ctx.principal?.kind === 'user') await ctx.store.deleteSession(ctx.principal.tokenHash);
      ctx.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
      return {};
    },
  },
  {
    method: 'GET', path: '/api/me', withoutMfa: true,
    summary: 'Who is calling: a user (name, role, permissions) or an agent (client, machine)',
    response: either(obj({ user }), obj({ agent })),
    async handle(ctx) {
      const p = ctx.principal!;
      return p.kind === 'user' ? { user: publicUser(p.user) } : { agent: { client: p.agent.client, machine: p.agent.machine } };
    },
  },
];
