// The hub-side fault scenarios' world, all real processes: a PostgreSQL cluster of the scenario's own
// (pg-cluster.ts, so it may be restarted), one or more `pwbridge hub` processes on it, and agents, each a
// `pwbridge run` with its own data dir enrolled by `pwbridge setup` (as an administrator does), fed by a
// capture speaking the real protocol over its real socket (test/helpers/capture-client.ts).
//
// Every acked change goes into a Ledger; the judge is the vault, read through the hub's API as an admin.
// A hub listens on a port fixed at the start, so it can be stopped and started again where its agents
// (or haproxy) expect it. Each account is a machine's own credential `MACHINE\user` in Report Mismatches
// mode, made through the API before the agents start (version 1): captures change it, reconcile does not.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { dataPaths } from '../../src/config/paths';
import { readBootId } from '../../src/platform/linux/pam-stack';
import { loadKeys, wipeKeys } from '../../src/protocol/keys';
import type { SqliteDatabase } from '../../src/sqlite/database';
import { defaultSqliteDriver } from '../../src/sqlite/drivers';
import { HubClient } from '../../src/vault/hub-client';
import { HttpVault } from '../../src/vault/http.vault';
import { CaptureClient } from '../helpers/capture-client';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';
import { Ledger, type SentChange, type VaultView } from './ledger';
import { PgCluster } from './pg-cluster';

export const CLIENT = 'Acme';
/** The service's V8 flags (bin/pwbridge's shebang line), which a spawn through process.execPath skips. */
const NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];
const BIN = () => path.join(repoRoot(), 'bin', 'pwbridge');
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Every child this process started, ended when it exits however it exits (a failed scenario included). */
const children = new Set<ChildProcess>();
process.once('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/** A port the OS says is free now (bound and closed): a hub must come back on the same one. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A child with its stderr kept (the last 64 KiB) and its end awaitable. */
interface Proc {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `stdin` (written, then closed) is the caller's copy to give away: it is wiped once written. */
export function startProc(argv: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: Buffer } = {}): Proc {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], env: opts.env ?? process.env });
  children.add(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-65536); });
  child.stdin!.on('error', () => undefined);
  // A password on stdin is wiped once the pipe has taken it (not before: the write may be queued).
  child.stdin!.end(opts.stdin, () => opts.stdin?.fill(0));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal });
  }));
  return { child, stderr: () => err, exited };
}

async function waitFor(what: string, pred: () => boolean, proc: Proc | undefined, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: the process exited (${proc.child.exitCode}): ${proc.stderr().slice(-2000)}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${proc ? `: ${proc.stderr().slice(-2000)}` : ''}`);
    await sleep(50);
  }
}

/** Poll `fn` until it returns something other than undefined. */
export async function pollUntil<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms: number, every = 250): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await sleep(every);
  }
}

/** `fn` over `items`, at most four at a time (the machine has two cores). */
async function fourAtATime<T>(items: T[], fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(4, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

// ---- hubs -----------------------------------------------------------------------------------------------

export class HubProc {
  proc?: Proc;
  fingerprint = '';
  /** Every start of this hub, for the scenario's detail. */
  starts = 0;
  /** How it ended when nobody stopped it (a crash), with the end of its stderr. */
  crashed?: { code: number | null; signal: NodeJS.Signals | null; stderr: string };
  private stopping = false;

  constructor(readonly name: string, readonly dir: string, readonly port: number, private readonly db: string, private readonly adminPassword: Buffer) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.child.exitCode === null && this.proc.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  async start(): Promise<void> {
    const stdin = Buffer.concat([this.adminPassword, Buffer.from('\n')]);
    const proc = startProc([process.execPath, BIN(), '--data-dir', this.dir, 'hub', '--db', this.db,
      '--listen', `127.0.0.1:${this.port}`, '--admin-password-stdin'], { stdin });
    this.proc = proc;
    this.stopping = false;
    void proc.exited.then((r) => {
      if (!this.stopping) this.crashed = { ...r, stderr: proc.stderr().slice(-3000) };
    });
    await waitFor(`hub ${this.name} to listen`, () => /certificate SHA-256 fingerprint/.test(proc.stderr()), proc, 60_000);
    this.fingerprint = /certificate SHA-256 fingerprint ([0-9A-F:]{95})/.exec(proc.stderr())![1];
    this.starts++;
  }

  /** SIGTERM and wait (the hub answers its open long polls and closes). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.proc!.child.kill('SIGTERM');
    await this.proc!.exited;
  }

  /** SIGKILL: no goodbye to anyone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.proc!.child.kill('SIGKILL');
    await this.proc!.exited;
  }

  /** The hub's own log lines (pino JSON), e.g. the statuses it answered. */
  logLines(): Array<Record<string, unknown>> {
    const file = path.join(this.dir, 'log', 'hub.log');
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  }
}

// ---- agents ---------------------------------------------------------------------------------------------

export interface AgentOptions {
  /** This machine's clock minus the true time (ms): the service runs with a Date shifted by it, and its capture stamps with it. */
  clockOffsetMs?: number;
}

export class Agent {
  proc?: Proc;
  capture?: CaptureClient;
  readonly accounts: string[];

  constructor(readonly machine: string, readonly dir: string, accounts: number, readonly opts: AgentOptions = {}) {
    this.accounts = Array.from({ length: accounts }, (_, k) => `${machine.toLowerCase().replace(/[^a-z0-9]/g, '')}u${k}`);
  }

  get socketPath(): string {
    return path.join(this.dir, 'run', 'capture.sock');
  }

  /** Now, by this machine's clock. */
  now(): number {
    return Date.now() + (this.opts.clockOffsetMs ?? 0);
  }

  async start(): Promise<void> {
    const preload = this.opts.clockOffsetMs ? ['--require', path.join(__dirname, 'skewed-clock.js')] : [];
    const env = { ...process.env, NO_COLOR: '1', PWB_FAULTS_CLOCK_OFFSET_MS: String(this.opts.clockOffsetMs ?? 0) };
    const proc = startProc([process.execPath, ...NODE_FLAGS, ...preload, BIN(), '--data-dir', this.dir, 'run'], { env });
    this.proc = proc;
    await waitFor(`the service ${this.machine} to serve`, () => /serving .*capture\.sock/.test(proc.stderr()), proc, 60_000);
    await this.connectCapture();
  }

  /**
   * The capture's connection, made again when the service closed it: it closes one idle for 30 s, and a
   * real capture connects per change anyway.
   */
  async connectCapture(): Promise<CaptureClient> {
    if (this.capture && this.capture.session.state === 'ready') return this.capture;
    this.capture?.destroy();
    const keys = loadKeys(dataPaths(this.dir).keysDir);
    try {
      this.capture = await CaptureClient.connect(this.socketPath, {
        secret: keys.secret, bridgePub: keys.publicKey, bootId: Buffer.from(readBootId().replace(/-/g, ''), 'hex'),
        machine: this.machine, timeoutMs: 20_000, now: () => this.now(),
      });
      return this.capture;
    } finally {
      wipeKeys(keys);
    }
  }

  async stop(): Promise<void> {
    this.capture?.destroy();
    this.capture = undefined;
    if (!this.proc || this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGTERM');
    await this.proc.exited;
  }

  /** The service's pino log, parsed. */
  logLines(): Array<Record<string, unknown>> {
    const file = dataPaths(this.dir).logFile;
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  }

  private db?: SqliteDatabase;

  /** The journal as the service keeps it (read-only): counts by state and outcome. */
  journal(): { pending: number; done: number; superseded: number; dead: number; byOutcome: Record<string, number>; maxAttempts: number } {
    this.db ??= defaultSqliteDriver().open(dataPaths(this.dir).stateDb, { readonly: true });
    const rows = this.db.prepare('SELECT state, outcome, count(*) AS n, max(attempts) AS a FROM journal GROUP BY state, outcome').all() as Array<{ state: string; outcome: string | null; n: number; a: number }>;
    const out = { pending: 0, done: 0, superseded: 0, dead: 0, byOutcome: {} as Record<string, number>, maxAttempts: 0 };
    for (const r of rows) {
      out[r.state as 'pending'] += r.n;
      const k = r.outcome?.replace(/ by .*/, '');
      if (k) out.byOutcome[k] = (out.byOutcome[k] ?? 0) + r.n;
      out.maxAttempts = Math.max(out.maxAttempts, r.a ?? 0);
    }
    return out;
  }

  /** A few pending entries: attempts, when the next falls due, the last error. */
  pendingRows(limit: number): Array<Record<string, unknown>> {
    this.db ??= defaultSqliteDriver().open(dataPaths(this.dir).stateDb, { readonly: true });
    return this.db.prepare(`SELECT account, attempts, next_attempt_at - ? AS next_in_ms, last_error FROM journal
      WHERE state = 'pending' LIMIT ${Math.floor(limit)}`).all(Date.now()) as Array<Record<string, unknown>>;
  }

  closeJournal(): void {
    this.db?.close();
    this.db = undefined;
  }
}

// ---- the fleet ------------------------------------------------------------------------------------------

export interface FleetOptions {
  hubs: number;
  agents: number;
  accountsPerAgent: number;
  /** Per agent index: its AgentOptions. */
  agentOptions?: (i: number) => AgentOptions;
  /** Where agents enrol and connect (a proxy in front of the hubs); default: the first hub's URL. */
  agentUrl?: (hubs: HubProc[], dir: string) => Promise<string>;
  /** config.json fields every agent gets besides machine, reconcileInterval and pamDir. */
  agentConfig?: Record<string, unknown>;
  progress(msg: string): void;
}

export class HubFleet {
  readonly ledger = new Ledger();
  /** What went into the ledger, for scenarios that look at one account's changes. */
  private readonly sentLog: SentChange[] = [];
  readonly hubs: HubProc[] = [];
  readonly agents: Agent[] = [];
  admin?: HttpVault;
  agentUrl = '';
  /** The scenario's own PostgreSQL (pg-cluster.ts): one a scenario may restart. */
  pg?: PgCluster;
  private readonly database = 'faults';
  private readonly tmp = makeTempDir('pwbridge-faults-hub-');
  private readonly adminPassword = Buffer.from(randomBytes(18).toString('base64url'));
  private counter = 0;

  private constructor(readonly opts: FleetOptions) {}

  get dbUrl(): string {
    return this.pg!.url(this.database);
  }

  /** PostgreSQL, the hubs (the first makes the vault key and certificate, the others get copies), the vault's accounts, the agents. */
  static async start(opts: FleetOptions): Promise<HubFleet> {
    const f = new HubFleet(opts);
    try {
      await f.init();
      return f;
    } catch (err) {
      await f.stop();
      throw err;
    }
  }

  private async init(): Promise<void> {
    const { progress } = this.opts;
    this.pg = await PgCluster.start();
    for (let h = 0; h < this.opts.hubs; h++) {
      const dir = path.join(this.tmp.dir, `hub${h}`);
      fs.mkdirSync(dir, { mode: 0o700 });
      if (h > 0) {
        // A second hub machine gets the first one's vault key and TLS certificate (agents pin one certificate).
        for (const rel of ['keys/vault.key', 'keys/hub-tls.key', 'tls/hub.crt']) {
          fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true, mode: 0o700 });
          fs.copyFileSync(path.join(this.tmp.dir, 'hub0', rel), path.join(dir, rel));
        }
      }
      const hub = new HubProc(`hub${h}`, dir, await freePort(), this.dbUrl, this.adminPassword);
      await hub.start();
      this.hubs.push(hub);
    }
    if (new Set(this.hubs.map((h) => h.fingerprint)).size !== 1) throw new Error('the hubs present different certificates');
    this.agentUrl = this.opts.agentUrl ? await this.opts.agentUrl(this.hubs, this.tmp.dir) : this.hubs[0].url;
    progress(`${this.hubs.length} hub process(es) on one PostgreSQL database; agents use ${this.agentUrl}`);

    // The admin goes where the agents go (through a proxy, when there is one).
    this.admin = HttpVault.open({ url: this.agentUrl, fingerprint: this.hubs[0].fingerprint }, await this.login(this.hubs[0]));
    await this.admin.addClient({ name: CLIENT, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
    for (let i = 0; i < this.opts.agents; i++) {
      const machine = `WS${String(i).padStart(3, '0')}`;
      const dir = path.join(this.tmp.dir, machine);
      fs.mkdirSync(path.join(dir, 'pam.d'), { recursive: true, mode: 0o700 });
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine, reconcileInterval: '1h', pamDir: path.join(dir, 'pam.d'), ...this.opts.agentConfig }));
      const agent = new Agent(machine, dir, this.opts.accountsPerAgent, this.opts.agentOptions?.(i));
      this.agents.push(agent);
      for (const account of agent.accounts) {
        const c = await this.admin.addCredential({ client: CLIENT, username: `${machine}\\${account}`, password: Buffer.from(`initial-${account}`), windowsSync: true, mode: 'report' });
        this.ledger.base(account, c.version);
      }
    }
    // Enrolment, four at a time (each `pwbridge setup` logs in: a scrypt on the hub).
    await fourAtATime(this.agents, async (a) => {
      const stdin = Buffer.concat([Buffer.from('admin\n'), this.adminPassword, Buffer.from('\n')]);
      const setup = startProc([process.execPath, BIN(), '--data-dir', a.dir, 'setup', '--hub', this.agentUrl,
        '--insecure-fingerprint', this.hubs[0].fingerprint, '--client', CLIENT], { stdin });
      const r = await setup.exited;
      if (r.code !== 0) throw new Error(`pwbridge setup of ${a.machine} failed (${r.code ?? r.signal}): ${setup.stderr()}`);
    });
    progress(`${this.agents.length} agents enrolled (pwbridge setup), ${this.opts.accountsPerAgent} accounts each`);
    await fourAtATime(this.agents, (a) => a.start());
    progress(`${this.agents.length} services running (pwbridge run), each with its capture connected`);
  }

  /** Admin requests that got no answer and were sent again (through a proxy during a failover). */
  adminRetries = 0;

  /**
   * An admin request, sent again (up to 5 times, 1 s apart) when it got no answer at all: the scenario's
   * own reads and writes go through the same proxy as the agents, and an agent retries too (its journal).
   */
  async retrying<T>(fn: (admin: HttpVault) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(this.admin!);
      } catch (err) {
        const noAnswer = typeof (err as NodeJS.ErrnoException).code === 'string' || /socket disconnected|socket hang up/.test((err as Error).message);
        if (!noAnswer || attempt >= 5) throw err;
        this.adminRetries++;
        await sleep(1000);
      }
    }
  }

  /** A session token for the admin on `hub`. */
  async login(hub: HubProc): Promise<string> {
    const anon = new HubClient({ url: hub.url, fingerprint: hub.fingerprint });
    try {
      const r = await anon.request('POST', '/api/login', { user: 'admin', password: this.adminPassword.toString('base64'), bearer: true });
      if (r.status !== 200) throw new Error(`admin login: HTTP ${r.status}`);
      return r.body.token as string;
    } finally {
      anon.close();
    }
  }

  /**
   * One captured change of `account` on `agent`, in the ledger; resolves with whether it was acked (an
   * ack is the service's promise that the change is durable in its journal).
   */
  async change(agent: Agent, account: string, opts: { capturedAt?: number; ackWithinMs?: number } = {}): Promise<{ acked: boolean; ackMs: number; eventIdHex: string; capturedAt: number }> {
    const password = `${account}-${++this.counter}-${randomBytes(4).toString('hex')}`;
    const capturedAt = opts.capturedAt ?? agent.now();
    const t0 = Date.now();
    let s: ReturnType<CaptureClient['send']>;
    try {
      s = (await agent.connectCapture()).send({ account, encoding: 1, password: Buffer.from(password), capturedAt });
    } catch {
      // The service is not there to take it (a real capture would spool it): not sent, not in the ledger.
      return { acked: false, ackMs: Date.now() - t0, eventIdHex: '', capturedAt };
    }
    // The ledger keeps true times (this machine's clock less its offset), so changes from machines with
    // different clocks and the hub's own writes compare as they happened.
    this.record({ account, password, eventIdHex: s.eventIdHex, capturedAt: capturedAt - (agent.opts.clockOffsetMs ?? 0) });
    const within = opts.ackWithinMs ?? 10_000;
    const acked = await Promise.race([s.acked.then(() => true, () => false), sleep(within).then(() => false)]);
    if (acked) this.ledger.acked(s.eventIdHex);
    return { acked, ackMs: Date.now() - t0, eventIdHex: s.eventIdHex, capturedAt };
  }

  private record(c: SentChange): void {
    this.ledger.sent(c);
    this.sentLog.push(c);
  }

  changesOf(account: string): SentChange[] {
    return this.sentLog.filter((c) => c.account === account);
  }

  /** A password set in the vault by the admin (through the hub's API), in the ledger with the hub's time of it. */
  async vaultWrite(account: string): Promise<number> {
    const agent = this.agents.find((a) => a.accounts.includes(account))!;
    const password = `${account}-admin-${++this.counter}-${randomBytes(4).toString('hex')}`;
    const c = await this.retrying((v) => v.updateCredential(CLIENT, `${agent.machine}\\${account}`, { password: Buffer.from(password) }));
    const id = `admin-${this.counter}`;
    this.record({ account, password, eventIdHex: id, capturedAt: c.passwordSetAt });
    this.ledger.acked(id);
    return c.passwordSetAt;
  }

  /** The vault's view of one account, through the hub's API as the admin. */
  async view(account: string): Promise<VaultView | undefined> {
    const agent = this.agents.find((a) => a.accounts.includes(account))!;
    const c = await this.retrying((v) => v.findCredential(CLIENT, `${agent.machine}\\${account}`));
    if (!c) return undefined;
    const pw = await this.retrying((v) => v.readPassword(c.id));
    try {
      return { version: c.version, passwordSetAt: c.passwordSetAt, password: pw.toString('utf8') };
    } finally {
      pw.fill(0);
    }
  }

  async flags(account: string): Promise<string[]> {
    const agent = this.agents.find((a) => a.accounts.includes(account))!;
    return (await this.retrying((v) => v.findCredential(CLIENT, `${agent.machine}\\${account}`)))?.flags ?? [];
  }

  /** Pending entries over every agent's journal. */
  pending(): number {
    return this.agents.reduce((n, a) => n + a.journal().pending, 0);
  }

  /** Wait until no agent's journal holds a pending entry; resolves with when that was seen. */
  async drained(ms: number): Promise<number> {
    try {
      await pollUntil('every journal to drain', () => (this.pending() === 0 ? true : undefined), ms, 100);
    } catch (err) {
      throw new Error(`${(err as Error).message}; still pending: ${JSON.stringify(this.pendingSample())}`);
    }
    return Date.now();
  }

  /** A few pending entries with their attempts, next try and last error, for a failure's message. */
  pendingSample(): Array<Record<string, unknown>> {
    return this.agents.flatMap((a) => a.pendingRows(2)).slice(0, 6);
  }

  /** Journal counts summed over the agents. */
  journalTotals(): { pending: number; done: number; superseded: number; dead: number; byOutcome: Record<string, number>; maxAttempts: number } {
    const t = { pending: 0, done: 0, superseded: 0, dead: 0, byOutcome: {} as Record<string, number>, maxAttempts: 0 };
    for (const a of this.agents) {
      const j = a.journal();
      t.pending += j.pending; t.done += j.done; t.superseded += j.superseded; t.dead += j.dead;
      for (const [k, v] of Object.entries(j.byOutcome)) t.byOutcome[k] = (t.byOutcome[k] ?? 0) + v;
      t.maxAttempts = Math.max(t.maxAttempts, j.maxAttempts);
    }
    return t;
  }

  /** Every service still running (none crashed). */
  agentsAlive(): boolean {
    return this.agents.every((a) => a.proc !== undefined && a.proc.child.exitCode === null && a.proc.child.signalCode === null);
  }

  async stop(): Promise<void> {
    for (const a of this.agents) { a.closeJournal(); await a.stop().catch(() => undefined); }
    await this.admin?.close();
    for (const h of this.hubs) await h.stop().catch(() => undefined);
    this.adminPassword.fill(0);
    this.pg?.stopNow();
    this.tmp.cleanup();
  }
}

/** Root: the services and setup write keys as their owner expects, and PostgreSQL runs as `postgres` under root. */
export function hubFleetMissing(): string | undefined {
  if (process.platform !== 'linux') return 'the hub scenarios run on Linux';
  if (process.getuid?.() !== 0) return 'the hub scenarios run the services as root, as deployed (run as root)';
  return undefined;
}

/** An integer environment knob with its default. */
export function knob(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number ≥ 0, got ${JSON.stringify(raw)}`);
  return v;
}

/**
 * Captures at a steady pace on every agent until stopped: each agent's changes go one at a time (the next
 * after the previous one's ack or its deadline), round-robin over its accounts, as users changing
 * passwords one after another on that machine. Every ack's latency is kept with its time.
 */
export class CaptureLoad {
  readonly acks: Array<{ at: number; ms: number; acked: boolean; machine: string }> = [];
  private stopped = false;
  private readonly loops: Promise<void>[];

  constructor(fleet: HubFleet, perAgentPerS: number, agents: Agent[] = fleet.agents) {
    const gap = 1000 / perAgentPerS;
    this.loops = agents.map(async (agent, i) => {
      await sleep((gap * i) / agents.length); // spread the agents over one gap
      for (let n = 0; !this.stopped; n++) {
        const t0 = Date.now();
        const r = await fleet.change(agent, agent.accounts[n % agent.accounts.length], { ackWithinMs: 10_000 });
        this.acks.push({ at: t0, ms: r.ackMs, acked: r.acked, machine: agent.machine });
        await sleep(Math.max(0, gap - (Date.now() - t0)));
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** Captures sent within [from, to], how many were not acked in time, and the slowest ack (ms). */
  window(from = 0, to = Infinity): { sent: number; notAcked: number; maxAckMs: number } {
    const xs = this.acks.filter((a) => a.at >= from && a.at <= to);
    return { sent: xs.length, notAcked: xs.filter((a) => !a.acked).length, maxAckMs: xs.reduce((m, a) => Math.max(m, a.ms), 0) };
  }
}

/** Whether `npm run faults` runs this (full knobs) rather than the CI test (reduced ones). */
export function fullRun(): boolean {
  return /[\\/]faults[\\/]run\.js$/.test(require.main?.filename ?? '');
}
