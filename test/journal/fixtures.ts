/** Shared fixtures for the state.db tests: temp dirs and journal entries. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NewJournalEntry } from '../../src/ports/journal.port';

export function makeTmpDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pwbridge-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const eventId = (n: number): string => n.toString(16).padStart(32, '0');

/** An entry whose sealed part is random bytes of the size a short password gives (65+12+2+ct+16). */
export function entry(n: number, over: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    eventId: eventId(n), machine: 'WS01', account: 'alice', accountId: 1000, capturedAt: 1_000 + n, receivedAt: 2_000 + n,
    encoding: 1, sealed: crypto.randomBytes(65 + 12 + 2 + 12 + 16), ...over,
  };
}

export const ECHO_KEY = Buffer.alloc(32, 7);
