// Deleting a credential through the hub, on SQLite and PostgreSQL: an operator may (the credential-deleted
// event names it, its client and who, and carries no password); a viewer and an agent token may not, not even
// the agent's own machine's credential, and each refusal is recorded; an unknown one is a 404 naming it.
// After a delete the agent's push-down cursor moves (its listing no longer has the credential).
import { strict as assert } from 'node:assert';
import type { HubClient } from '../../src/vault/hub-client';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-3a7e';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-6c1d';
const SECRET = 'Cred-Pw-canary-d4b9';
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: deleting a credential (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let operator: HubClient;
    let viewer: HubClient;
    let agent: HubClient;
    const vault = (c: HubClient, method: string, body: unknown) => c.request('POST', `/api/vault/${method}`, body);
    const names = async () => ((await vault(operator, 'listCredentials', { client: 'Acme' })).body.credentials as Array<{ username: string }>)
      .map((c) => c.username);
    const events = async (kind: string) => ((await vault(operator, 'queryEvents', { query: { kind } })).body.events as Array<Record<string, unknown>>);

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      operator = t.client(await t.token(OP, OP_PW));
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      const r = await vault(operator, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      for (const username of ['WS01\\alice', 'bob', 'WS01\\dave']) {
        const c = await vault(operator, 'addCredential', { credential: { client: 'Acme', username, password: b64(SECRET), windowsSync: true, mode: 'change' } });
        assert.equal(c.status, 200, JSON.stringify(c.body));
      }
      const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
    });
    after(async () => t?.close());

    it('a viewer is refused (403, recorded) and nothing is deleted', async () => {
      const r = await vault(viewer, 'deleteCredential', { client: 'Acme', username: 'bob' });
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /user "victor" \(viewer\) may not delete credential "bob" of client "Acme"/);
      const refused = await events('access-refused');
      assert.ok(refused.some((e) => e.account === 'bob' && /victor.*may not delete/.test(String(e.reason))), 'the refusal is recorded');
      assert.ok((await names()).includes('bob'));
    });

    it('an agent token is refused even for its own machine\'s credential, and the refusal is recorded', async () => {
      const own = await vault(agent, 'deleteCredential', { client: 'Acme', username: 'WS01\\alice' });
      assert.equal(own.status, 403);
      assert.match(own.body.error.message, /agent "WS01" \(client "Acme"\) may not delete credential "WS01\\alice"/);
      const shared = await vault(agent, 'deleteCredential', { client: 'Acme', username: 'bob' });
      assert.equal(shared.status, 403);
      const refused = await events('access-refused');
      assert.ok(refused.some((e) => e.account === 'WS01\\alice' && /agent "WS01".*may not delete/.test(String(e.reason))));
      assert.deepEqual(await names(), ['WS01\\alice', 'bob', 'WS01\\dave']);
    });

    it('an operator deletes one; the credential-deleted event names it, its client and who, with no password', async () => {
      const before = (await agent.request('GET', '/api/changes')).body.cursor as string;
      const r = await vault(operator, 'deleteCredential', { client: 'acme', username: 'ws01\\DAVE' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.credential.username, 'WS01\\dave');
      assert.equal(r.body.credential.client, 'Acme');
      assert.deepEqual(await names(), ['WS01\\alice', 'bob']);
      const [e] = await events('credential-deleted');
      assert.equal(e.machine, 'hub');
      assert.equal(e.account, 'WS01\\dave');
      assert.equal(e.credentialId, r.body.credential.id);
      assert.equal(e.outcome, 'ok');
      assert.match(String(e.reason), /credential "WS01\\dave" \(id \d+, mode change\) of client "Acme" deleted by user "olivia" \(operator\)/);
      assert.doesNotMatch(JSON.stringify(e), new RegExp(SECRET));
      // The agent's push-down sees a change at once (no wait): its listing lost a credential.
      const after = await agent.request('GET', `/api/changes?after=${encodeURIComponent(before)}&waitMs=5000`);
      assert.equal(after.body.changed, true);
      assert.notEqual(after.body.cursor, before);
    });

    it('an unknown credential is a 404 naming it; an agent may not forge the event', async () => {
      const r = await vault(operator, 'deleteCredential', { client: 'Acme', username: 'nobody' });
      assert.equal(r.status, 404);
      assert.match(r.body.error.message, /credential "nobody" in client "Acme" does not exist/);
      const bad = await vault(operator, 'deleteCredential', { client: 'Acme' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /username/);
      const forged = await vault(agent, 'appendEvents', { events: [{ time: Date.now(), machine: 'WS01', kind: 'credential-deleted', outcome: 'ok' }] });
      assert.equal(forged.status, 403);
      assert.equal((await events('credential-deleted')).length, 1);
    });
  });
}
