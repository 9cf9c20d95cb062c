import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Subject, firstValueFrom, tap, toArray } from 'rxjs';
import { openStateDb } from '../../src/journal/sqlite.state';
import type { JournalPort, NewJournalEntry } from '../../src/ports/journal.port';
import { batchPerTick, journalStage, type Accepted } from '../../src/service/journal-stage';
import { makeTempDir } from '../helpers/tmp';

function entry(account: string): NewJournalEntry {
  return {
    eventId: randomBytes(16).toString('hex'), machine: 'TESTHOST', account, accountId: 1000,
    capturedAt: Date.now(), receivedAt: Date.now(), encoding: 1, sealed: randomBytes(120),
  };
}

describe('journal stage: durable first, then ack', () => {
  it('frames of one tick share one batch; each is acked stored, a re-sent one duplicate, after the append', async () => {
    const tmp = makeTempDir();
    const db = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: randomBytes(32) });
    try {
      const in$ = new Subject<Accepted>();
      const acks: Array<{ id: string; result: string; inJournal: boolean }> = [];
      const accept = (e: NewJournalEntry): Accepted => ({
        entry: e,
        ack: (result) => acks.push({ id: e.eventId, result, inJournal: db.journal.get(e.eventId) !== undefined }),
      });
      const batches: number[] = [];
      const stored$ = in$.pipe(batchPerTick(), tap((b) => batches.push(b.length)), journalStage(db.journal, () => assert.fail('no error expected')));
      const counts = firstValueFrom(stored$.pipe(toArray()));
      const a = entry('alice');
      const b = entry('bob');
      in$.next(accept(a));
      in$.next(accept(b));
      in$.next(accept(a)); // the capture re-sent it
      await new Promise((r) => setImmediate(r));
      in$.complete();
      assert.deepEqual(await counts, [2]);
      assert.deepEqual(batches, [3]);
      assert.deepEqual(acks.map((x) => x.result), ['stored', 'stored', 'duplicate']);
      assert.ok(acks.every((x) => x.inJournal), 'every ack came after its entry was in the journal');
    } finally {
      db.close();
      tmp.cleanup();
    }
  });

  it('a failed append acks nothing as stored (the captures keep their events) and the stage keeps going', async () => {
    let fail = true;
    const journal = {
      append: (entries: NewJournalEntry[]) => {
        if (fail) throw new Error('disk full');
        return entries.map(() => 'stored' as const);
      },
    } as unknown as JournalPort;
    const errors: string[] = [];
    const in$ = new Subject<Accepted>();
    const results: string[] = [];
    const out: number[] = [];
    in$.pipe(batchPerTick(), journalStage(journal, (err, n) => errors.push(`${err.message} x${n}`))).subscribe((n) => out.push(n));
    in$.next({ entry: entry('carol'), ack: (r) => results.push(r) });
    in$.next({ entry: entry('dave'), ack: (r) => results.push(r) });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(results, ['failed', 'failed']);
    assert.deepEqual(errors, ['disk full x2']);
    fail = false;
    in$.next({ entry: entry('erin'), ack: (r) => results.push(r) });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(results, ['failed', 'failed', 'stored']);
    assert.deepEqual(out, [1]);
  });
});
