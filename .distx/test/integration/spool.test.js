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
// The capture spool end to end: files written the way the PAM module writes them, into a real data dir,
// drained by a real bridge into its SQLite journal and on to the vault.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const constants_1 = require("../../src/protocol/constants");
const bridge_harness_1 = require("../helpers/bridge-harness");
const spool_1 = require("../helpers/spool");
const tmp_1 = require("../helpers/tmp");
const cli_1 = require("../cli/cli");
const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change' };
const pw = (s) => Buffer.from(s, 'utf8');
/** The PAM module is in the stack (as on an installed system), so changes apply without a HELLO this run. */
const pamInstalled = (real) => ({ ...real, probeFilter: () => ({ state: 'active', reason: 'test: pam_pwbridge.so is in the PAM stack' }) });
const options = { clients: [acme], config: { client: 'Acme' }, platform: pamInstalled };
async function eventsOf(h, kind) {
    await h.install.events.flush();
    return h.install.vault.queryEvents({ kind });
}
/** Wait until the bridge logged an event of `kind` by itself (no drain() call), or give up. */
async function waitForEvent(h, kind, ms = 10_000) {
    const until = Date.now() + ms;
    for (;;) {
        const evs = await eventsOf(h, kind);
        if (evs.length > 0 || Date.now() > until)
            return evs;
        await new Promise((r) => setTimeout(r, 25));
    }
}
const spool = (h, ev) => (0, spool_1.spoolEvent)(h.install.paths.spoolDir, h.install.keys.secret, h.install.keys.publicKey, ev);
/** Stop the service (which wipes its keys), keeping what a capture knows: the secret and bridge.pub. */
async function stopKeeping(h) {
    const secret = Buffer.from(h.install.keys.secret);
    const pub = Buffer.from(h.install.keys.publicKey);
    const dir = h.install.paths.spoolDir;
    await h.stop();
    return (ev) => (0, spool_1.spoolEvent)(dir, secret, pub, ev);
}
const spoolFiles = (h) => fs.readdirSync(h.install.paths.spoolDir).sort();
describe('capture spool → journal → vault', () => {
    let h;
    afterEach(async () => h?.destroy());
    it('events spooled while the bridge was down are journaled when it starts, before it listens, and reach the vault', async () => {
        h = await (0, bridge_harness_1.startHarness)(options);
        const v = h.install.vault;
        const alice = await v.addCredential({ client: 'Acme', username: 'TESTHOST\\alice', password: pw('old-pass'), windowsSync: true, mode: 'report' });
        const spoolDown = await stopKeeping(h);
        const a = spoolDown({ account: 'alice', password: pw('spooled ü pass'), capturedAt: Date.now() + 1 });
        const b = spoolDown({ account: 'newbie', password: pw('newbie-pass'), capturedAt: Date.now() + 2 });
        h = await h.restart();
        // No drainSpool() call: the start itself drained the spool.
        node_assert_1.strict.deepEqual(spoolFiles(h), []);
        const journal = h.install.state.journal;
        const spooled = journal.get(a.eventIdHex);
        node_assert_1.strict.ok(spooled && journal.get(b.eventIdHex), 'both journaled at start');
        node_assert_1.strict.equal(spooled.machine, 'TESTHOST');
        // A live change right after the start comes after them in the journal.
        const c = await h.connect();
        const live = c.send({ account: 'bob', encoding: constants_1.Encoding.raw, password: pw('live-pass') });
        node_assert_1.strict.equal((await live.acked).status, 0);
        node_assert_1.strict.ok(journal.get(live.eventIdHex).seq > spooled.seq);
        c.destroy();
        await h.bridge.drain();
        const vault = h.install.vault;
        node_assert_1.strict.equal((await vault.readPassword(alice.id)).toString('utf8'), 'spooled ü pass');
        const created = await vault.findCredential('Acme', 'TESTHOST\\newbie');
        node_assert_1.strict.ok(created, 'auto-created from the spooled event');
        node_assert_1.strict.equal((await vault.readPassword(created.id)).toString(), 'newbie-pass');
        const synced = await eventsOf(h, 'change-synced');
        node_assert_1.strict.deepEqual(synced.map((e) => e.traceId), [a.eventIdHex]);
        const drained = await eventsOf(h, 'spool-drained');
        node_assert_1.strict.equal(drained.length, 1);
        node_assert_1.strict.equal(drained[0].outcome, 'info');
        node_assert_1.strict.match(drained[0].reason ?? '', /2 stored, 0 duplicate, 0 refused/);
    });
    it('of two spooled changes to one account the later capture wins, whatever the file names', async () => {
        h = await (0, bridge_harness_1.startHarness)(options);
        const cred = await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\carl', password: pw('p0-pass'), windowsSync: true, mode: 'report' });
        const spoolDown = await stopKeeping(h);
        const t1 = Date.now() + 1;
        const t2 = t1 + 1000;
        // The later change gets the name that sorts first.
        const later = spoolDown({ account: 'carl', password: pw('p2-pass'), capturedAt: t2, eventId: Buffer.alloc(16, 0x00) });
        const earlier = spoolDown({ account: 'carl', password: pw('p1-pass'), capturedAt: t1, eventId: Buffer.alloc(16, 0xff) });
        node_assert_1.strict.deepEqual(spoolFiles(h), [path.basename(later.file), path.basename(earlier.file)]);
        h = await h.restart();
        await h.bridge.drain();
        node_assert_1.strict.equal((await h.install.vault.readPassword(cred.id)).toString(), 'p2-pass');
        const superseded = await eventsOf(h, 'change-superseded');
        node_assert_1.strict.deepEqual(superseded.map((e) => e.traceId), [earlier.eventIdHex]);
    });
    it('a file dropped in while the bridge runs is drained by drainSpool()', async () => {
        h = await (0, bridge_harness_1.startHarness)(options);
        const cred = await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\dora', password: pw('old-pass'), windowsSync: true, mode: 'report' });
        const s = spool(h, { account: 'dora', password: pw('dropped-in-pass') });
        node_assert_1.strict.deepEqual(await h.bridge.drainSpool(), { stored: 1, duplicate: 0, refused: 0 });
        node_assert_1.strict.deepEqual(spoolFiles(h), []);
        // No drain() here: storing something wakes the processor, as a live append does.
        const synced = await waitForEvent(h, 'change-synced');
        node_assert_1.strict.equal(synced.length, 1, 'the processor was not woken');
        node_assert_1.strict.equal(synced[0].traceId, s.eventIdHex);
        node_assert_1.strict.equal((await h.install.vault.readPassword(cred.id)).toString(), 'dropped-in-pass');
        node_assert_1.strict.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 0, refused: 0 }, 'nothing left');
    });
    it('an event the journal already has (the ack was lost, so the capture spooled it too) is removed with no second effect', async () => {
        h = await (0, bridge_harness_1.startHarness)(options);
        const v = h.install.vault;
        const cred = await v.addCredential({ client: 'Acme', username: 'TESTHOST\\rita', password: pw('old-pass'), windowsSync: true, mode: 'report' });
        const c = await h.connect();
        const sent = c.send({ account: 'rita', encoding: constants_1.Encoding.raw, password: pw('new-pass') });
        node_assert_1.strict.equal((await sent.acked).status, 0);
        await h.bridge.drain();
        c.destroy();
        (0, spool_1.writeSpoolFile)(h.install.paths.spoolDir, (0, spool_1.spoolName)(sent.body), (0, spool_1.spoolRecord)(h.install.keys.secret, sent.body));
        node_assert_1.strict.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 1, refused: 0 });
        node_assert_1.strict.deepEqual(spoolFiles(h), []);
        await h.bridge.drain();
        node_assert_1.strict.equal((await v.findCredential('Acme', 'TESTHOST\\rita')).version, cred.version + 1);
        node_assert_1.strict.equal((await eventsOf(h, 'change-synced')).length, 1);
        node_assert_1.strict.deepEqual(await eventsOf(h, 'spool-drained'), [], 'nothing stored, nothing to report');
    });
    it('a tampered file is kept as .bad with a spool-refused event, and the service keeps serving', async () => {
        h = await (0, bridge_harness_1.startHarness)(options);
        const cred = await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\erin', password: pw('old-pass'), windowsSync: true, mode: 'report' });
        const s = spool(h, { account: 'erin', password: pw('tampered-pass') });
        const bytes = fs.readFileSync(s.file);
        bytes[bytes.length - 60] ^= 0x04; // inside the sealed password
        fs.writeFileSync(s.file, bytes);
        node_assert_1.strict.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 0, refused: 1 });
        const name = path.basename(s.file);
        node_assert_1.strict.deepEqual(spoolFiles(h), [`${name}.bad`]);
        const refused = await eventsOf(h, 'spool-refused');
        node_assert_1.strict.equal(refused.length, 1);
        node_assert_1.strict.equal(refused[0].outcome, 'refused');
        node_assert_1.strict.match(refused[0].reason ?? '', new RegExp(`^spool file ${name}: bad-tag: `));
        node_assert_1.strict.equal(h.install.state.journal.get(s.eventIdHex), undefined);
        const c = await h.connect();
        const live = c.send({ account: 'erin', encoding: constants_1.Encoding.raw, password: pw('live-pass') });
        node_assert_1.strict.equal((await live.acked).status, 0);
        await h.bridge.drain();
        node_assert_1.strict.equal((await h.install.vault.readPassword(cred.id)).toString(), 'live-pass');
        c.destroy();
        node_assert_1.strict.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 0, refused: 0 }, 'the .bad file is not read again');
    });
    it('a canary password never appears in clear in the events, the log, the .bad file or any other file', async () => {
        h = await (0, bridge_harness_1.startHarness)(options);
        const canary = `CANARY${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
        await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\gina', password: pw('old-pass'), windowsSync: true, mode: 'report' });
        const good = spool(h, { account: 'gina', password: pw(canary) });
        const bad = spool(h, { account: 'gina', password: pw(`${canary}-2`) });
        const bytes = fs.readFileSync(bad.file);
        bytes[30] ^= 0x01;
        fs.writeFileSync(bad.file, bytes);
        const longest = spool(h, { account: 'gina', password: pw(canary.repeat(100).slice(0, 1024)) });
        node_assert_1.strict.deepEqual(await h.bridge.drainSpool(), { stored: 2, duplicate: 0, refused: 1 });
        await h.bridge.drain();
        node_assert_1.strict.ok(h.install.state.journal.get(longest.eventIdHex), 'a 1024-byte password is within the limit');
        node_assert_1.strict.equal(fs.existsSync(`${bad.file}.bad`), true);
        node_assert_1.strict.equal(fs.existsSync(good.file), false);
        await h.install.events.flush();
        const all = await h.install.vault.queryEvents({});
        node_assert_1.strict.ok(all.some((e) => e.kind === 'spool-refused') && all.some((e) => e.kind === 'spool-drained'), 'the decisions are logged');
        node_assert_1.strict.equal(JSON.stringify(all).includes(canary), false, 'events hold the password');
        const log = fs.readFileSync(h.install.paths.logFile);
        node_assert_1.strict.match(log.toString(), /spool-refused/);
        node_assert_1.strict.equal((0, cli_1.findSecret)(log, canary), undefined, 'the log holds the password');
        node_assert_1.strict.equal((0, cli_1.findSecret)(fs.readFileSync(`${bad.file}.bad`), canary), undefined, 'the .bad file holds the password');
        for (const f of (0, tmp_1.filesUnder)(h.dir))
            node_assert_1.strict.equal((0, cli_1.findSecret)(fs.readFileSync(f), canary), undefined, `${path.relative(h.dir, f)} holds the password`);
    });
});
//# sourceMappingURL=spool.test.js.map