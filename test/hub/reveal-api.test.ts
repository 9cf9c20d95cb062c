// Revealing a password in the dashboard (src/hub/reveal-api.ts), against a real hub over HTTPS on SQLite and
// PostgreSQL: no reveal without a step-up (403 naming why), the step-up going through the login throttle
// (a wrong password refused and counted, then even the right one waits, and so does a login), viewers and
// agents refused (and recorded), the password-read event stored before the password leaves (the database
// itself is made to refuse the event: no password is sent), the step-up honoured by a second hub process,
// ending after 5 minutes of the hub's clock and with the session, and the password in no log line or event.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { Hub } from '../../src/hub/server';
import { REVEAL_PATH, STEP_UP_PATH } from '../../src/hub/api/reveal-routes';
import { STEP_UP_MS } from '../../src/hub/step-up';
import { HubClient } from '../../src/vault/hub-client';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { refuseInserts } from '../helpers/refuse-inserts';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-91be';
const OSCAR = 'oscar';
const OSCAR_PW = 'Oscar-Pw-canary-5f02';
const WRONG_PW = 'Wrong-Pw-canary-77ad';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-0c3e';
const SECRET = 'Revealed-Pw-canary-e81f';
const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Few free failures per user (the throttle test reaches them), many per address (every test logs in from 127.0.0.1). */
const LIMITS = { perUser: 3, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 600_000 };


for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: reveal a password in the dashboard, after a step-up (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let second: Hub;
    let offset = 0;
    let admin: HubClient;
    let operator: HubClient;
    let opToken = '';
    let viewer: HubClient;
    let agent: HubClient;
    let credentialId = 0;
    const vault = (c: HubClient, method: string, body: unknown) => c.request('POST', `/api/vault/${method}`, body);
    const stepUp = (c: HubClient, password: string) => c.request('POST', STEP_UP_PATH, { password: b64(password) });
    const reveal = (c: HubClient, id = credentialId) => c.request('POST', REVEAL_PATH, { credentialId: id });
    const reads = async () => (await t.hub.vault.queryEvents({ kind: 'password-read', limit: 1000 })).filter((e) => e.credentialId === credentialId);
    const failures = async (key: string) => {
      const rows = await t.hub.store.sql.all<{ failures: number }>('SELECT failures FROM hub_login_failures WHERE key = $1', [key]);
      return rows.length ? Number(rows[0].failures) : 0;
    };

    before(async () => {
      t = await startTestHub(engine, { limits: LIMITS, now: () => Date.now() + offset });
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(OSCAR, 'operator', [], OSCAR_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      opToken = await t.token(OP, OP_PW);
      operator = t.client(opToken);
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      assert.equal((await vault(admin, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' } })).status, 200);
      const added = await vault(admin, 'addCredential', { credential: { client: 'Acme', username: 'alice', password: b64(SECRET), windowsSync: true, mode: 'report' } });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      credentialId = added.body.credential.id;
      const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
      second = await t.second();
    });
    after(async () => t?.close());

    it('no reveal without a step-up: 403 step-up-required naming why, and nothing read', async () => {
      const r = await reveal(operator);
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'step-up-required');
      assert.match(r.body.error.message, /needs your own password re-entered first .*this session has not/);
      assert.ok(!JSON.stringify(r.body).includes(b64(SECRET)));
      assert.deepEqual(await reads(), []);
    });

    it('a viewer may neither step up nor reveal, even with the right password; an agent token neither; each refusal recorded', async () => {
      const s = await stepUp(viewer, VIEWER_PW);
      assert.equal(s.status, 403);
      assert.match(s.body.error.message, /^user "victor" \(viewer\) may not reveal passwords/);
      const r = await reveal(viewer);
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'forbidden');
      assert.match(r.body.error.message, new RegExp(`^user "victor" \\(viewer\\) may not reveal the password of credential ${credentialId}`));
      const a = await reveal(agent);
      assert.equal(a.status, 403);
      assert.match(a.body.error.message, /^agent "WS01" \(client "Acme"\) may not reveal the password/);
      const refused = await t.hub.vault.queryEvents({ kind: 'access-refused', limit: 1000 });
      assert.ok(refused.some((e) => /victor.*may not reveal passwords/.test(e.reason!)), JSON.stringify(refused));
      assert.ok(refused.some((e) => /victor.*may not reveal the password of credential/.test(e.reason!) && e.account === 'alice'));
      assert.ok(refused.some((e) => e.machine === 'WS01' && /may not reveal the password/.test(e.reason!)));
      assert.deepEqual(await t.hub.vault.queryEvents({ kind: 'step-up', account: VIEWER }), [], 'a viewer\'s step-up was not even tried');
      assert.deepEqual(await reads(), []);
    });

    it('bad input is refused with the field named, and no login at all is a 401', async () => {
      const notB64 = await operator.request('POST', STEP_UP_PATH, { password: 'not base64!' });
      assert.equal(notB64.status, 400);
      assert.match(notB64.body.error.message, /^password must be a base64 string/);
      const extra = await operator.request('POST', STEP_UP_PATH, { password: b64(OP_PW), totp: '123456' });
      assert.equal(extra.status, 400);
      assert.match(extra.body.error.message, /unknown field "totp"/);
      const badId = await operator.request('POST', REVEAL_PATH, { credentialId: 'alice' });
      assert.equal(badId.status, 400);
      assert.match(badId.body.error.message, /^credentialId must be an integer/);
      assert.equal((await t.raw('POST', REVEAL_PATH, JSON.stringify({ credentialId }), { 'Content-Type': 'application/json' })).status, 401);
      assert.equal((await t.raw('GET', REVEAL_PATH)).status, 405);
    });

    it('a wrong password is refused and counted by the login throttle: past the limit even the right one waits, and so does a login', async () => {
      const c = t.client(await t.token(OSCAR, OSCAR_PW));
      for (let i = 1; i <= LIMITS.perUser; i++) {
        const r = await stepUp(c, WRONG_PW);
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'wrong-password');
        assert.match(r.body.error.message, /^wrong password/);
        assert.equal(await failures('user:oscar'), i, 'counted as a failed login of the user');
      }
      const right = await stepUp(c, OSCAR_PW);
      assert.equal(right.status, 429, JSON.stringify(right.body));
      assert.match(right.body.error.message, /too many failed attempts .*try again in \d+ s/);
      const login = await t.login(OSCAR, OSCAR_PW);
      assert.equal(login.status, 429, 'the same counter slows the user\'s logins');
      assert.equal((await reveal(c)).status, 403, 'still no step-up');
      const events = await t.hub.vault.queryEvents({ kind: 'step-up', account: OSCAR });
      assert.deepEqual(events.map((e) => e.outcome), ['refused', 'refused', 'refused', 'refused']);
      assert.match(events[0].reason!, /^user "oscar" \(operator\) from .*: wrong password/);
      assert.match(events[3].reason!, /too many failed logins or step-ups of this user/);
      // The host's unthrottle (what `pwbridge hub-user unthrottle` does) lets the user step up again; success clears the count.
      await t.hub.store.throttle.clear('user:oscar');
      assert.equal((await stepUp(c, OSCAR_PW)).status, 200);
      assert.equal(await failures('user:oscar'), 0);
    });

    it('stepped up, an operator reveals the password; the password-read event says so; a second hub process honours it', async () => {
      const s = await stepUp(operator, OP_PW);
      assert.equal(s.status, 200, JSON.stringify(s.body));
      const expected = Date.now() + offset + STEP_UP_MS;
      assert.ok(Math.abs(s.body.steppedUpUntil - expected) < 5_000, `until ${s.body.steppedUpUntil}, about ${expected}`);
      const ok = await t.hub.vault.queryEvents({ kind: 'step-up', account: OP });
      assert.deepEqual(ok.map((e) => [e.outcome, e.machine]), [['ok', 'hub']]);
      assert.match(ok[0].reason!, /^user "olivia" \(operator\) from .*: re-entered their password; may reveal passwords until /);

      const r = await reveal(operator);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(Buffer.from(r.body.password, 'base64').toString(), SECRET);
      const [read] = await reads();
      assert.deepEqual([read.machine, read.account, read.outcome], ['hub', 'alice', 'info']);
      assert.equal(read.reason, 'read by user "olivia" (operator), credential of client "Acme": revealed in the dashboard');

      // Another hub process on the same database: the step-up is in the session's row, not in a process.
      const other = new HubClient({ url: second.url, fingerprint: second.certificate.fingerprint }, await t.token(OP, OP_PW));
      const otherOp = new HubClient({ url: second.url, fingerprint: second.certificate.fingerprint });
      try {
        assert.equal((await reveal(other)).status, 403, 'a new session of the same user is not stepped up');
        const viaSecond = await otherOp.request('POST', REVEAL_PATH, { credentialId }, opToken);
        assert.equal(viaSecond.status, 200, JSON.stringify(viaSecond.body));
        assert.equal(Buffer.from(viaSecond.body.password, 'base64').toString(), SECRET);
      } finally {
        other.close();
        otherOp.close();
      }
      assert.equal((await reads()).length, 2);
      const none = await reveal(operator, credentialId + 1000);
      assert.equal(none.status, 404);
      assert.equal((await reads()).length, 2);
    });

    it('when the event cannot be stored, the password is not sent', async () => {
      assert.equal((await stepUp(operator, OP_PW)).status, 200);
      const restore = await refuseInserts(t, engine, { table: 'events', column: 'kind', value: 'password-read', message: 'the test refuses password-read events' });
      try {
        const before = (await reads()).length;
        const r = await reveal(operator);
        assert.equal(r.status, 500, JSON.stringify(r.body));
        const body = JSON.stringify(r.body);
        assert.ok(!body.includes(SECRET) && !body.includes(b64(SECRET)), body);
        assert.equal((await reads()).length, before, 'nothing recorded');
      } finally {
        await restore();
      }
      assert.equal((await reveal(operator)).status, 200, 'the hub kept serving');
    });

    it('a step-up lasts 5 minutes of the hub\'s clock, then the reveal asks again', async () => {
      const until = (await stepUp(operator, OP_PW)).body.steppedUpUntil as number;
      offset += until - (Date.now() + offset) - 2_000;
      assert.equal((await reveal(operator)).status, 200, '2 s before the end');
      offset += 4_000;
      const late = await reveal(operator);
      assert.equal(late.status, 403);
      assert.equal(late.body.error.code, 'step-up-required');
      assert.match(late.body.error.message, /within the last 5 minutes; this session's ended \d s ago/);
      assert.equal((await stepUp(operator, OP_PW)).status, 200);
      assert.equal((await reveal(operator)).status, 200, 'stepped up again');
      // Logging out ends the session and its step-up with it.
      const token = await t.token(OP, OP_PW);
      const c = t.client(token);
      assert.equal((await stepUp(c, OP_PW)).status, 200);
      assert.equal((await c.request('POST', '/api/logout', {})).status, 200);
      assert.equal((await reveal(c)).status, 401);
    });

    it('no password, canary or its base64 in the hub\'s log or in any event', async () => {
      const log = fs.readFileSync(t.logFile, 'utf8');
      assert.ok(log.length > 0);
      const events = JSON.stringify(await t.hub.vault.queryEvents({ limit: 1000 }));
      for (const secret of [SECRET, OP_PW, OSCAR_PW, WRONG_PW, VIEWER_PW]) {
        for (const form of [secret, b64(secret)]) {
          assert.ok(!log.includes(form), `hub.log holds ${secret}`);
          assert.ok(!events.includes(form), `an event holds ${secret}`);
        }
      }
      assert.match(log, /the test refuses password-read events/, 'the failed event store was logged (without the password)');
    });
  });
}
