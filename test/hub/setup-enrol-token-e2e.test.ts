// `pwbridge setup --enrol-token-file` through the real binary against `pwbridge hub` as a child process:
// an admin makes a 1-use enrolment token, a file readable by others is refused before the hub is asked,
// --client beside the file is refused, the 0600 file enrols the machine (no login), and the used-up token
// is refused by the hub with the reason. No token in the output, the hub's log or events.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HubClient } from '../../src/vault/hub-client';
import { makeTempDir } from '../helpers/tmp';
import { assertExit, assertRefused, findSecret, listing, modeOf, runCli, type LiveCli } from '../cli/cli';
import { loginToken, startHubProcess } from '../helpers/hub-process';
import { skipBecause } from '../helpers/skip';

const ADMIN_PW = `admin-canary-${randomBytes(8).toString('hex')}`;

describe('pwbridge setup --enrol-token-file (the real CLI against a hub process)', function () {
  this.timeout(180_000);
  let hubDir: ReturnType<typeof makeTempDir>;
  let agentDir: ReturnType<typeof makeTempDir>;
  let secretDir: ReturnType<typeof makeTempDir>;
  let hub: LiveCli;
  let url: string;
  let fingerprint: string;
  let session: string;
  let enrolToken: string;
  let tokenFile: string;
  const outputs: string[] = [];
  const setup = async (...extra: string[]) => {
    const r = await runCli(['setup', '--hub', url, '--insecure-fingerprint', fingerprint, ...extra], { dataDir: agentDir.dir, stdin: '' });
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  before(async () => {
    hubDir = makeTempDir('pwbridge-hub-enrol-');
    agentDir = makeTempDir('pwbridge-agent-enrol-');
    secretDir = makeTempDir('pwbridge-enrol-token-');
    fs.writeFileSync(path.join(agentDir.dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h' }));
    const started = await startHubProcess(hubDir.dir, ADMIN_PW);
    hub = started.live;
    ({ url, fingerprint } = started);
    assertExit(await runCli(['vault', 'client', 'add', 'Acme', '--windows-sync'], { dataDir: hubDir.dir }), 0, 'client add Acme');
    session = await loginToken({ url, fingerprint }, 'admin', ADMIN_PW);
    const c = new HubClient({ url, fingerprint });
    const made = await c.request('POST', '/api/enrolment-tokens', { client: 'Acme', uses: 1 }, session);
    c.close();
    assert.equal(made.status, 200, JSON.stringify(made.body));
    enrolToken = made.body.token;
    tokenFile = path.join(secretDir.dir, 'enrol.token');
    fs.writeFileSync(tokenFile, `${enrolToken}\n`, { mode: 0o644 });
    fs.chmodSync(tokenFile, 0o644);
  });

  after(async () => {
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.done;
    }
    hubDir?.cleanup();
    agentDir?.cleanup();
    secretDir?.cleanup();
  });

  it('a token file readable by others is refused before the hub is asked, and nothing is written', async () => {
    const before = listing(agentDir.dir);
    const r = await setup('--enrol-token-file', tokenFile);
    assertRefused(r, 'setup with a 0644 token file', /--enrol-token-file: .*enrol\.token has mode 0644, readable or writable by others \(it must be 0600\)/);
    assert.deepEqual(listing(agentDir.dir), before);
  });

  it('--client beside --enrol-token-file is refused: the token names its client', async () => {
    fs.chmodSync(tokenFile, 0o600);
    const r = await setup('--enrol-token-file', tokenFile, '--client', 'Acme');
    assertRefused(r, 'setup with both', /--client and --enrol-token-file: give one; an enrolment token names its client/);
  });

  it('a file that does not hold a token is refused without echoing it', async () => {
    const junk = path.join(secretDir.dir, 'junk.token');
    fs.writeFileSync(junk, 'not-a-token-canary\n', { mode: 0o600 });
    const r = await setup('--enrol-token-file', junk);
    assertRefused(r, 'setup with junk', /does not hold an enrolment token/);
    assert.ok(!r.stderr.includes('not-a-token-canary'));
  });

  it('a 0600 file owned by another user is refused (it could have been swapped or read by them)', async function () {
    if (process.geteuid?.() !== 0) skipBecause(this, 'needs root (chown to another user; CI is root)');
    const other = path.join(secretDir.dir, 'other.token');
    fs.writeFileSync(other, `${enrolToken}\n`, { mode: 0o600 });
    fs.chownSync(other, 65534, 65534);
    const r = await setup('--enrol-token-file', other);
    assertRefused(r, 'setup with a token file of uid 65534', /other\.token is owned by uid 65534, not by the user running setup \(uid 0\)/);
    fs.rmSync(other);
  });

  it('the 0600 file enrols the machine (under --machine) into the token\'s client, with no login', async () => {
    const hubLog = () => fs.readFileSync(path.join(hubDir.dir, 'log', 'hub.log'), 'utf8');
    const logins = () => hubLog().split('\n').filter((l) => /"path":"\/api\/login"/.test(l)).length;
    const loginsBefore = logins();
    const r = await setup('--enrol-token-file', tokenFile, '--machine', 'WS77');
    assertExit(r, 0, 'setup with the token');
    assert.match(r.stdout, /machine "WS77" enrolled into client "Acme"/);
    const config = JSON.parse(fs.readFileSync(path.join(agentDir.dir, 'config.json'), 'utf8'));
    assert.equal(config.client, 'Acme');
    assert.equal(config.machine, 'WS77');
    const agentTokenFile = path.join(agentDir.dir, 'keys', 'agent.token');
    assert.equal(modeOf(agentTokenFile), '0600');
    const agentToken = fs.readFileSync(agentTokenFile, 'utf8').trim();
    const c = new HubClient({ url, fingerprint });
    try {
      assert.deepEqual((await c.request('GET', '/api/me', undefined, agentToken)).body, { agent: { client: 'Acme', machine: 'WS77' } });
    } finally {
      c.close();
    }
    assert.ok(loginsBefore >= 1, 'the admin\'s login is in the log: the count below can see one');
    assert.equal(logins(), loginsBefore, 'setup with a token logs no one in');
  });

  it('the used-up token is refused by the hub, saying so', async () => {
    const r = await setup('--enrol-token-file', tokenFile, '--machine', 'WS78');
    assertExit(r, 1, 'setup with a used-up token');
    assert.match(r.stderr, /the hub refused to enrol machine "WS78": the enrolment token is used up .*\(HTTP 401\)/);
  });

  it('the enrolment token is in no output, no hub log line, no event', async () => {
    const c = new HubClient({ url, fingerprint });
    const events = await c.request('POST', '/api/vault/queryEvents', { query: { limit: 1000 } }, session);
    c.close();
    assert.equal(events.status, 200);
    const kinds = (events.body.events as Array<{ kind: string }>).map((e) => e.kind);
    assert.ok(kinds.includes('enrolment-token-created') && kinds.includes('enrolment-token-refused') && kinds.includes('agent-enrolled'), kinds.join());
    const hay = Buffer.concat([
      Buffer.from(outputs.join('\n')), Buffer.from(JSON.stringify(events.body)), fs.readFileSync(path.join(hubDir.dir, 'log', 'hub.log')),
      Buffer.from(hub.stdout()), Buffer.from(hub.stderr()),
    ]);
    assert.equal(findSecret(hay, enrolToken), undefined);
    assert.equal(findSecret(hay, enrolToken.slice(4, 24)), undefined);
  });
});
