"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.revealRoutes = exports.REVEAL_PATH = exports.STEP_UP_PATH = void 0;
/**
 * Revealing a password in the dashboard, for operators and admins (a viewer never; an agent token never):
 *
 * - POST /api/dashboard/step-up `{ password }`: the user re-enters their own hub password. It goes through
 *   the login throttle (login-throttle.ts) with the same keys and limits as POST /api/login, so a stolen
 *   session cannot guess its user's password any faster than a login can; a wrong one is refused and counted.
 *   Right, the session is stepped up for STEP_UP_MS (step-up.ts). Both outcomes are recorded (kind step-up).
 *   There is no second factor: the hub has no TOTP yet, so the step-up is the password alone.
 * - POST /api/dashboard/reveal `{ credentialId }`: the password, only while the session is stepped up,
 *   through the same path as POST /api/vault/readPassword (api.ts passwordOut): the password-read event,
 *   "revealed in the dashboard", is stored before the password leaves, or nothing leaves.
 *
 * POST, not GET, for both: the server takes a body only as application/json, which a cross-site form cannot
 * send, and the session cookie is SameSite=Strict besides.
 */
const fold_1 = require("../vault/fold");
const access_1 = require("./access");
const api_1 = require("./api");
const http_error_1 = require("./http-error");
const login_throttle_1 = require("./login-throttle");
const passwords_1 = require("./passwords");
const schema_1 = require("./schema");
const step_up_1 = require("./step-up");
exports.STEP_UP_PATH = '/api/dashboard/step-up';
exports.REVEAL_PATH = '/api/dashboard/reveal';
/** A user's session with role operator or admin; anyone else is refused, and the refusal recorded. */
async function operatorSession(ctx, what, about = {}) {
    const p = ctx.principal;
    if (p?.kind !== 'user' || !(0, access_1.atLeast)(p.user.role, 'operator'))
        await (0, api_1.refuse)(ctx, what, about);
    const u = p;
    return { user: u.user, tokenHash: u.tokenHash };
}
async function stepUp(ctx, a) {
    const { user, tokenHash } = await operatorSession(ctx, 'reveal passwords (a viewer never may)');
    const event = (outcome, why) => (0, api_1.record)(ctx, {
        kind: 'step-up', outcome, account: user.name, reason: `${(0, access_1.describePrincipal)(ctx.principal)} from ${ctx.address}: ${why}`,
    });
    const userKey = (0, login_throttle_1.userThrottleKey)((0, fold_1.foldName)(user.name));
    const addressKey = (0, login_throttle_1.addressThrottleKey)(ctx.address);
    // Counted before the password is looked at, like a login: parallel guesses cannot all pass.
    const claim = await ctx.store.throttle.claim([{ key: userKey, free: ctx.limits.perUser }, { key: addressKey, free: ctx.limits.perAddress }], ctx.limits);
    if (!claim.allowed) {
        const waitS = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
        await event('refused', `too many failed logins or step-ups ${claim.key === userKey ? 'of this user' : 'from this address'}; next attempt allowed in ${waitS} s`);
        throw new http_error_1.HttpError(429, 'rate-limited', `too many failed attempts for this user or address; try again in ${waitS} s`, { retryAfterS: waitS }, { 'Retry-After': String(waitS) });
    }
    const found = await ctx.store.userForLogin(user.name);
    if (!found || !(await (0, passwords_1.verifyPassword)(a.password, found.passwordHash))) {
        await event('refused', 'wrong password (counted with the failed logins)');
        // Not 401: the session is still good, only the re-entered password is wrong.
        throw new http_error_1.HttpError(403, 'wrong-password', 'wrong password: enter your own hub password to reveal passwords');
    }
    await ctx.store.throttle.clear(userKey);
    await ctx.store.throttle.release(addressKey);
    const until = ctx.now() + step_up_1.STEP_UP_MS;
    if (!(await (0, step_up_1.markSteppedUp)(ctx.store.sql, tokenHash, until)))
        throw new http_error_1.HttpError(401, 'unauthenticated', 'the session has ended; log in again');
    await event('ok', `re-entered their password; may reveal passwords until ${new Date(until).toISOString()}`);
    return { steppedUpUntil: until };
}
async function reveal(ctx, a) {
    const found = await ctx.store.credentialScope(a.credentialId);
    const { tokenHash } = await operatorSession(ctx, `reveal the password of credential ${a.credentialId}`, { credentialId: a.credentialId, account: found?.username });
    const until = await (0, step_up_1.steppedUpUntil)(ctx.store.sql, tokenHash);
    const now = ctx.now();
    // Not recorded: asking first is how the page learns it must ask for the password.
    if (until === undefined) {
        throw new http_error_1.HttpError(403, 'step-up-required', `revealing a password needs your own password re-entered first (POST ${exports.STEP_UP_PATH}); this session has not`);
    }
    if (until <= now) {
        throw new http_error_1.HttpError(403, 'step-up-required', `revealing a password needs your own password re-entered within the last ${step_up_1.STEP_UP_MS / 60_000} minutes; this session's ended ${Math.ceil((now - until) / 1000)} s ago`);
    }
    return (0, api_1.passwordOut)(ctx, a.credentialId, found, 'revealed in the dashboard');
}
exports.revealRoutes = [
    { method: 'POST', path: exports.STEP_UP_PATH, body: (0, schema_1.obj)({ password: schema_1.bytes }), handle: stepUp },
    { method: 'POST', path: exports.REVEAL_PATH, body: (0, schema_1.obj)({ credentialId: schema_1.integer }), handle: reveal },
];
//# sourceMappingURL=reveal-api.js.map