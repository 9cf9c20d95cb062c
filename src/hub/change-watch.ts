/**
 * Push-down's waiting room: the long polls of GET /api/changes held by this hub process, and the one
 * watcher that looks at the database for all of them.
 *
 * Each tick (every CHANGES_POLL_MS while anyone waits) is one cheap query: a signature per client (its
 * change counter, which triggers bump with every credential or conflict write, and its sync options). Only
 * for a client whose signature moved are its credentials read (once, for all of its waiters) and each
 * waiter's cursor recomputed; a waiter whose cursor differs from the one it holds is answered. So 1,000
 * open polls cost one query per tick, not one each; and a poll that starts while the watcher is ticking
 * takes its client's credentials from the last read when the signature says they have not moved since.
 *
 * Nothing here outlives a request in a way another process would need: the cursor is a function of the
 * database alone (HubStore.changeCursor, the same in every process), what this process remembers of it
 * is checked against the database every tick, and a change written through any hub process on the same database (or straight into it) moves
 * the signature this process reads. The signature only says where to look; the cursor decides.
 */
import { foldName } from '../domain/fold-name';
import { cursorFor, type ChangeState } from './change-cursor';

/**
 * How often, while polls are open, the watcher looks at the database. The signature query reads one row
 * per client (before migration 13 it summed every credential row: about 10 ms for 40,000 on PostgreSQL,
 * hence twice a second); push-down's target is 5 s.
 */
export const CHANGES_POLL_MS = 500;

export interface ChangeSource {
  /** One row per client: name key → an opaque signature that moves whenever anything a cursor reads moves. */
  changeSignatures(): Promise<Map<string, string>>;
  changeState(client: string): Promise<ChangeState | undefined>;
}

export interface ChangeAnswer {
  cursor: string;
  changed: boolean;
}

interface Waiter {
  key: string;
  client: string;
  machine: string;
  after: string;
  cursor: string;
  /** The last tick whose signatures this waiter's cursor already accounts for. */
  checkedTick: number;
  until: number;
  gone: () => boolean;
  resolve(a: ChangeAnswer): void;
}

export class ChangeWatch {
  private readonly waiters = new Set<Waiter>();
  /** Client name key → its last signature and the tick at which it last moved. */
  private readonly clients = new Map<string, { signature: string; movedAt: number }>();
  /** Client name key → its credentials as last read, and the tick count when that read began. */
  private readonly states = new Map<string, { state: ChangeState | undefined; asOf: number }>();
  /** Ticks completed so far, and when the last one read the signatures. */
  private tick = 0;
  private lastTickAt = 0;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private closed = false;

  constructor(private readonly source: ChangeSource, private readonly pollMs = CHANGES_POLL_MS, private readonly now: () => number = Date.now) {}

  /** Open polls (tests, metrics). */
  get size(): number {
    return this.waiters.size;
  }

  /**
   * The agent's cursor now, if it differs from `after` (or `after` is '': the first call); otherwise held
   * until it does, `waitMs` passes, `gone()` says the peer left, or the watch closes.
   */
  async wait(agent: { client: string; machine: string }, after: string, waitMs: number, gone: () => boolean): Promise<ChangeAnswer> {
    const key = foldName(agent.client);
    const { state, asOf } = await this.stateOf(agent.client, key);
    const cursor = cursorFor(state, agent.machine);
    if (cursor !== after) return { cursor, changed: after !== '' };
    if (waitMs <= 0 || gone() || this.closed) return { cursor, changed: false };
    return new Promise((resolve) => {
      this.waiters.add({ key, client: agent.client, machine: agent.machine, after, cursor, checkedTick: asOf, until: this.now() + waitMs, gone, resolve });
      this.timer ??= setInterval(() => void this.look(), this.pollMs);
    });
  }

  /**
   * A client's credentials as of tick `asOf`: read now, or the last read while it is still good, i.e. the
   * watcher has been ticking (a tick within the last two periods) and the client's signature has not moved
   * since that read began. A poll starting meanwhile then costs no query. `asOf` is the tick count before
   * the read: a change that lands during or after it moves a later tick's signature, so whoever holds this
   * state is looked at again.
   */
  private async stateOf(client: string, key: string): Promise<{ state: ChangeState | undefined; asOf: number }> {
    const known = this.states.get(key);
    const ticking = this.timer !== undefined && this.now() - this.lastTickAt < 2 * this.pollMs;
    if (known && ticking && (this.clients.get(key)?.movedAt ?? 0) <= known.asOf) return known;
    const asOf = this.tick;
    const read = { state: await this.source.changeState(client), asOf };
    if ((this.states.get(key)?.asOf ?? -1) <= asOf) this.states.set(key, read);
    return read;
  }

  /** Answer every open poll with `changed: false` (the hub is closing) and stop looking. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters) this.answer(w, { cursor: w.cursor, changed: false });
    this.stop();
  }

  private answer(w: Waiter, a: ChangeAnswer): void {
    this.waiters.delete(w);
    w.resolve(a);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One tick; ticks never overlap (a slow database skips ticks rather than piling them up). */
  private async look(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.expire();
      if (this.waiters.size === 0) return;
      const signatures = await this.source.changeSignatures();
      const tick = ++this.tick;
      this.lastTickAt = this.now();
      for (const [key, signature] of signatures) {
        const known = this.clients.get(key);
        if (known?.signature !== signature) this.clients.set(key, { signature, movedAt: tick });
      }
      const due = new Map<string, Waiter[]>();
      for (const w of this.waiters) {
        // A client the query did not list (no such client): only a signature that appears moves it.
        if ((this.clients.get(w.key)?.movedAt ?? 0) > w.checkedTick) {
          const list = due.get(w.key);
          if (list) list.push(w);
          else due.set(w.key, [w]);
        }
      }
      for (const list of due.values()) {
        const { state, asOf } = await this.stateOf(list[0].client, list[0].key);
        for (const w of list) {
          if (!this.waiters.has(w)) continue;
          w.checkedTick = asOf;
          const cursor = cursorFor(state, w.machine);
          if (cursor !== w.after) this.answer(w, { cursor, changed: true });
        }
      }
    } catch {
      // The database did not answer this tick: the polls stay open and the next tick tries again; each
      // still ends at its deadline. No tick, no trust in what was read before: the next poll reads again.
    } finally {
      this.expire();
      if (this.waiters.size === 0) this.stop();
      this.ticking = false;
    }
  }

  /** Answer the polls whose wait is over or whose peer has gone. */
  private expire(): void {
    const now = this.now();
    for (const w of this.waiters) {
      if (this.closed || now >= w.until || w.gone()) this.answer(w, { cursor: w.cursor, changed: false });
    }
  }
}
