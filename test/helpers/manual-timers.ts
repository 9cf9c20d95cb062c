// Timers that move only when the test says so: a unit test of something time-driven asserts exact counts at
// exact times instead of sleeping and accepting a range. Satisfies the ReportTimers shape of
// src/service/machine-report.ts (now, setTimeout/clearTimeout, setInterval/clearInterval).

interface Pending { at: number; every?: number; fn: () => void }

export class ManualTimers {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private t = 0) {}

  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => this.add({ at: this.t + ms, fn });
  setInterval = (fn: () => void, ms: number): unknown => this.add({ at: this.t + ms, every: ms, fn });
  clearTimeout = (h: unknown): void => { this.pending.delete(h as number); };
  clearInterval = (h: unknown): void => { this.pending.delete(h as number); };

  /** How many timers are waiting. */
  get size(): number { return this.pending.size; }

  /**
   * Moves the clock forward by `ms`, firing each timer that falls due in time order, and lets the promises
   * each one starts settle before the next (what the event loop would do between two timers).
   */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await settle();
      const next = [...this.pending].filter(([, p]) => p.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      const [id, p] = next;
      this.t = p.at;
      if (p.every) p.at += p.every;
      else this.pending.delete(id);
      p.fn();
    }
    this.t = until;
    await settle();
  }

  private add(p: Pending): number {
    const id = this.nextId++;
    this.pending.set(id, p);
    return id;
  }
}

/** Lets every promise chain that can move without a timer move (a few turns of the event loop). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
