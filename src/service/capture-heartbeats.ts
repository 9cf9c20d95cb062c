/**
 * What a capture's heartbeat tells the service: its spool past the threshold (one event per crossing) and
 * events it had to drop. A heartbeat's `dropped` counts since the capture loaded; one drop must be one
 * event, not one per heartbeat until the next reboot, so the count is kept per capture session (one per
 * load of the module).
 */
import type { EventSink } from '../ports/event-sink.port';
import { SPOOL_WARN_THRESHOLD, spoolThresholdWatch } from './spool-threshold';

export interface Heartbeat {
  queued: number;
  spooled: number;
  dropped: number;
}

/** Sessions remembered before the oldest are forgotten: old sessions are long gone. */
const MAX_SESSIONS = 1024;

export function watchCaptureHeartbeats(events: EventSink): (session: string, h: Heartbeat) => void {
  const watchSpool = spoolThresholdWatch(SPOOL_WARN_THRESHOLD, (spooled) => events.record({
    kind: 'spool-over-threshold', outcome: 'info',
    reason: `the capture reports ${spooled} events waiting in its spool (threshold ${SPOOL_WARN_THRESHOLD}); they are delivered as the service takes them`,
  }));
  const droppedSeen = new Map<string, number>();
  return (session, h) => {
    watchSpool(h.spooled);
    const before = droppedSeen.get(session) ?? 0;
    if (h.dropped > before) {
      if (droppedSeen.size >= MAX_SESSIONS && !droppedSeen.has(session)) droppedSeen.clear();
      droppedSeen.set(session, h.dropped);
      events.record({ kind: 'capture-dropped', outcome: 'failed', reason: `the capture could not keep ${h.dropped - before} events (queue or spool full, or a spool file set aside; ${h.dropped} since it loaded)` });
    }
  };
}
