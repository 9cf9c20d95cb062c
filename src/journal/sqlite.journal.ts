/**
 * The journal: every accepted capture event, durable (COMMIT with synchronous=FULL) before append()
 * returns, so the ingest may ack it. See JournalPort for the contract.
 *
 * Terminal marks (done, superseded, dead) are written behind: collected and committed together a few ms
 * later, with the next append, or before a read that needs them (pendingFor() instead skips the entries
 * whose mark is queued). One fsync for many marks is what lets the pipeline keep up
 * with the ingest. Losing the last marks in a crash is safe by design: the entries are pending again and
 * are processed again, and the vault applies each event id once. The vault write itself is committed
 * before its mark is queued, so a mark never becomes durable ahead of the effect it records.
 *
 * State moves only out of 'pending': a mark on an entry that already left it (a retry racing a
 * supersede, say) is ignored, so a late markRetry can never resurrect a superseded entry. A mark on an
 * event id the journal does not hold throws.
 */
import type { JournalEntry, JournalPort, JournalState, NewJournalEntry } from '../ports/journal.port';
import type { SqliteDatabase } from '../sqlite/database';
import { foldName } from '../domain/fold-name';
import { FinishedCap } from './finished-cap';
import { WriteBehind } from './write-behind';

interface Row {
  seq: number; event_id: string; machine: string; account: string; account_id: number; captured_at: number;
  received_at: number; encoding: number; sealed: Buffer; state: JournalState; attempts: number; next_attempt_at: number;
  last_error: string | null; outcome: string | null; resend: number;
}

const COLUMNS = `seq, event_id, machine, account, account_id, captured_at, received_at, encoding, sealed, state, attempts,
  next_attempt_at, last_error, outcome, resend`;
/** Errors are operator text; keep rows bounded whatever a caller passes. */
const MAX_TEXT = 1000;
const DEFAULT_DEAD_LIMIT = 100;

export class SqliteJournal implements JournalPort {
  private readonly st;
  /** Event ids whose terminal mark is queued: reads must not hand them out again. */
  private readonly finishing = new Set<string>();

  /** Keeps state.db bounded however fast rows finish (see finished-cap.ts). */
  private readonly cap: FinishedCap;

  /** `writes`: shared with the other stores of state.db (the event outbox), so their rows share a commit. */
  constructor(private readonly db: SqliteDatabase, private readonly now: () => number = Date.now,
    private readonly writes = new WriteBehind(db), keepFinished?: number) {
    this.cap = new FinishedCap(db, keepFinished);
    // Finished in memory until their marks are committed; a rolled-back commit queues the marks again.
    writes.onCommit(() => this.finishing.clear());
    this.st = {
      insert: db.prepare(`INSERT INTO journal
        (event_id, machine, account, account_key, account_id, captured_at, received_at, encoding, sealed, next_attempt_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`),
      due: db.prepare(`SELECT ${COLUMNS} FROM journal WHERE state = 'pending' AND next_attempt_at <= ?
        ORDER BY next_attempt_at, seq LIMIT ?`),
      pendingFor: db.prepare(`SELECT ${COLUMNS} FROM journal WHERE account_key = ? AND state = 'pending' ORDER BY seq`),
      get: db.prepare(`SELECT ${COLUMNS} FROM journal WHERE event_id = ?`),
      exists: db.prepare('SELECT 1 FROM journal WHERE event_id = ?').pluck(),
      // Done and superseded entries will not be opened again: drop the sealed password with the state change.
      // RETURNING seq: the finished-row cap drops a row its walk has already passed (see finished-cap.ts).
      done: db.prepare(`UPDATE journal SET state = 'done', outcome = ?, sealed = X'', finished_at = ?
        WHERE event_id = ? AND state = 'pending' RETURNING seq`).pluck(),
      superseded: db.prepare(`UPDATE journal SET state = 'superseded', outcome = ?, sealed = X'', finished_at = ?
        WHERE event_id = ? AND state = 'pending' RETURNING seq`).pluck(),
      retry: db.prepare(`UPDATE journal SET attempts = ?, next_attempt_at = ?, last_error = ?
        WHERE event_id = ? AND state = 'pending'`),
      // Dead entries keep their sealed part: an operator may requeue them once the cause is fixed.
      dead: db.prepare(`UPDATE journal SET state = 'dead', outcome = ?, finished_at = ? WHERE event_id = ? AND state = 'pending'`),
      depth: db.prepare(`SELECT count(*) FROM journal WHERE state = 'pending'`).pluck(),
      nextDue: db.prepare(`SELECT min(next_attempt_at) FROM journal WHERE state = 'pending'`).pluck(),
      dueNow: db.prepare(`UPDATE journal SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?`),
      deadLetters: db.prepare(`SELECT ${COLUMNS} FROM journal WHERE state = 'dead' ORDER BY seq LIMIT ?`),
      requeue: db.prepare(`UPDATE journal SET state = 'pending', attempts = 0, next_attempt_at = ?, outcome = NULL,
        finished_at = NULL WHERE event_id = ? AND state = 'dead'`),
      // Conflicted entries keep their sealed part, like dead ones: the conflict's resolution may send it again.
      conflicted: db.prepare(`UPDATE journal SET state = 'conflicted', outcome = ?, finished_at = ? WHERE event_id = ? AND state = 'pending'`),
      conflictedAll: db.prepare(`SELECT ${COLUMNS} FROM journal WHERE state = 'conflicted' ORDER BY seq`),
      conflictedFor: db.prepare(`SELECT ${COLUMNS} FROM journal WHERE state = 'conflicted' AND account_key = ? ORDER BY seq`),
      resend: db.prepare(`UPDATE journal SET state = 'pending', resend = 1, attempts = 0, next_attempt_at = ?, outcome = NULL,
        finished_at = NULL, last_error = NULL WHERE event_id = ? AND state = 'conflicted'`),
      drop: db.prepare(`UPDATE journal SET state = 'done', outcome = ?, sealed = X'', finished_at = ? WHERE event_id = ? AND state = 'conflicted'`),
      purge: db.prepare(`DELETE FROM journal WHERE finished_at < ? AND state IN ('done', 'superseded')`),
    };
  }

  append(entries: NewJournalEntry[]): Array<'stored' | 'duplicate'> {
    entries.forEach(checkEntry);
    // One transaction, one fsync for the whole batch (the ingest groups frames to amortise it), and the
    // queued marks ride along in it.
    return this.writes.transaction(() => {
      return entries.map((e) => {
        const r = this.st.insert.run(eventKey(e.eventId), e.machine, e.account, foldName(e.account), e.accountId, e.capturedAt,
          e.receivedAt, e.encoding, e.sealed, e.receivedAt);
        return r.changes === 1 ? 'stored' as const : 'duplicate' as const;
      });
    }, 'immediate');
  }

  /** Pending entries with next_attempt_at <= now: earliest due first, then journal order (the index order). */
  due(now: number, limit: number): JournalEntry[] {
    // Marks first: filtering queued ones out after the LIMIT would return fewer than `limit` rows while
    // more are due, and the processor reads a short page as "no backlog".
    this.flushMarks();
    return (this.st.due.all(now, limit) as Row[]).map(toEntry);
  }

  pendingFor(account: string): JournalEntry[] {
    return this.unfinished(this.st.pendingFor.all(foldName(account)) as Row[]);
  }

  markDone(eventId: string, outcome: string): void {
    const key = this.known(eventId);
    const at = this.now();
    this.defer([key], () => this.cap.finished(this.st.done.get(clip(outcome), at, key) as number | undefined));
  }

  /** All in one transaction: a crash leaves either every listed entry superseded or none. */
  markSuperseded(eventIds: string[], byEventId: string): void {
    const outcome = `superseded by ${eventKey(byEventId)}`;
    const keys = eventIds.map((id) => this.known(id));
    const at = this.now();
    this.defer(keys, () => { for (const key of keys) this.cap.finished(this.st.superseded.get(outcome, at, key) as number | undefined); });
  }

  /** Written at once, not behind: the next look at the entry must see its attempts and due time. Rare. */
  markRetry(eventId: string, attempts: number, nextAttemptAt: number, error: string): void {
    const key = this.known(eventId);
    this.flushMarks();
    this.st.retry.run(attempts, nextAttemptAt, clip(error), key);
  }

  markDead(eventId: string, reason: string): void {
    const key = this.known(eventId);
    const at = this.now();
    this.defer([key], () => this.st.dead.run(clip(reason), at, key));
  }

  /**
   * Commit every queued mark (and whatever else state.db has queued) in one transaction. Reads call it
   * first; close() must call it too. When the commit fails (disk full, I/O error) the marks stay queued
   * for the next try and the error is thrown.
   */
  flushMarks(): void {
    this.writes.flush();
  }

  /** Rows still pending in the table but already finished in memory (mark queued) are not handed out. */
  private unfinished(rows: Row[]): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const r of rows) if (!this.finishing.has(r.event_id)) out.push(toEntry(r));
    return out;
  }

  /** The entries count as finished once the mark is committed (WriteBehind.onCommit clears `finishing`). */
  private defer(keys: string[], mark: () => void): void {
    for (const k of keys) this.finishing.add(k);
    this.writes.queue(() => {
      this.cap.trim();
      mark();
    });
  }

  depth(): number {
    this.flushMarks();
    return this.st.depth.get() as number;
  }

  nextDueAt(): number | undefined {
    this.flushMarks();
    return (this.st.nextDue.get() as number | null) ?? undefined;
  }

  dueNow(now: number): number {
    this.flushMarks();
    return this.st.dueNow.run(now, now).changes;
  }

  /** Dead entries in journal order (oldest first). */
  deadLetters(limit = DEFAULT_DEAD_LIMIT): JournalEntry[] {
    this.flushMarks();
    return (this.st.deadLetters.all(limit) as Row[]).map(toEntry);
  }

  get(eventId: string): JournalEntry | undefined {
    this.flushMarks();
    const row = this.st.get.get(eventKey(eventId)) as Row | undefined;
    return row && toEntry(row);
  }

  markConflicted(eventId: string, reason: string): void {
    const key = this.known(eventId);
    const at = this.now();
    this.defer([key], () => this.st.conflicted.run(clip(reason), at, key));
  }

  /**
   * Not flushed first: the pipeline asks after every sync, and a commit there would cost the write-behind its
   * batching. A conflicted mark still queued shows up a few ms later, at the next commit.
   */
  conflicted(account?: string): JournalEntry[] {
    const rows = account === undefined ? this.st.conflictedAll.all() : this.st.conflictedFor.all(foldName(account));
    return (rows as Row[]).map(toEntry);
  }

  /** Written at once: the processor is woken next and must find the entry pending. */
  resendConflicted(eventId: string, now: number): boolean {
    const key = eventKey(eventId);
    this.flushMarks();
    return this.st.resend.run(now, key).changes === 1;
  }

  /** Written at once (a wiped password should not wait for the next commit); a done row like any other after it. */
  dropConflicted(eventId: string, outcome: string): boolean {
    const key = eventKey(eventId);
    this.flushMarks();
    return this.st.drop.run(clip(outcome), this.now(), key).changes === 1;
  }

  /**
   * Not on the port (an operator's command): put dead entries back to pending, due now, with their
   * attempts reset. Their sealed part was kept for this. Returns the ids requeued (unknown or not dead: skipped).
   */
  requeueDead(eventIds: string[]): string[] {
    this.flushMarks();
    const at = this.now();
    return this.db.transaction(() => eventIds.map(eventKey).filter((key) => this.st.requeue.run(at, key).changes === 1), 'immediate');
  }

  /** Not on the port: delete done/superseded entries finished before `before` (ms). Returns how many. */
  purgeFinished(before: number): number {
    this.flushMarks();
    return this.st.purge.run(before).changes;
  }

  /**
   * A mark names an entry the journal holds, or it is a caller's bug: checked now, while the caller is
   * still on the stack. A mark on an entry that already left 'pending' changes nothing (the UPDATEs say
   * AND state = 'pending').
   */
  private known(eventId: string): string {
    const key = eventKey(eventId);
    if (this.st.exists.get(key) === undefined) throw new Error(`journal has no event ${eventId}`);
    return key;
  }
}

/** Event ids are 32 hex chars; stored lower case so a re-send in other case is still a duplicate. */
function eventKey(eventId: string): string {
  if (typeof eventId !== 'string' || !/^[0-9a-fA-F]{32}$/.test(eventId)) {
    throw new Error(`journal event id must be 32 hex characters, got ${JSON.stringify(String(eventId).slice(0, 40))}`);
  }
  return eventId.toLowerCase();
}

function checkEntry(e: NewJournalEntry, i: number): void {
  eventKey(e?.eventId);
  const bad = (what: string) => new Error(`journal entry ${i} (${e.eventId}): ${what}`);
  if (typeof e.machine !== 'string' || e.machine === '') throw bad('machine must be a non-empty string');
  if (typeof e.account !== 'string' || e.account === '') throw bad('account must be a non-empty string');
  if (!Number.isSafeInteger(e.accountId) || e.accountId < 0 || e.accountId > 0xffffffff) throw bad('accountId must be a u32');
  if (!Number.isSafeInteger(e.capturedAt)) throw bad('capturedAt must be an integer (ms)');
  if (!Number.isSafeInteger(e.receivedAt)) throw bad('receivedAt must be an integer (ms)');
  if (e.encoding !== 1 && e.encoding !== 2) throw bad('encoding must be 1 (raw) or 2 (UTF-16LE)');
  if (!Buffer.isBuffer(e.sealed) || e.sealed.length === 0) throw bad('sealed must be a non-empty Buffer');
}

function clip(text: string): string {
  const s = String(text);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}

function toEntry(r: Row): JournalEntry {
  const e: JournalEntry = {
    seq: r.seq, eventId: r.event_id, machine: r.machine, account: r.account, accountId: r.account_id,
    capturedAt: r.captured_at, receivedAt: r.received_at, encoding: r.encoding, sealed: r.sealed, state: r.state,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at,
  };
  if (r.last_error !== null) e.lastError = r.last_error;
  if (r.outcome !== null) e.outcome = r.outcome;
  if (r.resend === 1) e.resend = true;
  return e;
}
