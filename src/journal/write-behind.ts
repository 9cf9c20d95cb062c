/**
 * Writes to state.db that may land a little later than they are asked for, committed together: the
 * journal's terminal marks and the event outbox's rows share one transaction (one fsync under
 * synchronous=FULL) instead of one each. A queued write runs in the next commit: the one this class
 * makes `soon` ms after the first urgent write, or earlier inside a transaction someone else opens
 * (a journal append calls runQueued() in its own). Lazy writes (deleting what is done with) set no
 * timer of their own: they ride along with the next commit, or go after `lazyMs`.
 *
 * What a queued write promises is therefore "durable within a few ms, unless the process dies first";
 * each user states why that is enough for its rows.
 */
import type { SqliteDatabase } from '../sqlite/database';

const SOON_MS = 2;
const LAZY_MS = 1000;

export class WriteBehind {
  private writes: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  /**
   * `onError`: a commit the timer made failed (disk full, I/O error). Its writes are gone: the journal's
   * marks are safe to lose (the entries are processed again), outbox rows are counted by the caller.
   */
  constructor(private readonly db: SqliteDatabase, private readonly opts: { soonMs?: number; lazyMs?: number; onError?: (err: Error, writes: number) => void } = {}) {}

  /** Run `write` in the next commit; `lazy`: no hurry, wait for another write's commit (or lazyMs). */
  queue(write: () => void, lazy = false): void {
    this.writes.push(write);
    this.schedule(lazy ? this.opts.lazyMs ?? LAZY_MS : this.opts.soonMs ?? SOON_MS, lazy);
  }

  /** Writes queued and not yet run. */
  get pending(): number {
    return this.writes.length;
  }

  /** Commit everything queued, in one transaction of its own (or as part of the caller's, when inside one). */
  flush(): void {
    this.clearTimer();
    if (this.writes.length === 0 || !this.db.open) return;
    this.db.transaction(() => this.runQueued(), 'immediate');
  }

  /**
   * Inside the caller's transaction: run every queued write. If that transaction rolls back, the writes
   * are gone with it, as if the process had died before the commit.
   */
  runQueued(): void {
    this.clearTimer();
    const writes = this.writes;
    this.writes = [];
    for (const w of writes) w();
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
