// The agent against a real hub (in this process, real HTTPS, SQLite), enrolled with the real `pwbridge
// setup`, running the real bridge (harness: real socket, journal, capture protocol):
// - its machine row on the hub (what the dashboard shows): client, filter state, journal depth, last seen;
// - a revoked agent token (the machine enrolled again): one clear report, no hammering, nothing lost, and
//   delivery resumes by itself once setup has stored a new token.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Encoding } from '../../src/protocol/constants';
import type { SqliteVault } from '../../src/vault/sqlite.vault';
import { startHarness, type Harness } from '../helpers/bridge-harness';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type TestHub } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';
import { assertExit, pollUntil, runCli, sleep } from '../cli/cli';

const canary = (what: string) => Buffer.from(`${what}-canary-${randomBytes(6).toString('hex')}`);

interface Row { name: string; client: string; filterState: string; journalDepth: number; lastSeen: number }

describe('agent ↔ hub: machine report and a refused agent token (real hub, real setup, real bridge)', function () {
  this.timeout(120_000);
  let t: TestHub;
  let h: Harness | undefined;
  let dir: string;
  let adminToken: string;

  const machines = async (): Promise<Row[]> => (t.hub.vault as unknown as SqliteVault).listMachines();
  const row = async () => (await machines()).find((m) => m.name === 'WS01');
  const setup = async () => assertExit(await runCli(
    ['setup', '--hub', t.hub.url, '--insecure-fingerprint', t.hub.certificate.fingerprint, '--client', 'Acme'],
    { dataDir: dir, stdin: `${ADMIN}\n${ADMIN_PASSWORD}\n` },
  ), 0, 'setup');
  /** The hub's own log: requests it answered with this status. */
  const answered = (status: number): number => fs.readFileSync(t.logFile, 'utf8').split('\n')
    .filter((l) => l.includes('"msg":"request"') && JSON.parse(l).status === status).length;
  const status = async () => {
    const r = await runCli(['status', '--json'], { dataDir: dir });
    assertExit(r, 0, 'status');
    return JSON.parse(r.stdout);
  };
  const logLines = () => fs.readFileSync(h!.install.paths.logFile, 'utf8');

  before(async () => {
    t = await startTestHub('sqlite');
    adminToken = await t.token();
    const admin = t.client(adminToken);
    const r = await admin.request('POST', '/api/vault/addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    dir = makeTempDir('pwbridge-agent-report-').dir;
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h', pamDir: path.join(dir, 'no-pam.d') }));
    await setup();
    h = await startHarness({ dir });
  });
  after(async () => {
    await h?.destroy();
    await t?.close();
  });

  it('reports its machine at start: the enrolment row gets the client, the filter state status computes and the journal depth', async () => {
    const r = await pollUntil('the row reported', async () => {
      const m = await row();
      return m && m.filterState !== 'unknown' ? m : undefined; // enrolment wrote "unknown"
    }, 10_000);
    assert.equal(r.client, 'Acme');
    assert.equal(r.filterState, (await status()).filter.state);
    assert.equal(r.journalDepth, 0);
  });

  it('after a capture batch the row shows the filter active (the hello) and last seen moves on; held entries count as depth', async () => {
    const before = (await row())!.lastSeen;
    await sleep(20);
    const c = await h!.connect();
    await c.send({ account: 'alice', encoding: Encoding.raw, password: canary('alice') }).acked;
    const r = await pollUntil('active on the hub', async () => {
      const m = await row();
      return m?.filterState === 'active' ? m : undefined;
    }, 10_000);
    assert.ok(r.lastSeen > before, `last seen ${r.lastSeen} after ${before}`);
    c.destroy();
    await h!.bridge.drain();

    // An entry waiting out a backoff is depth: one received "in an hour" is pending and not due.
    h!.install.state.journal.append([{
      eventId: randomBytes(16).toString('hex'), machine: 'WS01', account: 'later', accountId: 1001,
      capturedAt: Date.now(), receivedAt: Date.now() + 3_600_000, encoding: 1, sealed: randomBytes(80),
    }]);
    assert.equal(await h!.bridge.reportMachine(), true);
    assert.equal((await row())!.journalDepth, 1);
    assert.equal((await status()).journalDepth, 1);
  });

  it('a revoked token: one clear report (event, log, status), requests held back, captures kept; a new setup resumes delivery with nothing lost', async () => {
    // Enrolling the machine again revokes the token the running agent holds.
    const again = await t.client(adminToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
    assert.equal(again.status, 200);
    const refusedBefore = answered(401);

    const c = await h!.connect();
    const pw = canary('bob');
    await c.send({ account: 'bob', encoding: Encoding.raw, password: pw }).acked;
    await h!.bridge.drain();
    assert.equal(await h!.bridge.reportMachine(), false);
    await pollUntil('the refusal in the log', () => /the hub refused this machine's agent token \(401/.test(logLines()) || undefined, 5_000);
    const s = await status();
    assert.match(s.hub.refused.reason, /the hub refused this machine's agent token \(401: .*\): re-run pwbridge setup --hub https:\/\/127\.0\.0\.1:\d+/);
    assert.ok(s.hub.refused.retryAt - s.hub.refused.at >= 5 * 60_000 - 1, 'the next try is minutes away');
    const bob = h!.install.state.journal.pendingFor('bob');
    assert.equal(bob.length, 1, 'kept in the journal');
    assert.ok(bob[0].nextAttemptAt - Date.now() > 4 * 60_000, `held for minutes, not retried hot (${bob[0].nextAttemptAt - Date.now()} ms)`);
    const refusedOnce = answered(401) - refusedBefore;
    assert.ok(refusedOnce >= 1 && refusedOnce <= 3, `401s while finding out: ${refusedOnce}`);

    // Everything the agent does now is held back without a request: more captures, reports, a reconcile pass.
    for (let i = 0; i < 5; i++) {
      await c.send({ account: `carol${i}`, encoding: Encoding.raw, password: canary('carol') }).acked;
      await h!.bridge.drain();
      assert.equal(await h!.bridge.reportMachine(), false);
    }
    await h!.bridge.reconcileNow().catch(() => undefined);
    await sleep(1500);
    assert.equal(answered(401) - refusedBefore, refusedOnce, 'no request reached the hub with the refused token');
    assert.equal(h!.install.state.journal.depth(), 1 + 1 + 5, 'the held entry, bob and five carols');
    assert.equal((logLines().match(/"msg":"the hub refused this machine's agent token/g) ?? []).length, 1, 'one error log, not one per held request');
    const text = await runCli(['status'], { dataDir: dir });
    assert.match(text.stdout, /hub: +https:\/\/127\.0\.0\.1:\d+: REFUSED since .*re-run pwbridge setup/);
    c.destroy();

    // A new setup stores a new token; the running agent picks it up at its next request (the heartbeat's).
    await setup();
    assert.equal(await h!.bridge.reportMachine(), true);
    await h!.bridge.drain();
    const admin = t.client(adminToken);
    for (const account of ['bob', 'carol0', 'carol4']) {
      const found = await admin.request('POST', '/api/vault/findCredential', { client: 'Acme', username: `WS01\\${account}` });
      assert.ok(found.body.credential, `${account} delivered after the new setup`);
    }
    const read = await admin.request('POST', '/api/vault/readPassword', { credentialId: (await admin.request('POST', '/api/vault/findCredential', { client: 'Acme', username: 'WS01\\bob' })).body.credential.id });
    assert.equal(Buffer.from(read.body.password, 'base64').toString(), pw.toString());
    // Every held entry fell due when the hub took the token again, the one received "in an hour" too
    // (its made-up sealed part cannot be opened: it is refused, not retried).
    assert.equal(h!.install.state.journal.depth(), 0);
    assert.equal((await status()).hub.refused, undefined);
    assert.match(logLines(), /the hub accepts this machine's agent token again; \d+ held journal entr/);
    await pollUntil('depth 0 on the hub', async () => ((await row())?.journalDepth === 0 ? true : undefined), 10_000);
    // No token, no password in the agent's log or the hub's.
    const token = fs.readFileSync(h!.install.paths.agentToken, 'utf8').trim();
    for (const text2 of [logLines(), fs.readFileSync(t.logFile, 'utf8')]) {
      assert.equal(text2.includes(token), false);
      assert.equal(text2.includes(pw.toString()), false);
    }
  });

  it('a service that starts with a refused token starts anyway (no restart loop), says so, and resumes after setup', async () => {
    await h!.stop();
    const again = await t.client(adminToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
    assert.equal(again.status, 200);
    h = await startHarness({ dir });
    const s = await pollUntil('the refusal in status', async () => (await status()).hub.refused, 5_000);
    assert.match(s.reason, /refused this machine's agent token \(401/);
    const c = await h.connect();
    await c.send({ account: 'dave', encoding: Encoding.raw, password: canary('dave') }).acked;
    c.destroy();
    await h.bridge.drain();
    assert.equal(h.install.state.journal.pendingFor('dave').length, 1, 'kept');
    await setup();
    assert.equal(await h.bridge.reportMachine(), true);
    await h.bridge.drain();
    const found = await t.client(adminToken).request('POST', '/api/vault/findCredential', { client: 'Acme', username: 'WS01\\dave' });
    assert.ok(found.body.credential, 'delivered after the new setup');
    assert.equal((await status()).hub.refused, undefined);
  });
});
