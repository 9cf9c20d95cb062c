import { EMPTY, Subject, Subscription, asyncScheduler, catchError, defer, finalize, interval, merge, of, type Observable } from 'rxjs';
import type { JournalEntry } from '../ports/journal.port';
import type { Outcome, ProcessorDeps, ProcessorOptions, StageContext } from './deps';
import { act } from './act';
import { classify } from './classify';
import { coalesceLatest } from './coalesce';
import { safeMessage } from './password';
import { retryTicks } from './retry';
import { serialPerKey } from './serial-per-key';

export interface JournalProcessor {
  /**
   * Start processing: on subscribe, then on every `wake$` value (the ingest emits after each append
   * batch), when a retry falls due, and on the safety-net poll. Unsubscribe to stop.
   */
  run(wake$: Observable<unknown>): Subscription;
  /**
   * Process until nothing due is left (tests, bench, "drain on start"). Shares the engine with `run`, so
   * calling it while `run` is active keeps the one-account-at-a-time rule.
   */
  drain(): Promise<void>;
  /** Every entry's outcome, for metrics and tests. Hot. */
  readonly outcomes$: Observable<Outcome>;
}

interface AccountRequest {
  key: string;
  account: string;
}

/**
 * The journal → vault pipeline.
 *   tick ─▶ due entries ─▶ one request per account ─▶ serialPerKey(concurrency, coalesce)
 *          └ skip entries already in flight            └▶ pendingFor ─▶ coalesceLatest ─▶ classify ─▶ act
 * An account is never worked on twice at once (serialPerKey), and a wake while it is worked on
 * queues one more look at it (coalesced), which reads only what is still pending then.
 */
export function createJournalProcessor(deps: ProcessorDeps, options: ProcessorOptions): JournalProcessor {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const batchSize = options.batchSize ?? 500;
  const retryAt$ = new Subject<number>();
  const outcomes$ = new Subject<Outcome>();
  const requests$ = new Subject<AccountRequest>();
  const ctx: StageContext = { deps, options, retryAt: (at) => retryAt$.next(at) };

  /** Event ids being worked on now: a tick does not request their account again for them. */
  const inFlight = new Set<string>();
  let idle = true;
  let idleWaiters: Array<() => void> = [];
  let backlog = false;
  /** Outcomes other than 'error' since the last backlog look: without progress, do not loop on a broken journal. */
  let progress = 0;
  let engine: Subscription | undefined;

  const processAccount = (r: AccountRequest): Observable<Outcome> =>
    defer(() => {
      const pending = deps.journal.pendingFor(r.account);
      if (pending.length === 0) return EMPTY;
      for (const e of pending) inFlight.add(e.eventId);
      return of(pending).pipe(
        (s) => coalesceLatest(s, ctx),
        (s) => classify(s, ctx),
        (s) => act(s, ctx),
        finalize(() => { for (const e of pending) inFlight.delete(e.eventId); }),
      );
    });

  const ensureEngine = () => {
    if (engine && !engine.closed) return;
    engine = requests$
      .pipe(
        serialPerKey<AccountRequest, Outcome>({
          key: (r) => r.key,
          work: processAccount,
          concurrency: options.concurrency,
          coalesce: true,
          onError: (r, err) => {
            // pendingFor threw (journal unreadable): log; the entries stay pending for the next tick.
            deps.events.record({ kind: 'pipeline-error', outcome: 'failed', account: r.account, reason: safeMessage(err) });
            return undefined;
          },
          onIdle: () => {
            idle = true;
            const waiters = idleWaiters;
            idleWaiters = [];
            for (const w of waiters) w();
            // The last poll hit the batch limit: there is more due than we looked at.
            if (backlog && progress > 0 && engine) { progress = 0; tick(); }
          },
        }),
      )
      .subscribe({
        next: (o) => {
          if (o.result !== 'error') progress++;
          outcomes$.next(o);
        },
      });
  };

  /** Look at the journal once; returns the due entries it requested work for. */
  const tick = (exclude?: Set<string>): JournalEntry[] => {
    let due: JournalEntry[];
    try {
      due = deps.journal.due(options.now(), batchSize);
    } catch (err) {
      deps.events.record({ kind: 'pipeline-error', outcome: 'failed', reason: `reading due entries: ${safeMessage(err)}` });
      return [];
    }
    backlog = due.length >= batchSize;
    const fresh = due.filter((e) => !inFlight.has(e.eventId) && !exclude?.has(e.eventId));
    const requested = new Set<string>();
    for (const e of fresh) {
      const key = e.account.toLowerCase();
      if (requested.has(key)) continue;
      requested.add(key);
      idle = false;
      requests$.next({ key, account: e.account });
    }
    return fresh;
  };

  const whenIdle = () => (idle ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));

  return {
    outcomes$: outcomes$.asObservable(),

    run(wake$) {
      ensureEngine();
      const poll$ = options.pollMs === 0 ? EMPTY : interval(options.pollMs ?? 60_000, scheduler);
      // of(0): entries left pending by a previous run (a crash, a restart) are picked up at once.
      const wakes$ = wake$.pipe(
        catchError((err) => {
          // The ingest's stream failed: keep the timers going rather than stop processing altogether.
          deps.events.record({ kind: 'pipeline-error', outcome: 'failed', reason: `wake stream ended: ${safeMessage(err)}` });
          return EMPTY;
        }),
      );
      const triggers = merge(of(0), wakes$, retryTicks(retryAt$, options.now, scheduler), poll$).subscribe(() => tick());
      const sub = new Subscription(() => {
        triggers.unsubscribe();
        engine?.unsubscribe();
        engine = undefined;
      });
      return sub;
    },

    async drain() {
      ensureEngine();
      // An entry that stays due after its turn (the journal could not record the outcome) is not taken
      // again in this drain: drain ends instead of spinning.
      const seen = new Set<string>();
      for (;;) {
        const fresh = tick(seen);
        for (const e of fresh) seen.add(e.eventId);
        await whenIdle();
        if (fresh.length === 0) return;
      }
    },
  };
}
