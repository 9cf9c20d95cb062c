// soak: a million changes (PWB_FAULTS_SOAK_CHANGES) over a few thousand accounts through the real
// service at a pace it sustains. The fault is time and volume: memory must not creep and state.db must
// stop growing once the journal's bound on finished rows is reached (src/journal/finished-cap.ts).
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_KEEP_FINISHED } from '../../../src/journal/finished-cap';
import { makeTempDir } from '../../helpers/tmp';
import type { FaultResult, FaultScenario } from '../fault-result';
import type { Tally } from '../ledger';
import { workerPhases } from '../worker-phases';
import type { SoakLoad, SoakSpec } from '../soak-worker';
import { defaultSqliteDriver } from '../../../src/sqlite/drivers';
import { captureIdentity, countJournal, pendingNow, prepareDataDir, round, startService, waitDrained, type ServiceProcess } from '../service-process';

/** Journal rows by state in the live state.db (a WAL reader beside the service). */
function journalRowsNow(dir: string) {
  const db = defaultSqliteDriver().open(path.join(dir, 'state.db'), { readonly: true });
  try {
    return countJournal(db);
  } finally {
    db.close();
  }
}

const intEnv = (name: string, dflt: number) => {
  const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const CHANGES = intEnv('PWB_FAULTS_SOAK_CHANGES', 1_000_000);
const RATE = intEnv('PWB_FAULTS_SOAK_RATE', 6_000);
const ACCOUNTS = 3_000;
const SAMPLE_MS = 5_000;

export const scenario: FaultScenario = {
  name: 'soak',
  fault: `${CHANGES.toLocaleString('en')} changes over ${ACCOUNTS.toLocaleString('en')} accounts through the real service at ${RATE}/s: memory and state.db over the run`,
  ci: false,
  missing: () => (process.platform === 'linux' ? undefined : 'needs Linux'),
  run,
};

const mb = (b: number) => round(b / 2 ** 20, 1);
const sizeOf = (f: string) => { try { return fs.statSync(f).size; } catch { return 0; } };

interface Sample { t_s: number; sent: number; pending: number; state_db_mb: number; state_wal_mb: number; vault_db_mb: number; rss_mb: number; hwm_mb: number }

async function run(progress: (msg: string) => void): Promise<FaultResult> {
  const tmp = makeTempDir('pwbridge-faults-soak-');
  const dir = path.join(tmp.dir, 'data');
  fs.mkdirSync(dir, { mode: 0o700 });
  let svc: ServiceProcess | undefined;
  let child: ReturnType<typeof fork> | undefined;
  try {
    await prepareDataDir(dir, ACCOUNTS);
    svc = await startService(dir);
    const live = svc;
    const samples: Sample[] = [];
    const t0 = Date.now();
    let sent = 0;
    const sample = () => {
      const m = live.memory();
      let pending = -1;
      try { pending = pendingNow(dir); } catch { /* busy: next time */ }
      samples.push({
        t_s: round((Date.now() - t0) / 1000, 1), sent, pending,
        state_db_mb: mb(sizeOf(path.join(dir, 'state.db'))), state_wal_mb: mb(sizeOf(path.join(dir, 'state.db-wal'))),
        vault_db_mb: mb(sizeOf(path.join(dir, 'vault.db'))), rss_mb: m ? mb(m.rss) : -1, hwm_mb: m ? mb(m.hwm) : -1,
      });
    };
    sample();
    const start = samples[0];
    progress(`start: ${JSON.stringify(start)}`);

    const id = captureIdentity(dir);
    child = fork(path.join(__dirname, '..', 'soak-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
    const worker = child;
    const { next } = workerPhases<{ phase: string; sent?: number; acked?: number; result?: SoakLoad; tally?: Tally; error?: string }>(
      worker, 'soak', { phases: ['progress'], on: (m) => { sent = m.sent!; } });
    worker.send({
      socketPath: svc.socketPath, dataDir: dir, secret: id.secret.toString('hex'), bridgePub: id.bridgePub.toString('hex'),
      bootId: id.bootId.toString('hex'), machine: id.machine, count: CHANGES, accounts: ACCOUNTS, rate: RATE, window: 4000,
    } satisfies SoakSpec);
    const timer = setInterval(() => {
      sample();
      const s = samples.at(-1)!;
      progress(`${s.t_s} s: ${s.sent} sent, ${s.pending} pending, state.db ${s.state_db_mb} MB (+wal ${s.state_wal_mb}), vault.db ${s.vault_db_mb} MB, RSS ${s.rss_mb} MB (peak ${s.hwm_mb})`);
    }, SAMPLE_MS);
    let load: SoakLoad;
    try {
      load = (await next('loaded')).result!;
      sent = load.sent;
      await waitDrained(dir, 600_000);
    } finally {
      clearInterval(timer);
    }
    sample();
    const end = samples.at(-1)!;
    const aliveAtEnd = svc.alive();
    const rowsAtEnd = journalRowsNow(dir);
    progress(`end: ${JSON.stringify(end)}; load ${JSON.stringify(load)}`);
    await svc.stop();
    svc = undefined;
    worker.send('settle');
    const tally = (await next('settled')).tally!;

    // Bounded: the finished rows kept are the cap's (plus one trim step), however many went through; the
    // file's size follows them and the backlog's high-water mark (pending rows still hold their sealed
    // part), which is load, not retention: it is reported, the rows are judged. Judged only once the run
    // went well past the cap.
    const capReachedAt = samples.find((s) => s.sent >= 2 * DEFAULT_KEEP_FINISHED);
    const judged = CHANGES >= 2 * DEFAULT_KEEP_FINISHED;
    const finishedAtEnd = rowsAtEnd.done + rowsAtEnd.superseded;
    const bounded = judged ? finishedAtEnd <= DEFAULT_KEEP_FINISHED + 2_000 : undefined;
    const growthAfterCap = capReachedAt ? round(end.state_db_mb / Math.max(capReachedAt.state_db_mb, 0.001), 3) : undefined;
    const maxPending = Math.max(...samples.map((s) => s.pending));
    const maxState = Math.max(...samples.map((s) => s.state_db_mb));
    const served = aliveAtEnd && load.notAcked === 0 && bounded !== false;
    return {
      scenario: 'soak',
      sent: tally.sent,
      acked: tally.acked,
      exactly_once: tally.exactly_once,
      lost: tally.lost,
      applied_twice: tally.applied_twice,
      recover_s: 0,
      served_throughout: served,
      detail: {
        served_means: `the service stayed up, acked every change, and (runs of ${2 * DEFAULT_KEEP_FINISHED} changes or more) the journal kept no more finished rows than its bound`,
        changes_per_s: round(load.sent / (load.elapsedMs / 1000), 0),
        ack_ms: { p50: round(load.ackP50, 2), p99: round(load.ackP99, 2), max: round(load.ackMax, 2) },
        rss_mb: { start: start.rss_mb, end: end.rss_mb, peak_end: end.hwm_mb },
        state_db_mb: { start: start.state_db_mb, max_during: maxState, end: end.state_db_mb, at_cap: capReachedAt?.state_db_mb, end_over_at_cap: growthAfterCap },
        state_db_bounded: bounded ?? `not judged (${CHANGES} changes; needs ${2 * DEFAULT_KEEP_FINISHED})`,
        pending_max: maxPending,
        keep_finished_rows: DEFAULT_KEEP_FINISHED,
        journal_rows_at_end: rowsAtEnd,
        vault_db_mb: { start: start.vault_db_mb, end: end.vault_db_mb },
        samples: samples.length > 40 ? samples.filter((_, i) => i % Math.ceil(samples.length / 40) === 0 || i === samples.length - 1) : samples,
        problems: tally.problems,
      },
    };
  } finally {
    child?.kill();
    await svc?.kill();
    tmp.cleanup();
  }
}
