// Simulated agents for the hub_agents bench (bench/hub-agents.ts), several hundred per process: each one
// is what a pwbridge service on a machine does against the hub, through the real HttpVault/HubClient (its
// own agent token, its own keep-alive HTTPS agent, pinned to the hub's certificate):
// - one push-down long poll open at a time (GET /api/changes, 25 s waits, as src/service/bridge.ts);
// - a reconcile pass on every (re)connect, on every `changed`, and every interval, as src/reconcile makes
//   them against the VaultPort: getClient, listCredentials, then per credential whose vault version moved
//   since the last pass readPassword (Change Password: set it; Report Mismatches: verify it), events via
//   appendEvents, a flag when a local password drifts (setFlag), and recordMachine after the pass.
// The local side (accounts, memos) is simulated: the machine "had run before", so the first pass only
// takes note of the versions it finds (a fresh fleet's first round would read every password once).
// Tokens arrive over IPC, never argv or env. Timing is client-side, per VaultPort call.
import { performance } from 'node:perf_hooks';
import type { Credential } from '../src/domain/types';
import { HttpVault } from '../src/vault/http.vault';

export interface AgentSpec {
  /** Position in the whole fleet: spreads the reconcile timers evenly over the interval. */
  index: number;
  machine: string;
  client: string;
  token: string;
}

export type ToWorker =
  | { type: 'start'; url: string; fingerprint: string; agents: AgentSpec[]; fleet: number; intervalMs: number; rampMs: number; driftPerPass: number }
  | { type: 'measure'; from: number }
  | { type: 'stop' };

export interface WorkerResult {
  /** Client-side latency (ms) of every successful VaultPort call started in the measured window, by method. */
  latency: Record<string, number[]>;
  /** Wall-clock ms at which a long poll answered `changed`, by machine. */
  changedAt: Record<string, number[]>;
  calls: number;
  errors: number;
  /** Failed calls started in the measured window (beside the latency figures: the error rate). */
  measuredErrors: number;
  /** The first few error messages (no secrets: HttpVault's messages carry method and status). */
  errorSamples: string[];
  passes: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; calls: number; errors: number; passes: number }
  | { type: 'result'; result: WorkerResult }
  | { type: 'failed'; error: string };

/**
 * One clock for stamps compared across processes (a change seen here against a write made by the parent):
 * the system's wall clock, which every process reads alike. performance.timeOrigin + now() is not: each
 * process fixes its own origin, and two of them drift apart by milliseconds. Durations use performance.now().
 */
const wallNow = () => Date.now();
const POLL_WAIT_MS = 25_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const result: WorkerResult = { latency: {}, changedAt: {}, calls: 0, errors: 0, measuredErrors: 0, errorSamples: [], passes: 0 };
let measureFrom = Infinity;
let stopping = false;

/**
 * Times one call. Only successful calls go into the latency figures (a refused or failed call that returns
 * fast would flatter them, one that times out would not be an API time); failures are counted, and those
 * in the measured window are the error rate printed beside the p99.
 */
async function timed<T>(method: string, fn: () => Promise<T>): Promise<T> {
  const measured = wallNow() >= measureFrom;
  const t0 = performance.now();
  try {
    const out = await fn();
    if (measured) (result.latency[method] ??= []).push(performance.now() - t0);
    return out;
  } catch (err) {
    result.errors++;
    if (measured) result.measuredErrors++;
    if (result.errorSamples.length < 5) result.errorSamples.push(`${method}: ${(err as Error).message}`);
    throw err;
  } finally {
    result.calls++;
  }
}

class SimAgent {
  private readonly vault: HttpVault;
  /** credential id → the vault version this machine last acted on (the reconcile memo). */
  private readonly memo = new Map<number, number>();
  private flagged: number | undefined;
  private running = false;
  private again = false;
  private seeded = false;
  private timer?: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private pollLoop: Promise<void> = Promise.resolve();
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(private readonly spec: AgentSpec, url: string, fingerprint: string, private readonly driftPerPass: number) {
    this.vault = HttpVault.open({ url, fingerprint }, spec.token);
    this.ready = new Promise((r) => (this.markReady = r));
  }

  start(firstTimerMs: number, intervalMs: number): void {
    this.pollLoop = this.poll();
    this.timer = setTimeout(() => {
      this.timer = setInterval(() => this.pass(), intervalMs);
      this.pass();
    }, firstTimerMs);
  }

  private async poll(): Promise<void> {
    let cursor = '';
    while (!stopping) {
      try {
        const r = await this.vault.waitForChanges(cursor, POLL_WAIT_MS, this.abort.signal);
        const connected = cursor === '';
        cursor = r.cursor;
        if (r.changed) (result.changedAt[this.spec.machine] ??= []).push(wallNow());
        if (connected || r.changed) this.pass();
      } catch (err) {
        if (stopping) return;
        result.errors++;
        if (result.errorSamples.length < 5) result.errorSamples.push(`changes: ${(err as Error).message}`);
        cursor = '';
        await sleep(1000);
      }
    }
  }

  /** One reconcile pass; passes never overlap, and triggers during one collapse into one more. */
  private pass(): void {
    if (stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.reconcile().catch(() => undefined).finally(() => {
      this.running = false;
      if (!this.seeded) return;
      this.markReady();
      if (this.again) {
        this.again = false;
        this.pass();
      }
    });
  }

  private async reconcile(): Promise<void> {
    const { client, machine } = this.spec;
    result.passes++;
    const c = await timed('getClient', () => this.vault.getClient(client));
    if (!c?.windowsSync) return;
    const creds = await timed('listCredentials', () => this.vault.listCredentials(client));
    const events: Array<{ kind: string; outcome: 'ok' | 'flagged'; credentialId: number; account: string; reason: string }> = [];
    if (!this.seeded) {
      for (const cr of creds) this.memo.set(cr.id, cr.version);
      this.seeded = true;
    } else {
      for (const cr of creds) {
        if (this.memo.get(cr.id) === cr.version) continue;
        // A new vault version: read it (set it locally in Change Password mode, verify it in Report mode).
        const pw = await timed('readPassword', () => this.vault.readPassword(cr.id));
        pw.fill(0);
        this.memo.set(cr.id, cr.version);
        if (cr.mode === 'change') events.push(ev(cr, 'password-set', 'ok', `local password set from vault version ${cr.version}`));
      }
      await this.drift(creds, events);
    }
    if (events.length > 0) {
      const now = Date.now();
      await timed('appendEvents', () => this.vault.appendEvents(events.map((e) => ({ ...e, time: now, machine }))));
    }
    await timed('recordMachine', () => this.vault.recordMachine({ name: machine, client, filterState: 'active', journalDepth: 0 }));
  }

  /** Now and then a local password drifts from a Report Mismatches credential: flagged, and cleared on the next pass. */
  private async drift(creds: Credential[], events: Array<ReturnType<typeof ev>>): Promise<void> {
    if (this.flagged !== undefined) {
      const id = this.flagged;
      this.flagged = undefined;
      await timed('setFlag', () => this.vault.setFlag(id, 'mismatch', false));
      return;
    }
    if (Math.random() >= this.driftPerPass) return;
    const report = creds.filter((cr) => cr.mode === 'report');
    if (report.length === 0) return;
    const cr = report[Math.floor(Math.random() * report.length)];
    const pw = await timed('readPassword', () => this.vault.readPassword(cr.id));
    pw.fill(0);
    await timed('setFlag', () => this.vault.setFlag(cr.id, 'mismatch', true));
    events.push(ev(cr, 'mismatch-flagged', 'flagged', `local password differs from the vault (version ${cr.version}), mode report`));
    this.flagged = cr.id;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.pollLoop;
    await this.vault.close();
  }
}

const ev = (cr: Credential, kind: string, outcome: 'ok' | 'flagged', reason: string) =>
  ({ kind, outcome, credentialId: cr.id, account: cr.username.split('\\').pop()!, reason });

const send = (m: FromWorker) => process.send!(m);
let agents: SimAgent[] = [];
let progressTimer: NodeJS.Timeout | undefined;

process.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    void (async () => {
      agents = m.agents.map((a) => new SimAgent(a, m.url, m.fingerprint, m.driftPerPass));
      // Connect over the ramp (as machines do after a hub restart with backoff), then each agent's timer
      // fires at its own slot of the interval, so the fleet's passes are spread evenly.
      progressTimer = setInterval(() => send({ type: 'progress', calls: result.calls, errors: result.errors, passes: result.passes }), 10_000);
      const t0 = Date.now();
      for (let i = 0; i < agents.length; i++) {
        const a = m.agents[i];
        const at = t0 + (a.index / m.fleet) * m.rampMs;
        if (at > Date.now()) await sleep(at - Date.now());
        const slot = (a.index / m.fleet) * m.intervalMs;
        agents[i].start(m.rampMs - (Date.now() - t0) + slot, m.intervalMs);
      }
      await Promise.all(agents.map((a) => a.ready));
      send({ type: 'ready' });
    })().catch((err: Error) => send({ type: 'failed', error: err.message }));
  } else if (m.type === 'measure') {
    measureFrom = m.from;
  } else if (m.type === 'stop') {
    stopping = true;
    if (progressTimer) clearInterval(progressTimer);
    void Promise.all(agents.map((a) => a.stop())).then(() => {
      process.send!({ type: 'result', result } satisfies FromWorker, () => process.exit(0));
    });
  }
});
