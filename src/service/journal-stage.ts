import { Observable, Subject, type OperatorFunction } from 'rxjs';
import type pino from 'pino';
import type { JournalPort, NewJournalEntry } from '../ports/journal.port';
import type { ChangeBody } from '../protocol/messages';

/** An authenticated CHANGE waiting for the journal; `ack` answers the capture once the outcome is known. */
export interface Accepted {
  entry: NewJournalEntry;
  ack(result: 'stored' | 'duplicate' | 'failed'): void;
}

/**
 * The journal entry for an authenticated CHANGE, however it arrived: live over a connection (`machine`
 * from its HELLO) or from the spool (`machine` from the record). The sealed part is stored as received.
 */
export function journalEntryOf(change: ChangeBody, machine: string, receivedAt: number): NewJournalEntry {
  return {
    eventId: change.eventId.toString('hex'),
    machine,
    account: change.account,
    accountId: change.accountId,
    capturedAt: change.capturedAt,
    receivedAt,
    encoding: change.encoding,
    sealed: change.sealed,
  };
}

/**
 * Collects everything that arrives within one turn of the event loop into one batch. Frames read in the
 * same I/O phase share one COMMIT (group commit): one fsync for many events instead of one each.
 */
export function batchPerTick<T>(): OperatorFunction<T, T[]> {
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let buffer: T[] = [];
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        if (buffer.length === 0) return;
        const batch = buffer;
        buffer = [];
        subscriber.next(batch);
      };
      const sub = source.subscribe({
        next(value) {
          buffer.push(value);
          if (!scheduled) {
            scheduled = true;
            setImmediate(flush);
          }
        },
        error: (err) => subscriber.error(err),
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => sub.unsubscribe();
    });
}

/**
 * The journal stage: append each batch durably, then ack. If the append fails (disk full, I/O error) no
 * event of the batch is acked, so every capture keeps its event and sends it again later: nothing lost.
 * Emits the number of newly stored events, which wakes the journal processor.
 */
export function journalStage(journal: JournalPort, onError: (err: Error, count: number) => void): OperatorFunction<Accepted[], number> {
  return (batches$) =>
    new Observable<number>((subscriber) =>
      batches$.subscribe({
        next(batch) {
          let results: Array<'stored' | 'duplicate'>;
          try {
            results = journal.append(batch.map((a) => a.entry));
          } catch (err) {
            onError(err as Error, batch.length);
            for (const a of batch) a.ack('failed');
            return;
          }
          batch.forEach((a, i) => a.ack(results[i]));
          subscriber.next(results.filter((r) => r === 'stored').length);
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}

export interface RunningJournalStage {
  /** An authenticated CHANGE from a live connection: journaled with whatever else arrives in this turn. */
  accept(accepted: Accepted): void;
  /** Journal what is still buffered (its captures are gone, so it is not acked: they re-send), then stop. */
  stop(): void;
}

/** The journal stage for live captures; `onStored` runs after each batch that stored something new. */
export function startJournalStage(journal: JournalPort, logger: Pick<pino.Logger, 'error'>, onStored: () => void): RunningJournalStage {
  const accepted$ = new Subject<Accepted>();
  const sub = accepted$
    .pipe(batchPerTick(), journalStage(journal, (err, count) => {
      logger.error({ err: { message: err.message }, count }, 'journal append failed: events not acked, captures will re-send');
    }))
    .subscribe((stored) => {
      if (stored > 0) onStored();
    });
  return {
    accept: (a) => accepted$.next(a),
    stop() {
      accepted$.complete();
      sub.unsubscribe();
    },
  };
}
