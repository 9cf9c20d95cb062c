/** Shared fixtures for the state.db tests: journal entries and the echo key. */
import * as crypto from 'node:crypto';
import type { NewJournalEntry } from '../../src/ports/journal.port';

export const eventId = (n: number): string => n.toString(16).padStart(32, '0');

/** An entry whose sealed part is random bytes of the size a short password gives (65+12+2+ct+16). */
export function entry(n: number, over: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    eventId: eventId(n), machine: 'WS01', account: 'alice', accountId: 1000, capturedAt: 1_000 + n, receivedAt: 2_000 + n,
    encoding: 1, sealed: crypto.randomBytes(65 + 12 + 2 + 12 + 16), ...over,
  };
}

export const ECHO_KEY = Buffer.alloc(32, 7);
