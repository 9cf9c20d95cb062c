/**
 * Writes to state.db that may land a little later than they are asked for, committed together: the
 * journal's terminal marks and the event outbox's rows share one transaction (one fsync under
 * synchronous=FULL) instead of one each. A queued write runs in the next commit: the one this class
 * makes `soon` ms after the first urgent write, or earlier inside a transaction someone else opens
 * through transaction() (a journal append). Lazy writes (deleting what is done with) set no timer of
 * their own: they ride along with the next commit, or go after `lazyMs`.
 *
 * What a queued write promises is "durable within a few ms, unless the process dies first"; each user
 * states why that is enough for its rows. A commit that fails (disk full, a lock held past the busy
 * timeout) loses nothing: its writes go back to the front of the queue and are tried again `retryMs`
 * later, so every queued write must be safe to run again after a rollback.
 */
import type { SqliteDatabase } from '../sqlite/database';

const SOON_MS = 2;
const LAZY_MS = 1000;
const RETRY_MS = 1000;

export interface WriteBehindOptions {
  soonMs?: number;
  lazyMs?: number;
  retryMs?: number;
  /** A commit the timer made failed; its `writes` are queued again for the retry. */
  onError?: (err: Error, writes: number) => void;
}

export class WriteBehind {
  private writes: Array<() => void> = [];
  private readonly committed: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(private readonly db: SqliteDatabase, private readonly opts: WriteBehindOptions = {}) {}

  /** Run `write` in the next commit; `lazy`: no hurry, wait for another write's commit (or lazyMs). */
  queue(write: () => void, lazy = false): void {
    this.writes.push(write);
    this.schedule(lazy ? this.opts.lazyMs ?? LAZY_MS : this.opts.soonMs ?? SOON_MS, lazy);
  }

  /** Called after every commit that ran queued writes (the journal then stops hiding what it finished). */
  onCommit(fn: () => void): void {
    this.committed.push(fn);
  }

  /** Writes queued and not yet committed. */
  get pending(): number {
    return this.writes.length;
  }

  /** Commit everything queued in a transaction of its own. Throws when the commit fails (the writes stay queued). */
  flush(): void {
    this.clearTimer();
    if (this.writes.length === 0 || !this.db.open) return;
    this.transaction(() => undefined);
  }

  /**
   * The caller's transaction, with every queued write run first inside it. When it rolls back, the
   * writes are queued again (first) and retried later, and the error is thrown to the caller.
   */
  transaction<T>(fn: () => T, mode: 'immediate' | 'deferred' = 'immediate'): T {
    this.clearTimer();
    const writes = this.writes;
    this.writes = [];
    let out: T;
    try {
      out = this.db.transaction(() => {
        for (const w of writes) w();
        return fn();
      }, mode);
    } catch (err) {
      if (writes.length > 0) {
        this.writes = [...writes, ...this.writes];
        this.schedule(this.opts.retryMs ?? RETRY_MS, false);
      }
      throw err;
    }
    if (writes.length > 0) for (const c of this.committed) c();
    return out;
  }

  private schedule(ms: number, lazy: boolean): void {
    const at = Date.now() + ms;
    if (at >= this.timerAt) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      const n = this.writes.length;
      try {
        if (this.db.open) this.flush();
      } catch (err) {
        // A timer has no caller to tell, and a throw here would end the process: report it; the
        // writes are queued again and the retry is scheduled.
        this.opts.onError?.(err as Error, n);
      }
    }, ms);
    // A lazy delete alone must not keep a process alive; close() flushes it anyway.
    if (lazy) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}
