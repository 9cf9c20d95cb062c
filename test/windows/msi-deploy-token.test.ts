// Silent deployment with an enrolment token: the MSI with PWB_HUB, PWB_FINGERPRINT and PWB_ENROL_TOKEN_FILE
// (no PWB_CLIENT, no user's password anywhere) installs and enrols the machine with a real hub (`pwbridge
// hub` on this Linux host, which Wine's TCP reaches) into the token's client, taking one use; the token file
// is removed once read, and the token is in no file of the machine.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HubClient } from '../../src/vault/hub-client';
import { assertExit, runCli, type LiveCli } from '../cli/cli';
import { loginToken, startHubProcess } from '../helpers/hub-process';
import { buildMsi } from '../helpers/msi';
import { filesUnder, makeTempDir } from '../helpers/tmp';
import { WineMachine } from '../helpers/wine-machine';
import { windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const DATA = 'C:\\ProgramData\\pwbridge';
const TOKEN_FILE = 'C:\\deploy\\enrol.token';
const REBOOT_REQUIRED = 3010 & 0xff;
const ADMIN_PW = `admin-${randomBytes(8).toString('hex')}`;

describe('Windows silent deployment: the MSI with PWB_ENROL_TOKEN_FILE enrols the machine with a real hub (under Wine)', function () {
  this.timeout(600_000);
  let m: WineMachine;
  let hubDir: ReturnType<typeof makeTempDir>;
  let hub: LiveCli;
  let url: string;
  let fingerprint: string;
  let session: string;
  let token: string;
  let tokenId: number;

  const api = async (method: 'GET' | 'POST', p: string, body?: unknown) => {
    const c = new HubClient({ url, fingerprint });
    try {
      return await c.request(method, p, body, session);
    } finally {
      c.close();
    }
  };

  before(async function () {
    if (process.platform === 'win32') skipBecause(this, 'not on Windows (Wine stands in for it here)');
    const why = windowsPartsMissing();
    if (why.skip) skipBecause(this, why.skip);
    assert.equal(why.fail, undefined, why.fail);
    buildMsi();
    hubDir = makeTempDir('pwbridge-deploy-token-hub-');
    const started = await startHubProcess(hubDir.dir, ADMIN_PW);
    hub = started.live;
    ({ url, fingerprint } = started);
    assertExit(await runCli(['vault', 'client', 'add', 'Acme', '--windows-sync'], { dataDir: hubDir.dir }), 0, 'client Acme');
    session = await loginToken(started, 'admin', ADMIN_PW);
    const made = await api('POST', '/api/enrolment-tokens', { client: 'Acme', uses: 3 });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    ({ token } = made.body);
    tokenId = made.body.enrolmentToken.id;
    m = WineMachine.create();
    fs.mkdirSync(path.dirname(m.hostPath(TOKEN_FILE)), { recursive: true });
  });
  after(async () => {
    m?.destroy();
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.done;
    }
    hubDir?.cleanup();
  });

  it('installs, enrols into the token\'s client with one use, removes the file, and the service runs with the hub', async () => {
    fs.writeFileSync(m.hostPath(TOKEN_FILE), `${token}\r\n`, { mode: 0o600 });
    const r = await m.run('msiexec', ['/i', winPath(buildMsi()), '/qn', '/norestart', '/l*v', 'C:\\msi.log',
      `PWB_HUB=${url}`, `PWB_FINGERPRINT=${fingerprint}`, `PWB_ENROL_TOKEN_FILE=${TOKEN_FILE}`], 300_000);
    assert.equal(r.code, REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /machine "VM" enrolled into client "Acme" at https:\/\/127\.0\.0\.1:\d+/);
    assert.match(r.stdout, /the service pwbridge runs again, now with the hub/);
    assert.ok(!fs.existsSync(m.hostPath(TOKEN_FILE)), 'the token file is still there');
    const config = JSON.parse(fs.readFileSync(m.hostPath(`${DATA}\\config.json`), 'utf8')) as { client: string; hub: { url: string } };
    assert.deepEqual([config.client, config.hub.url], ['Acme', url]);
    const list = await api('GET', '/api/enrolment-tokens');
    assert.equal(list.body.enrolmentTokens.find((t: { id: number }) => t.id === tokenId).usesLeft, 2);
    const events = await api('POST', '/api/vault/queryEvents', { query: { kind: 'agent-enrolled' } });
    assert.ok((events.body.events as Array<{ reason?: string }>).some((e) => /machine "VM" enrolled into client "Acme" by enrolment token #\d+/.test(e.reason ?? '')),
      JSON.stringify(events.body));
  });

  it('the token is in no file of the machine and in no output', () => {
    const needle = Buffer.from(token.slice(4));
    const holding = filesUnder(m.prefix).filter((f) => {
      try {
        return fs.statSync(f).size < 50_000_000 && fs.readFileSync(f).includes(needle);
      } catch {
        return false;
      }
    });
    assert.deepEqual(holding, []);
    assert.ok(!hub.stdout().includes(token) && !hub.stderr().includes(token));
  });
});
