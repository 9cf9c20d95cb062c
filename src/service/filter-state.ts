import type { FilterState, FilterStateName } from '../domain/types';
import type { EventSink } from '../ports/event-sink.port';
import type { StateStore } from '../ports/journal.port';

/** What the platform says about the capture module without hearing from it (PAM stack, Notification Packages). */
export interface FilterProbe {
  state: Extract<FilterStateName, 'not-installed' | 'pending-reboot' | 'active' | 'faulted'>;
  reason: string;
  /** What else `status` shows about the capture's registration (Windows: the Notification Packages list). */
  details?: string[];
}

export interface Hello {
  kind: string;
  version: string;
  bootId: string;
  at: number;
}

const KEY = 'filterState';
/** Where the capture's last hello is kept in the state store (doctor's filter-loaded link reads it too). */
export const HELLO_KEY = 'filterHello';
/**
 * The PAM module says hello on every password change. A hello from the same capture in the same boot
 * changes nothing but its time, so that time is written at most this often: a write per hello would put a
 * SQLite commit (an fsync) in front of every capture's ack.
 */
export const HELLO_REWRITE_MS = 60_000;

/**
 * Filter state: not-installed → pending-reboot → active, plus disabled and faulted.
 * Derived from config (disabled), the platform probe (installed? faulted?) and the capture's last hello:
 * a hello from this boot proves the module is loaded, which on Windows is what the reboot was for.
 * Persisted, and every change is an event.
 */
export class FilterStateTracker {
  constructor(
    private readonly store: StateStore,
    private readonly probe: () => FilterProbe,
    private readonly events: EventSink,
    private readonly opts: { captureEnabled: boolean; bootId: () => string; now?: () => number },
  ) {}

  private cached?: FilterState;
  private checkedAt = 0;
  /** The hello as last written to the store. */
  private written?: Hello;

  onHello(hello: Hello): FilterState {
    const prev = this.written ?? this.store.getValue<Hello>(HELLO_KEY);
    const same = prev !== undefined && prev.kind === hello.kind && prev.version === hello.version && prev.bootId === hello.bootId;
    if (same && this.cached && hello.at - prev.at < HELLO_REWRITE_MS) return this.cached;
    this.store.setValue(HELLO_KEY, hello);
    this.written = hello;
    this.cached = this.refresh();
    this.checkedAt = this.opts.now?.() ?? Date.now();
    return this.cached;
  }

  /** Recompute, persist, and record an event when the state changed. */
  refresh(): FilterState {
    const prev = this.store.getValue<FilterState>(KEY);
    const state = this.peek();
    if (prev && prev.state === state.state && prev.reason === state.reason) return prev;
    this.store.setValue(KEY, state);
    if (!prev || prev.state !== state.state) {
      this.events.record({ kind: 'filter-state', outcome: 'info', reason: `${prev?.state ?? 'unknown'} → ${state.state}: ${state.reason}` });
    }
    return state;
  }

  /** The state as of now, computed but neither persisted nor logged (what `status` shows). */
  peek(): FilterState {
    const now = this.opts.now?.() ?? Date.now();
    const hello = this.store.getValue<Hello>(HELLO_KEY);
    const next = this.compute(hello);
    const prev = this.store.getValue<FilterState>(KEY);
    return {
      ...next,
      since: prev && prev.state === next.state ? prev.since : now,
      lastHelloAt: hello?.at,
      lastHelloBootId: hello?.bootId,
      captureKind: hello?.kind,
      captureVersion: hello?.version,
    };
  }

  /** The state as of at most `maxAgeMs` ago: the pipeline asks per event, the probe reads files. */
  current(maxAgeMs = 5000): FilterState {
    const now = this.opts.now?.() ?? Date.now();
    if (!this.cached || now - this.checkedAt > maxAgeMs) {
      this.cached = this.refresh();
      this.checkedAt = now;
    }
    return this.cached;
  }

  isActive(): boolean {
    return this.current().state === 'active';
  }

  private compute(hello: Hello | undefined): { state: FilterStateName; reason: string } {
    if (!this.opts.captureEnabled) return { state: 'disabled', reason: 'captureEnabled is false in config.json' };
    const probe = this.probe();
    if (probe.state === 'faulted') return { state: probe.state, reason: probe.reason };
    if (hello && hello.bootId === this.opts.bootId()) {
      return { state: 'active', reason: `the ${hello.kind} capture ${hello.version} said hello in this boot` };
    }
    return { state: probe.state, reason: probe.reason };
  }
}
