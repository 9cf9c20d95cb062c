// The hub's doors, against a real hub over HTTPS: login and its limits, roles and Setup AD Sync, an agent
// token's scope (its client and machine only), the password-read audit, and requests that are not what
// the API takes. Login limits run on both engines and across two hub processes on one database (their
// parallel guesses and growing waits: login-throttle.test.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { EventRecord } from '../../src/domain/types';
import { VaultPolicyError } from '../../src/ports/vault.port';
import { HttpVault, HubAccessError } from '../../src/vault/http.vault';
import { HubClient } from '../../src/vault/hub-client';
import { ADMIN, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-81c2';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-9e3a';
const SECRET = 'Cred-Pw-canary-5b7d';

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function adminVault(t: TestHub): Promise<HttpVault> {
  return HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
}

async function allEvents(t: TestHub): Promise<EventRecord[]> {
  return t.hub.vault.queryEvents({ limit: 100_000 });
}

/** Failures `n` times, then the answer to one more login (right or wrong password). */
async function failTimes(logins: Array<(user: string, pw: string) => Promise<{ status: number }>>, user: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await logins[i % logins.length](user, `wrong-${i}-pw`)).status);
  return statuses;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub login and its limits (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    const limits = { perUser: 3, perAddress: 7, baseDelayMs: 1000, maxDelayMs: 4000, windowMs: 3_600_000 };
    beforeEach(async () => {
      t = await startTestHub(engine, { limits });
      await t.addUser(OP, 'operator', [], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      await t.hub.store.sql.run('DELETE FROM hub_login_failures'); // the admin's login above is not part of the count
    });
    afterEach(async () => t?.close());

    it('the right password gives a session (bearer when asked, an HttpOnly Secure SameSite cookie always); a wrong one or an unknown user gives 401, recorded', async () => {
      const ok = await t.login(OP, OP_PW);
      assert.equal(ok.status, 200);
      assert.match(ok.body.token, /^pws_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(ok.body.user, { name: OP, role: 'operator', permissions: [], disabled: false });
      const cookie = String(ok.headers['set-cookie']);
      assert.match(cookie, /pwbridge_session=pws_/);
      for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) assert.ok(cookie.includes(attr), `${attr} in ${cookie}`);
      // A browser's login gets no token in the body, only the cookie, which then authenticates.
      const browser = await t.raw('POST', '/api/login', JSON.stringify({ user: OP, password: b64(OP_PW) }), { 'Content-Type': 'application/json' });
      assert.equal(browser.status, 200);
      assert.equal(browser.body.token, undefined);
      const me = await t.raw('GET', '/api/me', undefined, { Cookie: `other=1; pwbridge_session=${ok.body.token}` });
      assert.deepEqual(me.body, { user: { name: OP, role: 'operator', permissions: [], disabled: false } });

      const wrong = await t.login(OP, 'not-the-password');
      const unknown = await t.login('nobody', 'whatever-password');
      assert.deepEqual([wrong.status, unknown.status], [401, 401]);
      assert.equal(wrong.body.error.message, unknown.body.error.message, 'the same answer whether or not the user exists');
      const logins = (await allEvents(t)).filter((e) => e.kind === 'login');
      assert.ok(logins.some((e) => e.outcome === 'refused' && e.account === OP && /wrong password/.test(e.reason!)), JSON.stringify(logins));
      assert.ok(logins.some((e) => e.outcome === 'refused' && e.account === 'nobody' && /no such user/.test(e.reason!)));
      assert.ok(logins.some((e) => e.outcome === 'ok' && e.account === OP));

      // logout ends the session
      const c = t.client(ok.body.token);
      assert.equal((await c.request('POST', '/api/logout', {})).status, 200);
      assert.equal((await c.request('GET', '/api/me')).status, 401);
    });

    it('after perUser failures the user must wait (429, Retry-After the first delay), even with the right password; other users need not', async () => {
      assert.deepEqual(await failTimes([t.login], OP, limits.perUser), [401, 401, 401]);
      const blocked = await t.login(OP, OP_PW);
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error.code, 'rate-limited');
      assert.equal(blocked.headers['retry-after'], String(limits.baseDelayMs / 1000));
      assert.equal(blocked.body.error.message, 'too many failed logins for this user or address; try again in 1 s');
      assert.equal((await t.login(VIEWER, VIEWER_PW)).status, 200, 'another user from the same address still logs in');
      assert.ok((await allEvents(t)).some((e) => e.kind === 'login' && e.outcome === 'refused'
        && /too many failed logins of this user; slowed down, next attempt allowed in 1 s/.test(e.reason!)));
    });

    it('a success clears the user\'s count; perAddress failures over any user names block the address', async () => {
      assert.deepEqual(await failTimes([t.login], OP, 2), [401, 401]);
      assert.equal((await t.login(OP, OP_PW)).status, 200);
      assert.deepEqual(await failTimes([t.login], OP, 2), [401, 401], 'counted from zero again');
      // 4 so far from this address; 3 more over other names reach perAddress = 7
      for (const name of ['a1', 'a2', 'a3']) assert.equal((await t.login(name, 'wrong-password-x')).status, 401);
      assert.equal((await t.login(VIEWER, VIEWER_PW)).status, 429, 'the address is slowed down for every user');
    });

    it('the limit holds across hub processes on one database (counted in the database)', async () => {
      const other = await t.second();
      const otherClient = new HubClient({ url: other.url, fingerprint: other.certificate.fingerprint });
      after(() => otherClient.close());
      const viaOther = (user: string, pw: string) => otherClient.request('POST', '/api/login', { user, password: b64(pw), bearer: true });
      assert.deepEqual(await failTimes([t.login, viaOther], OP, limits.perUser), [401, 401, 401]);
      assert.equal((await viaOther(OP, OP_PW)).status, 429);
      assert.equal((await t.login(OP, OP_PW)).status, 429);
    });
  });
}

describe('hub roles, Setup AD Sync, agent scope and the password-read audit (sqlite)', function () {
  this.timeout(60_000);
  let t: TestHub;
  let admin: HttpVault;
  let agent: HttpVault;
  let agentToken: string;
  const ids: Record<string, number> = {};

  before(async () => {
    t = await startTestHub('sqlite');
    await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
    await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
    admin = await adminVault(t);
    await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
    await admin.addClient({ name: 'Globex', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
    const add = async (client: string, username: string) => {
      ids[username] = (await admin.addCredential({ client, username, password: Buffer.from(`${SECRET}-${username}`), windowsSync: true, mode: 'change' })).id;
    };
    await add('Acme', 'WS01\\alice');
    await add('Acme', 'WS02\\bob');
    await add('Acme', 'carol');
    await add('Globex', 'dave');
    const enrol = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'acme', machine: 'WS01' });
    assert.equal(enrol.status, 200, JSON.stringify(enrol.body));
    agentToken = enrol.body.token;
    assert.match(agentToken, /^pwa_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(enrol.body.agent, { client: 'Acme', machine: 'WS01' });
    agent = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agentToken);
  });
  after(async () => {
    await agent?.close();
    await admin?.close();
    await t?.close();
  });

  const refused = async (p: Promise<unknown>, status = 403): Promise<HubAccessError> => {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof HubAccessError, `expected HubAccessError, got ${(err as Error).stack}`);
      assert.equal(err.status, status, err.message);
      return err;
    }
    assert.fail('expected a refusal');
  };

  it('enrolment recorded the machine and an event; only a hash of the token is stored', async () => {
    const machines = await (t.hub.vault as unknown as { listMachines(): unknown }).listMachines();
    assert.deepEqual(machines, [{ name: 'WS01', client: 'Acme', filterState: 'unknown', journalDepth: 0, lastSeen: (machines as Array<{ lastSeen: number }>)[0].lastSeen }]);
    const ev = (await allEvents(t)).find((e) => e.kind === 'agent-enrolled');
    assert.match(ev!.reason!, /machine "WS01" enrolled into client "Acme" by user "olivia" \(operator\)/);
    const rows = await t.hub.store.sql.all<{ token_hash: string }>('SELECT token_hash FROM hub_agents');
    assert.equal(rows.length, 1);
    assert.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
    assert.notEqual(rows[0].token_hash, agentToken);
  });

  it('an agent sees its client only, and of its credentials those that apply to its machine', async () => {
    assert.deepEqual((await agent.listClients()).map((c) => c.name), ['Acme']);
    assert.equal((await agent.getClient('ACME'))?.name, 'Acme');
    assert.deepEqual((await agent.listCredentials('Acme')).map((c) => c.username), ['WS01\\alice', 'carol']);
    assert.equal((await agent.findCredential('acme', 'ws01\\ALICE'))?.id, ids['WS01\\alice']);
    assert.equal((await agent.findCredential('Acme', 'nobody')), undefined);
    assert.equal((await agent.readPassword(ids.carol)).toString(), `${SECRET}-carol`);
  });

  it('another client\'s credential is refused with 403, and the refusal is an event', async () => {
    const err = await refused(agent.readPassword(ids.dave));
    assert.match(err.message, /agent "WS01" \(client "Acme"\) may not read the password of credential \d+/);
    const ev = (await allEvents(t)).filter((e) => e.kind === 'access-refused' && e.credentialId === ids.dave);
    assert.equal(ev.length, 1, JSON.stringify(ev));
    assert.equal(ev[0].machine, 'WS01');
    assert.equal(ev[0].account, 'dave');
    assert.equal(ev[0].outcome, 'refused');
    await refused(agent.setPasswordFromCapture(ids.dave, Buffer.from('x'), 1, 'e1'));
    await refused(agent.setFlag(ids.dave, 'mismatch', true));
    await refused(agent.listCredentials('Globex'));
    await refused(agent.getClient('Globex'));
    await refused(agent.findCredential('Globex', 'dave'));
    assert.equal((await admin.readPassword(ids.dave)).toString(), `${SECRET}-dave`, 'nothing changed');
    assert.equal((await admin.findCredential('Globex', 'dave'))?.version, 1);
  });

  it('another machine\'s credential of the same client is refused too; shared ones are the agent\'s to sync only when the client allows it, never to create', async () => {
    await refused(agent.readPassword(ids['WS02\\bob']));
    await refused(agent.findCredential('Acme', 'WS02\\bob'));
    // The client's default: agents may not write shared credentials. A final refusal (not a held token
    // refusal), recorded by the hub before it answers.
    await assert.rejects(agent.setPasswordFromCapture(ids.carol, Buffer.from('carol-new-pw'), 1, 'ev-carol-1'), (err: Error) => {
      assert.ok(err instanceof VaultPolicyError, `expected VaultPolicyError, got ${err.stack}`);
      assert.match(err.message, /"carol".*client "Acme".*does not let agents write shared credentials/);
      return true;
    });
    assert.equal(agent.access.current(), undefined, 'the token is not held back by it');
    const audit = (await allEvents(t)).filter((e) => e.kind === 'access-refused' && e.credentialId === ids.carol);
    assert.equal(audit.length, 1);
    assert.deepEqual([audit[0].machine, audit[0].account, audit[0].outcome], ['WS01', 'carol', 'refused']);
    assert.match(audit[0].reason!, /^agent "WS01" \(client "Acme"\): credential "carol" is shared/);
    assert.equal((await admin.readPassword(ids.carol)).toString(), `${SECRET}-carol`, 'nothing changed');
    await admin.updateClient('Acme', { agentsWriteShared: true });
    const synced = await agent.setPasswordFromCapture(ids.carol, Buffer.from('carol-new-pw'), 1, 'ev-carol-1');
    assert.equal(synced.applied, true);
    const created = await agent.createFromCapture({ client: 'Acme', username: 'WS01\\erin', password: Buffer.from('pw'), windowsSync: true, mode: 'report' }, 'ev-erin');
    assert.equal(created.applied, true);
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
    assert.ok(mine.length > 0);
    assert.ok(mine.every((e) => e.machine === 'WS01'), JSON.stringify(mine.map((e) => e.machine)));
    await refused(agent.queryEvents({ machine: 'WS02' }));
  });

  it('every password read is an audited event: who, which credential, never the password', async () => {
    const before = (await allEvents(t)).filter((e) => e.kind === 'password-read').length;
    (await agent.readPassword(ids['WS01\\alice'])).fill(0);
    (await admin.readPassword(ids['WS01\\alice'])).fill(0);
    const reads = (await allEvents(t)).filter((e) => e.kind === 'password-read').slice(before);
    assert.equal(reads.length, 2);
    assert.deepEqual(reads.map((e) => [e.machine, e.credentialId, e.account, e.outcome]),
      [['WS01', ids['WS01\\alice'], 'WS01\\alice', 'info'], ['hub', ids['WS01\\alice'], 'WS01\\alice', 'info']]);
    assert.equal(reads[0].reason, 'read by agent "WS01" (client "Acme")');
    assert.equal(reads[1].reason, 'read by user "admin" (admin), credential of client "Acme"');
    const text = JSON.stringify(await allEvents(t));
    assert.ok(!text.includes(SECRET), 'no password in any event');
  });

  it('roles: a viewer reads lists but no password and changes nothing; only an admin manages users', async () => {
    const viewer = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token(VIEWER, VIEWER_PW));
    const op = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token(OP, OP_PW));
    try {
      assert.equal((await viewer.listClients()).length, 2);
      assert.equal((await viewer.listCredentials('Globex')).length, 1);
      const err = await refused(viewer.readPassword(ids.dave));
      assert.match(err.message, /user "victor" \(viewer\) may not read the password/);
      await refused(viewer.addClient({ name: 'V', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' }));
      await refused(viewer.updateClient('Globex', { windowsSync: false }));
      await refused(viewer.deleteClient('Globex'));
      assert.equal((await op.getClient('Globex'))?.windowsSync, true, 'nothing changed');
      await refused(viewer.setFlag(ids.dave, 'mismatch', true));
      assert.equal((await op.readPassword(ids.dave)).toString(), `${SECRET}-dave`);
      const opClient = t.client(await t.token(OP, OP_PW));
      assert.equal((await opClient.request('GET', '/api/users')).status, 403);
      assert.equal((await opClient.request('POST', '/api/users', { name: 'x', role: 'admin', password: b64('long-enough-password') })).status, 403);
      const adminClient = t.client(await t.token());
      const users = await adminClient.request('GET', '/api/users');
      assert.deepEqual(users.body.users.map((u: { name: string; role: string }) => `${u.name}:${u.role}`), [`${ADMIN}:admin`, `${OP}:operator`, `${VIEWER}:viewer`]);
      const bad = await adminClient.request('POST', '/api/users', { name: 'v2', role: 'viewer', permissions: ['setup-ad-sync'], password: b64('long-enough-password') });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /setup-ad-sync needs role operator or admin/);
      const short = await adminClient.request('POST', '/api/users', { name: 'v3', role: 'viewer', password: b64('short') });
      assert.match(short.body.error.message, /password must be 12 to 1024 bytes/);
    } finally {
      await viewer.close();
      await op.close();
    }
  });

  it('enrolling needs Setup AD Sync (and a user, not an agent); enrolling a machine again revokes its old token', async () => {
    const viewerClient = t.client(await t.token(VIEWER, VIEWER_PW));
    const noPerm = await viewerClient.request('POST', '/api/agents', { client: 'Acme', machine: 'WS09' });
    assert.equal(noPerm.status, 403);
    assert.match(noPerm.body.error.message, /setup-ad-sync/);
    await t.addUser('oscar', 'operator', [], 'Oscar-Pw-long-enough');
    const oscar = await t.client(await t.token('oscar', 'Oscar-Pw-long-enough')).request('POST', '/api/agents', { client: 'Acme', machine: 'WS09' });
    assert.equal(oscar.status, 403, 'an operator without the permission');
    const byAgent = await t.client(agentToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS09' });
    assert.equal(byAgent.status, 403);
    const unknownClient = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'Nope', machine: 'WS09' });
    assert.equal(unknownClient.status, 404);
    assert.ok((await allEvents(t)).some((e) => e.kind === 'access-refused' && /user "victor" \(viewer\) may not enrol machine "WS09"/.test(e.reason!)));

    const again = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'Acme', machine: 'ws01' });
    assert.equal(again.status, 200);
    await refused(agent.listClients(), 401);
    const fresh = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, again.body.token);
    assert.deepEqual((await fresh.listClients()).map((c) => c.name), ['Acme']);
    await fresh.close();
  });
});

describe('hub: requests that are not what the API takes (sqlite)', function () {
  this.timeout(60_000);
  let t: TestHub;
  let token: string;
  before(async () => {
    t = await startTestHub('sqlite');
    token = await t.token();
  });
  after(async () => t?.close());

  const post = (p: string, body: string | Buffer, extra: Record<string, string> = {}) =>
    t.raw('POST', p, body, { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...extra });

  it('answers 400 naming the field, 413 for an oversized body, 415 for a body that is not JSON, and keeps serving', async () => {
    const cases: Array<[string | Buffer, number, RegExp]> = [
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
      assert.equal(r.status, status, `${String(body).slice(0, 60)}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.message, message);
    }
    const pw = await post('/api/vault/setPasswordFromCapture', JSON.stringify({ credentialId: 1, password: 'not base64!', baseVersion: 1, eventId: 'e' }));
    assert.equal(pw.status, 400);
    assert.equal(pw.body.error.message, 'password must be a base64 string');
    const notJson = await t.raw('POST', '/api/vault/listClients', '{}', { 'Content-Type': 'text/plain', Authorization: `Bearer ${token}` });
    assert.equal(notJson.status, 415);
    const tooMany = await post('/api/vault/appendEvents', JSON.stringify({ events: Array.from({ length: 2001 }, () => ({ time: 1, machine: 'm', kind: 'k', outcome: 'ok' })) }));
    assert.match(tooMany.body.error.message, /^events has more than 2000 items$/);
    // still serving, and nothing was stored
    assert.equal((await t.raw('GET', '/healthz')).status, 200);
    const ok = await post('/api/vault/listClients', '{}');
    assert.deepEqual(ok, { status: 200, body: { clients: [] } });
  });

  it('refuses a request without a valid token (401), an unknown path (404) and a wrong method (405)', async () => {
    assert.equal((await t.raw('POST', '/api/vault/listClients', '{}', { 'Content-Type': 'application/json' })).status, 401);
    assert.equal((await post('/api/vault/listClients', '{}', { Authorization: 'Bearer pws_nottoken' })).status, 401);
    assert.equal((await post('/api/vault/listClients', '{}', { Authorization: 'Basic abc' })).status, 401);
    assert.equal((await t.raw('GET', '/nope')).status, 404);
    assert.equal((await t.raw('GET', '/api/login')).status, 405);
  });

  it('healthz answers while the process runs; readyz only while the database answers', async () => {
    assert.deepEqual(await t.raw('GET', '/healthz'), { status: 200, body: { ok: true } });
    assert.deepEqual(await t.raw('GET', '/readyz'), { status: 200, body: { ready: true } });
  });
});

describe('hub readiness on PostgreSQL', function () {
  this.timeout(60_000);
  it('readyz is 503 once the database stops answering, healthz stays 200', async () => {
    const t = await startTestHub('postgres');
    try {
      assert.equal((await t.raw('GET', '/readyz')).status, 200);
      await t.hub.store.sql.close(); // this process's connections to the database are gone
      const r = await t.raw('GET', '/readyz');
      assert.equal(r.status, 503);
      assert.match(r.body.error.message, /the database does not answer/);
      // The database's own message (it may name hosts and users) goes to the log, not to an anonymous caller.
      const cause = 'Cannot use a pool after calling end on the pool';
      assert.ok(!r.body.error.message.includes(cause));
      assert.match(fs.readFileSync(t.logFile, 'utf8'), new RegExp(`"message":"${cause}".*"path":"/readyz"`));
      assert.equal((await t.raw('GET', '/healthz')).status, 200);
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
