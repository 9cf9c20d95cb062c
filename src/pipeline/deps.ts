import type { SchedulerLike } from 'rxjs';
import type { EventSink } from '../ports/event-sink.port';
import type { EchoStore, JournalEntry, JournalPort } from '../ports/journal.port';
import type { VaultPort } from '../ports/vault.port';

/** What the journal processor talks to. All of it is injected so tests hand in fakes. */
export interface ProcessorDeps {
  journal: JournalPort;
  vault: VaultPort;
  echo: EchoStore;
  events: EventSink;
  /**
   * Opens an entry's sealed password (the protocol's Opener): the raw bytes in the entry's encoding.
   * The processor owns the returned Buffer and wipes it.
   */
  open(entry: JournalEntry): Buffer;
  /** True when the capture module is known to be loaded (a hello in this boot). */
  filterActive(): boolean;
  /** The filter state's name for the log reason ("pending-reboot"); optional. */
  filterState?(): string;
  /** Timers for retries and polling; the async scheduler unless a test hands in its own. */
  scheduler?: SchedulerLike;
  /** Jitter source in [0, 1); Math.random unless a test pins it. */
  random?(): number;
}

export interface ProcessorOptions {
  /** This machine's name: a credential `MACHINE\user` applies here, auto-created ones get this prefix. */
  machine: string;
  /** The vault client (organisation) this machine belongs to. */
  client: string;
  /** The bridge's own local account; its changes are never pushed. */
  serviceAccount: string;
  /** More account names never pushed (case-insensitive). */
  exclude: readonly string[];
  /** How many accounts are processed at the same time (each account is always serial). */
  concurrency: number;
  /** First retry delay; doubles per attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Extra random delay as a fraction of the backoff (0 = none, 0.2 = up to +20 %). Default 0. */
  retryJitter?: number;
  /** An entry that still fails this long after it was received goes to the dead letters. */
  maxEventAgeMs: number;
  /** How long reconcile's echo records live (reconcile uses it; kept here so one options object serves both). */
  echoTtlMs: number;
  /** The clock (ms since epoch). */
  now(): number;
  /** How many due entries one poll reads. Default 500. */
  batchSize?: number;
  /** Safety-net poll for retries scheduled before a restart. Default 60 000; 0 turns it off. */
  pollMs?: number;
}

/** What happened to one journal entry; the processor's `outcomes$` emits these. */
export type OutcomeResult =
  | 'synced'
  | 'duplicate'
  | 'created'
  | 'conflict'
  | 'ignored'
  | 'echo'
  | 'filter-inactive'
  | 'refused'
  | 'retry'
  | 'dead'
  | 'error';

export interface Outcome {
  eventId: string;
  account: string;
  result: OutcomeResult;
  credentialId?: number;
}

/** Internal: the deps and options stages share, plus the retry notifier the processor listens to. */
export interface StageContext {
  deps: ProcessorDeps;
  options: ProcessorOptions;
  /** Called with the time an entry becomes due again, so a timer can wake the processor then. */
  retryAt(at: number): void;
}
