/**
 * What the service does when the hub refuses this machine's agent token, and when it takes it again.
 * Refused: one event and one error log naming the cause and the fix (not one per held request), and the
 * refusal kept in the state db for `pwbridge status`. The journal keeps every entry (act.ts holds them
 * back for the gate's interval, never dead-letters them for it). Taken again (a new `pwbridge setup`, seen
 * by the gate or by a later run): the held entries fall due at once and the journal is woken.
 * Out of reach, then answering again (a hub restart, a network outage, a failover): the same, so changes
 * captured during the outage are delivered when it ends, not when each one's backoff (up to retryMax)
 * comes round.
 */
import type pino from 'pino';
import type { EventSink } from '../ports/event-sink.port';
import type { JournalPort, StateStore } from '../ports/journal.port';
import type { HubAccessGate, HubRefusal } from '../vault/hub-access';

/** The state db key `pwbridge status` reads. */
export const HUB_ACCESS_KEY = 'hubAccess';

export interface HubAccessWatch {
  /** The vault took a request: if a refusal was on record (this run or the last), it is over. */
  accepted(): void;
}

export function watchHubAccess(gate: HubAccessGate | undefined, o: {
  store: Pick<StateStore, 'getValue' | 'setValue'>;
  journal: Pick<JournalPort, 'dueNow'>;
  events: EventSink;
  logger: pino.Logger;
  /** Wake the journal processor (held entries are due now). */
  wake(): void;
}): HubAccessWatch {
  const onRefused = (r: HubRefusal) => {
    o.logger.error({ status: r.status, retryAt: new Date(r.retryAt).toISOString() }, r.reason);
    o.events.record({ kind: 'hub-refused', outcome: 'failed', reason: r.reason });
    o.store.setValue<HubRefusal>(HUB_ACCESS_KEY, r);
  };
  const restored = () => {
    if (!o.store.getValue<HubRefusal | null>(HUB_ACCESS_KEY)) return;
    o.store.setValue(HUB_ACCESS_KEY, null);
    const n = o.journal.dueNow?.(Date.now()) ?? 0;
    const reason = `the hub accepts this machine's agent token again; ${n} held journal entr${n === 1 ? 'y' : 'ies'} retried now`;
    o.logger.info(reason);
    o.events.record({ kind: 'hub-access-restored', outcome: 'ok', reason });
    o.wake();
  };
  gate?.onChange((r) => (r ? onRefused(r) : restored()));
  gate?.onReturn(() => {
    const n = o.journal.dueNow?.(Date.now()) ?? 0;
    const reason = `the hub answers again; ${n} journal entr${n === 1 ? 'y' : 'ies'} waiting out a backoff retried now`;
    // Logged, not an event: an outage ends on every hub restart, and the deliveries are the events.
    o.logger.info({ retriedNow: n }, reason);
    o.wake();
  });
  // A refusal that happened while the install opened (before this listener) is reported now.
  const now = gate?.current();
  if (now) onRefused(now);
  return {
    accepted: () => {
      if (!gate?.current()) restored();
    },
  };
}
