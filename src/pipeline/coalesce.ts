import { EMPTY, catchError, concatMap, defer, of, type Observable } from 'rxjs';
import type { JournalEntry } from '../ports/journal.port';
import type { StageContext } from './deps';
import { recordFor } from './record';
import { safeMessage } from './password';

/**
 * One account's pending entries → the one to act on.
 * Latest wins: only the newest change is the account's password now, so pushing an older one would be
 * wrong even for a moment. "Newest" is the capture's own time (capturedAt), then journal order (seq)
 * for changes captured in the same ms. Not journal order alone: a change a capture spooled (the bridge
 * did not answer in time) reaches the journal at the next spool drain, after newer changes that went
 * through live; ordered by arrival, the spooled one would win and put an older password in the vault.
 * Each older entry is marked superseded and logged, so every change still leaves a trace.
 * The winner is emitted only when due: if it is waiting out a retry backoff, it keeps waiting.
 */
export function coalesceLatest(pending$: Observable<JournalEntry[]>, ctx: StageContext): Observable<JournalEntry> {
  return pending$.pipe(
    concatMap((pending) =>
      defer(() => {
        if (pending.length === 0) return EMPTY;
        const ordered = [...pending].sort(captureOrder);
        const winner = ordered[ordered.length - 1];
        const older = ordered.slice(0, -1);
        if (older.length > 0) {
          ctx.deps.journal.markSuperseded(older.map((e) => e.eventId), winner.eventId);
          for (const e of older) recordFor(ctx, e, 'change-superseded', 'skipped', `superseded by a later change (${winner.eventId})`);
        }
        return winner.nextAttemptAt <= ctx.options.now() ? of(winner) : EMPTY;
      }).pipe(
        catchError((err) => {
          // The journal refused the write: leave everything pending, the next tick tries again.
          recordFor(ctx, pending[pending.length - 1], 'pipeline-error', 'failed', `coalesce: ${safeMessage(err)}`);
          return EMPTY;
        }),
      ),
    ),
  );
}

/** Oldest capture first; the journal's order for changes captured in the same ms. */
export function captureOrder(a: JournalEntry, b: JournalEntry): number {
  return a.capturedAt - b.capturedAt || a.seq - b.seq;
}
