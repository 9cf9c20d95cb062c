// What an agent does when a credential it knew is deleted on the hub. With a real in-process hub (SQLite)
// and the agent's own HttpVault on its token: the push-down loop (src/service/push-down.ts) runs one pass
// for the delete and then waits again (no loop, no error); the pass no longer touches the deleted
// credential's account, and where a shared `user` of the same name exists that one now governs the account
// (MACHINE\user wins only while it exists). The accounts and the state store are the unit tests' fakes: the
// account side is not what is under test here. Then the capture path, on the FakeVault (it passes the vault
// contract): a change captured for a deleted credential, and one whose credential is deleted between the
// lookup and the write, end closed as an unknown account (one retry for the race), never dead or looping.
import { strict as assert } from 'node:assert';
import pino from 'pino';
import { reconcileOnce } from '../../src/reconcile/reconcile';
import type { ReconcileDeps, ReconcileReport } from '../../src/reconcile/types';
import { startPushDown, type PushDown } from '../../src/service/push-down';
import type { HubClient } from '../../src/vault/hub-client';
import { HttpVault } from '../../src/vault/http.vault';
import { FakeAccounts, FakeClock, FakeEcho, FakeEvents, FakeState } from '../helpers/fakes';
import { startTestHub, type TestHub } from '../helpers/hub';
import { world } from '../pipeline/world';

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function until(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('agent: a credential deleted on the hub', function () {
  this.timeout(60_000);
  let t: TestHub;
  let operator: HubClient;
  let agentVault: HttpVault;
  let push: PushDown | undefined;
  const accounts = new FakeAccounts('WS01');
  const events = new FakeEvents();
  const reports: ReconcileReport[] = [];
  const vault = (method: string, body: unknown) => operator.request('POST', `/api/vault/${method}`, body);

  before(async () => {
    t = await startTestHub('sqlite');
    operator = t.client(await t.token());
    assert.equal((await vault('addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' } })).status, 200);
    for (const [username, pw] of [['WS01\\alice', 'alice-machine'], ['WS01\\carol', 'carol-machine'], ['carol', 'carol-shared'], ['bob', 'bob-shared']]) {
      const r = await vault('addCredential', { credential: { client: 'Acme', username, password: b64(pw), windowsSync: true, mode: 'change' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
    agentVault = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, enrolled.body.token as string);
    accounts.add('alice', 'local-a').add('bob', 'local-b').add('carol', 'local-c');
  });
  after(async () => {
    await push?.stop();
    await agentVault?.close();
    await t?.close();
  });

  it('push-down runs one pass for the delete, then waits; the pass leaves the account alone or hands it to the shared credential', async () => {
    const clock = new FakeClock(Date.now());
    const deps: ReconcileDeps = { vault: agentVault, accounts, state: new FakeState(), echo: new FakeEcho(), events };
    const pass = async () => {
      const r = await reconcileOnce(deps, { machine: 'WS01', client: 'Acme', echoTtlMs: 30_000, now: clock.now });
      reports.push(r);
      return r;
    };
    push = startPushDown(agentVault, pass, pino({ level: 'silent' }));
    await until('the connect pass', () => reports.length === 1);
    assert.equal(reports[0].set, 3, JSON.stringify(reports[0]));
    assert.equal(accounts.password('alice'), 'alice-machine');
    assert.equal(accounts.password('carol'), 'carol-machine', 'WS01\\carol wins over the shared carol');
    assert.equal(accounts.password('bob'), 'bob-shared');

    // The operator deletes WS01\alice (no shared alice) and WS01\carol (a shared carol exists).
    assert.equal((await vault('deleteCredential', { client: 'Acme', username: 'WS01\\alice' })).status, 200);
    assert.equal((await vault('deleteCredential', { client: 'Acme', username: 'WS01\\carol' })).status, 200);
    await until('a pass after the deletes', () => reports.some((r, i) => i > 0 && r.items.some((it) => it.username === 'carol')));
    // One pass for each delete at most (the two may fall into one answer), then quiet: no loop.
    await new Promise((r) => setTimeout(r, 2000));
    const after = reports.slice(1);
    assert.ok(after.length >= 1 && after.length <= 2, `${after.length} passes after the deletes`);
    const last = after[after.length - 1];
    assert.equal(last.failed, 0);
    assert.equal(last.reason, undefined);
    assert.ok(!last.items.some((it) => it.username.toLowerCase().includes('alice')), 'the deleted credential is not looked at');
    assert.equal(accounts.password('alice'), 'alice-machine', 'the account keeps the password it had; nothing resets it');
    assert.equal(accounts.password('carol'), 'carol-shared', 'the shared carol now governs the account (Change Password)');
    assert.deepEqual(events.of('reconcile-error'), []);
  });

  it('a change captured for a deleted credential is closed as an unknown account, not retried', async () => {
    const w = world();
    await w.cred('HOST1\\alice', 'v1');
    await w.vault.deleteCredential('acme', 'HOST1\\alice');
    w.clock.advance(10);
    const id = w.change('alice', 'local');
    await w.proc.drain();
    assert.equal(w.journal.get(id)?.state, 'done');
    assert.equal(w.journal.get(id)?.attempts, 0);
    assert.equal(w.events.forTrace(id)[0].reason, 'unknown account, auto-create off');
    assert.equal(w.vault.calls.setPasswordFromCapture, 0);
  });

  it('a credential deleted between the lookup and the write: one retry, then closed as an unknown account', async () => {
    const w = world();
    await w.cred('HOST1\\alice', 'v1');
    w.clock.advance(10);
    const id = w.change('alice', 'local');
    const write = w.vault.setPasswordFromCapture.bind(w.vault);
    w.vault.setPasswordFromCapture = async (...args) => {
      await w.vault.deleteCredential('acme', 'HOST1\\alice');
      return write(...args);
    };
    await w.proc.drain();
    assert.equal(w.journal.get(id)?.state, 'pending');
    assert.equal(w.journal.get(id)?.attempts, 1);
    assert.match(w.journal.get(id)?.lastError ?? '', /does not exist/);
    w.clock.advance(60_000);
    await w.proc.drain();
    assert.equal(w.journal.get(id)?.state, 'done');
    assert.deepEqual(w.events.forTrace(id).map((e) => e.kind), ['delivery-retry', 'change-ignored']);
    assert.equal(w.vault.calls.setPasswordFromCapture, 1, 'written once (refused), never again');
  });
});
