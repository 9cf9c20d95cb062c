// Hub users and their TOTP second factor through the API, against a real hub over HTTPS on SQLite and
// PostgreSQL, on the hub's injected clock: an admin adds a user, changes role and permissions, disables
// (sessions end), enables, and resets the password to one the hub generates (shown once); the last admin
// is never disabled or demoted. A user enrols TOTP (secret once, confirmed by a code), then a login asks
// for the code; a wrong code is refused and counted exactly like a wrong password; a used code cannot be
// replayed; the step-up asks for it too; an admin resets it. A hub with --require-mfa refuses an admin
// without one everything but enrolling it. No TOTP secret reaches the log, an event, or the database in clear.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { STEP_UP_PATH } from '../../src/hub/api/reveal-routes';
import { userThrottleKey } from '../../src/hub/login-throttle';
import { TOTP_STEP_MS, totpAt, totpStep } from '../../src/hub/totp';
import { HubClient } from '../../src/vault/hub-client';
import { fromBase32 } from '../helpers/base32';
import { ADMIN, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const UMA = 'uma';
const UMA_PW = 'Uma-Pw-canary-3b9e71';
const WRONG_PW = 'Wrong-Pw-canary-c04d2a';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const LIMITS = { perUser: 20, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 600_000 };
/** The hub's clock: the middle of a 30 s step, moved by the tests. */
const T0 = 1_900_000_015_000;


for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: users and their second factor, through the API (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let clock = T0;
    let admin: HubClient;
    const secrets: string[] = [];
    const login = (user: string, password: string, code?: string) =>
      t.client().request('POST', '/api/login', { user, password: b64(password), bearer: true, ...(code === undefined ? {} : { code }) });
    const failures = async (name: string) => {
      const rows = await t.hub.store.sql.all<{ failures: number }>('SELECT failures FROM hub_login_failures WHERE key = $1', [userThrottleKey(name)]);
      return rows.length ? Number(rows[0].failures) : 0;
    };
    const events = async (kind: string) => (await t.hub.vault.queryEvents({ kind, limit: 1000 }));
    const users = async () => (await admin.request('GET', '/api/users')).body.users as Array<{ name: string; role: string; permissions: string[]; disabled: boolean; mfa: boolean }>;

    before(async () => {
      t = await startTestHub(engine, { limits: LIMITS, now: () => clock });
      admin = t.client(await t.token());
    });
    after(async () => { await t?.close(); });

    it('adds a user, changes role and permissions, disables (sessions end) and enables; never the last admin', async () => {
      const add = await admin.request('POST', '/api/users', { name: UMA, role: 'operator', permissions: ['setup-ad-sync'], password: b64(UMA_PW) });
      assert.equal(add.status, 200, JSON.stringify(add.body));
      assert.deepEqual((await users()).find((u) => u.name === UMA), { name: UMA, role: 'operator', permissions: ['setup-ad-sync'], disabled: false, mfa: false });
      const set = await admin.request('POST', '/api/users/set', { name: UMA, role: 'viewer', permissions: [] });
      assert.equal(set.status, 200);
      assert.equal(set.body.user.role, 'viewer');
      assert.equal((await admin.request('POST', '/api/users/set', { name: UMA, role: 'operator' })).body.user.role, 'operator');
      const session = t.client((await login(UMA, UMA_PW)).body.token);
      assert.equal((await session.request('GET', '/api/me')).status, 200);
      assert.equal((await admin.request('POST', '/api/users/disable', { name: UMA })).body.user.disabled, true);
      assert.equal((await session.request('GET', '/api/me')).status, 401, 'disabling ended her session');
      assert.equal((await login(UMA, UMA_PW)).status, 401);
      assert.equal((await admin.request('POST', '/api/users/enable', { name: UMA })).body.user.disabled, false);
      assert.equal((await login(UMA, UMA_PW)).status, 200);
      const lastDisable = await admin.request('POST', '/api/users/disable', { name: ADMIN });
      assert.equal(lastDisable.status, 409);
      assert.match(lastDisable.body.error.message, /last enabled admin/);
      assert.equal((await admin.request('POST', '/api/users/set', { name: ADMIN, role: 'operator' })).status, 409);
    });

    it('resets a password to one the hub generates, answered once; the old password and sessions end', async () => {
      const session = t.client((await login(UMA, UMA_PW)).body.token);
      const r = await admin.request('POST', '/api/users/passwd-generate', { name: UMA });
      assert.equal(r.status, 200);
      const generated = Buffer.from(r.body.password, 'base64').toString();
      assert.match(generated, /^[A-Za-z0-9]{24}$/);
      assert.equal((await session.request('GET', '/api/me')).status, 401);
      assert.equal((await login(UMA, UMA_PW)).status, 401, 'the old password is gone');
      assert.equal((await login(UMA, generated)).status, 200);
      const set = await admin.request('POST', '/api/users/passwd', { name: UMA, password: b64(UMA_PW) });
      assert.equal(set.status, 200);
      const viewer = t.client((await login(UMA, UMA_PW)).body.token);
      assert.equal((await viewer.request('POST', '/api/users/passwd-generate', { name: ADMIN })).status, 403, 'an operator may not');
    });

    let secret: Buffer = Buffer.alloc(0);
    let uma: HubClient;
    const code = (step: number) => totpAt(secret, step);

    it('enrols TOTP: the secret shown once, switched on only by a valid code', async () => {
      uma = t.client((await login(UMA, UMA_PW)).body.token);
      assert.deepEqual((await uma.request('GET', '/api/account/mfa')).body, { enabled: false, required: false });
      const begun = await uma.request('POST', '/api/account/mfa/begin', {});
      assert.equal(begun.status, 200);
      secrets.push(begun.body.secret);
      secret = fromBase32(begun.body.secret);
      assert.equal(secret.length, 20);
      assert.equal(new URL(begun.body.uri).searchParams.get('secret'), begun.body.secret);
      const wrong = await uma.request('POST', '/api/account/mfa/confirm', { code: code(totpStep(clock) + 5) });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.code, 'wrong-code');
      assert.equal((await uma.request('GET', '/api/account/mfa')).body.enabled, false);
      const ok = await uma.request('POST', '/api/account/mfa/confirm', { code: code(totpStep(clock)) });
      assert.deepEqual(ok.body, { enabled: true });
      assert.equal((await users()).find((u) => u.name === UMA)!.mfa, true);
      assert.equal((await uma.request('POST', '/api/account/mfa/begin', {})).status, 409, 'no new secret over one in force');
      const enabled = (await events('mfa-enabled')).map((e) => e.outcome);
      assert.deepEqual(enabled, ['refused', 'ok']);
    });

    it('logs in with the code; a wrong code is refused and counted like a wrong password; a used code is not taken again', async () => {
      // The confirm used this step's code: it cannot log in now.
      const before = await failures(UMA);
      const noCode = await login(UMA, UMA_PW);
      assert.equal(noCode.status, 401);
      assert.equal(noCode.body.error.code, 'mfa-required');
      assert.equal(await failures(UMA), before, 'a right password without a code is not counted');
      const replay = await login(UMA, UMA_PW, code(totpStep(clock)));
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error.code, 'wrong-code');
      assert.match(replay.body.error.message, /used already/);
      assert.equal(await failures(UMA), before + 1, 'a replayed code is counted');
      const wrongPw = await login(UMA, WRONG_PW, code(totpStep(clock) + 1));
      assert.equal(wrongPw.status, 401);
      assert.equal(await failures(UMA), before + 2, 'a wrong password: counted once');
      const wrongCode = await login(UMA, UMA_PW, code(totpStep(clock) + 3));
      assert.equal(wrongCode.status, 401);
      assert.equal(wrongCode.body.error.message, 'wrong second-factor code');
      assert.equal(await failures(UMA), before + 3, 'a wrong code: counted once, like the wrong password');
      clock += TOTP_STEP_MS;
      const ok = await login(UMA, UMA_PW, code(totpStep(clock)).replace(/^(\d{3})/, '$1 '));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(await failures(UMA), 0, 'a login clears the count');
      assert.equal((await login(UMA, UMA_PW, code(totpStep(clock)))).status, 401, 'the same code a second time');
      assert.equal((await login(UMA, UMA_PW, code(totpStep(clock) - 1))).status, 401, 'nor an earlier step\'s');
      const late = await login(UMA, UMA_PW, code(totpStep(clock) + 1));
      assert.equal(late.status, 200, 'the next step\'s code (a phone clock ahead) is taken');
      uma = t.client(late.body.token);
      const refused = (await events('login')).filter((e) => e.account === UMA && e.outcome === 'refused').map((e) => e.reason ?? '');
      assert.ok(refused.some((r) => /wrong second-factor code/.test(r)));
      assert.ok(refused.some((r) => /already used/.test(r)));
      const bad = await login(UMA, UMA_PW, '12ab56');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /code must be the 6 digits/);
    });

    it('asks for the code at the step-up too', async () => {
      clock += 2 * TOTP_STEP_MS;
      const none = await uma.request('POST', STEP_UP_PATH, { password: b64(UMA_PW) });
      assert.equal(none.status, 403);
      assert.equal(none.body.error.code, 'mfa-required');
      const wrong = await uma.request('POST', STEP_UP_PATH, { password: b64(UMA_PW), code: code(totpStep(clock) + 4) });
      assert.equal(wrong.body.error.code, 'wrong-code');
      assert.equal(await failures(UMA), 1);
      const ok = await uma.request('POST', STEP_UP_PATH, { password: b64(UMA_PW), code: code(totpStep(clock)) });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });

    it('an admin resets a user\'s second factor: their sessions end, the password alone logs in', async () => {
      assert.equal((await uma.request('POST', '/api/users/mfa-reset', { name: ADMIN })).status, 403, 'an operator may not');
      const r = await admin.request('POST', '/api/users/mfa-reset', { name: UMA });
      assert.equal(r.status, 200);
      assert.equal((await uma.request('GET', '/api/me')).status, 401);
      assert.equal((await login(UMA, UMA_PW)).status, 200);
      assert.equal((await events('mfa-reset')).length, 1);
      assert.match((await events('mfa-reset'))[0].reason ?? '', /removed by user "admin"/);
    });

    it('takes one code once even when two hub processes get it at the same moment', async () => {
      const session = t.client((await login(UMA, UMA_PW)).body.token);
      const begun = await session.request('POST', '/api/account/mfa/begin', {});
      secrets.push(begun.body.secret);
      secret = fromBase32(begun.body.secret);
      clock += TOTP_STEP_MS;
      assert.equal((await session.request('POST', '/api/account/mfa/confirm', { code: code(totpStep(clock)) })).status, 200);
      clock += TOTP_STEP_MS;
      const other = await t.second();
      const otherClient = new HubClient({ url: other.url, fingerprint: other.certificate.fingerprint });
      const body = { user: UMA, password: b64(UMA_PW), code: code(totpStep(clock)), bearer: true };
      const answers = await Promise.all([
        ...[0, 1, 2].map(() => t.client().request('POST', '/api/login', body)),
        ...[0, 1, 2].map(() => otherClient.request('POST', '/api/login', body)),
      ]);
      otherClient.close();
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 401, 401, 401, 401, 401]);
    });

    it('keeps the TOTP secret out of the log, the events and the database in clear', async () => {
      assert.ok(secrets.length > 0);
      const log = fs.readFileSync(t.logFile, 'utf8');
      const all = JSON.stringify(await t.hub.vault.queryEvents({ limit: 10_000 }));
      const raw = secret.toString('hex');
      const rows = await t.hub.store.sql.all<Record<string, unknown>>('SELECT * FROM hub_users');
      // Every value as text, byte strings as hex (JSON.stringify would turn a Buffer into a list of numbers first).
      const dump = rows.map((r) => Object.values(r).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v))).join(' ')).join('\n');
      assert.match(dump, /[0-9a-f]{80,}/, 'the sealed secrets are there, as hex');
      for (const s of secrets) {
        for (const [where, text] of [['log', log], ['events', all], ['hub_users', dump]]) {
          assert.ok(!text.includes(s), `the base32 secret is in the ${where}`);
          assert.ok(!text.includes(raw), `the raw secret is in the ${where}`);
        }
      }
    });
  });

  describe(`hub: --require-mfa (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let clock = T0;
    before(async () => { t = await startTestHub(engine, { now: () => clock, requireMfa: true }); });
    after(async () => { await t?.close(); });

    it('lets an admin without a second factor log in only to enrol one, then everything', async () => {
      const admin = t.client(await t.token());
      const refused = await admin.request('GET', '/api/users');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'mfa-required');
      assert.match(refused.body.error.message, /enrol one first/);
      assert.equal((await admin.request('POST', '/api/vault/listClients', {})).status, 403, 'nor operator powers');
      const recorded = await t.hub.vault.queryEvents({ kind: 'mfa-required', limit: 10 });
      assert.equal(recorded.length, 2);
      assert.match(recorded[0].reason ?? '', /GET \/api\/users without a second factor/);
      assert.deepEqual((await admin.request('GET', '/api/account/mfa')).body, { enabled: false, required: true });
      const begun = await admin.request('POST', '/api/account/mfa/begin', {});
      const secret = fromBase32(begun.body.secret);
      assert.equal((await admin.request('POST', '/api/account/mfa/confirm', { code: totpAt(secret, totpStep(clock)) })).status, 200);
      assert.equal((await admin.request('GET', '/api/users')).status, 200, 'the same session, now with a second factor');
      // An operator is not concerned.
      assert.equal((await admin.request('POST', '/api/users', { name: 'otto', role: 'operator', password: b64('Otto-Pw-canary-1234') })).status, 200);
      const otto = t.client(await t.token('otto', 'Otto-Pw-canary-1234'));
      assert.equal((await otto.request('POST', '/api/vault/listClients', {})).status, 200);
      clock += TOTP_STEP_MS;
      assert.equal((await t.login(ADMIN, 'Admin-Pw-canary-4d1f0b')).body.error.code, 'mfa-required', 'a login now asks for the code');
    });
  });
}
