/**
 * The journal processor (journal → vault) running for the service: woken after every journal append,
 * after a spool pass and when a retry from before a restart falls due.
 */
import { Subject, timer, type Subscription } from 'rxjs';
import { createJournalProcessor, type JournalProcessor } from '../pipeline';
import type { Opener } from '../protocol/seal';
import type { Install } from './install';

export interface JournalProcessing {
  readonly processor: JournalProcessor;
  /** Something is due now (a journal append, a spool pass, held entries released). */
  wake(): void;
  /**
   * Whatever the journal held when the last run stopped, at once; and entries still waiting out a backoff
   * from before the restart, when the first falls due rather than at the processor's slow safety poll.
   */
  resumeLeftovers(): void;
  stop(): void;
}

export function startJournalProcessing(install: Install, opener: Opener, onOutcome: () => void): JournalProcessing {
  const { config, state, vault, events, filter } = install;
  const wake$ = new Subject<void>();
  const processor = createJournalProcessor(
    {
      journal: state.journal,
      vault,
      echo: state.echo,
      events,
      open: (entry) => opener.open(entry.sealed, Buffer.from(entry.eventId, 'hex'), Buffer.from(entry.account, 'utf8'), entry.encoding as 1 | 2),
      filterActive: () => filter.isActive(),
      filterState: () => filter.current().state,
    },
    {
      machine: config.machine,
      client: config.client,
      serviceAccount: config.serviceAccount,
      exclude: config.excludeAccounts,
      concurrency: config.concurrency,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
      maxEventAgeMs: config.maxEventAgeMs,
      echoTtlMs: config.echoTtlMs,
      now: Date.now,
    },
  );
  const subs: Subscription[] = [processor.run(wake$), processor.outcomes$.subscribe(() => onOutcome())];
  return {
    processor,
    wake: () => wake$.next(),
    resumeLeftovers() {
      wake$.next();
      const nextDue = state.journal.nextDueAt();
      if (nextDue !== undefined && nextDue > Date.now()) subs.push(timer(nextDue - Date.now() + 5).subscribe(() => wake$.next()));
    },
    stop() {
      for (const s of subs) s.unsubscribe();
    },
  };
}
