/**
 * Failed-login throttle, per key ('user:<folded name>' or 'ip:<address>'), in the database so every hub
 * process on it shares it. Not a lockout: after `free` failures each further attempt waits, the wait
 * doubling from `baseDelayMs` up to `maxDelayMs`, so a user whose logins fail (an attacker guessing their
 * password, or their own typos) is slowed down and never shut out, the last admin included. A quiet
 * `windowMs` since the last attempt forgets the key.
 *
 * Atomic: an attempt is counted, as a failure, by the same statement that decides whether it may go on,
 * before the password is checked (scrypt); a success then clears (user) or gives back (address) its
 * count. Parallel guesses cannot all read "under the limit" first: at most `free` of them reach scrypt,
 * then one per wait. The statement is an upsert whose DO UPDATE has a WHERE (SQLite 3.35+ and
 * PostgreSQL alike): no row returned means refused. On PostgreSQL the conflicting row is locked and the
 * WHERE sees its latest version; SQLite orders all writers. Under `free` an attempt passes whatever the
 * times say: on PostgreSQL parallel requests read the clock before they queue on the row, so the row's
 * window_start can be a millisecond after this request's `now` (found by parallel enrolments with a token).
 *
 * Table hub_login_failures (migration 2) keeps its names: `failures` is the attempts counted and not yet
 * cleared, `window_start` the time of the last one (the wait runs from it).
 */
import type { Sql, SqlQueries } from './sql';

export interface ThrottleLimits {
  /** Failures of one user name before each further attempt waits. */
  perUser: number;
  /** Failures from one address (over any user names) before each further attempt waits. */
  perAddress: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** Failures are forgotten this long after the last attempt. */
  windowMs: number;
}

export function checkThrottleLimits(l: ThrottleLimits): ThrottleLimits {
  const positive = (name: keyof ThrottleLimits, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isSafeInteger(l[name]) || l[name] < 1 || l[name] > max) throw new Error(`login limits: ${name} must be an integer from 1 to ${max}, got ${l[name]}`);
  };
  positive('perUser', 1_000_000);
  positive('perAddress', 1_000_000);
  positive('baseDelayMs', 86_400_000);
  positive('maxDelayMs', 86_400_000);
  positive('windowMs', 30 * 86_400_000);
  if (l.maxDelayMs < l.baseDelayMs) throw new Error('login limits: maxDelayMs must not be below baseDelayMs');
  // A key forgotten before its wait ends would let the next attempt through early.
  if (l.windowMs < l.maxDelayMs) throw new Error('login limits: windowMs must not be below maxDelayMs');
  return l;
}

/** How long after the last attempt the next may be made, with `failures` counted (0 while under `free`). */
export function waitAfter(failures: number, free: number, l: Pick<ThrottleLimits, 'baseDelayMs' | 'maxDelayMs'>): number {
  if (failures < free) return 0;
  const doublings = failures - free;
  return doublings >= 53 ? l.maxDelayMs : Math.min(l.baseDelayMs * 2 ** doublings, l.maxDelayMs);
}

/** waitAfter as SQL over `column`: a CASE of literal integers (checked above), the same in both dialects. */
function waitSql(column: string, free: number, l: ThrottleLimits): string {
  const arms = [`WHEN ${column} < ${free} THEN 0`];
  for (let f = free; waitAfter(f, free, l) < l.maxDelayMs; f++) arms.push(`WHEN ${column} = ${f} THEN ${waitAfter(f, free, l)}`);
  return `(CASE ${arms.join(' ')} ELSE ${l.maxDelayMs} END)`;
}

export type ThrottleKey = { key: string; free: number };
export type Claim = { allowed: true } | { allowed: false; key: string; retryAfterMs: number };

class Refused extends Error {
  constructor(readonly claim: Claim) { super('throttled'); }
}

export class LoginThrottle {
  constructor(private readonly sql: Sql, private readonly now: () => number = Date.now) {}

  /**
   * Count an attempt against every key, or against none: refused (nothing counted) when any key must
   * still wait, with how long. Keys are claimed in the order given (callers keep one order: no deadlock).
   */
  async claim(keys: ThrottleKey[], limits: ThrottleLimits): Promise<Claim> {
    try {
      return await this.sql.tx(async (q) => {
        for (const k of keys) {
          const now = this.now();
          const rows = await q.all<{ failures: number }>(
            `INSERT INTO hub_login_failures (key, failures, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (key) DO UPDATE SET
               failures = CASE WHEN hub_login_failures.window_start <= $3 THEN 1 ELSE hub_login_failures.failures + 1 END,
               window_start = $2
             WHERE hub_login_failures.window_start <= $3
               OR hub_login_failures.failures < ${k.free}
               OR hub_login_failures.window_start + ${waitSql('hub_login_failures.failures', k.free, limits)} <= $2
             RETURNING failures`, [k.key, now, now - limits.windowMs]);
          if (rows.length === 0) throw new Refused({ allowed: false, key: k.key, retryAfterMs: await this.waitLeft(q, k, limits, now) });
        }
        return { allowed: true } as Claim;
      });
    } catch (err) {
      if (err instanceof Refused) return err.claim;
      throw err;
    }
  }

  /** A successful attempt gives its count back (an address's other users' failures stay counted). */
  async release(key: string): Promise<void> {
    await this.sql.run('UPDATE hub_login_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0', [key]);
  }

  /** Forget the key (a success of that user, a new password, the host's `pwbridge hub-user unthrottle`). Rows removed. */
  async clear(key: string, q: SqlQueries = this.sql): Promise<number> {
    return q.run('DELETE FROM hub_login_failures WHERE key = $1', [key]);
  }

  private async waitLeft(q: SqlQueries, k: ThrottleKey, limits: ThrottleLimits, now: number): Promise<number> {
    const rows = await q.all<{ failures: number; window_start: number }>('SELECT failures, window_start FROM hub_login_failures WHERE key = $1', [k.key]);
    const r = rows[0];
    return r ? Math.max(1, Number(r.window_start) + waitAfter(Number(r.failures), k.free, limits) - now) : 1;
  }
}

export const userThrottleKey = (folded: string) => `user:${folded}`;
export const addressThrottleKey = (address: string) => `ip:${address}`;
