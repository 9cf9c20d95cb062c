// npm run bench: one JSON object per line {"name", "value", "unit"}. Not part of the tests; the README's
// table holds the figures measured on the project's 2-core machine.
import { execFileSync, fork, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LinuxAccounts } from '../src/platform/linux/linux.accounts';
import { readBootId } from '../src/platform/linux/pam-stack';
import { loadKeys, wipeKeys } from '../src/protocol/keys';
import { reconcileOnce } from '../src/reconcile';
import { SqliteVault } from '../src/vault/sqlite.vault';
import { startHarness, type Harness } from '../test/helpers/bridge-harness';
import { makeTempDir } from '../test/helpers/tmp';
import { repoRoot } from '../test/vectors/repo-root';
import type { LoadResult, LoadSpec } from './load-worker';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.some((o) => name.startsWith(o));
let peakRss = 0;
let atPeak: NodeJS.MemoryUsage | undefined;
const rssTimer = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) { peakRss = m.rss; atPeak = m; }
}, 100);

function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}
const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

interface Target { socketPath: string; secret: Buffer; publicKey: Buffer; bootId: string; machine: string }

const targetOf = (h: Harness): Target => ({
  socketPath: h.config.socketPath, secret: h.install.keys.secret, publicKey: h.install.keys.publicKey,
  bootId: h.install.platform.bootId(), machine: h.config.machine,
});

function load(t: Target, spec: Omit<LoadSpec, 'socketPath' | 'secret' | 'bridgePub' | 'bootId' | 'machine'>): Promise<LoadResult> {
  // The install secret crosses to the load process over the IPC pipe, never argv or the environment.
  const child = fork(path.join(__dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({
    socketPath: t.socketPath,
    secret: t.secret.toString('hex'),
    bridgePub: t.publicKey.toString('hex'),
    bootId: t.bootId,
    machine: t.machine,
    ...spec,
  } satisfies LoadSpec);
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    child.once('error', reject);
    child.once('exit', (code) => { if (code) reject(new Error(`load generator exited with ${code}`)); });
  });
}

/** A bridge whose vault already holds `accounts` credentials BENCH\userN (two-way sync on). */
async function bridgeWithAccounts(accounts: number): Promise<Harness> {
  const h = await startHarness({ config: { machine: 'BENCH', concurrency: 64, logLevel: 'warn' } });
  const vault = h.install.vault as SqliteVault;
  vault.bulkAddCredentials(Array.from({ length: accounts }, (_, i) => ({
    client: 'local', username: `BENCH\\user${i}`, password: Buffer.from(`initial-${i}`), windowsSync: true, mode: 'report' as const,
  })));
  return h;
}

/** Times at which each trace id reached the vault, from the event log's own records. */
function watchApplied(h: Harness): Map<string, number> {
  const applied = new Map<string, number>();
  const events = h.install.events;
  const record = events.record.bind(events);
  events.record = (e) => {
    if (e.traceId && (e.kind === 'change-synced' || e.kind === 'credential-created' || e.kind === 'change-superseded')) {
      applied.set(e.traceId, performance.timeOrigin + performance.now());
    }
    record(e);
  };
  return applied;
}

async function benchThroughput(): Promise<void> {
  const count = 50_000;
  progress(`pipeline: ${count} authenticated frames over 2,000 accounts, as fast as they are acked`);
  const h = await bridgeWithAccounts(2000);
  try {
    const t0 = performance.now();
    const r = await load(targetOf(h), { count, accounts: 2000, rate: 0, window: 4000 });
    await h.bridge.drain();
    const secs = (performance.now() - t0) / 1000;
    if (r.failed) throw new Error(`${r.failed} events were not acked`);
    emit('pipeline_events_per_s', count / secs, 'events/s', { ingest_acked_per_s: Math.round(r.acked / (r.elapsedMs / 1000)) });
  } finally {
    await h.destroy();
  }
}

async function benchLatency(): Promise<void> {
  const rate = 1000;
  const seconds = 10;
  progress(`latency: ${rate} events/s for ${seconds} s, capture to vault`);
  const h = await bridgeWithAccounts(5000);
  const applied = watchApplied(h);
  try {
    const r = await load(targetOf(h), { count: rate * seconds, accounts: 5000, rate, window: 10_000 });
    await h.bridge.drain();
    const lat: number[] = [];
    r.sent.forEach((id, i) => {
      const at = applied.get(id);
      if (at !== undefined) lat.push(at - r.sentAt[i]);
    });
    if (lat.length < r.sent.length) throw new Error(`${r.sent.length - lat.length} events never reached the vault`);
    lat.sort((a, b) => a - b);
    emit('capture_to_vault_p50_ms', lat[Math.floor(lat.length * 0.5)], 'ms');
    emit('capture_to_vault_p99_ms', lat[Math.floor(lat.length * 0.99)], 'ms');
  } finally {
    await h.destroy();
  }
}

/** The V8 flags the service runs with (bin/pwbridge's shebang; the systemd unit passes the same). */
const SERVICE_NODE_FLAGS = (process.env.PWBRIDGE_BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' ').filter(Boolean);

/**
 * The burst runs against the real service, `pwbridge run` in its own process, so its peak RSS (VmHWM) is
 * the service's alone: `rss_mb`. Afterwards the journal is read directly: every acked event must be there,
 * finished.
 */
async function benchBurst(): Promise<number> {
  const count = 100_000;
  progress(`burst: ${count} events at once over 10,000 accounts into a \`pwbridge run\` process; every acked event must be journaled and processed`);
  const tmp = makeTempDir('pwbridge-bench-');
  fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({
    machine: 'BENCH', reconcileInterval: '1h', pamDir: path.join(tmp.dir, 'none'), logLevel: 'warn', concurrency: 64,
  }));
  const service = spawn(process.execPath, [...SERVICE_NODE_FLAGS, path.join(repoRoot(), 'bin/pwbridge'), '--data-dir', tmp.dir, 'run'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((r) => service.once('exit', () => r()));
  try {
    const socketPath = path.join(tmp.dir, 'run', 'capture.sock');
    for (let i = 0; !fs.existsSync(socketPath); i++) {
      if (i > 400) throw new Error('the service did not open its socket');
      await new Promise((r) => setTimeout(r, 50));
    }
    const keys = loadKeys(path.join(tmp.dir, 'keys'));
    const r = await load({ socketPath, secret: keys.secret, publicKey: keys.publicKey, bootId: readBootId().replace(/-/g, ''), machine: 'BENCH' },
      { count, accounts: 10_000, rate: 0, window: 20_000 });
    wipeKeys(keys);
    // Wait until the service has worked through its journal (read-only look at its state.db).
    const state = new Database(path.join(tmp.dir, 'state.db'), { readonly: true, fileMustExist: true });
    const depth = state.prepare("SELECT count(*) FROM journal WHERE state = 'pending'").pluck();
    for (let i = 0; (depth.get() as number) > 0; i++) {
      if (i > 1200) throw new Error('the journal did not drain in 2 minutes');
      await new Promise((res) => setTimeout(res, 100));
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${service.pid}/status`, 'utf8'));
    const stateOf = state.prepare('SELECT state FROM journal WHERE event_id = ?').pluck();
    let lost = count - r.acked;
    for (const id of r.sent) {
      const st = stateOf.get(id) as string | undefined;
      if (st === undefined || st === 'pending') lost++;
    }
    state.close();
    emit('burst_100k_lost', lost, 'events', { acked: r.acked });
    return hwm ? Number(hwm[1]) * 1024 : 0;
  } finally {
    service.kill('SIGTERM');
    await exited;
    tmp.cleanup();
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
  const serviceRss = want('burst') ? await benchBurst() : 0;
  if (want('reconcile')) await benchReconcile();
  clearInterval(rssTimer);
  const mb = (n = 0) => Math.round(n / 1024 / 1024);
  if (serviceRss) emit('rss_mb', serviceRss / 1024 / 1024, 'MB', { of: 'the pwbridge run process, peak (VmHWM) through the 100k burst' });
  emit('bench_process_rss_mb', peakRss / 1024 / 1024, 'MB', { heap_used_mb: mb(atPeak?.heapUsed), heap_total_mb: mb(atPeak?.heapTotal), external_mb: mb(atPeak?.external) });
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
