import type { EventRecord } from '../domain/types';
import type { JournalEntry } from '../ports/journal.port';
import type { StageContext } from './deps';

/** Writes one decision to the event sink, traced by the capture's event id. Reasons never hold a password. */
export function recordFor(
  ctx: StageContext,
  entry: JournalEntry,
  kind: string,
  outcome: EventRecord['outcome'],
  reason?: string,
  credentialId?: number,
): void {
  ctx.deps.events.record({ kind, outcome, reason, account: entry.account, credentialId, traceId: entry.eventId });
}
