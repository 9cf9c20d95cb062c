/**
 * What the hub's GET /metrics shows.
 *
 * Two kinds of values, named so a dashboard cannot mix them up:
 * - `pwbridge_*` (no `hub`): read from the database, so every hub process on one database shows the same
 *   values (events, credentials by flag and mode, machines by filter state, agents). Aggregate queries only,
 *   cached for CACHE_MS so a storm of scrapes costs the database one round per few seconds per process.
 * - `pwbridge_hub_*` and `process_*`: this process's own (HTTP requests and their durations, open long
 *   polls, captures applied and how long they took to arrive, memory). With several hub processes, sum
 *   them across instances in PromQL.
 *
 * No label holds a name (account, machine, client, user) or anything a caller chose freely: event kinds,
 * filter states and HTTP methods outside the known lists are shown as "other", routes by their template.
 */
import type { Flag, FilterStateName, Mode } from '../domain/types';
import { WINDOWS_EVENT_IDS } from '../domain/event-ids';
import { HUB_EVENT_KINDS } from './access';
import { EventTally } from './event-tally';
import { DURATION_BUCKETS, MetricsRegistry } from './metrics';
import type { HubStore } from './store';

/** How long a database read serves scrapes. */
export const CACHE_MS = 5_000;

const FLAGS: readonly Flag[] = ['mismatch', 'conflict', 'policy-refused'];
const MODES: readonly Mode[] = ['report', 'change'];
/** 'unknown' is what enrolment records before the agent's first report. */
const FILTER_STATES: readonly string[] = ['not-installed', 'pending-reboot', 'active', 'disabled', 'faulted', 'unknown'] satisfies readonly (FilterStateName | 'unknown')[];
const FILTER_STATE_SET: ReadonlySet<string> = new Set(FILTER_STATES);
const OUTCOMES: ReadonlySet<string> = new Set(['ok', 'skipped', 'flagged', 'refused', 'failed', 'info']);
/** Every kind pwbridge records (the Windows event table names each one) and the hub's own. */
const EVENT_KINDS: ReadonlySet<string> = new Set([...WINDOWS_EVENT_IDS.map((e) => e.kind), ...HUB_EVENT_KINDS]);
const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
/** Capture to vault write: from under a second (online) to a day (a machine that was off). */
/** The routes that apply a capture (a password changed on a machine) to the vault. */
const CAPTURE_ROUTES: ReadonlySet<string> = new Set(['/api/vault/setPasswordFromCapture', '/api/vault/createFromCapture']);
const SYNC_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

/** The value when it is in the known set, else 'other': a label never takes a value a caller made up. */
const known = (set: ReadonlySet<string>, v: string): string => (set.has(v) ? v : 'other');

export class HubMetrics {
  readonly registry = new MetricsRegistry();
  private readonly tally: EventTally;
  private cached?: { at: number; done: Promise<void> };

  // ---- from the database -------------------------------------------------------------------------
  private readonly events = this.registry.counter('pwbridge_events_total',
    'Events in the vault\'s event log by kind and outcome (from the database: the same on every hub process).', ['kind', 'outcome']);
  private readonly flagged = this.registry.gauge('pwbridge_credentials_flagged',
    'Credentials carrying a flag (mismatch, conflict, policy-refused), from the database.', ['flag']);
  private readonly credentials = this.registry.gauge('pwbridge_credentials',
    'Credentials by mode (report: Report Mismatches, change: Change Password), from the database.', ['mode']);
  private readonly machines = this.registry.gauge('pwbridge_machines',
    'Machines by the capture filter state they last reported, from the database.', ['filter_state']);
  private readonly journal = this.registry.gauge('pwbridge_machines_journal_depth',
    'Journal entries the machines last reported as not yet done, summed by filter state, from the database.', ['filter_state']);
  private readonly agents = this.registry.gauge('pwbridge_agents',
    'Enrolled agent tokens not revoked, from the database.');
  private readonly dbUp = this.registry.gauge('pwbridge_hub_database_up',
    'Whether this process\'s last read of the database for these metrics worked (1) or failed (0); when 0 the pwbridge_* values are the last read.');
  private readonly dbSeconds = this.registry.gauge('pwbridge_hub_database_read_seconds',
    'How long this process\'s last read of the database for these metrics took.');

  // ---- this process --------------------------------------------------------------------------------
  private readonly requests = this.registry.counter('pwbridge_hub_http_requests_total',
    'HTTP requests this hub process answered, by route template, method and status (process-local).', ['route', 'method', 'status']);
  private readonly duration = this.registry.histogram('pwbridge_hub_http_request_duration_seconds',
    'Time from request to answer in this hub process, by route template (process-local; /api/changes is a long poll that waits up to 25 s).',
    ['route'], DURATION_BUCKETS);
  private readonly polls = this.registry.gauge('pwbridge_hub_long_polls_open',
    'GET /api/changes long polls this hub process holds open now (process-local).');
  private readonly syncLatency = this.registry.histogram('pwbridge_hub_capture_sync_seconds',
    'Sync latency: from a password change captured on a machine (its capturedAt, the machine\'s clock) to the vault write '
    + 'that applied it, for captures this hub process applied (process-local; includes time the agent held it while offline).',
    [], SYNC_BUCKETS);
  private readonly rss = this.registry.gauge('process_resident_memory_bytes', 'Resident memory of this hub process (process-local).');
  private readonly heap = this.registry.gauge('pwbridge_hub_heap_used_bytes', 'V8 heap in use in this hub process (process-local).');
  private readonly started = this.registry.gauge('process_start_time_seconds', 'When this hub process started, seconds since the epoch (process-local).');

  constructor(private readonly store: HubStore, private readonly now: () => number = Date.now) {
    this.tally = new EventTally(store, now);
    this.polls.init();
    this.syncLatency.init();
    this.started.set({}, Math.round((Date.now() - process.uptime() * 1000) / 1000));
  }

  /** One answered request. `route` is the route's template (never the raw path), or 'other'. */
  requestDone(route: string, method: string | undefined, status: number, seconds: number): void {
    this.requests.inc({ route, method: known(METHODS, method ?? ''), status: String(status) });
    this.duration.observe({ route }, seconds);
  }

  /** A long poll opened; call the returned function when it is answered. */
  longPoll(): () => void {
    this.polls.inc();
    let open = true;
    return () => {
      if (open) this.polls.dec();
      open = false;
    };
  }

  /**
   * A route answered 200: a capture the vault applied (not a re-delivered one) adds its sync latency.
   * `args` is the checked body; only its capturedAt is read.
   */
  routeAnswered(route: string, args: unknown, result: unknown, at: number): void {
    if (!CAPTURE_ROUTES.has(route)) return;
    const capturedAt = (args as { capturedAt?: unknown } | undefined)?.capturedAt;
    if ((result as { applied?: unknown } | undefined)?.applied === true && typeof capturedAt === 'number') this.captureApplied(capturedAt, at);
  }

  /** A capture applied to the vault, at `writtenAt` (the hub's clock). */
  captureApplied(capturedAt: number, writtenAt: number): void {
    // The machine's clock may be ahead of the hub's: a negative lag is clock skew, shown as 0.
    this.syncLatency.observe({}, Math.max(0, writtenAt - capturedAt) / 1000);
  }

  /** The exposition, with the database part at most CACHE_MS old (one read in flight at a time). */
  async render(): Promise<string> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= CACHE_MS) this.cached = { at: now, done: this.readDatabase() };
    await this.cached.done;
    const mem = process.memoryUsage();
    this.rss.set({}, mem.rss);
    this.heap.set({}, mem.heapUsed);
    return this.registry.render();
  }

  private async readDatabase(): Promise<void> {
    const t0 = process.hrtime.bigint();
    try {
      const [events, totals] = await Promise.all([this.tally.collect(), this.store.metricsTotals()]);
      for (const e of foldOther(events, (e) => ({ kind: known(EVENT_KINDS, e.kind), outcome: known(OUTCOMES, e.outcome) }))) {
        this.events.setTotal({ kind: e.kind, outcome: e.outcome }, e.n);
      }
      this.flagged.clear();
      for (const f of FLAGS) this.flagged.set({ flag: f }, totals.flags.find((r) => r.flag === f)?.n ?? 0);
      this.credentials.clear();
      for (const m of MODES) this.credentials.set({ mode: m }, totals.modes.find((r) => r.mode === m)?.n ?? 0);
      this.machines.clear();
      this.journal.clear();
      for (const s of FILTER_STATES) {
        this.machines.set({ filter_state: s }, 0);
        this.journal.set({ filter_state: s }, 0);
      }
      for (const r of totals.machines) {
        const s = known(FILTER_STATE_SET, r.state);
        this.machines.inc({ filter_state: s }, r.n);
        this.journal.inc({ filter_state: s }, r.depth);
      }
      this.agents.set({}, totals.agents);
      this.dbUp.set({}, 1);
    } catch {
      // The values keep their last reading; the failure is this gauge, and /readyz says why.
      this.dbUp.set({}, 0);
    } finally {
      this.dbSeconds.set({}, Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
}

/** Rows mapped to their shown labels, those that map to the same labels added together. */
function foldOther<T extends { n: number }>(rows: T[], labels: (r: T) => { kind: string; outcome: string }): { kind: string; outcome: string; n: number }[] {
  const out = new Map<string, { kind: string; outcome: string; n: number }>();
  for (const r of rows) {
    const l = labels(r);
    const k = `${l.kind}\u0000${l.outcome}`;
    const t = out.get(k);
    if (t) t.n += r.n;
    else out.set(k, { ...l, n: r.n });
  }
  return [...out.values()];
}
