import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { openStateDb } from '../../src/journal/sqlite.state';
import { assertExit, jsonLines, runCli, tempDataDir } from './cli';

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('pwbridge journal (CLI, real child process): dead letters and requeue', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;
  const cli = (args: string[]) => runCli(args, { dataDir: dir });
  /** A journal with two dead letters and one pending entry, as a long vault outage leaves it. */
  const seed = () => {
    const db = openStateDb(path.join(dir, 'state.db'), { echoKey: randomBytes(32) });
    const entry = (n: number, account: string) => ({
      eventId: id(n), machine: 'TESTHOST', account, accountId: 1000 + n, capturedAt: 1000, receivedAt: 2000, encoding: 1, sealed: randomBytes(120),
    });
    db.journal.append([entry(1, 'alice'), entry(2, 'bob'), entry(3, 'carol')]);
    db.journal.markDead(id(1), 'vault unreachable for 7d');
    db.journal.markDead(id(2), 'vault unreachable for 7d');
    db.close();
  };
  const stateOf = (n: number) => {
    const db = openStateDb(path.join(dir, 'state.db'), { echoKey: randomBytes(32) });
    try {
      return db.journal.get(id(n))?.state;
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDataDir({ machine: 'TESTHOST' }));
  });
  afterEach(() => cleanup());

  it('dead lists the dead letters; requeue ID puts one back to pending; requeue --all the rest', async () => {
    seed();
    const dead = jsonLines<{ eventId: string; account: string; reason: string }>(await cli(['journal', 'dead', '--json']));
    assert.deepEqual(dead.map((d) => [d.eventId, d.account]), [[id(1), 'alice'], [id(2), 'bob']]);
    assert.match(dead[0].reason, /unreachable/);
    const status = jsonLines<{ deadLetters: Array<{ eventId: string; reason: string }>; journalDepth: number }>(await cli(['status', '--json']))[0];
    assert.deepEqual(status.deadLetters.map((d) => d.eventId), [id(1), id(2)]);
    assert.equal(status.journalDepth, 1);

    const one = await cli(['journal', 'requeue', id(1).toUpperCase()]);
    assertExit(one, 0, 'journal requeue ID');
    assert.match(one.stdout, /^1 requeued/);
    assert.equal(stateOf(1), 'pending');
    assert.equal(stateOf(2), 'dead');

    const all = await cli(['journal', 'requeue', '--all']);
    assertExit(all, 0, 'journal requeue --all');
    assert.equal(stateOf(2), 'pending');
    assert.deepEqual(jsonLines(await cli(['journal', 'dead', '--json'])), []);
  });

  it('requeue of an id that is not a dead letter says so and exits 1; the pending entry stays as it was', async () => {
    seed();
    const r = await cli(['journal', 'requeue', id(3)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(id(3)));
    assert.equal(stateOf(3), 'pending');
    assert.equal(stateOf(1), 'dead');
  });

  it('bad arguments are refused with exit 2 and nothing changes', async () => {
    seed();
    for (const args of [['journal', 'requeue'], ['journal', 'requeue', '--all', id(1)], ['journal', 'requeue', 'not-an-id']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /journal requeue/);
    }
    assert.equal(stateOf(1), 'dead');
    assert.equal(stateOf(2), 'dead');
  });

  it('a data dir the service never ran in: exit 2, no journal created', async () => {
    const r = await cli(['journal', 'dead']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /never run/);
  });
});
