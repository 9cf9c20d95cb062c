/**
 * The bridge's journal: every accepted capture event, durable before it is acked.
 * The password stays sealed to the bridge key (`sealed`), so the journal never holds it in clear.
 * Synchronous on purpose: SQLite is synchronous here (src/sqlite/, either driver), and "durable before
 * ack" is easiest to reason about when append returns only after COMMIT.
 */
export type JournalState = 'pending' | 'done' | 'superseded' | 'dead' | 'conflicted';

export interface NewJournalEntry {
  /** 32 hex chars, the capture's event id. */
  eventId: string;
  machine: string;
  account: string;
  accountId: number;
  capturedAt: number;
  receivedAt: number;
  /** 1 = raw bytes (PAM), 2 = UTF-16LE (Windows). */
  encoding: number;
  /** epk ‖ iv ‖ ct_len ‖ ct ‖ gcm_tag exactly as in the CHANGE frame. */
  sealed: Buffer;
}

export interface JournalEntry extends NewJournalEntry {
  /** Journal order (capture order per account, since one capture sends in order). */
  seq: number;
  state: JournalState;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  /** What finally happened ("synced", "created", "echo", …) once state is done/dead/superseded. */
  outcome?: string;
  /** A conflicted capture sent again because a person chose it on the hub: it overrides the conflict. */
  resend?: boolean;
}

export interface JournalPort {
  /** Store entries in one transaction; returns per entry whether it was new or already there. */
  append(entries: NewJournalEntry[]): Array<'stored' | 'duplicate'>;
  /** Pending entries due at `now`, oldest first. */
  due(now: number, limit: number): JournalEntry[];
  /** All pending entries of one account (case-insensitive), oldest first. */
  pendingFor(account: string): JournalEntry[];
  markDone(eventId: string, outcome: string): void;
  /** Earlier changes of the same account that a later one replaces (latest change wins). */
  markSuperseded(eventIds: string[], byEventId: string): void;
  markRetry(eventId: string, attempts: number, nextAttemptAt: number, error: string): void;
  markDead(eventId: string, reason: string): void;
  depth(): number;
  /** When the earliest pending entry falls due (ms), or undefined when nothing is pending. */
  nextDueAt(): number | undefined;
  /**
   * Every pending entry waiting out a backoff falls due now (what held them was fixed: the hub takes the
   * agent token again). Returns how many. Optional: journals without it leave entries to their backoff.
   */
  dueNow?(now: number): number;
  deadLetters(limit?: number): JournalEntry[];
  get(eventId: string): JournalEntry | undefined;

  /**
   * The vault refused this capture as a conflict: keep it sealed, out of the pending work and out of reach
   * of the finished-row cap and the age purge, until the conflict is resolved. Like every mark, only from 'pending'.
   */
  markConflicted(eventId: string, reason: string): void;
  /** Conflicted entries in journal order (all of them, or one account's, case-insensitive). */
  conflicted(account?: string): JournalEntry[];
  /** "Take the machine's": the conflicted entry is pending again, due now, marked resend. False when it is not conflicted. */
  resendConflicted(eventId: string, now: number): boolean;
  /** "Keep the vault's" (or a newer conflict replaced it): done with `outcome`, its sealed password wiped. False when it is not conflicted. */
  dropConflicted(eventId: string, outcome: string): boolean;
}

/** Passwords pwbridge itself just set, so the capture's report of that change is not pushed back. */
export interface EchoStore {
  /** Remember (account, keyed hash of password) until `expiresAt`. */
  remember(account: string, password: Buffer, expiresAt: number): void;
  /** True (and consumed) when this account+password is one pwbridge set and it has not expired. */
  consume(account: string, password: Buffer, now: number): boolean;
}

/** What reconcile last saw per credential, so it verifies only when something changed. */
export interface ReconcileMemo {
  credentialId: number;
  vaultVersion: number;
  localFingerprint: string;
  result: 'match' | 'mismatch' | 'set' | 'failed';
  checkedAt: number;
}

export interface StateStore {
  getMemo(credentialId: number): ReconcileMemo | undefined;
  allMemos(): Map<number, ReconcileMemo>;
  putMemo(memo: ReconcileMemo): void;
  /** Small key/value settings: filter state, last reconcile summary. JSON values. */
  getValue<T>(key: string): T | undefined;
  setValue<T>(key: string, value: T): void;
  /**
   * A named lease shared by every process using this state (the service and a CLI `reconcile --once`):
   * true when `holder` now holds it, until released or until `ttlMs` has passed (a holder that crashed).
   */
  tryLease(name: string, holder: string, ttlMs: number): boolean;
  releaseLease(name: string, holder: string): void;
}
