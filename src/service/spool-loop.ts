/**
 * The capture spool drained by the service: once at start, before the endpoint accepts anything, so events
 * a capture could not deliver are journaled ahead of any newer live one; then on a timer and on demand.
 * One pass at a time (a call waits for the running one).
 */
import { timer } from 'rxjs';
import type pino from 'pino';
import type { EventSink } from '../ports/event-sink.port';
import type { JournalPort } from '../ports/journal.port';
import { spoolKey } from '../protocol/keys';
import { drainSpool, type SpoolDrainResult } from './spool-drain';

/** How often the capture spool is drained after the drain at start (docs/protocol.md "Spool"). */
export const SPOOL_DRAIN_MS = 30_000;

export interface SpoolLoopDeps {
  dir: string;
  /** The install secret; the spool key is derived from it and wiped at stop. */
  secret: Buffer;
  journal: JournalPort;
  events: EventSink;
  logger: pino.Logger;
  /** A pass stored events: the journal processor has work. */
  onStored(): void;
}

export interface SpoolLoop {
  drainNow(): Promise<SpoolDrainResult>;
  stop(): Promise<void>;
}

/** Resolves after the drain at start. */
export async function startSpoolLoop(d: SpoolLoopDeps): Promise<SpoolLoop> {
  const key = spoolKey(d.secret);
  let pass: Promise<unknown> = Promise.resolve();
  let closed = false;
  const drainNow = (): Promise<SpoolDrainResult> => {
    const next = pass.then(async () => {
      // Stopped: the key is wiped (every record would fail its tag) and the journal is closing.
      if (closed) return { stored: 0, duplicate: 0, refused: 0 };
      const r = await drainSpool({ dir: d.dir, key, journal: d.journal, events: d.events, logger: d.logger });
      if (r.stored > 0) {
        d.events.record({ kind: 'spool-drained', outcome: 'info', reason: `spool: ${r.stored} stored, ${r.duplicate} duplicate, ${r.refused} refused` });
        d.onStored();
      }
      return r;
    });
    pass = next.catch(() => undefined);
    return next;
  };
  try {
    await drainNow();
  } catch (err) {
    key.fill(0);
    throw err;
  }
  const sub = timer(SPOOL_DRAIN_MS, SPOOL_DRAIN_MS).subscribe(() => void drainNow().catch(() => undefined));
  return {
    drainNow,
    async stop() {
      sub.unsubscribe();
      closed = true;
      await pass; // a pass under way finishes before the key is wiped and the journal closes
      key.fill(0);
    },
  };
}
