// The hub as an administrator runs it: `pwbridge hub` and `pwbridge run` as child processes, `pwbridge
// setup` and the vault commands through the real binary, a capture change through the real socket. Then
// a canary search: no password or token in the hub's or the agent's logs, events, argv, environment,
// output or files (the agent token's own root-only file excepted).
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Encoding } from '../../src/protocol/constants';
import { tokenHash } from '../../src/hub/passwords';
import { HttpVault } from '../../src/vault/http.vault';
import { HubClient } from '../../src/vault/hub-client';
import { CaptureClient } from '../helpers/capture-client';
import { filesUnder, makeTempDir } from '../helpers/tmp';
import {
  assertExit, assertRefused, findSecret, jsonLines, listing, modeOf, pollUntil, runCli, startCli, transcript, type LiveCli,
} from '../cli/cli';
import { startHubProcess } from '../helpers/hub-process';

const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;
const ADMIN_PW = canary('admin');
const OP_PW = canary('operator');
const VIEWER_PW = canary('viewer');
const CRED_PW = canary('cred');
const CAPTURED_PW = canary('captured');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function bootId(): Buffer {
  return Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex');
}

async function stop(live: LiveCli | undefined): Promise<void> {
  if (!live || live.child.exitCode !== null || live.child.signalCode !== null) return;
  live.child.kill('SIGTERM');
  await live.done;
}

describe('pwbridge hub, setup and run (the real CLI, child processes)', function () {
  this.timeout(180_000);
  let hubDir: ReturnType<typeof makeTempDir>;
  let agentDir: ReturnType<typeof makeTempDir>;
  let pamDir: ReturnType<typeof makeTempDir>;
  let hub: LiveCli;
  let service: LiveCli | undefined;
  let url: string;
  let fingerprint: string;
  let admin: HttpVault;
  let firstOutput = 0;
  const procSnapshots: Buffer[] = [];
  const setupArgs = (...extra: string[]) => ['setup', '--hub', url, '--insecure-fingerprint', fingerprint, ...extra];
  const agent = (args: string[], stdin?: string) => runCli(args, { dataDir: agentDir.dir, stdin });

  /** argv and environment of a running child, for the canary search. */
  function snapshotProc(pid: number | undefined): void {
    for (const f of ['cmdline', 'environ']) procSnapshots.push(fs.readFileSync(`/proc/${pid}/${f}`));
  }

  before(async () => {
    firstOutput = transcript.length;
    hubDir = makeTempDir('pwbridge-hub-e2e-');
    agentDir = makeTempDir('pwbridge-agent-e2e-');
    pamDir = makeTempDir('pwbridge-agent-pam-');
    fs.writeFileSync(path.join(agentDir.dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h', pamDir: pamDir.dir }));

    const started = await startHubProcess(hubDir.dir, ADMIN_PW);
    hub = started.live;
    ({ url, fingerprint } = started);
    assert.match(hub.stdout(), /first admin "admin" created with the password from stdin/);
    snapshotProc(hub.child.pid);

    // The hub's data dir holds its SQLite vault: the vault commands work on it while the hub runs.
    const onHub = (args: string[], stdin?: string) => runCli(args, { dataDir: hubDir.dir, stdin });
    assertExit(await onHub(['vault', 'client', 'add', 'Acme', '--windows-sync', '--two-way-sync', '--auto-create']), 0, 'client add Acme');
    assertExit(await onHub(['vault', 'client', 'add', 'Globex', '--windows-sync']), 0, 'client add Globex');
    assertExit(await onHub(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'WS01\\alice', '--mode', 'report'], `${CRED_PW}\n`), 0, 'cred WS01\\alice');
    assertExit(await onHub(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'WS02\\bob', '--mode', 'report'], `${CRED_PW}\n`), 0, 'cred WS02\\bob');

    const anon = new HubClient({ url, fingerprint });
    const login = await anon.request('POST', '/api/login', { user: 'admin', password: b64(ADMIN_PW), bearer: true });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    for (const [name, role, permissions, pw] of [['olivia', 'operator', ['setup-ad-sync'], OP_PW], ['victor', 'viewer', [], VIEWER_PW]] as const) {
      const r = await anon.request('POST', '/api/users', { name, role, permissions, password: b64(pw) }, login.body.token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    anon.close();
    admin = HttpVault.open({ url, fingerprint }, login.body.token);
  });

  after(async () => {
    await admin?.close();
    await stop(service);
    await stop(hub);
    hubDir?.cleanup();
    agentDir?.cleanup();
    pamDir?.cleanup();
  });

  it('setup refuses a user without Setup AD Sync, and writes nothing', async () => {
    const before = listing(agentDir.dir);
    const r = await agent(setupArgs('--client', 'Acme'), `victor\n${VIEWER_PW}\n`);
    assertExit(r, 1, 'setup as a viewer');
    assert.match(r.stderr, /refused to enrol machine "WS01": user "victor" \(viewer\) may not enrol machine "WS01" \(it needs the permission setup-ad-sync\)/);
    assert.deepEqual(listing(agentDir.dir), before);
  });

  it('setup refuses a hub whose certificate is not the fingerprint given, before logging in', async () => {
    const requests = () => fs.readFileSync(path.join(hubDir.dir, 'log', 'hub.log'), 'utf8').split('\n').filter((l) => /"path":"\/api\/login"/.test(l)).length;
    const logins = requests();
    const before = listing(agentDir.dir);
    const wrong = `${fingerprint.slice(0, -2)}${fingerprint.endsWith('00') ? '11' : '00'}`;
    const r = await agent(['setup', '--hub', url, '--client', 'Acme', '--insecure-fingerprint', wrong], `olivia\n${OP_PW}\n`);
    assertExit(r, 1, 'setup with a wrong fingerprint');
    assert.match(r.stderr, /presented a certificate with SHA-256 fingerprint .* not the one pinned at setup/);
    assert.equal(requests(), logins, 'no login reached the hub');
    assert.deepEqual(listing(agentDir.dir), before);
  });

  it('setup without --client, not at a terminal, lists the hub\'s clients and changes nothing', async () => {
    const r = await agent(setupArgs(), `olivia\n${OP_PW}\n`);
    assertRefused(r, 'setup without --client', /--client: name the client this machine serves; the hub has: "Acme", "Globex"/);
    assert.ok(!fs.existsSync(path.join(agentDir.dir, 'keys', 'agent.token')));
  });

  it('setup refuses arguments it cannot use: http://, no trust given, a malformed fingerprint', async () => {
    assertRefused(await agent(['setup', '--hub', url.replace('https', 'http'), '--insecure-fingerprint', fingerprint]), 'http', /https:\/\/ only/);
    assertRefused(await agent(['setup', '--hub', url]), 'no trust', /--insecure-fingerprint SHA256 .* or --ca FILE/);
    assertRefused(await agent(['setup', '--hub', url, '--insecure-fingerprint', 'abc']), 'bad fingerprint', /not a SHA-256 fingerprint/);
  });

  let agentToken: string;
  it('setup enrols the machine: token 0600 in keys/, config.json gets hub, client and machine (other fields kept)', async () => {
    const r = await agent(setupArgs('--client', 'acme'), `olivia\n${OP_PW}\n`);
    assertExit(r, 0, 'setup');
    assert.match(r.stdout, /machine "WS01" enrolled into client "Acme" at https:\/\/127\.0\.0\.1:\d+/);
    const tokenFile = path.join(agentDir.dir, 'keys', 'agent.token');
    assert.equal(modeOf(tokenFile), '0600');
    assert.equal(modeOf(path.join(agentDir.dir, 'keys')), '0700');
    agentToken = fs.readFileSync(tokenFile, 'utf8').trim();
    assert.match(agentToken, /^pwa_[A-Za-z0-9_-]{43}$/);
    const config = JSON.parse(fs.readFileSync(path.join(agentDir.dir, 'config.json'), 'utf8'));
    assert.deepEqual(config, { machine: 'WS01', reconcileInterval: '1h', pamDir: pamDir.dir, client: 'Acme', hub: { url, fingerprint } });
    const enrolled = await admin.queryEvents({ kind: 'agent-enrolled' });
    assert.equal(enrolled.length, 1);
    assert.match(enrolled[0].reason!, /machine "WS01" enrolled into client "Acme" by user "olivia" \(operator\)/);
    // The session setup opened was closed again: only the admin's session remains.
    const logins = await admin.queryEvents({ kind: 'login', account: 'olivia' });
    assert.ok(logins.some((e) => e.outcome === 'ok'));
  });

  it('the agent\'s vault commands now go to the hub, within the token\'s scope', async () => {
    const creds = jsonLines<{ username: string }>(await agent(['vault', 'cred', 'list', '--client', 'Acme', '--json']));
    assert.deepEqual(creds.map((c) => c.username), ['WS01\\alice']);
    const other = await agent(['vault', 'cred', 'list', '--client', 'Globex']);
    assertExit(other, 1, 'another client');
    assert.match(other.stderr, /hub refused getClient: agent "WS01" \(client "Acme"\) may not read client "Globex"/);
    const refusals = await admin.queryEvents({ kind: 'access-refused' });
    assert.ok(refusals.some((e) => e.machine === 'WS01' && /client "Globex"/.test(e.reason!)), JSON.stringify(refusals));
  });

  it('pwbridge run uses the hub: it records the machine, and a captured change auto-creates WS01\\user there', async () => {
    service = startCli(['run'], agentDir.dir);
    await service.waitFor('the service to start', (_o, err) => /serving .*capture\.sock/.test(err));
    snapshotProc(service.child.pid);
    const c = await CaptureClient.connect(path.join(agentDir.dir, 'run', 'capture.sock'), {
      secret: fs.readFileSync(path.join(agentDir.dir, 'keys', 'capture.secret')),
      bridgePub: fs.readFileSync(path.join(agentDir.dir, 'keys', 'bridge.pub')),
      bootId: bootId(),
      machine: 'WS01',
    });
    try {
      const sent = c.send({ account: 'carl', encoding: Encoding.raw, password: Buffer.from(CAPTURED_PW, 'utf8') });
      assert.equal((await sent.acked).status, 0);
    } finally {
      c.destroy();
    }
    const created = await pollUntil('WS01\\carl on the hub', () => admin.findCredential('Acme', 'WS01\\carl'), 15_000);
    assert.equal((await admin.readPassword(created.id)).toString('utf8'), CAPTURED_PW);
    const started = await pollUntil('service-started on the hub', async () =>
      (await admin.queryEvents({ kind: 'service-started', machine: 'WS01' }))[0], 10_000);
    assert.equal(started.machine, 'WS01');
    assert.ok((await admin.queryEvents({ kind: 'credential-created', machine: 'WS01' })).length === 1);
    await stop(service);
    assertExit(await service.done, 0, 'run stopped by SIGTERM');
  });

  it('no password or token in any log, event, argv, environment, output or file (the token file aside)', async () => {
    const secrets = [ADMIN_PW, OP_PW, VIEWER_PW, CRED_PW, CAPTURED_PW, agentToken];
    const events = Buffer.from(JSON.stringify(await admin.queryEvents({ limit: 100_000 })));
    const outputs = transcript.slice(firstOutput).flatMap((r) => [r.stdoutBytes, r.stderrBytes]);
    const hubOut = [Buffer.from(hub.stdout()), Buffer.from(hub.stderr())];
    const files = [...filesUnder(hubDir.dir), ...filesUnder(agentDir.dir)].filter((f) => f !== path.join(agentDir.dir, 'keys', 'agent.token'));
    assert.ok(files.some((f) => f.endsWith('hub.log')) && files.some((f) => f.endsWith('pwbridge.log')) && files.some((f) => f.endsWith('vault.db')));
    const places: Array<[string, Buffer]> = [
      ['events', events],
      ...outputs.map((b, i): [string, Buffer] => [`cli output ${i}`, b]),
      ...hubOut.map((b, i): [string, Buffer] => [`hub output ${i}`, b]),
      ...procSnapshots.map((b, i): [string, Buffer] => [`/proc argv or environment ${i}`, b]),
      ...files.map((f): [string, Buffer] => [f, fs.readFileSync(f)]),
    ];
    for (const [where, bytes] of places) {
      for (const s of secrets) {
        const found = findSecret(bytes, s);
        assert.equal(found, undefined, `${s.slice(0, 12)}… found in ${where} (${found})`);
      }
    }
    // The search reads what it searches: the hub's database holds the token's hash, and names in clear.
    const hubDb = Buffer.concat(filesUnder(hubDir.dir).filter((f) => /vault\.db/.test(f)).map((f) => fs.readFileSync(f)));
    assert.ok(hubDb.includes(Buffer.from(tokenHash(agentToken))), 'the token\'s hash is in the hub database');
    assert.ok(hubDb.includes(Buffer.from('WS01\\carl')));
  });

  it('a hub started without --admin-password-stdin generates the first admin\'s password and prints it once', async () => {
    const dir = makeTempDir('pwbridge-hub-gen-');
    try {
      const first = startCli(['hub', '--listen', '127.0.0.1:0'], dir.dir);
      await first.waitFor('the hub to listen', (_o, err) => /certificate SHA-256 fingerprint/.test(err));
      const pw = /its password, shown only this once: (\S+)/.exec(first.stdout())![1];
      assert.match(pw, /^[A-Za-z0-9]{24}$/);
      const u = /hub listening on (https:\/\/127\.0\.0\.1:\d+) /.exec(first.stderr())![1];
      const fp = /fingerprint ([0-9A-F:]{95})/.exec(first.stderr())![1];
      const c = new HubClient({ url: u, fingerprint: fp });
      assert.equal((await c.request('POST', '/api/login', { user: 'admin', password: b64(pw), bearer: true })).status, 200);
      c.close();
      await stop(first);
      const again = startCli(['hub', '--listen', '127.0.0.1:0'], dir.dir);
      await again.waitFor('the hub to listen again', (_o, err) => /certificate SHA-256 fingerprint/.test(err));
      assert.doesNotMatch(again.stdout(), /password/, 'printed once only');
      assert.match(again.stderr(), new RegExp(fp), 'the same certificate');
      await stop(again);
      for (const f of filesUnder(dir.dir)) assert.equal(findSecret(fs.readFileSync(f), pw), undefined, `the generated password in ${f}`);
    } finally {
      dir.cleanup();
    }
  });
});
