// `npm run bench -- journal`: the journal's append+ack path (batchPerTick → journalStage → SqliteJournal.append,
// one COMMIT under synchronous=FULL per batch, then the acks) in this process, on every SQLite driver this
// Node loads. On Node 20 that is better-sqlite3; node:sqlite is measured by running this bench with Node 22:
//   "$(node packaging/fetch-node.js linux-x64)" dist/bench/run.js journal
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Subject } from 'rxjs';
import { openStateDb } from '../src/journal/sqlite.state';
import type { NewJournalEntry } from '../src/ports/journal.port';
import { batchPerTick, journalStage, type Accepted } from '../src/service/journal-stage';
import type { SqliteDriver } from '../src/sqlite/database';
import { probeSqliteDrivers } from '../src/sqlite/drivers';
import { makeTempDir } from '../test/helpers/tmp';

type Emit = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

/** Events per burst: what one turn of the event loop collects from busy connections. */
const BURST = 100;
const BURST_EVENTS = 20_000;
/** One event at a time, each waiting for its ack: the latency a lone password change sees. */
const SINGLE_EVENTS = 1_000;

let next = 0;
function entry(): NewJournalEntry {
  next++;
  return {
    eventId: crypto.randomBytes(16).toString('hex'), machine: 'BENCH', account: `BENCH\\user${next % 2000}`, accountId: 1000 + (next % 2000),
    capturedAt: next, receivedAt: Date.now(), encoding: 1, sealed: crypto.randomBytes(65 + 12 + 2 + 24 + 16),
  };
}

/** A journal stage on a fresh state.db; `send` resolves with the ack ('failed' when the append threw). */
function stage(driver: SqliteDriver) {
  const tmp = makeTempDir('pwbridge-bench-journal-');
  const db = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: crypto.randomBytes(32), sqlite: driver });
  const in$ = new Subject<Accepted>();
  const sub = in$.pipe(batchPerTick(), journalStage(db.journal, () => undefined)).subscribe();
  const send = (e: NewJournalEntry) => new Promise<string>((resolve) => in$.next({ entry: e, ack: resolve }));
  return { send, close: () => { sub.unsubscribe(); db.close(); tmp.cleanup(); } };
}

async function measure(driver: SqliteDriver, emit: Emit): Promise<void> {
  const context = { driver: driver.name, node: process.version };
  const s = stage(driver);
  try {
    const t0 = performance.now();
    for (let sent = 0; sent < BURST_EVENTS; sent += BURST) {
      const acks = await Promise.all(Array.from({ length: BURST }, () => s.send(entry())));
      if (acks.some((a) => a !== 'stored')) throw new Error(`an event was not stored: ${acks.find((a) => a !== 'stored')}`);
    }
    emit('journal_append_ack_per_s', BURST_EVENTS / ((performance.now() - t0) / 1000), 'events/s', { ...context, burst: BURST });

    const lat: number[] = [];
    for (let i = 0; i < SINGLE_EVENTS; i++) {
      const t = performance.now();
      if ((await s.send(entry())) !== 'stored') throw new Error('an event was not stored');
      lat.push((performance.now() - t) * 1000);
    }
    lat.sort((a, b) => a - b);
    emit('journal_append_ack_us_p50', lat[Math.floor(lat.length * 0.5)], 'us', { ...context, burst: 1 });
    emit('journal_append_ack_us_p99', lat[Math.floor(lat.length * 0.99)], 'us', { ...context, burst: 1 });
  } finally {
    s.close();
  }
}

export async function benchJournalAppend(emit: Emit, progress: (msg: string) => void): Promise<void> {
  for (const probe of probeSqliteDrivers()) {
    if (!('driver' in probe)) {
      progress(`journal: ${probe.name} does not load on Node ${process.version}, not measured here (${probe.reason})`);
      continue;
    }
    progress(`journal: append+ack on ${probe.name} (Node ${process.version}): ${BURST_EVENTS} events in bursts of ${BURST}, then ${SINGLE_EVENTS} one at a time`);
    await measure(probe.driver, emit);
  }
}
