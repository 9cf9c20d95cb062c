// npm run bench: one JSON object per line {"name", "value", "unit"}. Not part of the tests; the README's
// table holds the figures measured on the project's 2-core machine.
//
// The capture load scenarios run against the real service: `bin/pwbridge run` in its own process with its
// own data dir, fed by a load generator in a third process speaking the real protocol over the real
// socket. The bench process only prepares data dirs and reads the results from the service's SQLite files.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LinuxAccounts } from '../src/platform/linux/linux.accounts';
import { readBootId } from '../src/platform/linux/pam-stack';
import { loadKeys, wipeKeys } from '../src/protocol/keys';
import { reconcileOnce } from '../src/reconcile';
import { openVaultAt } from '../src/service/open';
import type { SqliteVault } from '../src/vault/sqlite.vault';
import { startHarness } from '../test/helpers/bridge-harness';
import { makeTempDir } from '../test/helpers/tmp';
import { repoRoot } from '../test/vectors/repo-root';
import type { LoadResult, LoadSpec } from './load-worker';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.some((o) => name.startsWith(o));
/** The V8 flags the service runs with (bin/pwbridge's shebang line; keep the two the same). */
const SERVICE_NODE_FLAGS = (process.env.PWBRIDGE_BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' ').filter(Boolean);

function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}
const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Service {
  dataDir: string;
  socketPath: string;
  process: ChildProcess;
  /** A read-only handle on the service's state.db / vault.db. */
  state(): Database.Database;
  vault(): Database.Database;
  /** Wait until the journal has no pending entry. */
  drained(timeoutMs: number): Promise<void>;
  /** Peak RSS so far (VmHWM), bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** A fresh data dir with `accounts` credentials BENCH\userN (two-way sync on), and `pwbridge run` on it. */
async function startService(accounts: number): Promise<Service> {
  const tmp = makeTempDir('pwbridge-bench-');
  fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({
    machine: 'BENCH', reconcileInterval: '1h', pamDir: path.join(tmp.dir, 'none'),
  }));
  if (accounts > 0) {
    const vault = (await openVaultAt(tmp.dir)) as SqliteVault;
    await vault.addClient({ name: 'local', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
    vault.bulkAddCredentials(Array.from({ length: accounts }, (_, i) => ({
      client: 'local', username: `BENCH\\user${i}`, password: Buffer.from(`initial-${i}`), windowsSync: true, mode: 'report' as const,
    })));
    await vault.close();
  }
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, path.join(repoRoot(), 'bin/pwbridge'), '--data-dir', tmp.dir, 'run'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const socketPath = path.join(tmp.dir, 'run', 'capture.sock');
  for (let i = 0; !fs.existsSync(socketPath); i++) {
    if (i > 400 || child.exitCode !== null) throw new Error(`the service did not open its socket: ${stderr}`);
    await sleep(50);
  }
  const handles: Database.Database[] = [];
  const open = (file: string) => {
    const db = new Database(path.join(tmp.dir, file), { readonly: true, fileMustExist: true });
    handles.push(db);
    return db;
  };
  let stateDb: Database.Database | undefined;
  const svc: Service = {
    dataDir: tmp.dir,
    socketPath,
    process: child,
    state: () => (stateDb ??= open('state.db')),
    vault: () => open('vault.db'),
    async drained(timeoutMs) {
      const depth = svc.state().prepare("SELECT count(*) FROM journal WHERE state = 'pending'").pluck();
      const until = Date.now() + timeoutMs;
      while ((depth.get() as number) > 0) {
        if (Date.now() > until) throw new Error(`the journal did not drain in ${timeoutMs / 1000} s`);
        await sleep(20);
      }
    },
    peakRss() {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    },
    async stop() {
      for (const h of handles) h.close();
      child.kill('SIGTERM');
      await exited;
      tmp.cleanup();
    },
  };
  return svc;
}

/** Run the load generator against a service; the install secret crosses to it over IPC, never argv or env. */
function load(svc: Service, spec: Pick<LoadSpec, 'count' | 'accounts' | 'rate' | 'window'>): Promise<LoadResult> {
  const keys = loadKeys(path.join(svc.dataDir, 'keys'));
  const child = fork(path.join(__dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({
    socketPath: svc.socketPath,
    secret: keys.secret.toString('hex'),
    bridgePub: keys.publicKey.toString('hex'),
    bootId: readBootId().replace(/-/g, ''),
    machine: 'BENCH',
    ...spec,
  } satisfies LoadSpec);
  wipeKeys(keys);
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    child.once('error', reject);
    child.once('exit', (code) => { if (code) reject(new Error(`load generator exited with ${code}`)); });
  });
}

let servicePeakRss = 0;

async function benchThroughput(): Promise<void> {
  const count = 50_000;
  progress(`pipeline: ${count} authenticated frames over 2,000 accounts, as fast as they are acked, until all are processed`);
  const svc = await startService(2000);
  try {
    const t0 = performance.now();
    const r = await load(svc, { count, accounts: 2000, rate: 0, window: 4000 });
    await svc.drained(120_000);
    const secs = (performance.now() - t0) / 1000;
    if (r.failed) throw new Error(`${r.failed} events were not acked`);
    emit('pipeline_events_per_s', count / secs, 'events/s', { ingest_acked_per_s: Math.round(r.acked / (r.elapsedMs / 1000)) });
    servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
  } finally {
    await svc.stop();
  }
}

async function benchLatency(): Promise<void> {
  const rate = 1000;
  const seconds = 10;
  progress(`latency: ${rate} events/s for ${seconds} s, from the capture's send to the vault write`);
  const svc = await startService(5000);
  try {
    const r = await load(svc, { count: rate * seconds, accounts: 5000, rate, window: 10_000 });
    await svc.drained(60_000);
    await sleep(200); // the event log is written a tick after the vault
    // The event log's time of each event's vault write (ms), by trace id.
    const rows = svc.vault().prepare(`SELECT trace_id, time FROM events
      WHERE kind IN ('change-synced', 'credential-created', 'change-superseded') AND trace_id IS NOT NULL`).all() as Array<{ trace_id: string; time: number }>;
    const applied = new Map(rows.map((x) => [x.trace_id, x.time]));
    const lat: number[] = [];
    r.sent.forEach((id, i) => {
      const at = applied.get(id);
      if (at !== undefined) lat.push(at - r.sentAt[i]);
    });
    if (lat.length < r.sent.length) throw new Error(`${r.sent.length - lat.length} events never reached the vault`);
    lat.sort((a, b) => a - b);
    emit('capture_to_vault_p50_ms', lat[Math.floor(lat.length * 0.5)], 'ms');
    emit('capture_to_vault_p99_ms', lat[Math.floor(lat.length * 0.99)], 'ms');
    servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
  } finally {
    await svc.stop();
  }
}

async function benchBurst(): Promise<void> {
  const count = 100_000;
  progress(`burst: ${count} events at once over 10,000 accounts; every acked event must be journaled and processed`);
  const svc = await startService(0);
  try {
    const r = await load(svc, { count, accounts: 10_000, rate: 0, window: 20_000 });
    await svc.drained(180_000);
    const stateOf = svc.state().prepare('SELECT state FROM journal WHERE event_id = ?').pluck();
    let lost = count - r.acked;
    for (const id of r.sent) {
      const st = stateOf.get(id) as string | undefined;
      if (st === undefined || st === 'pending') lost++;
    }
    emit('burst_100k_lost', lost, 'events', { acked: r.acked });
    servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
  } finally {
    await svc.stop();
  }
}

async function benchReconcile(): Promise<void> {
  const n = 10_000;
  progress(`reconcile: ${n} credentials against ${n} local accounts (generated passwd/shadow), nothing changed`);
  const tmp = makeTempDir('pwbridge-bench-');
  const h = await startHarness({ config: { machine: 'BENCH', logLevel: 'warn' } });
  try {
    // MD5-crypt keeps the one-off first pass (which verifies every credential) short; the measured pass verifies none.
    const hash = execFileSync('openssl', ['passwd', '-1', '-salt', 'benchslt', '-stdin'], { input: 'bench-password\n' }).toString().trim();
    const passwd: string[] = [];
    const shadow: string[] = [];
    for (let i = 0; i < n; i++) {
      passwd.push(`buser${i}:x:${20000 + i}:${20000 + i}::/nonexistent:/usr/sbin/nologin`);
      shadow.push(`buser${i}:${hash}:20000:0:99999:7:::`);
    }
    fs.writeFileSync(path.join(tmp.dir, 'passwd'), `${passwd.join('\n')}\n`);
    fs.writeFileSync(path.join(tmp.dir, 'shadow'), `${shadow.join('\n')}\n`, { mode: 0o600 });
    const accounts = new LinuxAccounts({ machine: 'BENCH', passwdPath: path.join(tmp.dir, 'passwd'), shadowPath: path.join(tmp.dir, 'shadow'), fingerprintKey: Buffer.alloc(32, 7) });
    (h.install.vault as SqliteVault).bulkAddCredentials(Array.from({ length: n }, (_, i) => ({
      client: 'local', username: `BENCH\\buser${i}`, password: Buffer.from('bench-password'), windowsSync: true, mode: 'report' as const,
    })));
    const s = h.install.state;
    const deps = { vault: h.install.vault, accounts, state: s.state, echo: s.echo, events: h.install.events, journal: s.journal };
    const opts = { machine: 'BENCH', client: 'local', echoTtlMs: 60_000, now: Date.now };
    const first = await reconcileOnce(deps, opts);
    if (first.matched !== n) throw new Error(`first pass matched ${first.matched} of ${n}`);
    const t0 = performance.now();
    const second = await reconcileOnce(deps, opts);
    const secs = (performance.now() - t0) / 1000;
    if (second.unchanged !== n) throw new Error(`second pass: ${second.unchanged} of ${n} unchanged`);
    emit('reconcile_10k_unchanged_s', secs, 's');
  } finally {
    await h.destroy();
    tmp.cleanup();
  }
}

async function main(): Promise<void> {
  if (want('pipeline')) await benchThroughput();
  if (want('latency')) await benchLatency();
  if (want('burst')) await benchBurst();
  if (want('reconcile')) await benchReconcile();
  if (servicePeakRss) emit('rss_mb', servicePeakRss / 1024 / 1024, 'MB', { of: 'the pwbridge run process, peak (VmHWM) over the load scenarios' });
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
