// hub_agents (issue 5 item 7): a fleet of simulated agents reconciling against ONE hub process on a real
// PostgreSQL, with vault changes pushed down to them meanwhile.
//
// - PostgreSQL: the throwaway cluster of test/helpers/postgres.ts (fsync off: the figures leave out the
//   disk's flush time; the hub's sessions still commit synchronously).
// - The hub: `bin/pwbridge hub --db postgres://…` in its own process, as deployed (same V8 flags); its
//   peak RSS is its /proc/<pid>/status VmHWM at the end.
// - The fleet: AGENTS machines in clients of MACHINES_PER_CLIENT, each enrolled through POST /api/agents
//   with its own token; each machine sees CREDS credentials: SHARED bare `user`s of its client and the rest
//   its own `MACHINE\user`s; a fifth of each are Change Password. The agents run in worker processes
//   (bench/hub-agent-worker.ts) through the real HttpVault; every VaultPort call is timed client-side.
// - Push-down: WRITES_PER_S password changes through the admin API, alternately a shared Change Password
//   credential (reaches every machine of its client) and one machine's own. Per change and affected
//   machine, the time from the write's answer to that machine's long poll answering `changed` (0 when the
//   poll answered before the writer got its answer).
// Env: PWB_BENCH_HUB_AGENTS, _CREDS, _SHARED, _MACHINES_PER_CLIENT, _SECONDS (measured window),
// _INTERVAL_S, _WRITES_PER_S (×10 for tenths: 10 = 1/s), _WORKERS.
// Where the window's time goes (hub_cpu_split): CPU seconds of the hub, of PostgreSQL (postmaster and
// backends), of the agents' processes, of this one and of the rest of the machine, from /proc.
// Diagnostics: PWB_BENCH_HUB_PROBE=FILE preloads bench/hub-probe.ts into the hub (event-loop delay, pool
// waits, server-side time per route, a CPU profile of the window); with PWBRIDGE_PG_OPTIONS=
// "-c shared_preload_libraries=pg_stat_statements" the top statements of the window go to FILE.pg.json.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataPaths } from '../src/config/paths';
import { HttpVault } from '../src/vault/http.vault';
import { PostgresVault } from '../src/vault/postgres.vault';
import { ensureVaultKey } from '../src/vault/secret-box';
import { HubClient } from '../src/vault/hub-client';
import { testPostgres } from '../test/helpers/postgres';
import { makeTempDir } from '../test/helpers/tmp';
import { repoRoot } from '../test/vectors/repo-root';
import type { AgentSpec, FromWorker, ToWorker, WorkerResult } from './hub-agent-worker';
import { machineBusyS, processCpuS, treeCpuS } from './proc-cpu';

type Emit = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

const intEnv = (name: string, dflt: number, min: number, max: number): number => {
  const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer ${min}..${max}`);
  return v;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Stamps compared with the workers' (bench/hub-agent-worker.ts): the wall clock every process reads alike. */
const wallNow = () => Date.now();
/** Above this share of failed calls in the measured window the run fails: its latencies would not mean much. */
const MAX_ERROR_RATE_PCT = 0.1;
const progress = (msg: string) => process.stderr.write(`bench: hub_agents: ${msg}\n`);

function pct(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

export interface HubProcess {
  url: string;
  fingerprint: string;
  child: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** `pwbridge hub` on `db`, the first admin's password on stdin; resolves once it listens. */
export async function startHubProcess(dataDir: string, db: string, adminPassword: Buffer, nodeFlags: string[], hubArgs: string[] = []): Promise<HubProcess> {
  const child = spawn(process.execPath, [...nodeFlags, path.join(repoRoot(), 'bin/pwbridge'), '--data-dir', dataDir,
    'hub', '--db', db, '--listen', '127.0.0.1:0', '--admin-password-stdin', ...hubArgs], { stdio: ['pipe', 'ignore', 'pipe'] });
  child.stdin!.end(Buffer.concat([adminPassword, Buffer.from('\n')]));
  let stderr = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const listening = new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const url = /hub listening on (https:\/\/\S+)/.exec(stderr)?.[1];
      const fp = /fingerprint ([0-9A-F:]{95})/.exec(stderr)?.[1];
      if (url && fp) resolve({ url, fingerprint: fp });
    });
    child.once('exit', (code) => reject(new Error(`the hub exited with ${code} before it listened: ${stderr.trim()}`)));
  });
  const { url, fingerprint } = await Promise.race([listening, sleep(60_000).then(() => { throw new Error(`the hub did not listen in 60 s: ${stderr}`); })]);
  return {
    url, fingerprint, child,
    peakRssMb() {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
      await exited;
    },
  };
}

/** `n` calls of `fn`, at most `width` at a time. */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** `cpuPressureUs`: microseconds some task waited for a CPU so far (PSI), for the window's context. */
export async function benchHubAgents(emit: Emit, nodeFlags: string[], cpuPressureUs: () => number | undefined): Promise<void> {
  const agentsN = intEnv('PWB_BENCH_HUB_AGENTS', 1000, 1, 100_000);
  const creds = intEnv('PWB_BENCH_HUB_CREDS', 50, 1, 10_000);
  const shared = intEnv('PWB_BENCH_HUB_SHARED', 10, 0, creds);
  const perClient = intEnv('PWB_BENCH_HUB_MACHINES_PER_CLIENT', 50, 1, 100_000);
  const seconds = intEnv('PWB_BENCH_HUB_SECONDS', 150, 5, 86_400);
  const intervalS = intEnv('PWB_BENCH_HUB_INTERVAL_S', 60, 1, 3600);
  const writesPer10s = intEnv('PWB_BENCH_HUB_WRITES_PER_S', 10, 1, 1000);
  const workersN = intEnv('PWB_BENCH_HUB_WORKERS', 2, 1, 64);
  const own = creds - shared;
  const clientsN = Math.ceil(agentsN / perClient);
  const clientName = (c: number) => `Client-${String(c).padStart(3, '0')}`;
  const machineName = (i: number) => `WS-${String(Math.floor(i / perClient)).padStart(3, '0')}-${String(i % perClient).padStart(4, '0')}`;
  const isChange = (k: number, of: number) => k < Math.max(1, Math.round(of / 5));
  progress(`${agentsN} agents × ${creds} credentials (${shared} shared), ${clientsN} clients, reconcile every ${intervalS} s, `
    + `${writesPer10s / 10} push-down writes/s, ${seconds} s measured, ${workersN} agent processes`);

  const pg = await testPostgres();
  const database = await pg.createDatabase('bench_hub');
  const tmp = makeTempDir('pwbridge-bench-hub-');
  const adminPassword = randomBytes(18);
  const adminPw = Buffer.from(adminPassword.toString('base64url'));
  adminPassword.fill(0);
  let hub: HubProcess | undefined;
  const workers: ChildProcess[] = [];
  let admin: HttpVault | undefined;
  try {
    // PWB_BENCH_HUB_NODE_FLAGS: more V8 flags for the hub only (e.g. --cpu-prof --cpu-prof-dir=DIR).
    const hubFlags = [...nodeFlags, ...(process.env.PWB_BENCH_HUB_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
    const probe = process.env.PWB_BENCH_HUB_PROBE;
    if (probe) hubFlags.push('--require', path.join(__dirname, 'hub-probe.js'));
    // PWB_BENCH_HUB_DB_CONNECTIONS: the hub's --db-connections (its default when unset), for A/B runs of the pool size.
    const dbConnections = process.env.PWB_BENCH_HUB_DB_CONNECTIONS;
    hub = await startHubProcess(tmp.dir, pg.url(database), adminPw, hubFlags, dbConnections ? ['--db-connections', dbConnections] : []);
    const http = new HubClient({ url: hub.url, fingerprint: hub.fingerprint });
    const login = await http.request('POST', '/api/login', { user: 'admin', password: adminPw.toString('base64'), bearer: true });
    adminPw.fill(0);
    if (login.status !== 200) throw new Error(`admin login: HTTP ${login.status}`);
    const adminToken = login.body.token as string;
    admin = HttpVault.open({ url: hub.url, fingerprint: hub.fingerprint }, adminToken);

    // ---- the vault: clients and credentials, through the admin API -------------------------------------
    const t0 = Date.now();
    const todo: Array<{ client: string; username: string; mode: 'change' | 'report' }> = [];
    for (let c = 0; c < clientsN; c++) {
      await admin.addClient({ name: clientName(c), windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
      for (let k = 0; k < shared; k++) todo.push({ client: clientName(c), username: `shared${k}`, mode: isChange(k, shared) ? 'change' : 'report' });
      for (let i = c * perClient; i < Math.min(agentsN, (c + 1) * perClient); i++) {
        for (let k = 0; k < own; k++) todo.push({ client: clientName(c), username: `${machineName(i)}\\user${k}`, mode: isChange(k, own) ? 'change' : 'report' });
      }
    }
    // Straight into the hub's database with the hub's own vault key (its data dir is this bench's): the
    // API would take minutes for tens of thousands, and setting up is not what is measured.
    const key = ensureVaultKey(dataPaths(tmp.dir).vaultKey);
    const direct = await PostgresVault.open({ url: pg.url(database), key, maxConnections: 8 });
    key.fill(0);
    try {
      await inParallel(todo.length, 8, async (i) => {
        await direct.addCredential({ ...todo[i], password: Buffer.from(`bench-initial-${i}`), windowsSync: true });
      });
    } finally {
      await direct.close();
    }
    progress(`${todo.length} credentials in ${clientsN} clients (straight into PostgreSQL) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    // ---- enrolment: one agent token per machine ------------------------------------------------------------
    const specs: AgentSpec[] = [];
    await inParallel(agentsN, 8, async (i) => {
      const r = await http.request('POST', '/api/agents', { client: clientName(Math.floor(i / perClient)), machine: machineName(i) }, adminToken);
      if (r.status !== 200) throw new Error(`enrolling ${machineName(i)}: HTTP ${r.status} ${JSON.stringify(r.body?.error ?? {})}`);
      specs.push({ index: i, machine: machineName(i), client: clientName(Math.floor(i / perClient)), token: r.body.token as string });
    });
    http.close();
    progress(`${agentsN} agents enrolled (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

    // ---- the fleet ---------------------------------------------------------------------------------------
    const intervalMs = intervalS * 1000;
    const rampMs = Math.min(20_000, intervalMs);
    const results: WorkerResult[] = [];
    let readyCount = 0;
    const counters = new Map<number, { calls: number; errors: number; passes: number }>();
    let failed: Error | undefined;
    const readyAll = new Promise<void>((resolve, reject) => {
      // Rejections before or after the race below are read through `failed`.
      for (let w = 0; w < workersN; w++) {
        const child = fork(path.join(__dirname, 'hub-agent-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        workers.push(child);
        child.on('message', (m: FromWorker) => {
          if (m.type === 'ready' && ++readyCount === workersN) resolve();
          else if (m.type === 'progress') counters.set(w, m);
          else if (m.type === 'result') results.push(m.result);
          else if (m.type === 'failed') reject((failed = new Error(`agent process ${w}: ${m.error}`)));
        });
        child.once('exit', (code) => { if (code) reject((failed = new Error(`agent process ${w} exited with ${code}`))); });
        const mine = specs.filter((s) => s.index % workersN === w).sort((a, b) => a.index - b.index);
        child.send({ type: 'start', url: hub!.url, fingerprint: hub!.fingerprint, agents: mine, fleet: agentsN, intervalMs, rampMs, driftPerPass: 0.02 } satisfies ToWorker);
      }
    });
    for (const s of specs) s.token = ''; // the workers have them; drop this process's copies
    // A hub that cannot keep up never lets the whole fleet through its first pass: measure it as it is then.
    const readyWithin = rampMs + intervalMs + 30_000;
    const settled = await Promise.race([readyAll.then(() => true), sleep(readyWithin).then(() => false)]);
    if (failed) throw failed;
    progress(settled
      ? `all agents connected, each did its first pass (${((Date.now() - t0) / 1000).toFixed(0)} s); measuring for ${seconds} s`
      : `the fleet did not settle within ${readyWithin / 1000} s (${readyCount} of ${workersN} agent processes ready); measuring for ${seconds} s anyway`);

    // ---- the measured window: steady reconciles, and push-down writes at a steady rate --------------------
    const statements = probe ? await pg.query(database, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      .then(() => pg.query(database, 'SELECT pg_stat_statements_reset()')).then(() => true, () => false) : false;
    const postmaster = Number(fs.readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const cpuNow = () => ({
      hub: processCpuS(hub!.child.pid!), postgres: treeCpuS(postmaster),
      agents: workers.reduce((a, w) => a + processCpuS(w.pid!), 0),
      bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, machine: machineBusyS(), at: wallNow(),
    });
    if (probe) hub.child.kill('SIGUSR2');
    const cpu0 = cpuNow();
    const from = wallNow();
    const pressure0 = cpuPressureUs();
    for (const w of workers) w.send({ type: 'measure', from } satisfies ToWorker);
    const writes: Array<{ sent: number; answered: number; machines: string[] }> = [];
    let writeErrors = 0;
    const gapMs = 10_000 / writesPer10s;
    const end = from + seconds * 1000;
    let lastProgress = from;
    const inflight: Promise<void>[] = [];
    for (let k = 0; wallNow() < end && !failed; k++) {
      const due = from + k * gapMs;
      if (due > wallNow()) await sleep(due - wallNow());
      const machineIdx = Math.floor(Math.random() * agentsN);
      const c = Math.floor(machineIdx / perClient);
      const sharedChange = Math.max(1, Math.round(shared / 5));
      const ownChange = Math.max(1, Math.round(own / 5));
      const target = k % 2 === 0 && shared > 0
        ? { username: `shared${k % sharedChange}`, machines: specs.filter((s) => Math.floor(s.index / perClient) === c).map((s) => s.machine) }
        : { username: `${machineName(machineIdx)}\\user${k % ownChange}`, machines: [machineName(machineIdx)] };
      const sent = wallNow();
      inflight.push(admin.updateCredential(clientName(c), target.username, { password: Buffer.from(`bench-pushed-${k}`) }).then(
        () => { writes.push({ sent, answered: wallNow(), machines: target.machines }); },
        () => { writeErrors++; },
      ));
      if (wallNow() - lastProgress >= 10_000) {
        lastProgress = wallNow();
        const sum = [...counters.values()].reduce((a, x) => ({ calls: a.calls + x.calls, errors: a.errors + x.errors, passes: a.passes + x.passes }), { calls: 0, errors: 0, passes: 0 });
        progress(`${((lastProgress - from) / 1000).toFixed(0)} s: ${writes.length} writes, agents: ${sum.passes} passes, ${sum.calls} calls, ${sum.errors} errors; hub RSS peak ${hub.peakRssMb().toFixed(0)} MB`);
      }
    }
    await Promise.all(inflight);
    const cpu1 = cpuNow();
    if (probe) hub.child.kill('SIGUSR2');
    if (statements) {
      const top = await pg.query(database, `SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
        round(mean_exec_time::numeric, 3) AS mean_ms, round(max_exec_time::numeric, 1) AS max_ms, left(query, 300) AS query
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25`);
      fs.writeFileSync(`${probe}.pg.json`, JSON.stringify(top.rows, null, 1));
    }
    if (failed) throw failed;
    // The last writes get their push-down a grace period (within the long polls' 25 s).
    await sleep(10_000);
    const collected = new Promise<void>((resolve) => {
      const check = setInterval(() => { if (results.length === workersN) { clearInterval(check); resolve(); } }, 100);
    });
    for (const w of workers) w.send({ type: 'stop' } satisfies ToWorker);
    await collected;
    const rssMb = hub.peakRssMb();
    const pressure1 = cpuPressureUs();

    // ---- figures ---------------------------------------------------------------------------------------
    const byMethod: Record<string, number[]> = {};
    for (const r of results) for (const [m, xs] of Object.entries(r.latency)) (byMethod[m] ??= []).push(...xs);
    const all = Object.values(byMethod).flat().sort((a, b) => a - b);
    const methods = Object.fromEntries(Object.entries(byMethod).map(([m, xs]) => {
      xs.sort((a, b) => a - b);
      return [m, { calls: xs.length, p50_ms: Math.round(pct(xs, 0.5) * 10) / 10, p99_ms: Math.round(pct(xs, 0.99) * 10) / 10 }];
    }));
    const changedAt: Record<string, number[]> = {};
    for (const r of results) for (const [m, ts] of Object.entries(r.changedAt)) (changedAt[m] ??= []).push(...ts);
    for (const ts of Object.values(changedAt)) ts.sort((a, b) => a - b);
    const push: number[] = [];
    let missed = 0;
    for (const w of writes) {
      for (const m of w.machines) {
        const at = (changedAt[m] ?? []).find((t) => t >= w.sent);
        if (at === undefined) missed++;
        else push.push(Math.max(0, at - w.answered) / 1000);
      }
    }
    push.sort((a, b) => a - b);
    const errors = results.reduce((a, r) => a + r.errors, 0);
    const samples = results.flatMap((r) => r.errorSamples).slice(0, 5);
    if (samples.length) progress(`agent errors (first ${samples.length}): ${samples.join(' | ')}`);
    const context: Record<string, unknown> = { agents: agentsN, credentials_per_agent: creds, clients: clientsN, interval_s: intervalS, window_s: seconds };
    // Share of the window in which some task waited for a CPU: near 0 on a quiet machine.
    if (pressure0 !== undefined && pressure1 !== undefined) context.cpu_pressure_pct = Math.round(((pressure1 - pressure0) / 1000 / (wallNow() - from)) * 1000) / 10;
    // Successful calls only (bench/hub-agent-worker.ts's timed()); the failed ones of the window are the error rate.
    const measuredErrors = results.reduce((a, r) => a + r.measuredErrors, 0);
    const errorRatePct = Math.round((measuredErrors / Math.max(1, all.length + measuredErrors)) * 100_000) / 1000;
    emit('hub_api_p50_ms', pct(all, 0.5), 'ms', { calls: all.length, ...context });
    emit('hub_api_p99_ms', pct(all, 0.99), 'ms', { calls: all.length, failed_calls: measuredErrors, error_rate_pct: errorRatePct, errors_all_run: errors, target: 100, by_method: methods, ...context });
    // Where the window's CPU went: seconds, and per successful API call for the hub and PostgreSQL (long
    // polls and the admin's writes are in those seconds too, but are few beside the calls).
    const d = (k: keyof ReturnType<typeof cpuNow>) => Math.round((cpu1[k] - cpu0[k]) * 100) / 100;
    const windowS = (cpu1.at - cpu0.at) / 1000;
    const perCall = (s: number) => Math.round((s * 1000 / Math.max(1, all.length)) * 100) / 100;
    const split = { hub: d('hub'), postgres: d('postgres'), agents: d('agents'), bench: d('bench'), machine: d('machine') };
    emit('hub_cpu_split', Math.round((split.hub / windowS) * 1000) / 1000, 'cores', {
      of: 'the hub process\'s CPU over the window, in cores; cpu_s: seconds by part (machine = all busy CPU, others = machine minus the parts)',
      cpu_s: { ...split, others: Math.round((split.machine - split.hub - split.postgres - split.agents - split.bench) * 100) / 100 },
      cores_busy: Math.round((split.machine / windowS) * 100) / 100, cpu_window_s: Math.round(windowS * 10) / 10,
      hub_cpu_ms_per_call: perCall(split.hub), postgres_cpu_ms_per_call: perCall(split.postgres), agents_cpu_ms_per_call: perCall(split.agents),
      calls: all.length, ...context,
    });
    emit('pushdown_p50_s', pct(push, 0.5), 's', { deliveries: push.length, ...context });
    emit('pushdown_p99_s', pct(push, 0.99), 's', { deliveries: push.length, writes: writes.length, write_errors: writeErrors, missed, target: 5, ...context });
    emit('hub_rss_mb', rssMb, 'MB', { of: 'the pwbridge hub process, peak (VmHWM)', ...context });
    if (!settled) throw new Error('the fleet never settled (see the figures above): the hub does not hold this load');
    if (errorRatePct > MAX_ERROR_RATE_PCT) throw new Error(`${errorRatePct} % of the measured API calls failed (above ${MAX_ERROR_RATE_PCT} %): the latency figures describe a hub that is failing`);
  } finally {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await admin?.close();
    await hub?.stop();
    tmp.cleanup();
    await pg.query('postgres', `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  }
}
