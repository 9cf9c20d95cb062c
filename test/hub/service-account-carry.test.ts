// The vendor guide's step 18 after a Windows install: "confirm the newly created Windows Service account has
// been populated". `pwbridge install` on Windows stores the service account's credential in the embedded
// vault (the machine has no hub yet) and records it in install.json; enrolling later with `pwbridge setup`
// carries it into the hub's vault. The Windows install itself runs under Wine elsewhere, where Wine's SAM
// keeps no account and so no credential: here the data dir is the one such an install leaves (the embedded
// vault through the real CLI, install.json as windows-install.ts writes it), and setup is the real binary.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpVault } from '../../src/vault/http.vault';
import { assertExit, runCli, type LiveCli } from '../cli/cli';
import { loginToken, startHubProcess } from '../helpers/hub-process';
import { makeTempDir } from '../helpers/tmp';

const ADMIN_PW = `admin-${randomBytes(8).toString('hex')}`;
const SERVICE_PW = `svc-canary-${randomBytes(8).toString('hex')}`;

describe('pwbridge setup carries the service account\'s credential from the embedded vault to the hub', function () {
  this.timeout(120_000);
  let hubDir: ReturnType<typeof makeTempDir>;
  let hub: LiveCli;
  let url: string;
  let fingerprint: string;
  let admin: HttpVault;
  const dirs: Array<ReturnType<typeof makeTempDir>> = [];

  /** A data dir as a Windows install of machine `machine` leaves it: the credential in the embedded vault. */
  async function installedMachine(machine: string, recordedUsername = `${machine}\\pwbridge`): Promise<string> {
    const d = makeTempDir('pwbridge-carry-');
    dirs.push(d);
    fs.writeFileSync(path.join(d.dir, 'config.json'), JSON.stringify({ machine }));
    const local = (args: string[], stdin?: string) => runCli(args, { dataDir: d.dir, stdin });
    assertExit(await local(['vault', 'client', 'add', 'local', '--windows-sync', '--two-way-sync', '--auto-create']), 0, 'client local');
    assertExit(await local(['vault', 'cred', 'add', '--client', 'local', '--user', `${machine}\\pwbridge`, '--mode', 'report', '--sync', 'off'], `${SERVICE_PW}\n`), 0, 'the service account');
    fs.writeFileSync(path.join(d.dir, 'install.json'), JSON.stringify({
      version: 1, dataDir: d.dir,
      windows: { account: { name: 'pwbridge', sid: 'S-1-5-21-1-2-3-1001', rights: [] }, credential: { client: 'local', username: recordedUsername } },
    }));
    return d.dir;
  }
  const setup = (dataDir: string) => runCli(['setup', '--hub', url, '--insecure-fingerprint', fingerprint, '--client', 'Acme'],
    { dataDir, stdin: `admin\n${ADMIN_PW}\n` });
  const manifestOf = (dataDir: string) =>
    JSON.parse(fs.readFileSync(path.join(dataDir, 'install.json'), 'utf8')) as { windows: { credential: { client: string; username: string; vault?: string } } };

  before(async () => {
    hubDir = makeTempDir('pwbridge-carry-hub-');
    const started = await startHubProcess(hubDir.dir, ADMIN_PW);
    hub = started.live;
    ({ url, fingerprint } = started);
    assertExit(await runCli(['vault', 'client', 'add', 'Acme', '--windows-sync', '--two-way-sync'], { dataDir: hubDir.dir }), 0, 'client Acme');
    admin = HttpVault.open({ url, fingerprint }, await loginToken(started, 'admin', ADMIN_PW));
  });
  after(async () => {
    await admin?.close();
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.done;
    }
    hubDir?.cleanup();
    for (const d of dirs) d.cleanup();
  });

  it('the credential appears in the hub under the enrolled client, with its password and Windows Sync off', async () => {
    const dataDir = await installedMachine('WS31');
    const r = await setup(dataDir);
    assertExit(r, 0, 'setup');
    assert.match(r.stdout, /the service account's credential WS31\\pwbridge is now in the hub's vault \(client "Acme"/);
    const cred = await admin.findCredential('Acme', 'WS31\\pwbridge');
    assert.ok(cred, 'not in the hub');
    assert.equal(cred.windowsSync, false);
    assert.equal((await admin.readPassword(cred.id)).toString(), SERVICE_PW);
    assert.deepEqual(manifestOf(dataDir).windows.credential, { client: 'Acme', username: 'WS31\\pwbridge', vault: url });
    assert.ok(!r.stdout.includes(SERVICE_PW) && !r.stderr.includes(SERVICE_PW), 'the password was printed');
  });

  it('a second setup does not carry it again (install.json says where it is)', async () => {
    const dataDir = await installedMachine('WS32');
    assertExit(await setup(dataDir), 0, 'first setup');
    const before = await admin.findCredential('Acme', 'WS32\\pwbridge');
    const again = await setup(dataDir);
    assertExit(again, 0, 'second setup');
    assert.doesNotMatch(again.stdout, /service account's credential/);
    assert.equal((await admin.findCredential('Acme', 'WS32\\pwbridge'))!.version, before!.version);
  });

  it('when the hub refuses the copy, setup says the machine is enrolled and what to do, exits 1, and records nothing', async () => {
    // Recorded under another machine's name: the agent token may create only its own machine's credentials.
    const dataDir = await installedMachine('WS33', 'OTHER\\pwbridge');
    const local = (args: string[], stdin?: string) => runCli(args, { dataDir, stdin });
    assertExit(await local(['vault', 'cred', 'add', '--client', 'local', '--user', 'OTHER\\pwbridge', '--mode', 'report', '--sync', 'off'], `${SERVICE_PW}\n`), 0, 'the odd one');
    const r = await setup(dataDir);
    assertExit(r, 1, 'setup');
    assert.match(r.stderr, /the machine is enrolled, but the service account's credential OTHER\\pwbridge could not be copied to the hub .*run pwbridge setup again/);
    assert.equal(manifestOf(dataDir).windows.credential.vault, undefined);
    assert.equal(await admin.findCredential('Acme', 'OTHER\\pwbridge'), undefined);
  });

  it('a machine whose install stored no credential (Linux, or Windows under Wine) enrols as before', async () => {
    const d = makeTempDir('pwbridge-carry-none-');
    dirs.push(d);
    fs.writeFileSync(path.join(d.dir, 'config.json'), JSON.stringify({ machine: 'WS34' }));
    const r = await setup(d.dir);
    assertExit(r, 0, 'setup');
    assert.doesNotMatch(r.stdout, /service account/);
  });
});
