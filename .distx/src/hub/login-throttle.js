"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.addressThrottleKey = exports.userThrottleKey = exports.LoginThrottle = void 0;
exports.checkThrottleLimits = checkThrottleLimits;
exports.waitAfter = waitAfter;
function checkThrottleLimits(l) {
    const positive = (name, max = Number.MAX_SAFE_INTEGER) => {
        if (!Number.isSafeInteger(l[name]) || l[name] < 1 || l[name] > max)
            throw new Error(`login limits: ${name} must be an integer from 1 to ${max}, got ${l[name]}`);
    };
    positive('perUser', 1_000_000);
    positive('perAddress', 1_000_000);
    positive('baseDelayMs', 86_400_000);
    positive('maxDelayMs', 86_400_000);
    positive('windowMs', 30 * 86_400_000);
    if (l.maxDelayMs < l.baseDelayMs)
        throw new Error('login limits: maxDelayMs must not be below baseDelayMs');
    // A key forgotten before its wait ends would let the next attempt through early.
    if (l.windowMs < l.maxDelayMs)
        throw new Error('login limits: windowMs must not be below maxDelayMs');
    return l;
}
/** How long after the last attempt the next may be made, with `failures` counted (0 while under `free`). */
function waitAfter(failures, free, l) {
    if (failures < free)
        return 0;
    const doublings = failures - free;
    return doublings >= 53 ? l.maxDelayMs : Math.min(l.baseDelayMs * 2 ** doublings, l.maxDelayMs);
}
/** waitAfter as SQL over `column`: a CASE of literal integers (checked above), the same in both dialects. */
function waitSql(column, free, l) {
    const arms = [`WHEN ${column} < ${free} THEN 0`];
    for (let f = free; waitAfter(f, free, l) < l.maxDelayMs; f++)
        arms.push(`WHEN ${column} = ${f} THEN ${waitAfter(f, free, l)}`);
    return `(CASE ${arms.join(' ')} ELSE ${l.maxDelayMs} END)`;
}
class Refused extends Error {
    claim;
    constructor(claim) {
        super('throttled');
        this.claim = claim;
    }
}
class LoginThrottle {
    sql;
    now;
    constructor(sql, now = Date.now) {
        this.sql = sql;
        this.now = now;
    }
    /**
     * Count an attempt against every key, or against none: refused (nothing counted) when any key must
     * still wait, with how long. Keys are claimed in the order given (callers keep one order: no deadlock).
     */
    async claim(keys, limits) {
        try {
            return await this.sql.tx(async (q) => {
                for (const k of keys) {
                    const now = this.now();
                    const rows = await q.all(`INSERT INTO hub_login_failures (key, failures, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (key) DO UPDATE SET
               failures = CASE WHEN hub_login_failures.window_start <= $3 THEN 1 ELSE hub_login_failures.failures + 1 END,
               window_start = $2
             WHERE hub_login_failures.window_start <= $3
               OR hub_login_failures.window_start + ${waitSql('hub_login_failures.failures', k.free, limits)} <= $2
             RETURNING failures`, [k.key, now, now - limits.windowMs]);
                    if (rows.length === 0)
                        throw new Refused({ allowed: false, key: k.key, retryAfterMs: await this.waitLeft(q, k, limits, now) });
                }
                return { allowed: true };
            });
        }
        catch (err) {
            if (err instanceof Refused)
                return err.claim;
            throw err;
        }
    }
    /** A successful attempt gives its count back (an address's other users' failures stay counted). */
    async release(key) {
        await this.sql.run('UPDATE hub_login_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0', [key]);
    }
    /** Forget the key (a success of that user, a new password, the host's `pwbridge hub-user unthrottle`). Rows removed. */
    async clear(key, q = this.sql) {
        return q.run('DELETE FROM hub_login_failures WHERE key = $1', [key]);
    }
    async waitLeft(q, k, limits, now) {
        const rows = await q.all('SELECT failures, window_start FROM hub_login_failures WHERE key = $1', [k.key]);
        const r = rows[0];
        return r ? Math.max(1, Number(r.window_start) + waitAfter(Number(r.failures), k.free, limits) - now) : 1;
    }
}
exports.LoginThrottle = LoginThrottle;
const userThrottleKey = (folded) => `user:${folded}`;
exports.userThrottleKey = userThrottleKey;
const addressThrottleKey = (address) => `ip:${address}`;
exports.addressThrottleKey = addressThrottleKey;
//# sourceMappingURL=login-throttle.js.map