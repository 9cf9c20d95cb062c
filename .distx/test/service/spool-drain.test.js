"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const paths_1 = require("../../src/config/paths");
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const constants_1 = require("../../src/protocol/constants");
const keys_1 = require("../../src/protocol/keys");
const messages_1 = require("../../src/protocol/messages");
const spool_record_1 = require("../../src/protocol/spool-record");
const journal_stage_1 = require("../../src/service/journal-stage");
const spool_drain_1 = require("../../src/service/spool-drain");
const fakes_1 = require("../helpers/fakes");
const spool_1 = require("../helpers/spool");
const tmp_1 = require("../helpers/tmp");
const util_1 = require("../protocol/util");
const SECRET = (0, node_crypto_1.randomBytes)(32);
const pw = (s) => Buffer.from(s, 'utf8');
class Logs {
    lines = [];
    logger = {
        error: (obj, msg) => this.lines.push({ level: 'error', obj, msg }),
        warn: (obj, msg) => this.lines.push({ level: 'warn', obj, msg }),
    };
}
describe('spool drain', () => {
    let tmp;
    let spool;
    let db;
    let events;
    let logs;
    const deps = (over = {}) => ({ dir: spool, key: (0, keys_1.spoolKey)(SECRET), journal: db.journal, events, logger: logs.logger, now: () => 42, ...over });
    const spoolOne = (account, capturedAt, password = 'pass-word') => (0, spool_1.spoolEvent)(spool, SECRET, util_1.BRIDGE.publicKey, { account, capturedAt, password: pw(password) });
    const ls = () => fs.readdirSync(spool).sort();
    beforeEach(() => {
        tmp = (0, tmp_1.makeTempDir)();
        spool = path.join(tmp.dir, 'spool');
        fs.mkdirSync(spool, { mode: 0o700 });
        db = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: (0, node_crypto_1.randomBytes)(32) });
        events = new fakes_1.FakeEvents();
        logs = new Logs();
    });
    afterEach(() => {
        db.close();
        tmp.cleanup();
    });
    it('journals each record as a live CHANGE would be, then deletes its file', async () => {
        const a = spoolOne('alice', 1_000);
        const b = (0, spool_1.spoolEvent)(spool, SECRET, util_1.BRIDGE.publicKey, { account: 'bob', capturedAt: 2_000, accountId: 1001, password: pw('b-pass') }, 'OTHERHOST');
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 2, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(ls(), []);
        for (const [s, machine] of [[a, 'TESTHOST'], [b, 'OTHERHOST']]) {
            const got = db.journal.get(s.eventIdHex);
            node_assert_1.strict.ok(got, 'journaled');
            const want = (0, journal_stage_1.journalEntryOf)(s.change, machine, 42);
            for (const k of Object.keys(want))
                node_assert_1.strict.deepEqual(got[k], want[k], k);
            node_assert_1.strict.equal(got.state, 'pending');
        }
        node_assert_1.strict.equal(db.journal.get(b.eventIdHex).accountId, 1001);
        node_assert_1.strict.deepEqual(events.list, []);
        node_assert_1.strict.deepEqual(logs.lines, []);
    });
    it('leaves every name that does not end in .chg alone', async () => {
        const keep = ['x.chg.bad', `.${'0'.repeat(32)}.chg.tmp`, 'notes.txt', 'y.chgx', 'chg'];
        const real = (0, spool_1.spoolRecord)(SECRET, (0, spool_1.sealedChange)(util_1.BRIDGE.publicKey, { account: 'alice', password: pw('p-pass') }));
        for (const n of keep)
            fs.writeFileSync(path.join(spool, n), real);
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 0, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(ls(), [...keep].sort());
        node_assert_1.strict.equal(db.journal.depth(), 0);
    });
    it('a missing spool directory is an empty spool', async () => {
        fs.rmdirSync(spool);
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 0, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(logs.lines, []);
    });
    it('a spool path that is not a directory is logged, not thrown', async () => {
        const file = path.join(tmp.dir, 'not-a-dir');
        fs.writeFileSync(file, 'x');
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps({ dir: file })), { stored: 0, duplicate: 0, refused: 0 });
        node_assert_1.strict.equal(logs.lines.length, 1);
        node_assert_1.strict.match(logs.lines[0].msg, /cannot list/);
    });
    it('journals the oldest captured_at first, whatever the file names say', async () => {
        // Names chosen so that name order is the reverse of capture order.
        const ids = ['ff', 'aa', '11'].map((b) => Buffer.alloc(16, Number.parseInt(b, 16)));
        const sent = [0, 1, 2].map((i) => (0, spool_1.spoolEvent)(spool, SECRET, util_1.BRIDGE.publicKey, { account: 'carl', eventId: ids[i], capturedAt: 1_000 + i, password: pw(`p${i}-pass`) }));
        node_assert_1.strict.deepEqual(ls(), sent.map((s) => path.basename(s.file)).reverse());
        await (0, spool_drain_1.drainSpool)(deps());
        node_assert_1.strict.deepEqual(db.journal.pendingFor('carl').map((e) => e.eventId), sent.map((s) => s.eventIdHex));
    });
    it('an event id the journal already holds is a duplicate: its file is removed, the entry untouched', async () => {
        const s = spoolOne('dora', 1_000);
        db.journal.append([(0, journal_stage_1.journalEntryOf)(s.change, 'TESTHOST', 7)]);
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 0, duplicate: 1, refused: 0 });
        node_assert_1.strict.deepEqual(ls(), []);
        node_assert_1.strict.equal(db.journal.get(s.eventIdHex).receivedAt, 7);
        node_assert_1.strict.equal(db.journal.depth(), 1);
    });
    describe('a record that fails its checks is kept as .bad, logged as spool-refused, and never read again', () => {
        const change = (0, spool_1.sealedChange)(util_1.BRIDGE.publicKey, { account: 'erin', password: pw('refused-pass'), capturedAt: 5_000 });
        const body = (0, messages_1.encodeChange)(change);
        const key = (0, keys_1.spoolKey)(SECRET);
        const good = (0, spool_1.spoolRecord)(SECRET, change);
        const parts = (over) => (0, spool_record_1.encodeSpoolRecordParts)({ kind: 1, machine: 'TESTHOST', body, ...over }, key);
        const flip = (b, at) => { const c = Buffer.from(b); c[at] ^= 0x01; return c; };
        const tooLong = (0, messages_1.joinSealed)({ ...(0, messages_1.splitSealed)(change.sealed), ct: (0, node_crypto_1.randomBytes)(constants_1.MAX_PASSWORD_BYTES + 1) });
        const cases = [
            ['a tampered byte', flip(good, good.length - 50), /bad-tag: spool record tag does not verify/],
            ['another install\'s key', (0, spool_1.spoolRecord)((0, node_crypto_1.randomBytes)(32), change), /bad-tag/],
            ['a truncated file', good.subarray(0, good.length - 1), /truncated: .*ends inside its tag/],
            ['an empty file', Buffer.alloc(0), /truncated/],
            ['bad magic', parts({ magic: Buffer.from('PWBZ') }), /malformed: .*magic/],
            ['version 2', parts({ version: 2 }), /bad-version: spool record version 2/],
            ['reserved ≠ 0', parts({ reserved: 4 }), /malformed: .*reserved/],
            ['body_len over 4096', parts({ body: Buffer.alloc(4097) }), /oversized: spool record body_len 4097/],
            ['trailing bytes', Buffer.concat([good, Buffer.alloc(3)]), /malformed: spool record has 3 bytes after its tag/],
            ['a bad CHANGE body', parts({ body: Buffer.concat([body, Buffer.from([0])]) }), /malformed: CHANGE body has 1 bytes after/],
            ['a file larger than any record', Buffer.alloc(spool_record_1.MAX_SPOOL_RECORD + 1), /oversized: file of 4399 bytes/],
            ['a sealed password over MAX_PASSWORD_BYTES', parts({ body: (0, messages_1.encodeChange)({ ...change, sealed: tooLong }) }), /password-too-long: sealed password of 1025 bytes exceeds 1024/],
        ];
        for (const [what, bytes, reason] of cases) {
            it(what, async () => {
                const name = (0, spool_1.spoolName)(change);
                (0, spool_1.writeSpoolFile)(spool, name, bytes);
                const ok = spoolOne('frank', 6_000);
                node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 1, duplicate: 0, refused: 1 }, 'the good record still goes through');
                node_assert_1.strict.deepEqual(ls(), [`${name}.bad`]);
                node_assert_1.strict.deepEqual(fs.readFileSync(path.join(spool, `${name}.bad`)), bytes, 'kept as written');
                node_assert_1.strict.ok(db.journal.get(ok.eventIdHex));
                node_assert_1.strict.equal(db.journal.get(change.eventId.toString('hex')), undefined, 'nothing journaled');
                const refused = events.of('spool-refused');
                node_assert_1.strict.equal(refused.length, 1);
                node_assert_1.strict.equal(refused[0].outcome, 'refused');
                node_assert_1.strict.ok(refused[0].reason.startsWith(`spool file ${name}: `), refused[0].reason);
                node_assert_1.strict.match(refused[0].reason, reason);
                node_assert_1.strict.match(refused[0].reason, /kept as [0-9a-f]{32}\.chg\.bad$/);
                if (what.startsWith('a sealed password')) {
                    node_assert_1.strict.equal(refused[0].traceId, change.eventId.toString('hex'));
                    node_assert_1.strict.equal(refused[0].account, 'erin');
                }
                else {
                    node_assert_1.strict.equal(refused[0].traceId, undefined, 'nothing an unverified record says is reported');
                }
                node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 0, duplicate: 0, refused: 0 }, 'a .bad file is not read again');
                node_assert_1.strict.equal(events.of('spool-refused').length, 1);
            });
        }
        it('a symbolic link or a directory with a .chg name', async () => {
            const target = path.join(tmp.dir, 'elsewhere.chg');
            fs.writeFileSync(target, good);
            fs.symlinkSync(target, path.join(spool, 'link.chg'));
            fs.mkdirSync(path.join(spool, 'dir.chg'));
            node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 0, duplicate: 0, refused: 2 });
            node_assert_1.strict.deepEqual(ls(), ['dir.chg.bad', 'link.chg.bad']);
            node_assert_1.strict.deepEqual(fs.readFileSync(target), good, 'the link target is untouched');
            node_assert_1.strict.equal(db.journal.depth(), 0);
            for (const e of events.of('spool-refused'))
                node_assert_1.strict.match(e.reason, /not a regular file/);
        });
    });
    it('when the journal cannot append, every file stays for the next pass and nothing throws', async () => {
        const a = spoolOne('gina', 1_000);
        const b = spoolOne('gina', 2_000);
        const broken = { ...db.journal, append: () => { throw new Error('disk I/O error'); } };
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps({ journal: broken })), { stored: 0, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(ls(), [path.basename(a.file), path.basename(b.file)].sort());
        node_assert_1.strict.equal(logs.lines.length, 1);
        node_assert_1.strict.match(logs.lines[0].msg, /journal append failed/);
        node_assert_1.strict.deepEqual(events.list, []);
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: 2, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(ls(), []);
    });
    it('more records than one batch are all journaled, in capture order', async () => {
        const n = 300;
        const sent = Array.from({ length: n }, (_, i) => spoolOne('hank', 10_000 - i));
        node_assert_1.strict.deepEqual(await (0, spool_drain_1.drainSpool)(deps()), { stored: n, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(ls(), []);
        node_assert_1.strict.deepEqual(db.journal.pendingFor('hank').map((e) => e.eventId), sent.map((s) => s.eventIdHex).reverse());
    });
    it('ensureDataDir makes <data dir>/spool, owner-only', () => {
        const p = (0, paths_1.dataPaths)(path.join(tmp.dir, 'data'));
        node_assert_1.strict.equal(p.spoolDir, path.join(tmp.dir, 'data', 'spool'));
        (0, paths_1.ensureDataDir)(p);
        node_assert_1.strict.equal(fs.statSync(p.spoolDir).mode & 0o777, 0o700);
        fs.chmodSync(p.spoolDir, 0o755);
        (0, paths_1.ensureDataDir)(p);
        node_assert_1.strict.equal(fs.statSync(p.spoolDir).mode & 0o777, 0o700);
    });
});
//# sourceMappingURL=spool-drain.test.js.map