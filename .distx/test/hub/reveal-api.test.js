"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// Revealing a password in the dashboard (src/hub/reveal-api.ts), against a real hub over HTTPS on SQLite and
// PostgreSQL: no reveal without a step-up (403 naming why), the step-up going through the login throttle
// (a wrong password refused and counted, then even the right one waits, and so does a login), viewers and
// agents refused (and recorded), the password-read event stored before the password leaves (the database
// itself is made to refuse the event: no password is sent), the step-up honoured by a second hub process,
// ending after 5 minutes of the hub's clock and with the session, and the password in no log line or event.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const reveal_api_1 = require("../../src/hub/reveal-api");
const step_up_1 = require("../../src/hub/step-up");
const hub_client_1 = require("../../src/vault/hub-client");
const hub_1 = require("../helpers/hub");
const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-91be';
const OSCAR = 'oscar';
const OSCAR_PW = 'Oscar-Pw-canary-5f02';
const WRONG_PW = 'Wrong-Pw-canary-77ad';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-0c3e';
const SECRET = 'Revealed-Pw-canary-e81f';
const b64 = (s) => Buffer.from(s).toString('base64');
/** Few free failures per user (the throttle test reaches them), many per address (every test logs in from 127.0.0.1). */
const LIMITS = { perUser: 3, perAddress: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 600_000 };
/** Make the database itself refuse every password-read event (a real failure of the event store, not a mock). */
async function refusePasswordReads(t, engine) {
    const sql = t.hub.store.sql;
    if (engine === 'sqlite') {
        await sql.run(`CREATE TRIGGER test_refuse_password_read BEFORE INSERT ON events WHEN NEW.kind = 'password-read'
      BEGIN SELECT RAISE(ABORT, 'the test refuses password-read events'); END`);
        return async () => { await sql.run('DROP TRIGGER test_refuse_password_read'); };
    }
    await sql.run(`CREATE FUNCTION test_refuse_password_read() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN RAISE EXCEPTION 'the test refuses password-read events'; END $f$`);
    await sql.run(`CREATE TRIGGER test_refuse_password_read BEFORE INSERT ON events FOR EACH ROW
    WHEN (NEW.kind = 'password-read') EXECUTE FUNCTION test_refuse_password_read()`);
    return async () => {
        await sql.run('DROP TRIGGER test_refuse_password_read ON events');
        await sql.run('DROP FUNCTION test_refuse_password_read()');
    };
}
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub: reveal a password in the dashboard, after a step-up (${engine})`, function () {
        this.timeout(60_000);
        let t;
        let second;
        let offset = 0;
        let admin;
        let operator;
        let opToken = '';
        let viewer;
        let agent;
        let credentialId = 0;
        const vault = (c, method, body) => c.request('POST', `/api/vault/${method}`, body);
        const stepUp = (c, password) => c.request('POST', reveal_api_1.STEP_UP_PATH, { password: b64(password) });
        const reveal = (c, id = credentialId) => c.request('POST', reveal_api_1.REVEAL_PATH, { credentialId: id });
        const reads = async () => (await t.hub.vault.queryEvents({ kind: 'password-read', limit: 1000 })).filter((e) => e.credentialId === credentialId);
        const failures = async (key) => {
            const rows = await t.hub.store.sql.all('SELECT failures FROM hub_login_failures WHERE key = $1', [key]);
            return rows.length ? Number(rows[0].failures) : 0;
        };
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine, { limits: LIMITS, now: () => Date.now() + offset });
            await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
            await t.addUser(OSCAR, 'operator', [], OSCAR_PW);
            await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
            admin = t.client(await t.token());
            opToken = await t.token(OP, OP_PW);
            operator = t.client(opToken);
            viewer = t.client(await t.token(VIEWER, VIEWER_PW));
            node_assert_1.strict.equal((await vault(admin, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' } })).status, 200);
            const added = await vault(admin, 'addCredential', { credential: { client: 'Acme', username: 'alice', password: b64(SECRET), windowsSync: true, mode: 'report' } });
            node_assert_1.strict.equal(added.status, 200, JSON.stringify(added.body));
            credentialId = added.body.credential.id;
            const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
            node_assert_1.strict.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
            agent = t.client(enrolled.body.token);
            second = await t.second();
        });
        after(async () => t?.close());
        it('no reveal without a step-up: 403 step-up-required naming why, and nothing read', async () => {
            const r = await reveal(operator);
            node_assert_1.strict.equal(r.status, 403);
            node_assert_1.strict.equal(r.body.error.code, 'step-up-required');
            node_assert_1.strict.match(r.body.error.message, /needs your own password re-entered first .*this session has not/);
            node_assert_1.strict.ok(!JSON.stringify(r.body).includes(b64(SECRET)));
            node_assert_1.strict.deepEqual(await reads(), []);
        });
        it('a viewer may neither step up nor reveal, even with the right password; an agent token neither; each refusal recorded', async () => {
            const s = await stepUp(viewer, VIEWER_PW);
            node_assert_1.strict.equal(s.status, 403);
            node_assert_1.strict.match(s.body.error.message, /^user "victor" \(viewer\) may not reveal passwords/);
            const r = await reveal(viewer);
            node_assert_1.strict.equal(r.status, 403);
            node_assert_1.strict.equal(r.body.error.code, 'forbidden');
            node_assert_1.strict.match(r.body.error.message, new RegExp(`^user "victor" \\(viewer\\) may not reveal the password of credential ${credentialId}`));
            const a = await reveal(agent);
            node_assert_1.strict.equal(a.status, 403);
            node_assert_1.strict.match(a.body.error.message, /^agent "WS01" \(client "Acme"\) may not reveal the password/);
            const refused = await t.hub.vault.queryEvents({ kind: 'access-refused', limit: 1000 });
            node_assert_1.strict.ok(refused.some((e) => /victor.*may not reveal passwords/.test(e.reason)), JSON.stringify(refused));
            node_assert_1.strict.ok(refused.some((e) => /victor.*may not reveal the password of credential/.test(e.reason) && e.account === 'alice'));
            node_assert_1.strict.ok(refused.some((e) => e.machine === 'WS01' && /may not reveal the password/.test(e.reason)));
            node_assert_1.strict.deepEqual(await t.hub.vault.queryEvents({ kind: 'step-up', account: VIEWER }), [], 'a viewer\'s step-up was not even tried');
            node_assert_1.strict.deepEqual(await reads(), []);
        });
        it('bad input is refused with the field named, and no login at all is a 401', async () => {
            const notB64 = await operator.request('POST', reveal_api_1.STEP_UP_PATH, { password: 'not base64!' });
            node_assert_1.strict.equal(notB64.status, 400);
            node_assert_1.strict.match(notB64.body.error.message, /^password must be a base64 string/);
            const extra = await operator.request('POST', reveal_api_1.STEP_UP_PATH, { password: b64(OP_PW), totp: '123456' });
            node_assert_1.strict.equal(extra.status, 400);
            node_assert_1.strict.match(extra.body.error.message, /unknown field "totp"/);
            const badId = await operator.request('POST', reveal_api_1.REVEAL_PATH, { credentialId: 'alice' });
            node_assert_1.strict.equal(badId.status, 400);
            node_assert_1.strict.match(badId.body.error.message, /^credentialId must be an integer/);
            node_assert_1.strict.equal((await t.raw('POST', reveal_api_1.REVEAL_PATH, JSON.stringify({ credentialId }), { 'Content-Type': 'application/json' })).status, 401);
            node_assert_1.strict.equal((await t.raw('GET', reveal_api_1.REVEAL_PATH)).status, 405);
        });
        it('a wrong password is refused and counted by the login throttle: past the limit even the right one waits, and so does a login', async () => {
            const c = t.client(await t.token(OSCAR, OSCAR_PW));
            for (let i = 1; i <= LIMITS.perUser; i++) {
                const r = await stepUp(c, WRONG_PW);
                node_assert_1.strict.equal(r.status, 403, JSON.stringify(r.body));
                node_assert_1.strict.equal(r.body.error.code, 'wrong-password');
                node_assert_1.strict.match(r.body.error.message, /^wrong password/);
                node_assert_1.strict.equal(await failures('user:oscar'), i, 'counted as a failed login of the user');
            }
            const right = await stepUp(c, OSCAR_PW);
            node_assert_1.strict.equal(right.status, 429, JSON.stringify(right.body));
            node_assert_1.strict.match(right.body.error.message, /too many failed attempts .*try again in \d+ s/);
            const login = await t.login(OSCAR, OSCAR_PW);
            node_assert_1.strict.equal(login.status, 429, 'the same counter slows the user\'s logins');
            node_assert_1.strict.equal((await reveal(c)).status, 403, 'still no step-up');
            const events = await t.hub.vault.queryEvents({ kind: 'step-up', account: OSCAR });
            node_assert_1.strict.deepEqual(events.map((e) => e.outcome), ['refused', 'refused', 'refused', 'refused']);
            node_assert_1.strict.match(events[0].reason, /^user "oscar" \(operator\) from .*: wrong password/);
            node_assert_1.strict.match(events[3].reason, /too many failed logins or step-ups of this user/);
            // The host's unthrottle (what `pwbridge hub-user unthrottle` does) lets the user step up again; success clears the count.
            await t.hub.store.throttle.clear('user:oscar');
            node_assert_1.strict.equal((await stepUp(c, OSCAR_PW)).status, 200);
            node_assert_1.strict.equal(await failures('user:oscar'), 0);
        });
        it('stepped up, an operator reveals the password; the password-read event says so; a second hub process honours it', async () => {
            const s = await stepUp(operator, OP_PW);
            node_assert_1.strict.equal(s.status, 200, JSON.stringify(s.body));
            const expected = Date.now() + offset + step_up_1.STEP_UP_MS;
            node_assert_1.strict.ok(Math.abs(s.body.steppedUpUntil - expected) < 5_000, `until ${s.body.steppedUpUntil}, about ${expected}`);
            const ok = await t.hub.vault.queryEvents({ kind: 'step-up', account: OP });
            node_assert_1.strict.deepEqual(ok.map((e) => [e.outcome, e.machine]), [['ok', 'hub']]);
            node_assert_1.strict.match(ok[0].reason, /^user "olivia" \(operator\) from .*: re-entered their password; may reveal passwords until /);
            const r = await reveal(operator);
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            node_assert_1.strict.equal(Buffer.from(r.body.password, 'base64').toString(), SECRET);
            const [read] = await reads();
            node_assert_1.strict.deepEqual([read.machine, read.account, read.outcome], ['hub', 'alice', 'info']);
            node_assert_1.strict.equal(read.reason, 'read by user "olivia" (operator), credential of client "Acme": revealed in the dashboard');
            // Another hub process on the same database: the step-up is in the session's row, not in a process.
            const other = new hub_client_1.HubClient({ url: second.url, fingerprint: second.certificate.fingerprint }, await t.token(OP, OP_PW));
            const otherOp = new hub_client_1.HubClient({ url: second.url, fingerprint: second.certificate.fingerprint });
            try {
                node_assert_1.strict.equal((await reveal(other)).status, 403, 'a new session of the same user is not stepped up');
                const viaSecond = await otherOp.request('POST', reveal_api_1.REVEAL_PATH, { credentialId }, opToken);
                node_assert_1.strict.equal(viaSecond.status, 200, JSON.stringify(viaSecond.body));
                node_assert_1.strict.equal(Buffer.from(viaSecond.body.password, 'base64').toString(), SECRET);
            }
            finally {
                other.close();
                otherOp.close();
            }
            node_assert_1.strict.equal((await reads()).length, 2);
            const none = await reveal(operator, credentialId + 1000);
            node_assert_1.strict.equal(none.status, 404);
            node_assert_1.strict.equal((await reads()).length, 2);
        });
        it('when the event cannot be stored, the password is not sent', async () => {
            node_assert_1.strict.equal((await stepUp(operator, OP_PW)).status, 200);
            const restore = await refusePasswordReads(t, engine);
            try {
                const before = (await reads()).length;
                const r = await reveal(operator);
                node_assert_1.strict.equal(r.status, 500, JSON.stringify(r.body));
                const body = JSON.stringify(r.body);
                node_assert_1.strict.ok(!body.includes(SECRET) && !body.includes(b64(SECRET)), body);
                node_assert_1.strict.equal((await reads()).length, before, 'nothing recorded');
            }
            finally {
                await restore();
            }
            node_assert_1.strict.equal((await reveal(operator)).status, 200, 'the hub kept serving');
        });
        it('a step-up lasts 5 minutes of the hub\'s clock, then the reveal asks again', async () => {
            const until = (await stepUp(operator, OP_PW)).body.steppedUpUntil;
            offset += until - (Date.now() + offset) - 2_000;
            node_assert_1.strict.equal((await reveal(operator)).status, 200, '2 s before the end');
            offset += 4_000;
            const late = await reveal(operator);
            node_assert_1.strict.equal(late.status, 403);
            node_assert_1.strict.equal(late.body.error.code, 'step-up-required');
            node_assert_1.strict.match(late.body.error.message, /within the last 5 minutes; this session's ended \d s ago/);
            node_assert_1.strict.equal((await stepUp(operator, OP_PW)).status, 200);
            node_assert_1.strict.equal((await reveal(operator)).status, 200, 'stepped up again');
            // Logging out ends the session and its step-up with it.
            const token = await t.token(OP, OP_PW);
            const c = t.client(token);
            node_assert_1.strict.equal((await stepUp(c, OP_PW)).status, 200);
            node_assert_1.strict.equal((await c.request('POST', '/api/logout', {})).status, 200);
            node_assert_1.strict.equal((await reveal(c)).status, 401);
        });
        it('no password, canary or its base64 in the hub\'s log or in any event', async () => {
            const log = fs.readFileSync(t.logFile, 'utf8');
            node_assert_1.strict.ok(log.length > 0);
            const events = JSON.stringify(await t.hub.vault.queryEvents({ limit: 1000 }));
            for (const secret of [SECRET, OP_PW, OSCAR_PW, WRONG_PW, VIEWER_PW]) {
                for (const form of [secret, b64(secret)]) {
                    node_assert_1.strict.ok(!log.includes(form), `hub.log holds ${secret}`);
                    node_assert_1.strict.ok(!events.includes(form), `an event holds ${secret}`);
                }
            }
            node_assert_1.strict.match(log, /the test refuses password-read events/, 'the failed event store was logged (without the password)');
        });
    });
}
//# sourceMappingURL=reveal-api.test.js.map