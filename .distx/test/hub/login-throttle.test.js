"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The hub's failed-login throttle against a real hub over HTTPS, on both engines: parallel wrong guesses
// (each its own TLS connection) reach the password check at most `free` times, the rest are refused
// unjudged; and a user whose logins fail is slowed down by waits that double up to a cap, never locked
// out: the last admin gets in with the right password once the wait has passed.
const node_assert_1 = require("node:assert");
const api_1 = require("../../src/hub/api");
const hub_1 = require("../helpers/hub");
const OP = 'olga';
const OP_PW = 'Operator-Pw-canary-6d0e';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function loginEvents(t) {
    return (await t.hub.vault.queryEvents({ kind: 'login', limit: 100_000 }));
}
/** One login per connection, all sent at once. */
async function parallelLogins(t, attempts) {
    const rs = await Promise.all(attempts.map((a) => t.raw('POST', '/api/login', JSON.stringify({ user: a.user, password: Buffer.from(a.password).toString('base64') }), { 'Content-Type': 'application/json' })));
    return rs.map((r) => r.status);
}
const count = (xs, v) => xs.filter((x) => x === v).length;
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub login throttle (${engine})`, function () {
        this.timeout(120_000);
        let t;
        const start = async (limits) => {
            t = await (0, hub_1.startTestHub)(engine, { limits });
            await t.addUser(OP, 'operator', [], OP_PW);
            await t.hub.store.sql.run('DELETE FROM hub_login_failures'); // the admin's login above is not part of the count
        };
        afterEach(async () => t?.close());
        it('24 parallel wrong guesses for one user: at most perUser (3) are judged, the rest refused without a look', async () => {
            await start({ perUser: 3, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000 });
            const statuses = await parallelLogins(t, Array.from({ length: 24 }, (_, i) => ({ user: OP, password: `wrong-guess-${i}` })));
            node_assert_1.strict.equal(count(statuses, 401) + count(statuses, 429), 24, JSON.stringify(statuses));
            node_assert_1.strict.ok(count(statuses, 401) <= 3, `judged: ${count(statuses, 401)} (${JSON.stringify(statuses)})`);
            const events = await loginEvents(t);
            node_assert_1.strict.equal(events.filter((e) => /wrong password/.test(e.reason ?? '')).length, count(statuses, 401), 'each judged guess is one "wrong password" event');
            node_assert_1.strict.equal(events.filter((e) => /too many failed logins/.test(e.reason ?? '')).length, count(statuses, 429));
            // Still waiting: even the right password is refused unjudged.
            node_assert_1.strict.equal((await t.login(OP, OP_PW)).status, 429);
        });
        it('24 parallel wrong guesses over 24 user names from one address: at most perAddress (4) are judged', async () => {
            await start({ perUser: 1000, perAddress: 4, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000 });
            const statuses = await parallelLogins(t, Array.from({ length: 24 }, (_, i) => ({ user: `user${i}`, password: `wrong-guess-${i}` })));
            node_assert_1.strict.ok(count(statuses, 401) <= 4, `judged: ${count(statuses, 401)} (${JSON.stringify(statuses)})`);
            node_assert_1.strict.equal(count(statuses, 401) + count(statuses, 429), 24, JSON.stringify(statuses));
        });
        it('the waits double up to maxDelayMs, then the right password gets in (slowed down, not locked out)', async () => {
            await start({ perUser: 2, perAddress: 1000, baseDelayMs: 500, maxDelayMs: 2000, windowMs: 3_600_000 });
            const retryAfter = [];
            const wrongThenWait = async (i) => {
                node_assert_1.strict.equal((await t.login(OP, `wrong-${i}-password`)).status, 401, `guess ${i} is judged`);
                const early = await t.login(OP, OP_PW);
                node_assert_1.strict.equal(early.status, 429, `right after guess ${i}: wait`);
                retryAfter.push(String(early.headers['retry-after']));
                return early.body.error.retryAfterS;
            };
            node_assert_1.strict.equal((await t.login(OP, 'wrong-0-password')).status, 401);
            for (let i = 1; i <= 4; i++)
                await sleep([0, 0, 500, 1000, 2000][i] + 50).then(() => wrongThenWait(i));
            // Waits of 0.5, 1, 2 and 2 s (capped) after failures 2, 3, 4 and 5: Retry-After in whole seconds.
            node_assert_1.strict.deepEqual(retryAfter, ['1', '1', '2', '2']);
            await sleep(2050);
            node_assert_1.strict.equal((await t.login(OP, OP_PW)).status, 200, 'after the wait, the right password');
            node_assert_1.strict.equal((await t.login(OP, 'wrong-after-success')).status, 401, 'the success cleared the count: judged at once');
        });
        it('with the default limits, five wrong tries slow the last admin down by a second, no more', async () => {
            await start(api_1.DEFAULT_LOGIN_LIMITS);
            for (let i = 0; i < 5; i++)
                node_assert_1.strict.equal((await t.login(hub_1.ADMIN, `wrong-${i}-password`)).status, 401);
            const early = await t.login(hub_1.ADMIN, hub_1.ADMIN_PASSWORD);
            node_assert_1.strict.equal(early.status, 429);
            node_assert_1.strict.equal(early.headers['retry-after'], '1');
            await sleep(1050);
            node_assert_1.strict.equal((await t.login(hub_1.ADMIN, hub_1.ADMIN_PASSWORD)).status, 200, 'the last admin is in');
        });
    });
}
//# sourceMappingURL=login-throttle.test.js.map