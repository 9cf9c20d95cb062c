// The capture spool end to end: files written the way the PAM module writes them, into a real data dir,
// drained by a real bridge into its SQLite journal and on to the vault.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NewClient } from '../../src/domain/types';
import type { Platform } from '../../src/platform';
import { Encoding } from '../../src/protocol/constants';
import { startHarness, type Harness } from '../helpers/bridge-harness';
import { spoolEvent, spoolName, spoolRecord, writeSpoolFile, type SpoolEvent } from '../helpers/spool';
import { filesUnder } from '../helpers/tmp';
import { findSecret } from '../cli/cli';

const acme: NewClient = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change' };
const pw = (s: string) => Buffer.from(s, 'utf8');
/** The PAM module is in the stack (as on an installed system), so changes apply without a HELLO this run. */
const pamInstalled = (real: Platform): Platform => ({ ...real, probeFilter: () => ({ state: 'active', reason: 'test: pam_pwbridge.so is in the PAM stack' }) });
const options = { clients: [acme], config: { client: 'Acme' }, platform: pamInstalled };

async function eventsOf(h: Harness, kind: string) {
  await h.install.events.flush();
  return h.install.vault.queryEvents({ kind });
}
/** Wait until the bridge logged an event of `kind` by itself (no drain() call), or give up. */
async function waitForEvent(h: Harness, kind: string, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const evs = await eventsOf(h, kind);
    if (evs.length > 0 || Date.now() > until) return evs;
    await new Promise((r) => setTimeout(r, 25));
  }
}
const spool = (h: Harness, ev: SpoolEvent) => spoolEvent(h.install.paths.spoolDir, h.install.keys.secret, h.install.keys.publicKey, ev);
/** Stop the service (which wipes its keys), keeping what a capture knows: the secret and bridge.pub. */
async function stopKeeping(h: Harness): Promise<(ev: SpoolEvent) => ReturnType<typeof spoolEvent>> {
  const secret = Buffer.from(h.install.keys.secret);
  const pub = Buffer.from(h.install.keys.publicKey);
  const dir = h.install.paths.spoolDir;
  await h.stop();
  return (ev) => spoolEvent(dir, secret, pub, ev);
}
const spoolFiles = (h: Harness) => fs.readdirSync(h.install.paths.spoolDir).sort();

describe('capture spool → journal → vault', () => {
  let h: Harness;
  afterEach(async () => h?.destroy());

  it('events spooled while the bridge was down are journaled when it starts, before it listens, and reach the vault', async () => {
    h = await startHarness(options);
    const v = h.install.vault;
    const alice = await v.addCredential({ client: 'Acme', username: 'TESTHOST\\alice', password: pw('old-pass'), windowsSync: true, mode: 'report' });
    const spoolDown = await stopKeeping(h);
    const a = spoolDown({ account: 'alice', password: pw('spooled ü pass'), capturedAt: Date.now() + 1 });
    const b = spoolDown({ account: 'newbie', password: pw('newbie-pass'), capturedAt: Date.now() + 2 });

    h = await h.restart();
    // No drainSpool() call: the start itself drained the spool.
    assert.deepEqual(spoolFiles(h), []);
    const journal = h.install.state.journal;
    const spooled = journal.get(a.eventIdHex)!;
    assert.ok(spooled && journal.get(b.eventIdHex), 'both journaled at start');
    assert.equal(spooled.machine, 'TESTHOST');
    // A live change right after the start comes after them in the journal.
    const c = await h.connect();
    const live = c.send({ account: 'bob', encoding: Encoding.raw, password: pw('live-pass') });
    assert.equal((await live.acked).status, 0);
    assert.ok(journal.get(live.eventIdHex)!.seq > spooled.seq);
    c.destroy();

    await h.bridge.drain();
    const vault = h.install.vault;
    assert.equal((await vault.readPassword(alice.id)).toString('utf8'), 'spooled ü pass');
    const created = await vault.findCredential('Acme', 'TESTHOST\\newbie');
    assert.ok(created, 'auto-created from the spooled event');
    assert.equal((await vault.readPassword(created.id)).toString(), 'newbie-pass');
    const synced = await eventsOf(h, 'change-synced');
    assert.deepEqual(synced.map((e) => e.traceId), [a.eventIdHex]);
    const drained = await eventsOf(h, 'spool-drained');
    assert.equal(drained.length, 1);
    assert.equal(drained[0].outcome, 'info');
    assert.match(drained[0].reason ?? '', /2 stored, 0 duplicate, 0 refused/);
  });

  it('of two spooled changes to one account the later capture wins, whatever the file names', async () => {
    h = await startHarness(options);
    const cred = await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\carl', password: pw('p0-pass'), windowsSync: true, mode: 'report' });
    const spoolDown = await stopKeeping(h);
    const t1 = Date.now() + 1;
    const t2 = t1 + 1000;
    // The later change gets the name that sorts first.
    const later = spoolDown({ account: 'carl', password: pw('p2-pass'), capturedAt: t2, eventId: Buffer.alloc(16, 0x00) });
    const earlier = spoolDown({ account: 'carl', password: pw('p1-pass'), capturedAt: t1, eventId: Buffer.alloc(16, 0xff) });
    assert.deepEqual(spoolFiles(h), [path.basename(later.file), path.basename(earlier.file)]);

    h = await h.restart();
    await h.bridge.drain();
    assert.equal((await h.install.vault.readPassword(cred.id)).toString(), 'p2-pass');
    const superseded = await eventsOf(h, 'change-superseded');
    assert.deepEqual(superseded.map((e) => e.traceId), [earlier.eventIdHex]);
  });

  it('a file dropped in while the bridge runs is drained by drainSpool()', async () => {
    h = await startHarness(options);
    const cred = await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\dora', password: pw('old-pass'), windowsSync: true, mode: 'report' });
    const s = spool(h, { account: 'dora', password: pw('dropped-in-pass') });
    assert.deepEqual(await h.bridge.drainSpool(), { stored: 1, duplicate: 0, refused: 0 });
    assert.deepEqual(spoolFiles(h), []);
    // No drain() here: storing something wakes the processor, as a live append does.
    const synced = await waitForEvent(h, 'change-synced');
    assert.equal(synced.length, 1, 'the processor was not woken');
    assert.equal(synced[0].traceId, s.eventIdHex);
    assert.equal((await h.install.vault.readPassword(cred.id)).toString(), 'dropped-in-pass');
    assert.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 0, refused: 0 }, 'nothing left');
  });

  it('an event the journal already has (the ack was lost, so the capture spooled it too) is removed with no second effect', async () => {
    h = await startHarness(options);
    const v = h.install.vault;
    const cred = await v.addCredential({ client: 'Acme', username: 'TESTHOST\\rita', password: pw('old-pass'), windowsSync: true, mode: 'report' });
    const c = await h.connect();
    const sent = c.send({ account: 'rita', encoding: Encoding.raw, password: pw('new-pass') });
    assert.equal((await sent.acked).status, 0);
    await h.bridge.drain();
    c.destroy();
    writeSpoolFile(h.install.paths.spoolDir, spoolName(sent.body), spoolRecord(h.install.keys.secret, sent.body));

    assert.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 1, refused: 0 });
    assert.deepEqual(spoolFiles(h), []);
    await h.bridge.drain();
    assert.equal((await v.findCredential('Acme', 'TESTHOST\\rita'))!.version, cred.version + 1);
    assert.equal((await eventsOf(h, 'change-synced')).length, 1);
    assert.deepEqual(await eventsOf(h, 'spool-drained'), [], 'nothing stored, nothing to report');
  });

  it('a tampered file is kept as .bad with a spool-refused event, and the service keeps serving', async () => {
    h = await startHarness(options);
    const cred = await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\erin', password: pw('old-pass'), windowsSync: true, mode: 'report' });
    const s = spool(h, { account: 'erin', password: pw('tampered-pass') });
    const bytes = fs.readFileSync(s.file);
    bytes[bytes.length - 60] ^= 0x04; // inside the sealed password
    fs.writeFileSync(s.file, bytes);

    assert.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 0, refused: 1 });
    const name = path.basename(s.file);
    assert.deepEqual(spoolFiles(h), [`${name}.bad`]);
    const refused = await eventsOf(h, 'spool-refused');
    assert.equal(refused.length, 1);
    assert.equal(refused[0].outcome, 'refused');
    assert.match(refused[0].reason ?? '', new RegExp(`^spool file ${name}: bad-tag: `));
    assert.equal(h.install.state.journal.get(s.eventIdHex), undefined);

    const c = await h.connect();
    const live = c.send({ account: 'erin', encoding: Encoding.raw, password: pw('live-pass') });
    assert.equal((await live.acked).status, 0);
    await h.bridge.drain();
    assert.equal((await h.install.vault.readPassword(cred.id)).toString(), 'live-pass');
    c.destroy();
    assert.deepEqual(await h.bridge.drainSpool(), { stored: 0, duplicate: 0, refused: 0 }, 'the .bad file is not read again');
  });

  it('a canary password never appears in clear in the events, the log, the .bad file or any other file', async () => {
    h = await startHarness(options);
    const canary = `CANARY${randomBytes(6).toString('hex')}`;
    await h.install.vault.addCredential({ client: 'Acme', username: 'TESTHOST\\gina', password: pw('old-pass'), windowsSync: true, mode: 'report' });
    const good = spool(h, { account: 'gina', password: pw(canary) });
    const bad = spool(h, { account: 'gina', password: pw(`${canary}-2`) });
    const bytes = fs.readFileSync(bad.file);
    bytes[30] ^= 0x01;
    fs.writeFileSync(bad.file, bytes);
    const longest = spool(h, { account: 'gina', password: pw(canary.repeat(100).slice(0, 1024)) });

    assert.deepEqual(await h.bridge.drainSpool(), { stored: 2, duplicate: 0, refused: 1 });
    await h.bridge.drain();
    assert.ok(h.install.state.journal.get(longest.eventIdHex), 'a 1024-byte password is within the limit');
    assert.equal(fs.existsSync(`${bad.file}.bad`), true);
    assert.equal(fs.existsSync(good.file), false);

    await h.install.events.flush();
    const all = await h.install.vault.queryEvents({});
    assert.ok(all.some((e) => e.kind === 'spool-refused') && all.some((e) => e.kind === 'spool-drained'), 'the decisions are logged');
    assert.equal(JSON.stringify(all).includes(canary), false, 'events hold the password');
    const log = fs.readFileSync(h.install.paths.logFile);
    assert.match(log.toString(), /spool-refused/);
    assert.equal(findSecret(log, canary), undefined, 'the log holds the password');
    assert.equal(findSecret(fs.readFileSync(`${bad.file}.bad`), canary), undefined, 'the .bad file holds the password');
    for (const f of filesUnder(h.dir)) assert.equal(findSecret(fs.readFileSync(f), canary), undefined, `${path.relative(h.dir, f)} holds the password`);
  });
});
