import type pino from 'pino';
import type { EventRecord } from '../domain/types';
import { newEventUid } from './event-uid';
import type { EventSink } from '../ports/event-sink.port';
import type { OutboxDelivery } from './outbox-delivery';

/** Where an event waits for the vault (src/journal/sqlite.event-outbox.ts). */
export interface EventQueue {
  add(event: EventRecord): void;
}

/**
 * The event log: every decision goes to pino, the OS's log, and the vault's event table (what
 * `pwbridge events` and the hub read) by way of the outbox in state.db, so an event recorded while the
 * vault cannot be reached is delivered when it can be, after restarts too. Recording never waits and
 * never throws; `flush()` lets a caller (shutdown, tests, the CLI) wait until everything recorded so far
 * is in the vault, or the vault refused to take it now (it stays in the outbox).
 */
export class EventLog implements EventSink {
  /** `os`: the OS's own event log (Windows), fed the same records; it never throws or blocks either. */
  constructor(
    private readonly outbox: EventQueue,
    readonly delivery: OutboxDelivery,
    private readonly machine: string,
    private readonly log: pino.Logger,
    private readonly os?: EventSink,
  ) {}

  /** The uid is always a new one: an event is recorded once, here. */
  record(event: Omit<EventRecord, 'time' | 'machine'> & { time?: number }): void {
    const full: EventRecord = { ...event, time: event.time ?? Date.now(), machine: this.machine, uid: newEventUid() };
    const level = full.outcome === 'failed' ? 'warn' : full.outcome === 'refused' ? 'warn' : 'info';
    this.log[level]({ event: full }, full.kind);
    this.os?.record(full);
    try {
      this.outbox.add(full);
    } catch (err) {
      this.log.error({ err: { message: (err as Error).message }, event: { kind: full.kind, uid: full.uid } }, 'event outbox: cannot queue an event');
      return;
    }
    this.delivery.poke();
  }

  /** Everything recorded so far into the outbox, then as much of the outbox into the vault as it takes. */
  async flush(): Promise<void> {
    const delivered = await this.delivery.drain();
    if (!delivered) this.log.warn('event log: the vault did not take every event now; the rest stay in the outbox for the service');
  }
}
