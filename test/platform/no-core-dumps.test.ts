// The service makes itself non-dumpable (prctl PR_SET_DUMPABLE 0). What shows it from outside: the kernel
// gives a non-dumpable process's /proc/<pid> files to root instead of the process's own uid. So the real
// `bin/pwbridge run` is started as an unprivileged uid (nobody), where the two differ, and a plain node
// process as the same uid is the control that shows the check can fail.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCli } from '../cli/cli';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const NOBODY = 65534;
const AS_NOBODY = ['/usr/bin/setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
const MODULE = path.resolve(__dirname, '../../src/platform/linux/no-core-dumps.js');

function procOwner(pid: number): number {
  return fs.statSync(`/proc/${pid}/status`).uid;
}

describe('platform/linux: no core dumps (prctl PR_SET_DUMPABLE 0)', function () {
  this.timeout(60_000);
  before(function () {
    if (process.platform !== 'linux') skipBecause(this, 'Linux only');
  });

  it('forbidCoreDumps makes the calling process non-dumpable (PR_GET_DUMPABLE, through koffi)', () => {
    const r = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(MODULE)}); const a = m.isDumpable(); m.forbidCoreDumps(); console.log(JSON.stringify([a, m.isDumpable()]));`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [true, false]);
  });

  it('the real `pwbridge run` is not dumpable: its /proc files are root\'s although it runs as nobody', async function () {
    if (process.getuid?.() !== 0 || !fs.existsSync(AS_NOBODY[0])) skipBecause(this, `needs root and ${AS_NOBODY[0]}`);
    // A checkout under a private directory (mktemp -d makes it 0700) is out of nobody's reach.
    const bin = path.resolve(__dirname, '../../../bin/pwbridge');
    if (spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), '/usr/bin/test', '-r', bin]).status !== 0) {
      skipBecause(this, `nobody cannot read ${bin} (a checkout under a private directory)`);
    }
    const t = makeTempDir('pwbridge-dumpable-');
    fs.chmodSync(t.dir, 0o711);
    const dir = path.join(t.dir, 'data');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: path.join(dir, 'no-pam.d') }));
    fs.chownSync(dir, NOBODY, NOBODY);
    fs.chownSync(path.join(dir, 'config.json'), NOBODY, NOBODY);
    // The control: the same uid, without the call, owns its /proc files.
    const control = spawn(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, '-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const service = startCli(['run'], dir, 60_000, AS_NOBODY);
    try {
      await service.waitFor('the service to serve', (_out, err) => /pwbridge: serving/.test(err), 30_000);
      assert.equal(procOwner(control.pid!), NOBODY, 'a dumpable process as nobody owns its /proc files (else this test proves nothing)');
      assert.equal(fs.readFileSync(`/proc/${service.child.pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1], String(NOBODY), 'the service runs as nobody');
      assert.equal(procOwner(service.child.pid!), 0, 'the service\'s /proc files are root\'s: it is not dumpable');
    } finally {
      control.kill();
      service.child.kill('SIGTERM');
      await service.done.catch(() => undefined);
      t.cleanup();
    }
  });
});
