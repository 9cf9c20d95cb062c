import { EMPTY, Observable, Subscription, catchError, defer, from, of, type ObservableInput, type OperatorFunction } from 'rxjs';

export interface SerialPerKeyOptions<T, R> {
  key(item: T): string;
  work(item: T): ObservableInput<R>;
  /** Most keys worked on at once. */
  concurrency: number;
  /**
   * Keep at most one waiting item per key (the latest). For "look at this account again" requests,
   * where a second request while one waits adds nothing.
   */
  coalesce?: boolean;
  /** Turns a failed work item into a value (or nothing); the stream always goes on. */
  onError?(item: T, err: unknown): R | undefined;
  /** Called whenever nothing is running or waiting (drain() waits on this). */
  onIdle?(): void;
}

/**
 * Items of one key run one after another in arrival order; different keys run in parallel, at most
 * `concurrency` at a time. Why not groupBy + mergeMap(concatMap, n): groups never complete, so each
 * group would hold one of the n slots forever and account n+1 would never run.
 * Keys wait in first-come order, so a busy account cannot starve the others.
 */
export function serialPerKey<T, R>(opts: SerialPerKeyOptions<T, R>): OperatorFunction<T, R> {
  const limit = Math.max(1, Math.floor(opts.concurrency));
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting = new Map<string, T[]>();
      const running = new Set<string>();
      const inner = new Subscription();
      let sourceDone = false;
      let pumping = false;
      let again = false;

      const start = (k: string, item: T) => {
        running.add(k);
        const slot = new Subscription();
        inner.add(slot);
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          running.delete(k);
          inner.remove(slot);
          pump();
        };
        slot.add(
          defer(() => from(opts.work(item)))
            .pipe(
              catchError((err) => {
                const v = opts.onError?.(item, err);
                return v === undefined ? EMPTY : of(v);
              }),
            )
            .subscribe({
              next: (v) => subscriber.next(v),
              // Only reachable if onError itself throws: a programming error, surface it.
              error: (err) => subscriber.error(err),
              complete: finish,
            }),
        );
      };

      // Re-entrant calls (work that completes synchronously) set `again` instead of recursing.
      const pump = () => {
        if (pumping) { again = true; return; }
        pumping = true;
        try {
          do {
            again = false;
            for (const [k, queue] of waiting) {
              if (running.size >= limit) break;
              if (running.has(k)) continue;
              const item = queue.shift() as T;
              if (queue.length === 0) waiting.delete(k);
              start(k, item);
            }
          } while (again && running.size < limit);
        } finally {
          pumping = false;
        }
        if (running.size === 0 && waiting.size === 0) {
          opts.onIdle?.();
          if (sourceDone) subscriber.complete();
        }
      };

      inner.add(
        source.subscribe({
          next(item) {
            const k = opts.key(item);
            const queue = waiting.get(k);
            if (!queue) waiting.set(k, [item]);
            else if (opts.coalesce) queue[0] = item;
            else queue.push(item);
            pump();
          },
          error: (err) => subscriber.error(err),
          complete() {
            sourceDone = true;
            pump();
          },
        }),
      );
      return inner;
    });
}
