// Silent deployment, as an RMM tool does it: the MSI with PWB_HUB, PWB_CLIENT, PWB_FINGERPRINT and
// PWB_ENROL_FILE installs and enrols the machine with a real hub (`pwbridge hub` on this Linux host, which
// Wine's TCP reaches), with no one at the machine. The enrolment file holds a hub user's password: it is
// refused while others may read it, and removed once read. After a reboot a change reported to LSA lands in
// the hub's vault, not the embedded one.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpVault } from '../../src/vault/http.vault';
import { HubClient } from '../../src/vault/hub-client';
import { assertExit, runCli, type LiveCli } from '../cli/cli';
import { loginToken, startHubProcess } from '../helpers/hub-process';
import { LsaStandIn, STANDIN_EXE } from '../helpers/lsa-standin';
import { buildMsi } from '../helpers/msi';
import { filesUnder, makeTempDir } from '../helpers/tmp';
import { WineMachine } from '../helpers/wine-machine';
import { windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const APP = 'C:\\Program Files\\pwbridge';
const DATA = 'C:\\ProgramData\\pwbridge';
const ENROL = 'C:\\deploy\\enrol.txt';
const REBOOT_REQUIRED = 3010 & 0xff;
const ADMIN_PW = `admin-${randomBytes(8).toString('hex')}`;
const RMM_PW = `rmm-canary-${randomBytes(8).toString('hex')}`;
const CAPTURED_PW = `captured-canary-${randomBytes(8).toString('hex')}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Windows silent deployment: the MSI with PWB_HUB enrols the machine with a real hub (under Wine)', function () {
  this.timeout(600_000);
  let m: WineMachine;
  let hubDir: ReturnType<typeof makeTempDir>;
  let hub: LiveCli;
  let url: string;
  let fingerprint: string;
  let admin: HttpVault;

  const msiexec = (props: string[]) => m.run('msiexec', ['/i', winPath(buildMsi()), '/qn', '/norestart', '/l*v', 'C:\\msi.log',
    `PWB_HUB=${url}`, 'PWB_CLIENT=Acme', `PWB_FINGERPRINT=${fingerprint}`, `PWB_ENROL_FILE=${ENROL}`, ...props], 300_000);
  const enrolFile = () => m.hostPath(ENROL);

  before(async function () {
    // A Wine machine of its own; on Windows the workflow installs the MSI on the runner itself.
    if (process.platform === 'win32') skipBecause(this, 'not on Windows (Wine stands in for it here; the Windows workflow runs the real thing)');
    const why = windowsPartsMissing();
    if (why.skip) skipBecause(this, why.skip);
    assert.equal(why.fail, undefined, why.fail);
    assert.ok(fs.existsSync(STANDIN_EXE), `${STANDIN_EXE} is missing: npm run build:native`);
    buildMsi();
    hubDir = makeTempDir('pwbridge-deploy-hub-');
    const started = await startHubProcess(hubDir.dir, ADMIN_PW);
    hub = started.live;
    ({ url, fingerprint } = started);
    assertExit(await runCli(['vault', 'client', 'add', 'Acme', '--windows-sync', '--two-way-sync', '--auto-create'], { dataDir: hubDir.dir }), 0, 'client Acme');
    const token = await loginToken(started, 'admin', ADMIN_PW);
    const api = new HubClient({ url, fingerprint });
    const r = await api.request('POST', '/api/users', { name: 'rmm', role: 'operator', permissions: ['setup-ad-sync'], password: Buffer.from(RMM_PW).toString('base64') }, token);
    api.close();
    assert.equal(r.status, 200, JSON.stringify(r.body));
    admin = HttpVault.open({ url, fingerprint }, token);
    m = WineMachine.create();
    fs.mkdirSync(path.dirname(enrolFile()), { recursive: true });
  });
  after(async () => {
    m?.destroy();
    await admin?.close();
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.done;
    }
    hubDir?.cleanup();
  });

  it('refuses an enrolment file others may read, installs nothing, and leaves the file for its owner to see', async () => {
    fs.writeFileSync(enrolFile(), `rmm\n${RMM_PW}\n`, { mode: 0o644 });
    fs.chmodSync(enrolFile(), 0o644); // Wine shows "other" bits as an Everyone entry
    const r = await msiexec([]);
    assert.ok(r.code !== 0 && r.code !== REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, /--enrol-file: C:\\deploy\\enrol\.txt has an entry \(A;;0x1200a9;;;WD\) that gives Everyone \(S-1-1-0\) read and execute\. It holds a hub user's password: write it where only SYSTEM and the administrators can read it\n/);
    assert.ok(fs.existsSync(enrolFile()), 'a refused file is left where it is');
    // Windows Installer keeps nothing the step printed: the reason is in %TEMP%\pwbridge-install.log.
    const logs = filesUnder(m.prefix).filter((f) => path.basename(f) === 'pwbridge-install.log');
    assert.equal(logs.length, 1, `pwbridge-install.log: ${logs.join(', ')}`);
    assert.match(fs.readFileSync(logs[0], 'utf8'), /pwbridge install stopped: --enrol-file: C:\\deploy\\enrol\.txt has an entry/);
    assert.ok(!fs.existsSync(m.hostPath(`${APP}\\node.exe`)), 'the package was rolled back');
    assert.equal(m.regQuery('HKLM\\SOFTWARE\\pwbridge', 'ServiceSid'), undefined);
  });

  it('with a private enrolment file it installs, enrols into the client, removes the file, and the service runs with the hub', async () => {
    fs.chmodSync(enrolFile(), 0o600);
    const r = await msiexec([]);
    assert.equal(r.code, REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /machine "VM" enrolled into client "Acme" at https:\/\/127\.0\.0\.1:\d+/);
    assert.match(r.stdout, /the service pwbridge runs again, now with the hub/);
    assert.ok(!fs.existsSync(enrolFile()), 'the enrolment file is still there');
    const config = JSON.parse(fs.readFileSync(m.hostPath(`${DATA}\\config.json`), 'utf8')) as { client: string; hub: { url: string; fingerprint: string } };
    assert.deepEqual([config.client, config.hub.url, config.hub.fingerprint], ['Acme', url, fingerprint]);
    const enrolled = await admin.queryEvents({ kind: 'agent-enrolled' });
    assert.ok(enrolled.some((e) => /machine "VM" enrolled into client "Acme" by user "rmm"/.test(e.reason ?? '')), JSON.stringify(enrolled));
  });

  it('after a reboot, a change reported to LSA is created in the hub\'s vault with its password', async () => {
    m.reboot();
    const lsa = await LsaStandIn.start(m);
    assert.ok(lsa.boot.includes('loaded pwbridge_filter'), lsa.boot.join(' | '));
    const end = Date.now() + 120_000;
    for (;;) {
      const st = await m.run(`${APP}\\bin\\pwbridge.cmd`, ['status', '--json']);
      if (st.code === 0 && (JSON.parse(st.stdout) as { filter: { state: string } }).filter.state === 'active') break;
      if (Date.now() > end) throw new Error(`the filter did not become active: ${st.stdout}${st.stderr}`);
      await sleep(1000);
    }
    assert.equal((await lsa.change('erin', 1102, CAPTURED_PW)).accepted, true);
    let created;
    for (let i = 0; i < 60 && !created; i++) {
      created = await admin.findCredential('Acme', 'VM\\erin');
      if (!created) await sleep(1000);
    }
    assert.ok(created, 'VM\\erin never reached the hub');
    assert.equal((await admin.readPassword(created.id)).toString('utf8'), CAPTURED_PW);
    lsa.exit();
  });

  it('neither the hub user\'s password nor the captured one is in any file of the machine', () => {
    const needles = [RMM_PW, CAPTURED_PW].flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
    const hits = filesUnder(m.prefix).filter((f) => {
      let bytes: Buffer;
      try { bytes = fs.readFileSync(f); } catch { return false; }
      return needles.some((n) => bytes.includes(n));
    });
    assert.deepEqual(hits, []);
  });
});
