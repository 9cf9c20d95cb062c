// The hub's failed-login throttle against a real hub over HTTPS, on both engines: parallel wrong guesses
// (each its own TLS connection) reach the password check at most `free` times, the rest are refused
// unjudged; and a user whose logins fail is slowed down by waits that double up to a cap, never locked
// out: the last admin gets in with the right password once the wait has passed.
import { strict as assert } from 'node:assert';
import type { EventRecord } from '../../src/domain/types';
import type { LoginLimits } from '../../src/hub/api/context';
import { DEFAULT_LOGIN_LIMITS } from '../../src/hub/api/session-routes';
import { LoginThrottle } from '../../src/hub/login-throttle';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'olga';
const OP_PW = 'Operator-Pw-canary-6d0e';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function loginEvents(t: TestHub): Promise<EventRecord[]> {
  return (await t.hub.vault.queryEvents({ kind: 'login', limit: 100_000 }));
}

/** One login per connection, all sent at once. */
async function parallelLogins(t: TestHub, attempts: Array<{ user: string; password: string }>): Promise<number[]> {
  const rs = await Promise.all(attempts.map((a) => t.raw('POST', '/api/login',
    JSON.stringify({ user: a.user, password: Buffer.from(a.password).toString('base64') }), { 'Content-Type': 'application/json' })));
  return rs.map((r) => r.status);
}

const count = (xs: number[], v: number) => xs.filter((x) => x === v).length;

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub login throttle (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    const start = async (limits: LoginLimits) => {
      t = await startTestHub(engine, { limits });
      await t.addUser(OP, 'operator', [], OP_PW);
      await t.hub.store.sql.run('DELETE FROM hub_login_failures'); // the admin's login above is not part of the count
    };
    afterEach(async () => t?.close());

    it('24 parallel wrong guesses for one user: at most perUser (3) are judged, the rest refused without a look', async () => {
      await start({ perUser: 3, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000 });
      const statuses = await parallelLogins(t, Array.from({ length: 24 }, (_, i) => ({ user: OP, password: `wrong-guess-${i}` })));
      assert.equal(count(statuses, 401) + count(statuses, 429), 24, JSON.stringify(statuses));
      assert.ok(count(statuses, 401) <= 3, `judged: ${count(statuses, 401)} (${JSON.stringify(statuses)})`);
      const events = await loginEvents(t);
      assert.equal(events.filter((e) => /wrong password/.test(e.reason ?? '')).length, count(statuses, 401), 'each judged guess is one "wrong password" event');
      assert.equal(events.filter((e) => /too many failed logins/.test(e.reason ?? '')).length, count(statuses, 429));
      // Still waiting: even the right password is refused unjudged.
      assert.equal((await t.login(OP, OP_PW)).status, 429);
    });

    it('under the free count an attempt passes even when its clock reads before the last attempt\'s (parallel requests read the clock, then queue on the row)', async () => {
      await start({ perUser: 3, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000 });
      let clock = 1_000_000;
      const throttle = new LoginThrottle(t.hub.store.sql, () => clock);
      const limits = { perUser: 3, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000 };
      const key = [{ key: 'ip:192.0.2.7', free: 3 }];
      clock = 1_000_005;
      assert.deepEqual(await throttle.claim(key, limits), { allowed: true });
      clock = 1_000_003; // read before the first request's, counted after it
      assert.deepEqual(await throttle.claim(key, limits), { allowed: true }, 'the second of three free attempts');
      assert.deepEqual(await throttle.claim(key, limits), { allowed: true }, 'the third');
      const fourth = await throttle.claim(key, limits);
      assert.equal(fourth.allowed, false, 'over the free count, the wait applies');
    });

    it('24 parallel wrong guesses over 24 user names from one address: at most perAddress (4) are judged', async () => {
      await start({ perUser: 1000, perAddress: 4, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000 });
      const statuses = await parallelLogins(t, Array.from({ length: 24 }, (_, i) => ({ user: `user${i}`, password: `wrong-guess-${i}` })));
      assert.ok(count(statuses, 401) <= 4, `judged: ${count(statuses, 401)} (${JSON.stringify(statuses)})`);
      assert.equal(count(statuses, 401) + count(statuses, 429), 24, JSON.stringify(statuses));
    });

    it('the waits double up to maxDelayMs, then the right password gets in (slowed down, not locked out)', async () => {
      await start({ perUser: 2, perAddress: 1000, baseDelayMs: 500, maxDelayMs: 2000, windowMs: 3_600_000 });
      const retryAfter: string[] = [];
      const wrongThenWait = async (i: number) => {
        assert.equal((await t.login(OP, `wrong-${i}-password`)).status, 401, `guess ${i} is judged`);
        const early = await t.login(OP, OP_PW);
        assert.equal(early.status, 429, `right after guess ${i}: wait`);
        retryAfter.push(String(early.headers['retry-after']));
        return early.body.error.retryAfterS as number;
      };
      assert.equal((await t.login(OP, 'wrong-0-password')).status, 401);
      for (let i = 1; i <= 4; i++) await sleep([0, 0, 500, 1000, 2000][i] + 50).then(() => wrongThenWait(i));
      // Waits of 0.5, 1, 2 and 2 s (capped) after failures 2, 3, 4 and 5: Retry-After in whole seconds.
      assert.deepEqual(retryAfter, ['1', '1', '2', '2']);
      await sleep(2050);
      assert.equal((await t.login(OP, OP_PW)).status, 200, 'after the wait, the right password');
      assert.equal((await t.login(OP, 'wrong-after-success')).status, 401, 'the success cleared the count: judged at once');
    });

    it('with the default limits, five wrong tries slow the last admin down by a second, no more', async () => {
      await start(DEFAULT_LOGIN_LIMITS);
      for (let i = 0; i < 5; i++) assert.equal((await t.login(ADMIN, `wrong-${i}-password`)).status, 401);
      const early = await t.login(ADMIN, ADMIN_PASSWORD);
      assert.equal(early.status, 429);
      assert.equal(early.headers['retry-after'], '1');
      await sleep(1050);
      assert.equal((await t.login(ADMIN, ADMIN_PASSWORD)).status, 200, 'the last admin is in');
    });
  });
}
