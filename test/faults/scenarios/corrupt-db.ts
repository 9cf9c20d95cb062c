// corrupt-db: state.db or vault.db overwritten at its header or cut short, then `pwbridge run`. The start
// must stop at once with the do-not-restart status (65), a message naming the file and the way to
// recover, and no other file of the data dir touched; after the recovery step the message names, the
// service serves again.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { filesUnder, makeTempDir } from '../../helpers/tmp';
import type { FaultResult, FaultScenario } from '../fault-result';
import type { Tally } from '../ledger';
import { LedgerCapture } from '../ledger-capture';
import {
  accountName, captureIdentity, openVaultView, prepareDataDir, round, startService, waitDrained, type ServiceProcess,
} from '../service-process';

const ACCOUNTS = 50;
const CHANGES = 500;
/** The exit status `pwbridge run` gives a damaged data file (src/cli/main.ts EXIT_DATA_FILE). */
const EXIT_DATA_FILE = 65;

interface Damage {
  name: string;
  file: 'state.db' | 'vault.db';
  damage(file: string): void;
  /** What the message tells the operator to do, done here. */
  recover(dir: string, pristine: string): void;
  /** A phrase the message must hold so the operator knows that step. */
  says: RegExp;
}

const moveAside = (dir: string) => {
  for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) fs.renameSync(p, `${p}.damaged`);
  }
};
const restoreVault = (dir: string, pristine: string) => fs.copyFileSync(path.join(pristine, 'vault.db'), path.join(dir, 'vault.db'));
const garbleHeader = (file: string) => {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, randomBytes(100), 0, 100, 0);
  fs.closeSync(fd);
};
const truncateHalf = (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);

const CASES: Damage[] = [
  { name: 'state.db header overwritten', file: 'state.db', damage: garbleHeader, recover: moveAside, says: /move the file aside/ },
  { name: 'state.db truncated to half', file: 'state.db', damage: truncateHalf, recover: moveAside, says: /move the file aside/ },
  { name: 'vault.db header overwritten', file: 'vault.db', damage: garbleHeader, recover: restoreVault, says: /restore the file/ },
  { name: 'vault.db truncated to half', file: 'vault.db', damage: truncateHalf, recover: restoreVault, says: /restore the file/ },
];

export const scenario: FaultScenario = {
  name: 'corrupt-db',
  fault: 'state.db or vault.db with a garbled header or cut to half its size, then pwbridge run',
  ci: true,
  missing: () => (process.platform === 'linux' ? undefined : 'needs Linux'),
  run,
};

function hashes(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => [path.relative(dir, f), createHash('sha256').update(fs.readFileSync(f)).digest('hex')]));
}

function copyDataDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.sock') });
}

async function run(progress: (msg: string) => void): Promise<FaultResult> {
  const tmp = makeTempDir('pwbridge-faults-corrupt-');
  const pristine = path.join(tmp.dir, 'pristine');
  fs.mkdirSync(pristine, { mode: 0o700 });
  let svc: ServiceProcess | undefined;
  const tallies: Tally[] = [];
  try {
    await prepareDataDir(pristine, ACCOUNTS);
    svc = await startService(pristine);
    const capture = new LedgerCapture(svc.socketPath, captureIdentity(pristine));
    for (let i = 0; i < ACCOUNTS; i++) capture.ledger.base(accountName(i), 1);
    progress(`${CHANGES} changes through the service, drained, stopped: the data dir every case starts from`);
    await Promise.all(Array.from({ length: CHANGES }, (_, i) => capture.send(accountName(i % ACCOUNTS), `before-${i}`)));
    await waitDrained(pristine, 60_000);
    capture.destroy();
    await svc.stop();
    svc = undefined;
    const view = await openVaultView(pristine);
    try {
      tallies.push(await capture.ledger.settle((a) => view.read(a)));
    } finally {
      await view.close();
    }

    const cases: Array<Record<string, unknown>> = [];
    let allGood = true;
    let slowestRefusal = 0;
    for (const [k, c] of CASES.entries()) {
      const dir = path.join(tmp.dir, `case-${k}`);
      copyDataDir(pristine, dir);
      const target = path.join(dir, c.file);
      c.damage(target);
      const before = hashes(dir);
      const t0 = performance.now();
      svc = await startService(dir, { waitForSocket: false });
      const dead = svc;
      const timeout = new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000).unref());
      const outcome = await Promise.race([svc.exited, timeout]);
      const refusedInS = (performance.now() - t0) / 1000;
      slowestRefusal = Math.max(slowestRefusal, refusedInS);
      if (outcome === 'still running') await dead.kill();
      svc = undefined;
      const stderr = dead.stderr().trim();
      const after = hashes(dir);
      const changed = [...before.keys()].filter((f) => after.get(f) !== before.get(f) && f !== c.file);
      const added = [...after.keys()].filter((f) => !before.has(f));
      const exit = outcome === 'still running' ? outcome : outcome.code;
      const namesFile = stderr.includes(target);
      const saysStep = c.says.test(stderr);

      // The step the message names, then a start that must serve.
      c.recover(dir, pristine);
      svc = await startService(dir);
      const probe = new LedgerCapture(svc.socketPath, captureIdentity(dir));
      probe.ledger.base(accountName(0), (await baseVersionOf(dir)) ?? 0);
      const acked = await probe.send(accountName(0), `after-${k}`);
      await waitDrained(dir, 30_000);
      probe.destroy();
      await svc.stop();
      svc = undefined;
      const v = await openVaultView(dir);
      try {
        tallies.push(await probe.ledger.settle((a) => v.read(a)));
      } finally {
        await v.close();
      }

      const good = exit === EXIT_DATA_FILE && namesFile && saysStep && changed.length === 0 && acked;
      allGood &&= good;
      const r = {
        case: c.name, exit, refused_in_s: round(refusedInS), names_file: namesFile, names_recovery: saysStep,
        other_files_changed: changed, files_added: added, damaged_file_changed: after.get(c.file) !== before.get(c.file),
        served_after_recovery: acked, message: stderr.slice(0, 400),
      };
      cases.push(r);
      progress(JSON.stringify(r));
    }

    const sum = (k: keyof Omit<Tally, 'problems'>) => tallies.reduce((n, t) => n + t[k], 0);
    return {
      scenario: 'corrupt-db',
      sent: sum('sent'),
      acked: sum('acked'),
      exactly_once: sum('exactly_once'),
      lost: sum('lost'),
      applied_twice: sum('applied_twice'),
      recover_s: round(slowestRefusal),
      served_throughout: allGood,
      detail: {
        served_means: `every damaged start exited promptly with status ${EXIT_DATA_FILE} (RestartPreventExitStatus), its message named the file and the recovery step, no other file changed; after that step the service acked and applied a probe change`,
        recover_s_means: 'the slowest damaged start, from spawn to exit',
        cases,
        problems: tallies.flatMap((t) => t.problems),
      },
    };
  } finally {
    await svc?.kill();
    tmp.cleanup();
  }
}

async function baseVersionOf(dir: string): Promise<number | undefined> {
  const v = await openVaultView(dir);
  try {
    return await v.baseVersion(accountName(0));
  } finally {
    await v.close();
  }
}
