/**
 * Refusals a hostile or broken local peer can cause by the thousand (connections over the cap, peers that
 * never say HELLO, idle ones, a root process writing garbage frames): the first `burst` of a kind in a
 * window are recorded at once, the rest of that window are counted and recorded as one summary when the
 * window ends. The event log shows that it happened and how often, without 1,000 rows for 1,000 frames.
 */

export const REFUSAL_WINDOW_MS = 60_000;

export interface RefusalTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RefusalLimits {
  windowMs?: number;
  /** How many of one kind are recorded one by one in a window before they are only counted. */
  burst?: number;
  timers?: RefusalTimers;
}

export interface RateLimitedRefusals {
  /** One refusal; `kind` groups those that are counted together. */
  note(kind: string, reason: string): void;
  /** Record what is still counted, and forget the timers. */
  stop(): void;
}

const realTimers: RefusalTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export function rateLimitRefusals(record: (reason: string) => void, limits: RefusalLimits = {}): RateLimitedRefusals {
  const windowMs = limits.windowMs ?? REFUSAL_WINDOW_MS;
  const burst = Math.max(1, limits.burst ?? 1);
  const timers = limits.timers ?? realTimers;
  const windows = new Map<string, { recorded: number; suppressed: number; last: string; timer: unknown }>();
  const close = (kind: string) => {
    const w = windows.get(kind);
    if (!w) return;
    timers.clearTimeout(w.timer);
    windows.delete(kind);
    if (w.suppressed > 0) record(`${w.suppressed} more refused like this in the last ${windowMs / 1000} s (${kind}; the last: ${w.last})`);
  };
  return {
    note(kind, reason) {
      let w = windows.get(kind);
      if (!w) {
        w = { recorded: 0, suppressed: 0, last: reason, timer: timers.setTimeout(() => close(kind), windowMs) };
        windows.set(kind, w);
      }
      if (w.recorded < burst) {
        w.recorded++;
        record(reason);
        return;
      }
      w.suppressed++;
      w.last = reason;
    },
    stop() {
      for (const kind of [...windows.keys()]) close(kind);
    },
  };
}
