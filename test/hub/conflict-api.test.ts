// The hub's conflict routes against a real hub over HTTPS on SQLite and PostgreSQL: an agent records its
// own machine's side only; any user lists both sides (no password); only operators and admins resolve (an
// agent never, a viewer never; refusals recorded); every choice is a conflict-resolved event with who and
// which; clearing the flag by hand is a conflict-flag-cleared event; a choice wakes the machine's long
// poll (its push-down cursor moves) and no other machine's; "take the machine's" is taken only from the
// machine it names, recorded as "capture on MACHINE, conflict resolved by USER".
import { strict as assert } from 'node:assert';
import type { HubClient } from '../../src/vault/hub-client';
import { ADMIN, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-c0f1';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-77e2';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const eventId = (n: number) => (0x9100 + n).toString(16).padStart(32, '0');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub conflict API (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let admin: HubClient;
    let operator: HubClient;
    let viewer: HubClient;
    let ws01: HubClient;
    let ws02: HubClient;
    let id: number;
    let captured: number;
    const vault = (c: HubClient, method: string, body: unknown) => c.request('POST', `/api/vault/${method}`, body);
    const events = async (kind: string) => (await vault(admin, 'queryEvents', { query: { kind } })).body.events as Array<{ reason: string; credentialId: number; machine: string }>;
    const cursor = async (c: HubClient) => (await c.request('GET', '/api/changes?after=&waitMs=0')).body.cursor as string;

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      operator = t.client(await t.token(OP, OP_PW));
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      assert.equal((await vault(admin, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: true } })).status, 200);
      const added = await vault(admin, 'addCredential', { credential: { client: 'Acme', username: 'svc', password: b64('Vault-Pw-canary-1'), windowsSync: true, mode: 'report' } });
      id = added.body.credential.id;
      ws01 = t.client((await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' })).body.token);
      ws02 = t.client((await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS02' })).body.token);
      captured = Date.now() - 60_000;
    });
    after(async () => t?.close());

    it('an agent records its own machine\'s side only; a user lists both sides, never a password', async () => {
      const other = await vault(ws01, 'recordConflict', { credentialId: id, side: { machine: 'WS02', capturedAt: captured, eventId: eventId(1) } });
      assert.equal(other.status, 403, JSON.stringify(other.body));
      for (const [agent, n] of [[ws01, 1], [ws02, 2]] as const) {
        const r = await vault(agent, 'recordConflict', { credentialId: id, side: { machine: n === 1 ? 'WS01' : 'WS02', capturedAt: captured, eventId: eventId(n) } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const list = await vault(viewer, 'listConflicts', {});
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual(list.body.conflicts.map((k: { machine: string; eventId: string }) => [k.machine, k.eventId]), [['WS01', eventId(1)], ['WS02', eventId(2)]]);
      assert.deepEqual(list.body.conflicts[0].vault.source, { kind: 'user', user: ADMIN });
      assert.equal(list.body.conflicts[0].capturedAt, captured);
      assert.ok(!JSON.stringify(list.body).includes('Vault-Pw-canary-1') && !JSON.stringify(list.body).includes(b64('Vault-Pw-canary-1')));
      // An agent sees its own machine's conflicts, and asking for another's is refused.
      assert.deepEqual((await vault(ws01, 'listConflicts', {})).body.conflicts.map((k: { machine: string }) => k.machine), ['WS01']);
      assert.equal((await vault(ws01, 'listConflicts', { filter: { machine: 'WS02' } })).status, 403);
      assert.deepEqual((await vault(admin, 'findCredential', { client: 'Acme', username: 'svc' })).body.credential.flags, ['conflict']);
    });

    it('refuses a resolution by an agent or a viewer, recording each, and bad input by name', async () => {
      for (const who of [ws01, viewer]) {
        const r = await vault(who, 'resolveConflict', { credentialId: id, machine: 'WS01', choice: 'machine' });
        assert.equal(r.status, 403, JSON.stringify(r.body));
      }
      const reasons = (await events('access-refused')).map((e) => e.reason).join('\n');
      assert.match(reasons, /agent "WS01" \(client "Acme"\) may not resolve the conflict of machine "WS01" on credential \d+ \(a person chooses, never an agent\)/);
      assert.match(reasons, /user "victor" \(viewer\) may not resolve the conflict/);
      const bad = await vault(operator, 'resolveConflict', { credentialId: id, machine: 'WS01', choice: 'both' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /choice/);
      const none = await vault(operator, 'resolveConflict', { credentialId: id, machine: 'WS09', choice: 'vault' });
      assert.equal(none.status, 404, JSON.stringify(none.body));
      assert.deepEqual(await events('conflict-resolved'), []);
    });

    it('"keep the vault\'s" is an event with who and which, and wakes only that machine\'s long poll', async () => {
      const [before1, before2] = [await cursor(ws01), await cursor(ws02)];
      const r = await vault(operator, 'resolveConflict', { credentialId: id, machine: 'ws02', choice: 'vault' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.conflict.resolution.choice, 'vault');
      assert.equal(r.body.conflict.resolution.by, OP);
      assert.notEqual(await cursor(ws02), before2, 'WS02\'s cursor moved: its long poll wakes');
      assert.equal(await cursor(ws01), before1, 'WS01 has nothing to do');
      const [e] = await events('conflict-resolved');
      assert.equal(e.credentialId, id);
      assert.equal(e.machine, 'hub');
      assert.match(e.reason, /user "olivia" \(operator\) chose "keep the vault's" \(version 1, pushed down to WS02\) for credential "svc" of client "Acme"/);
      assert.deepEqual((await vault(admin, 'findCredential', { client: 'Acme', username: 'svc' })).body.credential.flags, ['conflict'], 'WS01\'s is still open');
      // WS02's agent carries it out.
      assert.equal((await vault(ws01, 'settleConflict', { credentialId: id, machine: 'WS02', how: 'vault-kept' })).status, 403, 'not another machine\'s');
      assert.equal((await vault(ws02, 'settleConflict', { credentialId: id, machine: 'WS02', how: 'vault-kept' })).status, 200);
    });

    it('"take the machine\'s": only that machine sends the capture; it is recorded as resolved by the user, and the flag clears', async () => {
      const r = await vault(admin, 'resolveConflict', { credentialId: id, machine: 'WS01', choice: 'machine' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match((await events('conflict-resolved')).at(-1)!.reason, /user "admin" \(admin\) chose "take the machine's" \(the capture of .* on WS01\)/);
      const wrongMachine = await vault(ws02, 'takeConflictedCapture', { credentialId: id, password: b64('Machine-Pw-1'), eventId: eventId(1), machine: 'WS01' });
      assert.equal(wrongMachine.status, 403);
      const sent = await vault(ws01, 'takeConflictedCapture', { credentialId: id, password: b64('Machine-Pw-1'), eventId: eventId(1), machine: 'WS01' });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.applied, true);
      assert.deepEqual(sent.body.credential.flags, []);
      const history = await vault(admin, 'listPasswordHistory', { credentialId: id });
      assert.deepEqual(history.body.history[0].source, { kind: 'capture', machine: 'WS01', resolvedBy: ADMIN });
      assert.equal(Buffer.from((await vault(admin, 'readPassword', { credentialId: id })).body.password, 'base64').toString(), 'Machine-Pw-1');
      assert.deepEqual((await vault(admin, 'listConflicts', {})).body.conflicts, []);
    });

    it('clearing the conflict flag by hand is an audited action', async () => {
      await vault(ws01, 'recordConflict', { credentialId: id, side: { machine: 'WS01', capturedAt: captured, eventId: eventId(3) } });
      const r = await vault(operator, 'setFlag', { credentialId: id, flag: 'conflict', on: false });
      assert.equal(r.status, 200);
      const [e] = await events('conflict-flag-cleared');
      assert.match(e.reason, /user "olivia" \(operator\) cleared the conflict flag of credential \d+ by hand/);
      // An agent's own flag changes are not a person's choice and are not this event.
      await vault(ws01, 'setFlag', { credentialId: id, flag: 'conflict', on: false });
      assert.equal((await events('conflict-flag-cleared')).length, 1);
    });
  });
}
