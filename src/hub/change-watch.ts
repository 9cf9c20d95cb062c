/**
 * Push-down's waiting room: the long polls of GET /api/changes held by this hub process, and the one
 * watcher that looks at the database for all of them.
 *
 * Each tick (every CHANGES_POLL_MS while anyone waits) is one cheap query: a signature per client (counts
 * and sums over its credentials' versions, modes, switches and update times, and its sync options). Only
 * for a client whose signature moved are its credentials read (once, for all of its waiters) and each
 * waiter's cursor recomputed; a waiter whose cursor differs from the one it holds is answered. So 1,000
 * open polls cost one query per tick, not one each.
 *
 * Nothing here outlives a request in a way another process would need: the cursor is a function of the
 * database alone (HubStore.changeCursor, the same in every process), every poll starts by computing it
 * afresh, and a change written through any hub process on the same database (or straight into it) moves
 * the signature this process reads. The signature only says where to look; the cursor decides.
 */
import { foldName } from '../vault/fold';
import { cursorFor, type ChangeState } from './change-cursor';

/** How often, while polls are open, the watcher looks at the database. */
export const CHANGES_POLL_MS = 200;

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
  /** Ticks completed so far. */
  private tick = 0;
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
    // Taken before the read: a change that lands between the read and the registration moves a later
    // tick's signature, so this waiter is looked at again.
    const checkedTick = this.tick;
    const cursor = cursorFor(await this.source.changeState(agent.client), agent.machine);
    if (cursor !== after) return { cursor, changed: after !== '' };
    if (waitMs <= 0 || gone() || this.closed) return { cursor, changed: false };
    return new Promise((resolve) => {
      this.waiters.add({
        key: foldName(agent.client), client: agent.client, machine: agent.machine, after, cursor, checkedTick,
        until: this.now() + waitMs, gone, resolve,
      });
      this.timer ??= setInterval(() => void this.look(), this.pollMs);
    });
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
        const state = await this.source.changeState(list[0].client);
        for (const w of list) {
          if (!this.waiters.has(w)) continue;
          w.checkedTick = tick;
          const cursor = cursorFor(state, w.machine);
          if (cursor !== w.after) this.answer(w, { cursor, changed: true });
        }
      }
    } catch {
      // The database did not answer this tick: the polls stay open and the next tick tries again; each
      // still ends at its deadline, and the agent's next poll reads the cursor afresh.
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
