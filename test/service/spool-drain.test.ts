import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataPaths, ensureDataDir } from '../../src/config/paths';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import type { JournalPort } from '../../src/ports/journal.port';
import { MAX_PASSWORD_BYTES } from '../../src/protocol/constants';
import { spoolKey } from '../../src/protocol/keys';
import { encodeChange, joinSealed, splitSealed } from '../../src/protocol/messages';
import { MAX_SPOOL_RECORD, encodeSpoolRecordParts } from '../../src/protocol/spool-record';
import { journalEntryOf } from '../../src/service/journal-stage';
import { drainSpool, type SpoolDrainDeps } from '../../src/service/spool-drain';
import { FakeEvents } from '../helpers/fakes';
import { sealedChange, spoolEvent, spoolName, spoolRecord, writeSpoolFile } from '../helpers/spool';
import { makeTempDir } from '../helpers/tmp';
import { BRIDGE } from '../protocol/util';

const SECRET = randomBytes(32);
const pw = (s: string) => Buffer.from(s, 'utf8');

class Logs {
  readonly lines: Array<{ level: string; obj: unknown; msg: string }> = [];
  readonly logger = {
    error: (obj: unknown, msg: string) => this.lines.push({ level: 'error', obj, msg }),
    warn: (obj: unknown, msg: string) => this.lines.push({ level: 'warn', obj, msg }),
  } as unknown as SpoolDrainDeps['logger'];
}

describe('spool drain', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let spool: string;
  let db: StateDb;
  let events: FakeEvents;
  let logs: Logs;
  const deps = (over: Partial<SpoolDrainDeps> = {}): SpoolDrainDeps =>
    ({ dir: spool, key: spoolKey(SECRET), journal: db.journal, events, logger: logs.logger, now: () => 42, ...over });
  const spoolOne = (account: string, capturedAt: number, password = 'pass-word') =>
    spoolEvent(spool, SECRET, BRIDGE.publicKey, { account, capturedAt, password: pw(password) });
  const ls = () => fs.readdirSync(spool).sort();

  beforeEach(() => {
    tmp = makeTempDir();
    spool = path.join(tmp.dir, 'spool');
    fs.mkdirSync(spool, { mode: 0o700 });
    db = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: randomBytes(32) });
    events = new FakeEvents();
    logs = new Logs();
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  it('journals each record as a live CHANGE would be, then deletes its file', async () => {
    const a = spoolOne('alice', 1_000);
    const b = spoolEvent(spool, SECRET, BRIDGE.publicKey, { account: 'bob', capturedAt: 2_000, accountId: 1001, password: pw('b-pass') }, 'OTHERHOST');
    assert.deepEqual(await drainSpool(deps()), { stored: 2, duplicate: 0, refused: 0 });
    assert.deepEqual(ls(), []);
    for (const [s, machine] of [[a, 'TESTHOST'], [b, 'OTHERHOST']] as const) {
      const got = db.journal.get(s.eventIdHex)!;
      assert.ok(got, 'journaled');
      const want = journalEntryOf(s.change, machine, 42);
      for (const k of Object.keys(want) as Array<keyof typeof want>) assert.deepEqual(got[k], want[k], k);
      assert.equal(got.state, 'pending');
    }
    assert.equal(db.journal.get(b.eventIdHex)!.accountId, 1001);
    assert.deepEqual(events.list, []);
    assert.deepEqual(logs.lines, []);
  });

  it('leaves every name that does not end in .chg alone', async () => {
    const keep = ['x.chg.bad', `.${'0'.repeat(32)}.chg.tmp`, 'notes.txt', 'y.chgx', 'chg'];
    const real = spoolRecord(SECRET, sealedChange(BRIDGE.publicKey, { account: 'alice', password: pw('p-pass') }));
    for (const n of keep) fs.writeFileSync(path.join(spool, n), real);
    assert.deepEqual(await drainSpool(deps()), { stored: 0, duplicate: 0, refused: 0 });
    assert.deepEqual(ls(), [...keep].sort());
    assert.equal(db.journal.depth(), 0);
  });

  it('a missing spool directory is an empty spool', async () => {
    fs.rmdirSync(spool);
    assert.deepEqual(await drainSpool(deps()), { stored: 0, duplicate: 0, refused: 0 });
    assert.deepEqual(logs.lines, []);
  });

  it('a spool path that is not a directory is logged, not thrown', async () => {
    const file = path.join(tmp.dir, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    assert.deepEqual(await drainSpool(deps({ dir: file })), { stored: 0, duplicate: 0, refused: 0 });
    assert.equal(logs.lines.length, 1);
    assert.match(logs.lines[0].msg, /cannot list/);
  });

  it('journals the oldest captured_at first, whatever the file names say', async () => {
    // Names chosen so that name order is the reverse of capture order.
    const ids = ['ff', 'aa', '11'].map((b) => Buffer.alloc(16, Number.parseInt(b, 16)));
    const sent = [0, 1, 2].map((i) =>
      spoolEvent(spool, SECRET, BRIDGE.publicKey, { account: 'carl', eventId: ids[i], capturedAt: 1_000 + i, password: pw(`p${i}-pass`) }));
    assert.deepEqual(ls(), sent.map((s) => path.basename(s.file)).reverse());
    await drainSpool(deps());
    assert.deepEqual(db.journal.pendingFor('carl').map((e) => e.eventId), sent.map((s) => s.eventIdHex));
  });

  it('an event id the journal already holds is a duplicate: its file is removed, the entry untouched', async () => {
    const s = spoolOne('dora', 1_000);
    db.journal.append([journalEntryOf(s.change, 'TESTHOST', 7)]);
    assert.deepEqual(await drainSpool(deps()), { stored: 0, duplicate: 1, refused: 0 });
    assert.deepEqual(ls(), []);
    assert.equal(db.journal.get(s.eventIdHex)!.receivedAt, 7);
    assert.equal(db.journal.depth(), 1);
  });

  describe('a record that fails its checks is kept as .bad, logged as spool-refused, and never read again', () => {
    const change = sealedChange(BRIDGE.publicKey, { account: 'erin', password: pw('refused-pass'), capturedAt: 5_000 });
    const body = encodeChange(change);
    const key = spoolKey(SECRET);
    const good = spoolRecord(SECRET, change);
    const parts = (over: object) => encodeSpoolRecordParts({ kind: 1, machine: 'TESTHOST', body, ...over }, key);
    const flip = (b: Buffer, at: number) => { const c = Buffer.from(b); c[at] ^= 0x01; return c; };
    const tooLong = joinSealed({ ...splitSealed(change.sealed), ct: randomBytes(MAX_PASSWORD_BYTES + 1) });
    const cases: Array<[string, Buffer, RegExp]> = [
      ['a tampered byte', flip(good, good.length - 50), /bad-tag: spool record tag does not verify/],
      ['another install\'s key', spoolRecord(randomBytes(32), change), /bad-tag/],
      ['a truncated file', good.subarray(0, good.length - 1), /truncated: .*ends inside its tag/],
      ['an empty file', Buffer.alloc(0), /truncated/],
      ['bad magic', parts({ magic: Buffer.from('PWBZ') }), /malformed: .*magic/],
      ['version 2', parts({ version: 2 }), /bad-version: spool record version 2/],
      ['reserved ≠ 0', parts({ reserved: 4 }), /malformed: .*reserved/],
      ['body_len over 4096', parts({ body: Buffer.alloc(4097) }), /oversized: spool record body_len 4097/],
      ['trailing bytes', Buffer.concat([good, Buffer.alloc(3)]), /malformed: spool record has 3 bytes after its tag/],
      ['a bad CHANGE body', parts({ body: Buffer.concat([body, Buffer.from([0])]) }), /malformed: CHANGE body has 1 bytes after/],
      ['a file larger than any record', Buffer.alloc(MAX_SPOOL_RECORD + 1), /oversized: file of 4399 bytes/],
      ['a sealed password over MAX_PASSWORD_BYTES', parts({ body: encodeChange({ ...change, sealed: tooLong }) }), /password-too-long: sealed password of 1025 bytes exceeds 1024/],
    ];
    for (const [what, bytes, reason] of cases) {
      it(what, async () => {
        const name = spoolName(change);
        writeSpoolFile(spool, name, bytes);
        const ok = spoolOne('frank', 6_000);
        assert.deepEqual(await drainSpool(deps()), { stored: 1, duplicate: 0, refused: 1 }, 'the good record still goes through');
        assert.deepEqual(ls(), [`${name}.bad`]);
        assert.deepEqual(fs.readFileSync(path.join(spool, `${name}.bad`)), bytes, 'kept as written');
        assert.ok(db.journal.get(ok.eventIdHex));
        assert.equal(db.journal.get(change.eventId.toString('hex')), undefined, 'nothing journaled');
        const refused = events.of('spool-refused');
        assert.equal(refused.length, 1);
        assert.equal(refused[0].outcome, 'refused');
        assert.ok(refused[0].reason!.startsWith(`spool file ${name}: `), refused[0].reason);
        assert.match(refused[0].reason!, reason);
        assert.match(refused[0].reason!, /kept as [0-9a-f]{32}\.chg\.bad$/);
        if (what.startsWith('a sealed password')) {
          assert.equal(refused[0].traceId, change.eventId.toString('hex'));
          assert.equal(refused[0].account, 'erin');
        } else {
          assert.equal(refused[0].traceId, undefined, 'nothing an unverified record says is reported');
        }
        assert.deepEqual(await drainSpool(deps()), { stored: 0, duplicate: 0, refused: 0 }, 'a .bad file is not read again');
        assert.equal(events.of('spool-refused').length, 1);
      });
    }

    it('a symbolic link or a directory with a .chg name', async () => {
      const target = path.join(tmp.dir, 'elsewhere.chg');
      fs.writeFileSync(target, good);
      fs.symlinkSync(target, path.join(spool, 'link.chg'));
      fs.mkdirSync(path.join(spool, 'dir.chg'));
      assert.deepEqual(await drainSpool(deps()), { stored: 0, duplicate: 0, refused: 2 });
      assert.deepEqual(ls(), ['dir.chg.bad', 'link.chg.bad']);
      assert.deepEqual(fs.readFileSync(target), good, 'the link target is untouched');
      assert.equal(db.journal.depth(), 0);
      for (const e of events.of('spool-refused')) assert.match(e.reason!, /not a regular file/);
    });
  });

  it('when the journal cannot append, every file stays for the next pass and nothing throws', async () => {
    const a = spoolOne('gina', 1_000);
    const b = spoolOne('gina', 2_000);
    const broken: JournalPort = { ...db.journal, append: () => { throw new Error('disk I/O error'); } } as unknown as JournalPort;
    assert.deepEqual(await drainSpool(deps({ journal: broken })), { stored: 0, duplicate: 0, refused: 0 });
    assert.deepEqual(ls(), [path.basename(a.file), path.basename(b.file)].sort());
    assert.equal(logs.lines.length, 1);
    assert.match(logs.lines[0].msg, /journal append failed/);
    assert.deepEqual(events.list, []);
    assert.deepEqual(await drainSpool(deps()), { stored: 2, duplicate: 0, refused: 0 });
    assert.deepEqual(ls(), []);
  });

  it('more records than one batch are all journaled, in capture order', async () => {
    const n = 300;
    const sent = Array.from({ length: n }, (_, i) => spoolOne('hank', 10_000 - i));
    assert.deepEqual(await drainSpool(deps()), { stored: n, duplicate: 0, refused: 0 });
    assert.deepEqual(ls(), []);
    assert.deepEqual(db.journal.pendingFor('hank').map((e) => e.eventId), sent.map((s) => s.eventIdHex).reverse());
  });

  it('ensureDataDir makes <data dir>/spool, owner-only', () => {
    const p = dataPaths(path.join(tmp.dir, 'data'));
    assert.equal(p.spoolDir, path.join(tmp.dir, 'data', 'spool'));
    ensureDataDir(p);
    assert.equal(fs.statSync(p.spoolDir).mode & 0o777, 0o700);
    fs.chmodSync(p.spoolDir, 0o755);
    ensureDataDir(p);
    assert.equal(fs.statSync(p.spoolDir).mode & 0o777, 0o700);
  });
});
