// The hub's password-history routes against a real hub over HTTPS on SQLite and PostgreSQL: who may list
// and restore (any user lists, operators restore, agents neither; refusals recorded), the sources the hub
// records from the login (an agent's capture names its machine, whatever the body says), the
// password-restored event, and refusals of bad input that name the field.
import { strict as assert } from 'node:assert';
import { parsePasswordHistory } from '../../src/cli/commands/hub';
import { openHubDatabase } from '../../src/hub/server';
import type { HubClient } from '../../src/vault/hub-client';
import { ADMIN, startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-81c2';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-2e6a';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const eventId = (n: number) => n.toString(16).padStart(32, '0');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub password history API (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let admin: HubClient;
    let operator: HubClient;
    let viewer: HubClient;
    let agent: HubClient;
    let id: number;
    const vault = (c: HubClient, method: string, body: unknown) => c.request('POST', `/api/vault/${method}`, body);

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      operator = t.client(await t.token(OP, OP_PW));
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      assert.equal((await vault(admin, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' } })).status, 200);
      const added = await vault(admin, 'addCredential', { credential: { client: 'Acme', username: 'WS01\\svc', password: b64('first-pw'), windowsSync: true, mode: 'change' } });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      id = added.body.credential.id;
      const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
      const captured = await vault(agent, 'setPasswordFromCapture', { credentialId: id, password: b64('second-pw'), baseVersion: 1, eventId: eventId(1) });
      assert.equal(captured.status, 200, JSON.stringify(captured.body));
    });
    after(async () => t?.close());

    it('lists the history to any user, with the sources the hub took from the logins, and no password', async () => {
      const r = await vault(viewer, 'listPasswordHistory', { credentialId: id });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.history.map((e: { version: number; source: unknown }) => [e.version, e.source]),
        [[2, { kind: 'capture', machine: 'WS01' }], [1, { kind: 'user', user: ADMIN }]]);
      const text = JSON.stringify(r.body);
      for (const pw of ['first-pw', 'second-pw']) assert.ok(!text.includes(pw) && !text.includes(b64(pw)));
    });

    it('refuses agents both routes and a viewer the restore, recording each refusal', async () => {
      for (const [who, method, body] of [
        [agent, 'listPasswordHistory', { credentialId: id }],
        [agent, 'restorePassword', { credentialId: id, version: 1 }],
        [viewer, 'restorePassword', { credentialId: id, version: 1 }],
      ] as const) {
        const r = await vault(who, method, body);
        assert.equal(r.status, 403, `${method}: ${JSON.stringify(r.body)}`);
      }
      const refused = await vault(admin, 'queryEvents', { query: { kind: 'access-refused' } });
      const reasons = refused.body.events.map((e: { reason: string }) => e.reason).join('\n');
      assert.match(reasons, /agent "WS01" \(client "Acme"\) may not list the password history of credential \d+ \(password history is for users\)/);
      assert.match(reasons, /agent "WS01" .* may not restore version 1 of credential/);
      assert.match(reasons, /user "victor" \(viewer\) may not restore version 1 of credential/);
      assert.equal((await vault(admin, 'findCredential', { client: 'Acme', username: 'WS01\\svc' })).body.credential.version, 2, 'nothing restored');
    });

    it('an operator restores: a new version, the old password, an event naming the credential, the version and who', async () => {
      const r = await vault(operator, 'restorePassword', { credentialId: id, version: 1, by: 'someone-else' });
      // `by` is not part of the route: the restorer is the login.
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, /by/);
      const ok = await vault(operator, 'restorePassword', { credentialId: id, version: 1 });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.credential.version, 3);
      const pw = await vault(operator, 'readPassword', { credentialId: id });
      assert.equal(Buffer.from(pw.body.password, 'base64').toString(), 'first-pw');
      const h = await vault(viewer, 'listPasswordHistory', { credentialId: id });
      assert.deepEqual(h.body.history[0].source, { kind: 'restore', fromVersion: 1, by: OP });
      const events = (await vault(admin, 'queryEvents', { query: { kind: 'password-restored' } })).body.events;
      assert.equal(events.length, 1);
      assert.equal(events[0].credentialId, id);
      assert.equal(events[0].account, 'WS01\\svc');
      assert.equal(events[0].machine, 'hub');
      assert.match(events[0].reason, /^version 1 of credential "WS01\\svc" \(client "Acme"\) restored by user "olivia" \(operator\) as version 3$/);
      assert.ok(!JSON.stringify(events).includes('first-pw'));
    });

    it('refuses an unknown credential or version with 404 and bad input with 400, naming it', async () => {
      const unknown = await vault(operator, 'restorePassword', { credentialId: id, version: 42 });
      assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
      assert.match(unknown.body.error.message, /version 42/);
      const noCred = await vault(viewer, 'listPasswordHistory', { credentialId: 9999 });
      assert.equal(noCred.status, 404);
      const bad = await vault(operator, 'restorePassword', { credentialId: id, version: 'one' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /version/);
    });
  });
}

describe('pwbridge hub --password-history', () => {
  it('takes a whole number from 0 to 1000; the rest is refused naming the flag and the value', () => {
    assert.deepEqual(['0', '1', '10', '1000'].map(parsePasswordHistory), [0, 1, 10, 1000]);
    for (const bad of ['', '-1', '1001', '2.5', 'ten', '10 ', '0x10']) {
      assert.throws(() => parsePasswordHistory(bad), /--password-history must be a whole number from 0 to 1000, not /, JSON.stringify(bad));
    }
  });

  it('the hub\'s vault keeps as many earlier passwords as it says', async () => {
    const tmp = makeTempDir('pwbridge-history-hub-');
    const { vault, store } = await openHubDatabase(tmp.dir, undefined, undefined, undefined, 1);
    try {
      await vault.addClient({ name: 'Acme' });
      const c = await vault.addCredential({ client: 'Acme', username: 'alice', password: Buffer.from('p1'), windowsSync: true, mode: 'change' });
      for (const pw of ['p2', 'p3']) await vault.updateCredential('Acme', 'alice', { password: Buffer.from(pw) });
      assert.deepEqual((await vault.listPasswordHistory(c.id)).map((e) => e.version), [3, 2]);
    } finally {
      await vault.close();
      await store.close();
      tmp.cleanup();
    }
  });
});
