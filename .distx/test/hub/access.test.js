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
// The hub's doors, against a real hub over HTTPS: login and its limits, roles and Setup AD Sync, an agent
// token's scope (its client and machine only), the password-read audit, and requests that are not what
// the API takes. Login limits run on both engines and across two hub processes on one database (their
// parallel guesses and growing waits: login-throttle.test.ts).
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const vault_port_1 = require("../../src/ports/vault.port");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_client_1 = require("../../src/vault/hub-client");
const hub_1 = require("../helpers/hub");
const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-81c2';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-9e3a';
const SECRET = 'Cred-Pw-canary-5b7d';
const b64 = (s) => Buffer.from(s).toString('base64');
async function adminVault(t) {
    return http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
}
async function allEvents(t) {
    return t.hub.vault.queryEvents({ limit: 100_000 });
}
/** Failures `n` times, then the answer to one more login (right or wrong password). */
async function failTimes(logins, user, n) {
    const statuses = [];
    for (let i = 0; i < n; i++)
        statuses.push((await logins[i % logins.length](user, `wrong-${i}-pw`)).status);
    return statuses;
}
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub login and its limits (${engine})`, function () {
        this.timeout(60_000);
        let t;
        const limits = { perUser: 3, perAddress: 7, baseDelayMs: 1000, maxDelayMs: 4000, windowMs: 3_600_000 };
        beforeEach(async () => {
            t = await (0, hub_1.startTestHub)(engine, { limits });
            await t.addUser(OP, 'operator', [], OP_PW);
            await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
            await t.hub.store.sql.run('DELETE FROM hub_login_failures'); // the admin's login above is not part of the count
        });
        afterEach(async () => t?.close());
        it('the right password gives a session (bearer when asked, an HttpOnly Secure SameSite cookie always); a wrong one or an unknown user gives 401, recorded', async () => {
            const ok = await t.login(OP, OP_PW);
            node_assert_1.strict.equal(ok.status, 200);
            node_assert_1.strict.match(ok.body.token, /^pws_[A-Za-z0-9_-]{43}$/);
            node_assert_1.strict.deepEqual(ok.body.user, { name: OP, role: 'operator', permissions: [], disabled: false });
            const cookie = String(ok.headers['set-cookie']);
            node_assert_1.strict.match(cookie, /pwbridge_session=pws_/);
            for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/'])
                node_assert_1.strict.ok(cookie.includes(attr), `${attr} in ${cookie}`);
            // A browser's login gets no token in the body, only the cookie, which then authenticates.
            const browser = await t.raw('POST', '/api/login', JSON.stringify({ user: OP, password: b64(OP_PW) }), { 'Content-Type': 'application/json' });
            node_assert_1.strict.equal(browser.status, 200);
            node_assert_1.strict.equal(browser.body.token, undefined);
            const me = await t.raw('GET', '/api/me', undefined, { Cookie: `other=1; pwbridge_session=${ok.body.token}` });
            node_assert_1.strict.deepEqual(me.body, { user: { name: OP, role: 'operator', permissions: [], disabled: false } });
            const wrong = await t.login(OP, 'not-the-password');
            const unknown = await t.login('nobody', 'whatever-password');
            node_assert_1.strict.deepEqual([wrong.status, unknown.status], [401, 401]);
            node_assert_1.strict.equal(wrong.body.error.message, unknown.body.error.message, 'the same answer whether or not the user exists');
            const logins = (await allEvents(t)).filter((e) => e.kind === 'login');
            node_assert_1.strict.ok(logins.some((e) => e.outcome === 'refused' && e.account === OP && /wrong password/.test(e.reason)), JSON.stringify(logins));
            node_assert_1.strict.ok(logins.some((e) => e.outcome === 'refused' && e.account === 'nobody' && /no such user/.test(e.reason)));
            node_assert_1.strict.ok(logins.some((e) => e.outcome === 'ok' && e.account === OP));
            // logout ends the session
            const c = t.client(ok.body.token);
            node_assert_1.strict.equal((await c.request('POST', '/api/logout', {})).status, 200);
            node_assert_1.strict.equal((await c.request('GET', '/api/me')).status, 401);
        });
        it('after perUser failures the user must wait (429, Retry-After the first delay), even with the right password; other users need not', async () => {
            node_assert_1.strict.deepEqual(await failTimes([t.login], OP, limits.perUser), [401, 401, 401]);
            const blocked = await t.login(OP, OP_PW);
            node_assert_1.strict.equal(blocked.status, 429);
            node_assert_1.strict.equal(blocked.body.error.code, 'rate-limited');
            node_assert_1.strict.equal(blocked.headers['retry-after'], String(limits.baseDelayMs / 1000));
            node_assert_1.strict.equal(blocked.body.error.message, 'too many failed logins for this user or address; try again in 1 s');
            node_assert_1.strict.equal((await t.login(VIEWER, VIEWER_PW)).status, 200, 'another user from the same address still logs in');
            node_assert_1.strict.ok((await allEvents(t)).some((e) => e.kind === 'login' && e.outcome === 'refused'
                && /too many failed logins of this user; slowed down, next attempt allowed in 1 s/.test(e.reason)));
        });
        it('a success clears the user\'s count; perAddress failures over any user names block the address', async () => {
            node_assert_1.strict.deepEqual(await failTimes([t.login], OP, 2), [401, 401]);
            node_assert_1.strict.equal((await t.login(OP, OP_PW)).status, 200);
            node_assert_1.strict.deepEqual(await failTimes([t.login], OP, 2), [401, 401], 'counted from zero again');
            // 4 so far from this address; 3 more over other names reach perAddress = 7
            for (const name of ['a1', 'a2', 'a3'])
                node_assert_1.strict.equal((await t.login(name, 'wrong-password-x')).status, 401);
            node_assert_1.strict.equal((await t.login(VIEWER, VIEWER_PW)).status, 429, 'the address is slowed down for every user');
        });
        it('the limit holds across hub processes on one database (counted in the database)', async () => {
            const other = await t.second();
            const otherClient = new hub_client_1.HubClient({ url: other.url, fingerprint: other.certificate.fingerprint });
            after(() => otherClient.close());
            const viaOther = (user, pw) => otherClient.request('POST', '/api/login', { user, password: b64(pw), bearer: true });
            node_assert_1.strict.deepEqual(await failTimes([t.login, viaOther], OP, limits.perUser), [401, 401, 401]);
            node_assert_1.strict.equal((await viaOther(OP, OP_PW)).status, 429);
            node_assert_1.strict.equal((await t.login(OP, OP_PW)).status, 429);
        });
    });
}
describe('hub roles, Setup AD Sync, agent scope and the password-read audit (sqlite)', function () {
    this.timeout(60_000);
    let t;
    let admin;
    let agent;
    let agentToken;
    const ids = {};
    before(async () => {
        t = await (0, hub_1.startTestHub)('sqlite');
        await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
        await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
        admin = await adminVault(t);
        await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
        await admin.addClient({ name: 'Globex', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
        const add = async (client, username) => {
            ids[username] = (await admin.addCredential({ client, username, password: Buffer.from(`${SECRET}-${username}`), windowsSync: true, mode: 'change' })).id;
        };
        await add('Acme', 'WS01\\alice');
        await add('Acme', 'WS02\\bob');
        await add('Acme', 'carol');
        await add('Globex', 'dave');
        const enrol = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'acme', machine: 'WS01' });
        node_assert_1.strict.equal(enrol.status, 200, JSON.stringify(enrol.body));
        agentToken = enrol.body.token;
        node_assert_1.strict.match(agentToken, /^pwa_[A-Za-z0-9_-]{43}$/);
        node_assert_1.strict.deepEqual(enrol.body.agent, { client: 'Acme', machine: 'WS01' });
        agent = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agentToken);
    });
    after(async () => {
        await agent?.close();
        await admin?.close();
        await t?.close();
    });
    const refused = async (p, status = 403) => {
        try {
            await p;
        }
        catch (err) {
            node_assert_1.strict.ok(err instanceof http_vault_1.HubAccessError, `expected HubAccessError, got ${err.stack}`);
            node_assert_1.strict.equal(err.status, status, err.message);
            return err;
        }
        node_assert_1.strict.fail('expected a refusal');
    };
    it('enrolment recorded the machine and an event; only a hash of the token is stored', async () => {
        const machines = await t.hub.vault.listMachines();
        node_assert_1.strict.deepEqual(machines, [{ name: 'WS01', client: 'Acme', filterState: 'unknown', journalDepth: 0, lastSeen: machines[0].lastSeen }]);
        const ev = (await allEvents(t)).find((e) => e.kind === 'agent-enrolled');
        node_assert_1.strict.match(ev.reason, /machine "WS01" enrolled into client "Acme" by user "olivia" \(operator\)/);
        const rows = await t.hub.store.sql.all('SELECT token_hash FROM hub_agents');
        node_assert_1.strict.equal(rows.length, 1);
        node_assert_1.strict.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
        node_assert_1.strict.notEqual(rows[0].token_hash, agentToken);
    });
    it('an agent sees its client only, and of its credentials those that apply to its machine', async () => {
        node_assert_1.strict.deepEqual((await agent.listClients()).map((c) => c.name), ['Acme']);
        node_assert_1.strict.equal((await agent.getClient('ACME'))?.name, 'Acme');
        node_assert_1.strict.deepEqual((await agent.listCredentials('Acme')).map((c) => c.username), ['WS01\\alice', 'carol']);
        node_assert_1.strict.equal((await agent.findCredential('acme', 'ws01\\ALICE'))?.id, ids['WS01\\alice']);
        node_assert_1.strict.equal((await agent.findCredential('Acme', 'nobody')), undefined);
        node_assert_1.strict.equal((await agent.readPassword(ids.carol)).toString(), `${SECRET}-carol`);
    });
    it('another client\'s credential is refused with 403, and the refusal is an event', async () => {
        const err = await refused(agent.readPassword(ids.dave));
        node_assert_1.strict.match(err.message, /agent "WS01" \(client "Acme"\) may not read the password of credential \d+/);
        const ev = (await allEvents(t)).filter((e) => e.kind === 'access-refused' && e.credentialId === ids.dave);
        node_assert_1.strict.equal(ev.length, 1, JSON.stringify(ev));
        node_assert_1.strict.equal(ev[0].machine, 'WS01');
        node_assert_1.strict.equal(ev[0].account, 'dave');
        node_assert_1.strict.equal(ev[0].outcome, 'refused');
        await refused(agent.setPasswordFromCapture(ids.dave, Buffer.from('x'), 1, 'e1'));
        await refused(agent.setFlag(ids.dave, 'mismatch', true));
        await refused(agent.listCredentials('Globex'));
        await refused(agent.getClient('Globex'));
        await refused(agent.findCredential('Globex', 'dave'));
        node_assert_1.strict.equal((await admin.readPassword(ids.dave)).toString(), `${SECRET}-dave`, 'nothing changed');
        node_assert_1.strict.equal((await admin.findCredential('Globex', 'dave'))?.version, 1);
    });
    it('another machine\'s credential of the same client is refused too; shared ones are the agent\'s to sync only when the client allows it, never to create', async () => {
        await refused(agent.readPassword(ids['WS02\\bob']));
        await refused(agent.findCredential('Acme', 'WS02\\bob'));
        // The client's default: agents may not write shared credentials. A final refusal (not a held token
        // refusal), recorded by the hub before it answers.
        await node_assert_1.strict.rejects(agent.setPasswordFromCapture(ids.carol, Buffer.from('carol-new-pw'), 1, 'ev-carol-1'), (err) => {
            node_assert_1.strict.ok(err instanceof vault_port_1.VaultPolicyError, `expected VaultPolicyError, got ${err.stack}`);
            node_assert_1.strict.match(err.message, /"carol".*client "Acme".*does not let agents write shared credentials/);
            return true;
        });
        node_assert_1.strict.equal(agent.access.current(), undefined, 'the token is not held back by it');
        const audit = (await allEvents(t)).filter((e) => e.kind === 'access-refused' && e.credentialId === ids.carol);
        node_assert_1.strict.equal(audit.length, 1);
        node_assert_1.strict.deepEqual([audit[0].machine, audit[0].account, audit[0].outcome], ['WS01', 'carol', 'refused']);
        node_assert_1.strict.match(audit[0].reason, /^agent "WS01" \(client "Acme"\): credential "carol" is shared/);
        node_assert_1.strict.equal((await admin.readPassword(ids.carol)).toString(), `${SECRET}-carol`, 'nothing changed');
        await admin.updateClient('Acme', { agentsWriteShared: true });
        const synced = await agent.setPasswordFromCapture(ids.carol, Buffer.from('carol-new-pw'), 1, 'ev-carol-1');
        node_assert_1.strict.equal(synced.applied, true);
        const created = await agent.createFromCapture({ client: 'Acme', username: 'WS01\\erin', password: Buffer.from('pw'), windowsSync: true, mode: 'report' }, 'ev-erin');
        node_assert_1.strict.equal(created.applied, true);
        await refused(agent.createFromCapture({ client: 'Acme', username: 'WS02\\erin', password: Buffer.from('pw'), windowsSync: true, mode: 'report' }, 'ev-x'));
        await refused(agent.createFromCapture({ client: 'Acme', username: 'frank', password: Buffer.from('pw'), windowsSync: true, mode: 'change' }, 'ev-y'));
        await refused(agent.updateCredential('Acme', 'carol', { mode: 'report' }));
        await agent.updateCredential('Acme', 'WS01\\erin', { password: Buffer.from('pw2') });
        await refused(agent.addClient({ name: 'Mine', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change' }));
        // A client's options and its existence are the operators': an agent may not turn the rule off for itself.
        await refused(agent.updateClient('Acme', { agentsWriteShared: true }));
        await refused(agent.deleteClient('Acme'));
    });
    it('an agent records only its own machine, appends only its own machine\'s events (never the hub\'s kinds), and reads only those', async () => {
        await agent.recordMachine({ name: 'ws01', client: 'Acme', filterState: 'active', journalDepth: 2 });
        await refused(agent.recordMachine({ name: 'WS02', client: 'Acme', filterState: 'active', journalDepth: 0 }));
        await refused(agent.recordMachine({ name: 'WS01', client: 'Globex', filterState: 'active', journalDepth: 0 }));
        await agent.appendEvents([{ time: 1, machine: 'WS01', kind: 'change-synced', outcome: 'ok', account: 'carol' }]);
        await refused(agent.appendEvents([{ time: 1, machine: 'WS02', kind: 'change-synced', outcome: 'ok' }]));
        await refused(agent.appendEvents([{ time: 1, machine: 'WS01', kind: 'password-read', outcome: 'info' }]));
        await admin.appendEvents([{ time: 2, machine: 'WS02', kind: 'change-synced', outcome: 'ok' }]);
        const mine = await agent.queryEvents({ limit: 10_000 });
        node_assert_1.strict.ok(mine.length > 0);
        node_assert_1.strict.ok(mine.every((e) => e.machine === 'WS01'), JSON.stringify(mine.map((e) => e.machine)));
        await refused(agent.queryEvents({ machine: 'WS02' }));
    });
    it('every password read is an audited event: who, which credential, never the password', async () => {
        const before = (await allEvents(t)).filter((e) => e.kind === 'password-read').length;
        (await agent.readPassword(ids['WS01\\alice'])).fill(0);
        (await admin.readPassword(ids['WS01\\alice'])).fill(0);
        const reads = (await allEvents(t)).filter((e) => e.kind === 'password-read').slice(before);
        node_assert_1.strict.equal(reads.length, 2);
        node_assert_1.strict.deepEqual(reads.map((e) => [e.machine, e.credentialId, e.account, e.outcome]), [['WS01', ids['WS01\\alice'], 'WS01\\alice', 'info'], ['hub', ids['WS01\\alice'], 'WS01\\alice', 'info']]);
        node_assert_1.strict.equal(reads[0].reason, 'read by agent "WS01" (client "Acme")');
        node_assert_1.strict.equal(reads[1].reason, 'read by user "admin" (admin), credential of client "Acme"');
        const text = JSON.stringify(await allEvents(t));
        node_assert_1.strict.ok(!text.includes(SECRET), 'no password in any event');
    });
    it('roles: a viewer reads lists but no password and changes nothing; only an admin manages users', async () => {
        const viewer = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token(VIEWER, VIEWER_PW));
        const op = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token(OP, OP_PW));
        try {
            node_assert_1.strict.equal((await viewer.listClients()).length, 2);
            node_assert_1.strict.equal((await viewer.listCredentials('Globex')).length, 1);
            const err = await refused(viewer.readPassword(ids.dave));
            node_assert_1.strict.match(err.message, /user "victor" \(viewer\) may not read the password/);
            await refused(viewer.addClient({ name: 'V', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' }));
            await refused(viewer.updateClient('Globex', { windowsSync: false }));
            await refused(viewer.deleteClient('Globex'));
            node_assert_1.strict.equal((await op.getClient('Globex'))?.windowsSync, true, 'nothing changed');
            await refused(viewer.setFlag(ids.dave, 'mismatch', true));
            node_assert_1.strict.equal((await op.readPassword(ids.dave)).toString(), `${SECRET}-dave`);
            const opClient = t.client(await t.token(OP, OP_PW));
            node_assert_1.strict.equal((await opClient.request('GET', '/api/users')).status, 403);
            node_assert_1.strict.equal((await opClient.request('POST', '/api/users', { name: 'x', role: 'admin', password: b64('long-enough-password') })).status, 403);
            const adminClient = t.client(await t.token());
            const users = await adminClient.request('GET', '/api/users');
            node_assert_1.strict.deepEqual(users.body.users.map((u) => `${u.name}:${u.role}`), [`${hub_1.ADMIN}:admin`, `${OP}:operator`, `${VIEWER}:viewer`]);
            const bad = await adminClient.request('POST', '/api/users', { name: 'v2', role: 'viewer', permissions: ['setup-ad-sync'], password: b64('long-enough-password') });
            node_assert_1.strict.equal(bad.status, 400);
            node_assert_1.strict.match(bad.body.error.message, /setup-ad-sync needs role operator or admin/);
            const short = await adminClient.request('POST', '/api/users', { name: 'v3', role: 'viewer', password: b64('short') });
            node_assert_1.strict.match(short.body.error.message, /password must be 12 to 1024 bytes/);
        }
        finally {
            await viewer.close();
            await op.close();
        }
    });
    it('enrolling needs Setup AD Sync (and a user, not an agent); enrolling a machine again revokes its old token', async () => {
        const viewerClient = t.client(await t.token(VIEWER, VIEWER_PW));
        const noPerm = await viewerClient.request('POST', '/api/agents', { client: 'Acme', machine: 'WS09' });
        node_assert_1.strict.equal(noPerm.status, 403);
        node_assert_1.strict.match(noPerm.body.error.message, /setup-ad-sync/);
        await t.addUser('oscar', 'operator', [], 'Oscar-Pw-long-enough');
        const oscar = await t.client(await t.token('oscar', 'Oscar-Pw-long-enough')).request('POST', '/api/agents', { client: 'Acme', machine: 'WS09' });
        node_assert_1.strict.equal(oscar.status, 403, 'an operator without the permission');
        const byAgent = await t.client(agentToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS09' });
        node_assert_1.strict.equal(byAgent.status, 403);
        const unknownClient = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'Nope', machine: 'WS09' });
        node_assert_1.strict.equal(unknownClient.status, 404);
        node_assert_1.strict.ok((await allEvents(t)).some((e) => e.kind === 'access-refused' && /user "victor" \(viewer\) may not enrol machine "WS09"/.test(e.reason)));
        const again = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'Acme', machine: 'ws01' });
        node_assert_1.strict.equal(again.status, 200);
        await refused(agent.listClients(), 401);
        const fresh = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, again.body.token);
        node_assert_1.strict.deepEqual((await fresh.listClients()).map((c) => c.name), ['Acme']);
        await fresh.close();
    });
});
describe('hub: requests that are not what the API takes (sqlite)', function () {
    this.timeout(60_000);
    let t;
    let token;
    before(async () => {
        t = await (0, hub_1.startTestHub)('sqlite');
        token = await t.token();
    });
    after(async () => t?.close());
    const post = (p, body, extra = {}) => t.raw('POST', p, body, { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...extra });
    it('answers 400 naming the field, 413 for an oversized body, 415 for a body that is not JSON, and keeps serving', async () => {
        const cases = [
            ['{"client": {"name": "A", "windowsSync": tru', 400, /^the body is not valid JSON/],
            ['{"client": {"name": "A"} x}', 400, /^the body is not valid JSON \(at byte 25\)$/],
            ['{"client": {"name": "A", "windowsSync": "yes", "twoWaySync": true, "autoCreate": true, "defaultMode": "report"}}', 400, /^client\.windowsSync must be true or false$/],
            ['{"client": {"name": "A", "windowsSync": true, "twoWaySync": true, "autoCreate": true, "defaultMode": "report", "colour": "red"}}', 400, /^client has an unknown field "colour"/],
            ['{"client": {"name": "A", "agentsWriteShared": "no"}}', 400, /^client\.agentsWriteShared must be true or false$/],
            ['{"client": {"windowsSync": true}}', 400, /^client\.name is required$/],
            ['{"client": {"name": 7, "windowsSync": true, "twoWaySync": true, "autoCreate": true, "defaultMode": "report"}}', 400, /^client\.name must be a string$/],
            ['{"client": {"name": "A", "windowsSync": true, "twoWaySync": true, "autoCreate": true, "defaultMode": "report"}, "__proto__": {"x": 1}}', 400, /unknown field "__proto__"/],
            ['[]', 400, /^body must be an object$/],
            [Buffer.alloc(2 * 1024 * 1024, 0x20), 413, /larger than 1048576 bytes/],
        ];
        for (const [body, status, message] of cases) {
            const r = await post('/api/vault/addClient', body);
            node_assert_1.strict.equal(r.status, status, `${String(body).slice(0, 60)}: ${JSON.stringify(r.body)}`);
            node_assert_1.strict.match(r.body.error.message, message);
        }
        const pw = await post('/api/vault/setPasswordFromCapture', JSON.stringify({ credentialId: 1, password: 'not base64!', baseVersion: 1, eventId: 'e' }));
        node_assert_1.strict.equal(pw.status, 400);
        node_assert_1.strict.equal(pw.body.error.message, 'password must be a base64 string');
        const notJson = await t.raw('POST', '/api/vault/listClients', '{}', { 'Content-Type': 'text/plain', Authorization: `Bearer ${token}` });
        node_assert_1.strict.equal(notJson.status, 415);
        const tooMany = await post('/api/vault/appendEvents', JSON.stringify({ events: Array.from({ length: 2001 }, () => ({ time: 1, machine: 'm', kind: 'k', outcome: 'ok' })) }));
        node_assert_1.strict.match(tooMany.body.error.message, /^events has more than 2000 items$/);
        // still serving, and nothing was stored
        node_assert_1.strict.equal((await t.raw('GET', '/healthz')).status, 200);
        const ok = await post('/api/vault/listClients', '{}');
        node_assert_1.strict.deepEqual(ok, { status: 200, body: { clients: [] } });
    });
    it('refuses a request without a valid token (401), an unknown path (404) and a wrong method (405)', async () => {
        node_assert_1.strict.equal((await t.raw('POST', '/api/vault/listClients', '{}', { 'Content-Type': 'application/json' })).status, 401);
        node_assert_1.strict.equal((await post('/api/vault/listClients', '{}', { Authorization: 'Bearer pws_nottoken' })).status, 401);
        node_assert_1.strict.equal((await post('/api/vault/listClients', '{}', { Authorization: 'Basic abc' })).status, 401);
        node_assert_1.strict.equal((await t.raw('GET', '/nope')).status, 404);
        node_assert_1.strict.equal((await t.raw('GET', '/api/login')).status, 405);
    });
    it('healthz answers while the process runs; readyz only while the database answers', async () => {
        node_assert_1.strict.deepEqual(await t.raw('GET', '/healthz'), { status: 200, body: { ok: true } });
        node_assert_1.strict.deepEqual(await t.raw('GET', '/readyz'), { status: 200, body: { ready: true } });
    });
});
describe('hub readiness on PostgreSQL', function () {
    this.timeout(60_000);
    it('readyz is 503 once the database stops answering, healthz stays 200', async () => {
        const t = await (0, hub_1.startTestHub)('postgres');
        try {
            node_assert_1.strict.equal((await t.raw('GET', '/readyz')).status, 200);
            await t.hub.store.sql.close(); // this process's connections to the database are gone
            const r = await t.raw('GET', '/readyz');
            node_assert_1.strict.equal(r.status, 503);
            node_assert_1.strict.match(r.body.error.message, /the database does not answer/);
            // The database's own message (it may name hosts and users) goes to the log, not to an anonymous caller.
            const cause = 'Cannot use a pool after calling end on the pool';
            node_assert_1.strict.ok(!r.body.error.message.includes(cause));
            node_assert_1.strict.match(fs.readFileSync(t.logFile, 'utf8'), new RegExp(`"message":"${cause}".*"path":"/readyz"`));
            node_assert_1.strict.equal((await t.raw('GET', '/healthz')).status, 200);
        }
        finally {
            await t.close().catch(() => undefined);
        }
    });
});
//# sourceMappingURL=access.test.js.map