/**
 * The rotation scheduler, in every hub process: each pass (every minute by default, on the hub's injected
 * clock and timers) lists the credentials a policy covers, works out which are due (policy.ts nextDue: the
 * password older than the schedule's days, or a read's grace over) and rotates each (rotate.ts). Several
 * hub processes may run passes at once on one PostgreSQL: each rotation is claimed in the database first,
 * so a due credential is rotated once. One pass at a time per process; a failed credential is logged and
 * the pass goes on to the next.
 */
import type pino from 'pino';
import type { VaultPort } from '../../ports/vault.port';
import { nextDue } from './policy';
import { effectivePolicy, rotate, rotationBlocker } from './rotate';
import type { RotationStore } from './rotation-store';

export const ROTATION_PASS_MS = 60_000;

export interface SchedulerTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface RotationSchedulerOptions {
  vault: VaultPort;
  store: RotationStore;
  now: () => number;
  logger: pino.Logger;
  timers?: SchedulerTimers;
  passMs?: number;
}

export class RotationScheduler {
  private handle: unknown;
  private running: Promise<number> | undefined;
  private readonly timers: SchedulerTimers;

  constructor(private readonly o: RotationSchedulerOptions) {
    // unref: a pass due never keeps a stopping process alive.
    this.timers = o.timers ?? { setInterval: (fn, ms) => setInterval(fn, ms).unref(), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) };
  }

  start(): void {
    this.handle = this.timers.setInterval(() => { void this.runDue().catch((err: Error) => this.o.logger.warn({ err: { message: err.message } }, 'rotation pass failed')); },
      this.o.passMs ?? ROTATION_PASS_MS);
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    if (this.handle !== undefined) this.timers.clearInterval(this.handle);
    this.handle = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass now (the timer's, or a test's after it moved the clock): how many credentials it rotated. */
  runDue(): Promise<number> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.o.now();
    let rotated = 0;
    for (const t of await this.o.store.covered()) {
      const policy = effectivePolicy(t)!;
      const due = nextDue(policy, t.passwordSetAt, t.readDueAt);
      // Report Mismatches credentials are never rotated (rotate.ts rotationBlocker); the dashboard says why.
      if (due === undefined || due > now || rotationBlocker(t)) continue;
      const trigger = policy.afterRead && t.readDueAt !== null && t.readDueAt <= now ? 'after-read' : 'schedule';
      try {
        if (await rotate(this.o, t, trigger)) rotated++;
      } catch (err) {
        this.o.logger.warn({ err: { message: (err as Error).message }, credentialId: t.id }, 'rotation failed');
      }
    }
    return rotated;
  }
}
