// npm run bench: one JSON object per line {"name", "value", "unit"}. Not part of the tests; the table in
// docs/development.md (and, in short, the README) holds the figures measured on the project's 2-core machine.
//
// The capture load scenarios run against the real service: `bin/pwbridge run` in its own process with its
// own data dir, fed by a load generator in a third process speaking the real protocol over the real
// socket. The bench process only prepares data dirs and reads the results from the service's SQLite files.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LinuxAccounts } from '../src/platform/linux/linux.accounts';
import { readBootId } from '../src/platform/linux/pam-stack';
import { loadKeys, wipeKeys } from '../src/protocol/keys';
import { reconcileOnce } from '../src/reconcile';
import { openVaultAt } from '../src/service/open';
import type { SqliteDatabase } from '../src/sqlite/database';
import { defaultSqliteDriver } from '../src/sqlite/drivers';
import type { SqliteVault } from '../src/vault/sqlite.vault';
import { startHarness } from '../test/helpers/bridge-harness';
import { LsaHarness, startRelay, toSocket } from '../test/helpers/lsa';
import { makeTempDir } from '../test/helpers/tmp';
import { FILTER_DLL, WINE, windowsPartsMissing, winePrefix, winPath } from '../test/helpers/wine';
import { repoRoot } from '../test/vectors/repo-root';
import { benchHubAgents } from './hub-agents';
import { benchHubViews } from './hub-views';
import { benchJournalAppend } from './journal-append';
import { benchWindowsCapture } from './windows-capture';
import { benchWinPipe } from './win-pipe';
import type { LoadResult, LoadSpec } from './load-worker';
import { EMBEDDED_CLIENT } from '../src/domain/types';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.some((o) => name.startsWith(o));
/** The V8 flags the service runs with (bin/pwbridge's shebang line; keep the two the same). */
const SERVICE_NODE_FLAGS = (process.env.PWBRIDGE_BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' ').filter(Boolean);

function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}
const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
/** USER_HZ: 100 on every Linux this runs on (the kernel's ABI for /proc times). */
const CLOCK_TICKS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Service {
  dataDir: string;
  socketPath: string;
  process: ChildProcess;
  /** A read-only handle on the service's state.db / vault.db. */
  state(): SqliteDatabase;
  vault(): SqliteDatabase;
  /** Wait until the journal has no pending entry. */
  drained(timeoutMs: number): Promise<void>;
  /** Peak RSS so far (VmHWM), bytes. */
  peakRss(): number;
  /** CPU time the service process has used so far (user + system), seconds: steadier than wall time on a loaded machine. */
  cpuSeconds(): number;
  /** SIGTERM and wait for the exit; the data dir is removed unless `keep`. */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

/** A fresh data dir with `accounts` credentials BENCH\userN (two-way sync on), and `pwbridge run` on it.
 * With `reuse`, `pwbridge run` again on a data dir an earlier startService made and stopped with
 * `{ keep: true }` (same keys, journal and spool). */
async function startService(accounts: number, reuse?: string): Promise<Service> {
  const tmp = reuse ? { dir: reuse, cleanup: () => fs.rmSync(reuse, { recursive: true, force: true }) } : makeTempDir('pwbridge-bench-');
  if (!reuse) {
    // PWBRIDGE_BENCH_CONCURRENCY: the service's `concurrency` for an experiment (how much group commit batches).
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({
      machine: 'BENCH', reconcileInterval: '1h', ...(process.env.PWBRIDGE_BENCH_CONCURRENCY ? { concurrency: Number(process.env.PWBRIDGE_BENCH_CONCURRENCY) } : {}), pamDir: path.join(tmp.dir, 'none'),
    }));
  }
  if (accounts > 0 && !reuse) {
    const vault = (await openVaultAt(tmp.dir)) as SqliteVault;
    await vault.addClient(EMBEDDED_CLIENT);
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
  const handles: SqliteDatabase[] = [];
  const open = (file: string) => {
    const db = defaultSqliteDriver().open(path.join(tmp.dir, file), { readonly: true });
    handles.push(db);
    return db;
  };
  let stateDb: SqliteDatabase | undefined;
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
    cpuSeconds() {
      // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks, counted after the ")" that ends the name.
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    async stop(opts) {
      for (const h of handles.splice(0)) h.close();
      stateDb = undefined;
      child.kill('SIGTERM');
      await exited;
      if (!opts?.keep) tmp.cleanup();
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

/**
 * How the journal closed each of `sent`, from state.db: `superseded`, `dead`, `pending`, `missing`, and `done`
 * split by its outcome (`done/synced`, `done/ignored` …).
 */
function closedAs(svc: Service, sent: readonly string[]): Record<string, number> {
  const rowOf = svc.state().prepare('SELECT state, outcome FROM journal WHERE event_id = ?');
  const split: Record<string, number> = {};
  for (const id of sent) {
    const row = rowOf.get(id) as { state: string; outcome: string | null } | undefined;
    const key = !row ? 'missing' : row.state === 'done' ? `done/${row.outcome ?? 'none'}` : row.state;
    split[key] = (split[key] ?? 0) + 1;
  }
  return split;
}

/**
 * The vault writes the service made for these trace ids: change-synced and credential-created events. The
 * event log is written after the vault (through the event outbox): this waits until the count holds still.
 */
async function vaultWrites(svc: Service, sent: readonly string[]): Promise<number> {
  const ids = new Set(sent);
  const read = svc.vault().prepare(`SELECT trace_id FROM events
    WHERE kind IN ('change-synced', 'credential-created') AND trace_id IS NOT NULL`).pluck();
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const n = (read.all() as string[]).filter((t) => ids.has(t)).length;
    if (n === last) return n;
    last = n;
    await sleep(200);
  }
  return last;
}

/** Credentials whose password the vault holds in a version after the first: the vault's own count of writes. */
function credentialsRewritten(svc: Service): number {
  return svc.vault().prepare('SELECT count(*) FROM credentials WHERE version > 1').pluck().get() as number;
}

/**
 * pipeline_applied_per_s: distinct changes written to the vault per second, one change per account (nothing
 * to coalesce), from the first send until the journal is drained. Every change must have been written.
 */
async function benchApplied(): Promise<void> {
  const accounts = 20_000;
  progress(`pipeline applied: one change to each of ${accounts} accounts, as fast as they are acked, until every one is in the vault`);
  const svc = await startService(accounts);
  try {
    const t0 = performance.now();
    const cpu0 = svc.cpuSeconds();
    const r = await load(svc, { count: accounts, accounts, rate: 0, window: 4000 });
    await svc.drained(300_000);
    const secs = (performance.now() - t0) / 1000;
    const cpu = svc.cpuSeconds() - cpu0;
    if (r.failed) throw new Error(`${r.failed} changes were not acked`);
    const written = credentialsRewritten(svc);
    const split = closedAs(svc, r.sent);
    if (written !== accounts) throw new Error(`${written} of ${accounts} credentials were written in the vault (journal: ${JSON.stringify(split)})`);
    emit('pipeline_applied_per_s', written / secs, 'changes/s', {
      changes: written, seconds: Math.round(secs * 10) / 10, target: 20_000,
      service_cpu_us_per_change: Math.round((cpu * 1e6) / written), load_1m: os.loadavg()[0],
    });
    servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
  } finally {
    await svc.stop();
  }
}

/**
 * pipeline_coalesced_per_s: 25 changes per account sent at full speed, journal rows closed per second. Most
 * close superseded by a newer change of the same account without a vault write: the split says how many of
 * each, so the figure is not read as vault writes.
 */
async function benchCoalesced(): Promise<void> {
  const count = 50_000;
  progress(`pipeline coalesced: ${count} changes over 2,000 accounts, as fast as they are acked, until all are processed`);
  const svc = await startService(2000);
  try {
    const t0 = performance.now();
    const r = await load(svc, { count, accounts: 2000, rate: 0, window: 4000 });
    await svc.drained(120_000);
    const secs = (performance.now() - t0) / 1000;
    if (r.failed) throw new Error(`${r.failed} events were not acked`);
    const split = closedAs(svc, r.sent);
    emit('pipeline_coalesced_per_s', count / secs, 'rows/s', {
      written_to_vault: await vaultWrites(svc, r.sent), journal_closed_as: split, ingest_acked_per_s: Math.round(r.acked / (r.elapsedMs / 1000)),
    });
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
    // Lost: not acked, not in the journal, still pending after the drain, or dead-lettered (nothing in this
    // scenario should fail: a dead letter here is a change the vault never got).
    const split = closedAs(svc, r.sent);
    const lost = count - r.acked + (split.missing ?? 0) + (split.pending ?? 0) + (split.dead ?? 0);
    emit('burst_100k_lost', lost, 'events', { acked: r.acked, dead: split.dead ?? 0 });
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

// ---- pam: the time pam_pwbridge.so adds to one password change, next to a pam_exec hook ----------------
//
// native/build/bench/pam_bench (pam_start once, then N timed pam_chauthtok calls) runs under pam_wrapper
// against service files in a private folder; /etc/pam.d is never read. Stacks: `baseline` is pam_matrix
// alone (it plays pam_unix: it checks the old password and writes the new one to its own file); `ours`
// adds `password optional pam_pwbridge.so dir=<data dir of a real pwbridge run>`; `pamexec` adds the
// do-it-yourself hook instead. Added time = percentile(stack) − percentile(baseline), same run.

const PAM_MATRIX = '/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so';
const PAM_EXEC = '/lib/x86_64-linux-gnu/security/pam_exec.so';
/** An account that exists (in /etc/passwd on any Debian): the module looks its uid up, as it would for a
 * real change; an unknown name would time NSS's whole fall-through instead. pam_matrix changes only its
 * own password file, never the account. */
const PAM_USER = 'nobody';
const PAM_PASSWORDS = ['bench-pass-A-1', 'bench-pass-B-2'];

/** The time of each of `n` password changes (ms) by one pam_bench process (one pam handle), `gapMs`
 * apart, and the time its pam_start took (which loads the stack's modules). */
function pamBench(serviceDir: string, service: string, n: number, gapMs: number): Promise<{ startMs: number; ms: number[] }> {
  const exe = path.join(repoRoot(), 'native', 'build', 'bench', 'pam_bench');
  const env = { PATH: process.env.PATH, LD_PRELOAD: 'libpam_wrapper.so', PAM_WRAPPER: '1', PAM_WRAPPER_SERVICE_DIR: serviceDir };
  return new Promise((resolve, reject) => {
    // Spawned, not execFileSync'd: this process's event loop serves the pam_exec hook's socket meanwhile.
    const child = spawn(exe, [service, PAM_USER, String(n), ...PAM_PASSWORDS, String(gapMs)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = out.split('\n').filter(Boolean);
      const start = /^start (\d+)$/.exec(lines.shift() ?? '');
      const us = lines.map(Number);
      if (code !== 0 || !start || us.length !== n || us.some((u) => !Number.isFinite(u))) {
        reject(new Error(`pam_bench ${service} exited with ${code}, ${us.length} of ${n} timings: ${err.trim()}`));
      } else {
        resolve({ startMs: Number(start[1]) / 1000, ms: us.map((u) => u / 1000) });
      }
    });
  });
}

/** Microseconds some task waited for a CPU, so far (/proc/pressure/cpu), or undefined without PSI. */
function cpuPressureUs(): number | undefined {
  try {
    const m = /^some .* total=(\d+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const intEnv = (name: string, dflt: number, min: number, max: number): number => {
  const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer ${min}..${max}`);
  return v;
};

async function benchPam(): Promise<void> {
  const rounds = intEnv('PWB_BENCH_PAM_ROUNDS', 10, 1, 1000);
  // pam_matrix leaks a descriptor per change: a process stays well under the 1,024 limit.
  const calls = intEnv('PWB_BENCH_PAM_CALLS', 200, 10, 800);
  // A pause between changes (outside the timed call): each change finds the bridge done with the last one
  // and idle, as a real (rare) password change does; back to back, the bridge's work after its ack and
  // warm caches would both skew the figure.
  const gapMs = intEnv('PWB_BENCH_PAM_GAP_MS', 10, 0, 1000);
  const warmup = 20; // the first changes of each pam_bench process (module load, OpenSSL's first use): discarded
  const coldRuns = 4; // per stack and round: one-change processes, for the passwd-like figure
  const missing = [
    ['libpam_wrapper.so', '/usr/lib/x86_64-linux-gnu/libpam_wrapper.so', 'libpam-wrapper'],
    ['pam_matrix.so', PAM_MATRIX, 'libpam-wrapper'],
    ['pam_exec.so', PAM_EXEC, 'libpam-modules'],
    ['nc.openbsd', '/bin/nc.openbsd', 'netcat-openbsd'],
  ].filter(([, file]) => !fs.existsSync(file));
  if (missing.length) throw new Error(`the pam bench needs ${missing.map(([n, , pkg]) => `${n} (Debian: ${pkg})`).join(', ')}`);
  // npm run bench has built them; this covers `node dist/bench/run.js pam` after a change to the C.
  execFileSync('sh', [path.join(repoRoot(), 'native', 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const moduleSo = path.join(repoRoot(), 'native', 'build', 'pam', 'pam_pwbridge.so');

  progress(`pam: ${rounds} rounds × ${calls} password changes per stack (+${warmup} warm-up, ${gapMs} ms apart), interleaved`);
  const tmp = makeTempDir('pwbridge-bench-pam-');
  // pam_matrix writes a temp file and renames it per change: on tmpfs, so that the baseline is not the
  // file system's inode allocator. The data dir (keys, spool) stays where startService puts it, on disk.
  const shm = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/pwbridge-bench-pam-') : tmp.dir;
  let svc = await startService(0);
  const dataDir = svc.dataDir;
  const spoolDir = path.join(dataDir, 'spool');
  const spooled = () => (fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir).filter((f) => f.endsWith('.chg')).length : 0);

  // The do-it-yourself hook: pam_exec runs a shell script that forwards the account name to a Unix socket
  // (linux-pam 1.5.2 cannot give pam_exec the new password for type password: expose_authtok is refused).
  const hookSocket = path.join(tmp.dir, 'hook.sock');
  let hookLines = 0;
  const listener = net.createServer((c) => {
    let got = '';
    c.on('data', (d) => (got += d.toString()));
    c.on('end', () => { hookLines += got.split('\n').filter(Boolean).length; c.end(); });
    c.on('error', () => undefined);
  });
  await new Promise<void>((r) => listener.listen(hookSocket, r));
  const hook = path.join(tmp.dir, 'hook.sh');
  fs.writeFileSync(hook, `#!/bin/sh\nprintf '%s\\n' "$PAM_USER" | exec /bin/nc.openbsd -N -U '${hookSocket}'\n`, { mode: 0o700 });

  const serviceDir = path.join(tmp.dir, 'pam-services');
  fs.mkdirSync(serviceDir);
  const stack: Record<string, string> = {
    baseline: '',
    // shadow_check=off: pam_matrix plays pam_unix and never writes /etc/shadow, so the module's check
    // that the change happened there would (rightly) drop every change; the check's own cost is one
    // crypt verify, measured by test/native/pam-unix-root.test.ts against the real pam_unix.
    ours: `password optional ${moduleSo} dir=${dataDir} shadow_check=off\n`,
    pamexec: `password optional ${PAM_EXEC} ${hook}\n`,
  };
  for (const [service, extra] of Object.entries(stack)) {
    const passdb = path.join(shm, `passdb-${service}`);
    fs.writeFileSync(passdb, `${PAM_USER}:${PAM_PASSWORDS[0]}:${service}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(serviceDir, service), `password required ${PAM_MATRIX} passdb=${passdb}\n${extra}`);
  }

  type Label = 'baseline-up' | 'baseline-down' | 'up' | 'down' | 'pamexec';
  const labels: Label[] = ['baseline-up', 'baseline-down', 'up', 'down', 'pamexec'];
  const serviceOf: Record<Label, string> = { 'baseline-up': 'baseline', 'baseline-down': 'baseline', up: 'ours', down: 'ours', pamexec: 'pamexec' };
  const samples = Object.fromEntries(labels.map((l) => [l, [] as number[]])) as Record<Label, number[]>;
  const cold = Object.fromEntries(labels.map((l) => [l, [] as number[]])) as Record<Label, number[]>;
  const n = warmup + calls + ((warmup + calls) % 2); // even: every run leaves pam_matrix at the first password
  let changes = 0; // through our module: each one must end up in the journal
  /** One stack: the long run (warm changes), then one-change processes (pam_start + the change). */
  const run = async (label: Label) => {
    const service = serviceOf[label];
    const hooked = hookLines;
    const spoolBefore = spooled();
    const { ms } = await pamBench(serviceDir, service, n, gapMs);
    samples[label].push(...ms.slice(n - calls));
    for (let i = 0; i < coldRuns; i++) {
      const r = await pamBench(serviceDir, service, 2, 0);
      cold[label].push(r.startMs + r.ms[0]);
    }
    const made = n + 2 * coldRuns;
    if (service === 'ours') changes += made;
    if (label === 'up' && spooled() !== 0) throw new Error(`bridge up, yet ${spooled()} changes were spooled`);
    if (label === 'down' && spooled() - spoolBefore !== made) throw new Error(`bridge down: ${spooled() - spoolBefore} of ${made} changes spooled`);
    if (label === 'pamexec' && hookLines - hooked !== made) throw new Error(`the hook delivered ${hookLines - hooked} of ${made} changes`);
  };
  const rotate = <T>(xs: T[], k: number) => xs.map((_, i) => xs[(i + k) % xs.length]);
  const pressure0 = cpuPressureUs();
  const t0 = performance.now();
  try {
    for (let r = 0; r < rounds; r++) {
      if (r > 0) svc = await startService(0, dataDir); // it drains what the down phase spooled, before it listens
      if (spooled() !== 0) throw new Error(`the bridge left ${spooled()} spooled events after its start`);
      // Bridge up: three stacks, in an order that rotates every round.
      for (const label of rotate<Label>(['baseline-up', 'up', 'pamexec'], r)) await run(label);
      // Bridge down: the same data dir, the service stopped (so its socket is gone); the module spools
      // each change. The spool grows through the phase and the bridge's next start drains it.
      await svc.stop({ keep: true });
      for (const label of rotate<Label>(['baseline-down', 'down'], r)) await run(label);
      const thisRound = (k: Label) => median(samples[k].slice(-calls)).toFixed(3);
      progress(`pam: round ${r + 1}/${rounds}, p50 ms: baseline ${thisRound('baseline-up')} (bridge up) ${thisRound('baseline-down')} (down), `
        + `ours up ${thisRound('up')}, ours down ${thisRound('down')}, pam_exec ${thisRound('pamexec')}`);
    }
    // Every change the module handled, delivered or spooled, is in the journal once the spool is drained.
    svc = await startService(0, dataDir);
    const journaled = svc.state().prepare('SELECT count(*) FROM journal').pluck().get() as number;
    if (journaled !== changes) throw new Error(`the journal holds ${journaled} of the ${changes} changes`);
  } finally {
    await svc.stop();
    await new Promise<void>((r) => listener.close(() => r()));
    tmp.cleanup();
    if (shm !== tmp.dir) fs.rmSync(shm, { recursive: true, force: true });
  }
  const pressure1 = cpuPressureUs();
  const context: Record<string, unknown> = { gap_ms: gapMs };
  if (pressure0 !== undefined && pressure1 !== undefined) {
    // Share of the run's wall time in which some task waited for a CPU: near 0 on a quiet machine.
    context.cpu_pressure_pct = Math.round(((pressure1 - pressure0) / 1000 / (performance.now() - t0)) * 1000) / 10;
  }

  const sorted = Object.fromEntries(labels.map((l) => [l, [...samples[l]].sort((a, b) => a - b)])) as Record<Label, number[]>;
  const pct = (l: Label, q: number) => sorted[l][Math.min(sorted[l].length - 1, Math.floor(sorted[l].length * q))];
  const report = (name: string, label: Label, base: Label, extra: Record<string, unknown>) => {
    for (const [suffix, q] of [['p50', 0.5], ['p99', 0.99]] as const) {
      emit(`${name}_${suffix}`, pct(label, q) - pct(base, q), 'ms', {
        ...extra, [`${suffix}_ms`]: round3(pct(label, q)), [`baseline_${suffix}_ms`]: round3(pct(base, q)), changes: sorted[label].length, ...context,
      });
    }
  };
  report('pam_added_ms', 'up', 'baseline-up', { bridge: 'up' });
  report('pam_added_ms', 'down', 'baseline-down', { bridge: 'down' });
  report('pam_exec_added_ms', 'pamexec', 'baseline-up', { hook: 'sh | nc -U' });
  // A process that makes one change and exits, as passwd does: pam_start (which loads the modules, and
  // so libcrypto) + that change, OpenSSL's first use included.
  const coldAdded = (l: Label, base: Label) => median(cold[l]) - median(cold[base]);
  const coldExtra = { of: 'pam_start + the first change of a process', processes: rounds * coldRuns, ...context };
  emit('pam_one_change_process_added_ms_p50', coldAdded('up', 'baseline-up'), 'ms', { bridge: 'up', ...coldExtra });
  emit('pam_one_change_process_added_ms_p50', coldAdded('down', 'baseline-down'), 'ms', { bridge: 'down', ...coldExtra });
  emit('pam_exec_one_change_process_added_ms_p50', coldAdded('pamexec', 'baseline-up'), 'ms', { hook: 'sh | nc -U', ...coldExtra });
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---- lsa: the time PasswordChangeNotify keeps LSA's thread, bridge up and down ----------------------------
//
// The real pwbridge_filter.dll in harness.exe (native/lsa/test/harness.c) under Wine, which times each call
// with QueryPerformanceCounter around PasswordChangeNotify alone. Bridge up: a real `pwbridge run` at the
// end of the pipe (harness.exe serves the pipe and relays to TCP, a relay here carries it to the service's
// Unix socket). Bridge down: no pipe at all, so the DLL spools. After every burst of 100 calls the harness
// waits until the DLL delivered them (up: all ACKed) or spooled them (down: all on disk, then removed), so
// each timed call finds room in the queue as a rare real change does: a full queue is another, cheaper path
// (count and return) that this does not time. The service's journal must hold every delivered change.
async function benchLsa(): Promise<void> {
  const calls = intEnv('PWB_BENCH_LSA_CALLS', 100_000, 1_000, 10_000_000);
  const burst = 100;
  const warmup = 2_000;
  const missing = windowsPartsMissing();
  if (missing.fail || missing.skip) throw new Error(`the lsa bench needs the Windows filter and Wine: ${missing.fail ?? missing.skip}`);
  // npm run bench has built it; this covers `node dist/bench/run.js lsa` after a change to the C.
  execFileSync('sh', [path.join(repoRoot(), 'native', 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const wine = execFileSync(WINE, ['--version'], { encoding: 'utf8' }).trim();
  progress(`lsa: ${calls} PasswordChangeNotify calls per mode (+${warmup} warm-up), in bursts of ${burst}, under ${wine}`);
  winePrefix();
  const svc = await startService(0);
  const relay = await startRelay(toSocket(svc.socketPath));
  const h = await LsaHarness.start();
  const results: Record<'up' | 'down', number[]> = { up: [], down: [] };
  const pressure0 = cpuPressureUs();
  const t0 = performance.now();
  try {
    await h.cmd(`load ${winPath(FILTER_DLL)}`);
    await h.cmd('reg clear');
    const sid = (await h.cmd('sid')).split(' ')[1];
    await h.reg('DataDir', 'sz', winPath(svc.dataDir));
    await h.reg('PipeName', 'sz', `\\\\.\\pipe\\pwbridge-bench-${process.pid}`);
    await h.reg('ServiceSid', 'sz', sid);
    await h.reg('SpoolMax', 'dword', 1_000_000); // the bench removes what it spooled, the DLL keeps counting
    await h.cmd(`serve relay ${relay.port}`);
    await h.cmd('init');
    for (let i = 0; (await h.stats()).hello === 0; i++) {
      if (i > 400) throw new Error(`the filter never said hello to the service: ${JSON.stringify(await h.stats())}, spooled ${await h.spooled()}`);
      await sleep(50);
    }
    const run = async (mode: 'up' | 'down', n: number) => {
      const [, p50, p99, max, mean] = (await h.cmd(`bench ${n} ${burst} ${mode}`, 3_600_000)).split(' ').map(Number);
      return { p50, p99, max, mean };
    };
    await run('up', warmup);
    const up = await run('up', calls);
    progress(`lsa: bridge up, p50 ${(up.p50 / 1000).toFixed(2)} µs, p99 ${(up.p99 / 1000).toFixed(2)} µs (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    // Rows ever stored, not rows left: past 100,000 the journal drops its oldest finished rows (finished-cap.ts),
    // and seq is AUTOINCREMENT, one a stored row.
    const journaled = svc.state().prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").pluck().get() as number;
    if (journaled !== calls + warmup) throw new Error(`the service journaled ${journaled} of the ${calls + warmup} changes`);
    await h.cmd('serve off'); // the service is still running; the pipe is gone, as when it is stopped
    await run('down', warmup);
    const down = await run('down', calls);
    progress(`lsa: bridge down, p50 ${(down.p50 / 1000).toFixed(2)} µs, p99 ${(down.p99 / 1000).toFixed(2)} µs (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    results.up = [up.p50, up.p99, up.max, up.mean];
    results.down = [down.p50, down.p99, down.max, down.mean];
  } finally {
    h.kill();
    await h.exited;
    await relay.close();
    await svc.stop();
  }
  const pressure1 = cpuPressureUs();
  const context: Record<string, unknown> = { calls, burst, runtime: wine, target_p99_us: 20 };
  if (pressure0 !== undefined && pressure1 !== undefined) {
    context.cpu_pressure_pct = Math.round(((pressure1 - pressure0) / 1000 / (performance.now() - t0)) * 1000) / 10;
  }
  for (const mode of ['up', 'down'] as const) {
    const [p50, p99, max, mean] = results[mode].map((ns) => round3(ns / 1000));
    emit('lsa_notify_us_p50', p50, 'us', { bridge: mode, mean_us: mean, ...context });
    emit('lsa_notify_us_p99', p99, 'us', { bridge: mode, max_us: max, ...context });
  }
}

async function main(): Promise<void> {
  // `pipeline` runs both; `pipeline_applied` or `pipeline_coalesced` runs one.
  if (want('pipeline_applied')) await benchApplied();
  if (want('pipeline_coalesced')) await benchCoalesced();
  if (want('latency')) await benchLatency();
  if (want('burst')) await benchBurst();
  if (want('reconcile')) await benchReconcile();
  if (want('pam')) await benchPam();
  if (want('lsa')) await benchLsa();
  if (want('hub_agents')) await benchHubAgents(emit, SERVICE_NODE_FLAGS, cpuPressureUs);
  if (want('hub_views')) await benchHubViews(emit, SERVICE_NODE_FLAGS);
  if (want('journal')) await benchJournalAppend(emit, progress);
  if (want('windows')) await benchWindowsCapture(emit, progress);
  if (want('win_pipe')) await benchWinPipe(emit, progress);
  if (servicePeakRss) emit('rss_mb', servicePeakRss / 1024 / 1024, 'MB', { of: 'the pwbridge run process, peak (VmHWM) over the load scenarios' });
}

// Exit when done: the hub scenario's PostgreSQL cluster is shared by the process and stops when it ends.
main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  // Exit now: a scenario that failed half way may leave a child or a Wine server holding the event loop,
  // and the exit handlers are what end them (a lingering one would load the machine for the next run).
  process.exit(1);
});
