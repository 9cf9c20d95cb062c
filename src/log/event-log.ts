import type pino from 'pino';
import type { EventRecord } from '../domain/types';
import type { EventSink } from '../ports/event-sink.port';
import type { VaultPort } from '../ports/vault.port';

/**
 * The event log: every decision goes to the vault's event table (what `pwbridge events` and the hub read)
 * and to pino. Writes are batched on the next tick so the pipeline never waits on them; `flush()` lets a
 * caller (shutdown, tests, the CLI) wait until everything recorded so far is stored.
 */
export class EventLog implements EventSink {
  private pending: EventRecord[] = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();

  /** `os`: the OS's own event log (Windows), fed the same records; it never throws or blocks either. */
  constructor(private readonly vault: VaultPort, private readonly machine: string, private readonly log: pino.Logger, private readonly os?: EventSink) {}

  record(event: Omit<EventRecord, 'time' | 'machine'> & { time?: number }): void {
    const full: EventRecord = { ...event, time: event.time ?? Date.now(), machine: this.machine };
    const level = full.outcome === 'failed' ? 'warn' : full.outcome === 'refused' ? 'warn' : 'info';
    this.log[level]({ event: full }, full.kind);
    this.os?.record(full);
    this.pending.push(full);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.write());
    }
  }

  private write(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.writing = this.writing
      .then(() => this.vault.appendEvents(batch))
      .catch((err: Error) => this.log.error({ err: { message: err.message }, lost: batch.length }, 'event log write failed'));
  }

  async flush(): Promise<void> {
    this.write();
    await this.writing;
  }
}
