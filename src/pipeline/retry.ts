import { asyncScheduler, map, mergeMap, timer, type Observable, type SchedulerLike } from 'rxjs';

export interface BackoffOptions {
  retryBaseMs: number;
  retryMaxMs: number;
  retryJitter?: number;
}

/**
 * Delay before attempt `attempts + 1`: base * 2^attempts, capped, plus optional jitter (a fraction of
 * the delay) so many bridges retrying against one hub do not hit it in the same millisecond.
 * `attempts` is how many attempts already failed before this one (0 on the first failure).
 */
export function backoffDelay(attempts: number, o: BackoffOptions, random: () => number = Math.random): number {
  const exp = o.retryBaseMs * Math.pow(2, Math.max(0, attempts));
  const capped = Math.min(o.retryMaxMs, Number.isFinite(exp) ? exp : o.retryMaxMs);
  const jitter = o.retryJitter && o.retryJitter > 0 ? Math.floor(capped * o.retryJitter * random()) : 0;
  return capped + jitter;
}

/**
 * Turns "entry due again at time T" notices into a tick at T. Each notice gets its own timer (a few per
 * failing account; the journal is the source of truth, a tick only makes the processor look).
 */
export function retryTicks(retryAt$: Observable<number>, now: () => number, scheduler: SchedulerLike = asyncScheduler): Observable<number> {
  return retryAt$.pipe(mergeMap((at) => timer(Math.max(0, at - now()), scheduler).pipe(map(() => at))));
}
