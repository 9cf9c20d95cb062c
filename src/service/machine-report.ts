/**
 * The machine's row in its vault (the hub's dashboard: filter state, journal depth, last seen). Sent at
 * start, soon after anything that changes it (a reconcile pass, a capture batch, journal progress), and
 * every `everyMs` as the heartbeat that keeps "last seen" fresh. One report at a time; pokes that arrive
 * meanwhile make one more, and reports are at least `minGapMs` apart, so a burst of captures costs the
 * hub one request per second, not one per event. A failed report is logged (once per distinct cause) and
 * the next tick tries again: it never stops the service.
 */
import type pino from 'pino';
import type { VaultPort } from '../ports/vault.port';

export interface MachineReport {
  name: string;
  client: string;
  filterState: string;
  journalDepth: number;
}

export interface MachineReporter {
  /** Something changed: report soon (coalesced, rate-limited). */
  poke(): void;
  /** Report now and wait for it; true when the vault took it. */
  reportNow(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface MachineReportOptions {
  vault: Pick<VaultPort, 'recordMachine'>;
  /** What to report, read fresh for every report. */
  read(): MachineReport;
  logger: pino.Logger;
  /** After each report the vault took (the service checks whether a hub refusal is over). */
  onDelivered?(): void;
  everyMs?: number;
  minGapMs?: number;
  /** The clock and timers (the tests' manual ones; default: the process's). */
  timers?: ReportTimers;
}

export interface ReportTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const PROCESS_TIMERS: ReportTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export const HEARTBEAT_MS = 60_000;
const MIN_GAP_MS = 1_000;

export function startMachineReport(o: MachineReportOptions): MachineReporter {
  const everyMs = o.everyMs ?? HEARTBEAT_MS;
  const minGapMs = o.minGapMs ?? MIN_GAP_MS;
  const t = o.timers ?? PROCESS_TIMERS;
  let running: Promise<boolean> | undefined;
  let again = false;
  let lastAt = 0;
  let gapTimer: unknown;
  let stopped = false;
  let lastFailure: string | undefined;

  const send = async (): Promise<boolean> => {
    lastAt = t.now();
    let report: MachineReport;
    try {
      report = o.read();
      await o.vault.recordMachine(report);
    } catch (err) {
      const message = (err as Error).message;
      if (message !== lastFailure) o.logger.warn({ err: { message } }, 'machine report failed; retrying at the next heartbeat or change');
      lastFailure = message;
      return false;
    }
    if (lastFailure !== undefined) o.logger.info('machine report delivered again');
    lastFailure = undefined;
    try {
      o.onDelivered?.();
    } catch (err) {
      o.logger.error({ err: { message: (err as Error).message } }, 'after the machine report');
    }
    return true;
  };

  const run = (): Promise<boolean> => {
    if (running) {
      again = true;
      return running;
    }
    running = send().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        poke();
      }
    });
    return running;
  };

  function poke(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (gapTimer) return; // one is already waiting out the gap
    const wait = lastAt + minGapMs - t.now();
    if (wait <= 0) {
      void run();
      return;
    }
    gapTimer = t.setTimeout(() => {
      gapTimer = undefined;
      if (!stopped) void run();
    }, wait);
  }

  const heartbeat = t.setInterval(() => void run(), everyMs);
  void run(); // at start

  return {
    poke,
    reportNow: async () => {
      await running?.catch(() => false);
      return run();
    },
    async stop() {
      stopped = true;
      t.clearInterval(heartbeat);
      if (gapTimer) t.clearTimeout(gapTimer);
      await running?.catch(() => false);
    },
  };
}
