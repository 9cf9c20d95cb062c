import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';
import { assertExit, jsonLines, runCli, tempDataDir } from './cli';

interface StatusJson { serviceRunning: boolean; filter: { state: string; reason: string } }

describe('pwbridge status (CLI): the filter state as of now, with the service stopped', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;
  let pam: { dir: string; cleanup(): void };
  const status = async () => {
    const r = await runCli(['status', '--json'], { dataDir: dir });
    assertExit(r, 0, 'status --json');
    return jsonLines<StatusJson>(r)[0];
  };

  beforeEach(() => {
    pam = makeTempDir('pwbridge-cli-pam-');
    ({ dir, cleanup } = tempDataDir({ machine: 'TESTHOST', pamDir: pam.dir }));
  });
  afterEach(() => {
    cleanup();
    pam.cleanup();
  });

  it('follows the PAM stack: not-installed, then active once the module is optional in it, faulted once its file is gone', async () => {
    assertExit(await runCli(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
    let s = await status();
    assert.equal(s.serviceRunning, false);
    assert.equal(s.filter.state, 'not-installed');

    const so = path.join(pam.dir, 'pam_pwbridge.so');
    fs.writeFileSync(so, '');
    fs.writeFileSync(path.join(pam.dir, 'common-password'),
      `password [success=1 default=ignore] pam_unix.so obscure yescrypt\npassword requisite pam_deny.so\npassword required pam_permit.so\npassword optional ${so}\n`);
    s = await status();
    assert.equal(s.filter.state, 'active', s.filter.reason);
    assert.match(s.filter.reason, /common-password/);

    fs.rmSync(so);
    s = await status();
    assert.equal(s.filter.state, 'faulted');
    assert.match(s.filter.reason, /missing|not found|does not exist/i);
  });
});
