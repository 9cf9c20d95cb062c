// The real pwbridge_filter.dll, loaded by harness.exe the way lsass.exe loads it (under Wine here, natively
// in the Windows CI workflow), talking to the real TypeScript bridge: codec, authentication, journal, vault.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { MessageType } from '../../src/protocol/constants';
import { FrameReader, encodeFrame } from '../../src/protocol/frame';
import { LsaWorld, neverAnswer, until, utf16hex } from '../helpers/lsa';
import { windowsPartsMissing, winePrefix } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const canary = () => `canary-${randomBytes(6).toString('hex')}`;

/** Every byte a squatter on the relay receives; it answers a HELLO with a HELLO_ACK it had to guess a tag for. */
function squatter() {
  const received: Buffer[] = [];
  let connections = 0;
  const route = (s: net.Socket) => {
    connections++;
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      received.push(d);
      if (frameTypes(Buffer.concat(chunks)).length === 1) s.write(encodeFrame(MessageType.HELLO_ACK, 2n, Buffer.from([0, 1, 0, 0]), randomBytes(32)));
    });
    s.write(encodeFrame(MessageType.CHALLENGE, 1n, randomBytes(32)));
  };
  return { route, bytes: () => Buffer.concat(received), connections: () => connections };
}

function frameTypes(bytes: Buffer): number[] {
  const types: number[] = [];
  for (const r of new FrameReader().feed(bytes)) if (r.kind === 'frame') types.push(r.frame.type);
  return types;
}

function holds(file: Buffer, secret: string): boolean {
  return file.includes(Buffer.from(secret, 'utf8')) || file.includes(Buffer.from(secret, 'utf16le'));
}

describe('pwbridge_filter.dll in harness.exe, with the real bridge', function () {
  this.timeout(120_000);
  const worlds: LsaWorld[] = [];
  const world = async (opts: Parameters<typeof LsaWorld.create>[0]) => {
    const w = await LsaWorld.create(opts);
    worlds.push(w);
    return w;
  };

  before(function () {
    this.timeout(180_000);
    const missing = windowsPartsMissing();
    if (missing.fail) throw new Error(missing.fail);
    if (missing.skip) skipBecause(this, missing.skip);
    winePrefix();
  });
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.destroy();
  });

  it('a change with the bridge up reaches the vault byte for byte, after a HELLO of kind LSA from this boot', async () => {
    const w = await world({ bridge: true });
    const r = await w.harness.notify('alice', 1001, 'Pässwörd 1 ✓');
    assert.equal(r.status, 0);
    const pw = await until('the vault to hold alice', () => w.vaultPassword('alice'));
    assert.equal(pw.toString('utf8'), 'Pässwörd 1 ✓');
    const rows = w.journal();
    assert.equal(rows.length, 1);
    assert.deepEqual({ ...rows[0], event_id: undefined }, { event_id: undefined, account: 'alice', account_id: 1001, encoding: 2, machine: w.machine });
    const state = w.bridge!.install.filter.current(0);
    assert.equal(state.state, 'active');
    assert.equal(state.captureKind, 'lsa');
    assert.equal(state.lastHelloBootId, w.bootId);
    const s = await w.harness.stats();
    assert.ok(s.hello >= 1 && s.change === 1 && s.ack === 1, JSON.stringify(s));
  });

  it('bridge down: the change is spooled DPAPI-wrapped (no canary, not a bare record), left alone by the bridge, and delivered after a reboot', async () => {
    const w = await world({ bridge: false });
    const pw = canary();
    await w.harness.notify('bob', 1002, pw);
    await until('one spooled change', async () => (await w.harness.spooled()) === 1);
    const [name] = w.spoolFiles();
    assert.match(name, /^[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{32}\.chg\.dpapi$/);
    const bytes = fs.readFileSync(path.join(w.dir, 'spool', name));
    assert.ok(!holds(bytes, pw), 'the spool file holds the password in clear');
    assert.ok(!bytes.subarray(0, 4).equals(Buffer.from('PWBS')), 'the record is not wrapped with DPAPI');

    await w.harness.exit(); // the machine goes down with the change still spooled
    await w.startBridge(); // the service comes up first, drains its own (Linux-format) spool: ours is left alone
    await w.bridge!.bridge.drainSpool();
    assert.deepEqual(w.spoolFiles(), [name]);
    await w.boot(); // the filter loads after the reboot, finds the bridge, drains its spool
    assert.equal((await until('the vault to hold bob', () => w.vaultPassword('bob'))).toString('utf8'), pw);
    await until('an empty spool', () => w.spoolFiles().length === 0);
    assert.equal(w.journal().length, 1);
  });

  it('a server that is not the service account gets no byte; one that is but lacks the install secret gets a HELLO and nothing more', async () => {
    const w = await world({ bridge: false, settings: { ServiceSid: ['sz', 'S-1-5-18'] } });
    const sq = squatter();
    w.relay.route = sq.route;
    const pw1 = canary();
    await w.harness.notify('carol', 1003, pw1);
    await until('the change to be spooled', async () => (await w.harness.spooled()) === 1);
    assert.ok((await w.harness.stats()).connections >= 1, 'the DLL never even opened the pipe');
    assert.equal(sq.bytes().length, 0, 'a server of another account received bytes');

    await w.harness.reg('ServiceSid', 'sz', w.sid); // the same server now runs as the account the filter trusts
    const pw2 = canary();
    await w.harness.notify('carol', 1003, pw2);
    await until('the second change to be spooled', async () => (await w.harness.spooled()) === 2);
    await until('a HELLO at the squatter', () => frameTypes(sq.bytes()).length > 0 || undefined);
    await new Promise((r) => setTimeout(r, 500)); // time for anything the filter would send after it
    const types = frameTypes(sq.bytes());
    assert.ok(types.length >= 1 && types.every((t) => t === MessageType.HELLO), `the squatter got ${types}`);
    assert.ok(!holds(sq.bytes(), pw1) && !holds(sq.bytes(), pw2));

    await w.harness.cmd('reg del ServiceSid'); // none configured: trust nobody
    const before = sq.bytes().length;
    await w.harness.notify('carol', 1003, canary());
    await until('the third change to be spooled', async () => (await w.harness.spooled()) === 3);
    assert.equal(sq.bytes().length, before, 'with no ServiceSid the filter still sent bytes');
  });

  it('8 threads calling PasswordChangeNotify at once: every change journaled once, each account ends at its last password', async () => {
    const w = await world({ bridge: true });
    const out = await w.harness.cmd('threads 8 25');
    await until('200 journaled changes', () => w.journal().length === 200 || undefined, 60_000);
    const rows = w.journal();
    assert.equal(new Set(rows.map((r) => r.event_id)).size, 200);
    for (let t = 0; t < 8; t++) {
      assert.equal(rows.filter((r) => r.account === `mt${t}`).length, 25);
      assert.equal((await w.vaultPassword(`mt${t}`))?.toString('utf8'), `mt${t}-24`);
    }
    assert.ok(Number(out.split(' ')[1]) < 50_000_000, `a call took ${out}`);
  });

  it('a hung bridge costs the caller nothing: the full queue is counted, not waited for, and reported once the bridge answers', async () => {
    const w = await world({ bridge: false, settings: { TimeoutMs: ['dword', 4000] } });
    w.relay.route = neverAnswer;
    await w.harness.notify('dave', 1004, 'first'); // the worker is now stuck in a handshake for 4 s
    await new Promise((r) => setTimeout(r, 300));
    const burst = await w.harness.cmd(`burst 600 ${utf16hex('dave')} ${utf16hex('again')}`);
    assert.ok(Number(burst.split(' ')[1]) < 20_000_000, `the slowest call waited: ${burst}`);
    // The stuck attempt times out; the queue goes to the spool. Then the bridge comes.
    await until('the queue to be spooled', async () => (await w.harness.spooled()) >= 256, 60_000);
    await w.startBridge();
    const hb = await until('a heartbeat reporting drops', async () => {
      const s = await w.harness.stats();
      return s.hb_dropped > 0 && s.hb_spooled === 0 && s.hb_queued === 0 ? s : undefined;
    }, 60_000);
    const journaled = w.journal().length;
    assert.equal(journaled + hb.hb_dropped, 601, `journaled ${journaled}, dropped ${hb.hb_dropped}`);
    assert.ok(hb.hb_dropped >= 600 - 256, `only ${hb.hb_dropped} dropped`);
    const ev = await until('a capture-dropped event', async () => (await w.events('capture-dropped')).at(-1));
    assert.match(ev.reason ?? '', new RegExp(`could not keep ${hb.hb_dropped} events`));
  });

  it('a full spool is counted too: SpoolMax files kept, the rest dropped and reported', async () => {
    const w = await world({ bridge: false, settings: { SpoolMax: ['dword', 3] } });
    for (let i = 0; i < 5; i++) {
      await w.harness.notify('erin', 1005, `spool-${i}`);
      await until('the change to be handled', async () => (await w.harness.spooled()) === Math.min(i + 1, 3));
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await w.harness.spooled(), 3);
    await w.startBridge();
    await until('a heartbeat with 2 dropped and nothing spooled', async () => {
      const s = await w.harness.stats();
      return s.hb_dropped === 2 && s.hb_spooled === 0 || undefined;
    });
    assert.equal(w.journal().length, 3);
    assert.equal((await w.vaultPassword('erin'))?.toString('utf8'), 'spool-2'); // the spool drained in order
  });

  // The switch is watched (RegNotifyChangeKeyValue on a thread of the DLL's), not read on each call: it takes
  // effect within milliseconds. 2 s is the bound these tests hold it to; PWB_SWITCH_RECHECK_MS (3 s) more
  // when the key did not exist at load.
  const SWITCH_BOUND_MS = 2_000;

  it('the kill switch: Disabled=1 stops the filter within 2 s without a reboot (it hangs up; a change is not sent, spooled or kept); Disabled=0 brings it back within 2 s', async () => {
    const w = await world({ bridge: true });
    await w.harness.notify('frank', 1006, 'before');
    await until('the vault to hold frank', () => w.vaultPassword('frank'));
    assert.equal((await w.harness.stats()).open, 1);

    await w.harness.reg('Disabled', 'dword', 1);
    await until('the filter to hang up', async () => (await w.harness.stats()).open === 0 || undefined, SWITCH_BOUND_MS);
    const off = canary();
    await w.harness.notify('frank', 1006, off);
    await new Promise((r) => setTimeout(r, 1500));
    const s = await w.harness.stats();
    assert.equal(s.change, 1, 'a change was sent with the switch on');
    assert.equal(s.open, 0, 'the filter connected with the switch on');
    assert.equal(await w.harness.spooled(), 0);
    assert.equal(w.journal().length, 1);
    const idle = await w.harness.scan(Buffer.from(off, 'utf16le'));
    assert.equal(idle.hits, 0, `a disabled filter kept a copy: ${idle.detail}`);

    // Back on: one change a call every ~100 ms until one reaches the vault; the ones made while the switch
    // was still on are not kept, so the vault ends at a probe, never at the canary.
    await w.harness.reg('Disabled', 'dword', 0);
    let probe = 0;
    const back = await until('a change to be sent again', async () => {
      await w.harness.notify('frank', 1006, `on-${probe++}`);
      const v = (await w.vaultPassword('frank'))?.toString('utf8');
      return v?.startsWith('on-') ? v : undefined;
    }, SWITCH_BOUND_MS);
    assert.match(back, /^on-\d+$/);
    assert.ok(w.journal().length <= 1 + probe);
  });

  it('the kill switch works when the settings key is made after load: found by the re-check, then watched', async () => {
    const w = await world({ bridge: true, keyMadeAfterInit: true });
    await until('the filter to connect', async () => (await w.harness.stats()).open === 1 || undefined);
    await w.harness.reg('Disabled', 'dword', 1);
    await until('the filter to hang up', async () => (await w.harness.stats()).open === 0 || undefined, 3_000 + SWITCH_BOUND_MS);
    await w.harness.notify('kim', 1010, canary());
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await w.harness.stats()).change, 0, 'a change was sent with the switch on');
    assert.equal(await w.harness.spooled(), 0);
    await w.harness.reg('Disabled', 'dword', 0);
    let probe = 0;
    const back = await until('a change to be sent again', async () => {
      await w.harness.notify('kim', 1010, `kim-on-${probe++}`);
      return (await w.vaultPassword('kim'))?.toString('utf8');
    }, SWITCH_BOUND_MS);
    assert.match(back, /^kim-on-\d+$/);
  });

  it('excluded accounts are never sent: *$, krbtgt*, and ExcludeAccounts, in any case', async () => {
    const w = await world({ bridge: true, settings: { ExcludeAccounts: ['multi', 'svc-backup|Other.User'] } });
    for (const account of ['WS01$', 'krbtgt', 'KRBTGT_1234', 'SVC-Backup', 'other.user']) await w.harness.notify(account, 500, canary());
    await w.harness.notify('grace', 1007, 'not excluded');
    await until('the vault to hold grace', () => w.vaultPassword('grace'));
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(w.journal().map((r) => r.account), ['grace']);
    assert.equal((await w.harness.stats()).change, 1);
  });

  it('passwords reach the vault byte for byte (emoji pairs, empty, 256 and 300 characters) or are refused with a clear event', async () => {
    const w = await world({ bridge: true });
    const exact: Record<string, string> = {
      emoji: '🔑 key 😀 pair',
      empty: '',
      long256: 'x'.repeat(255) + 'é',
      long300: '𝄞'.repeat(100) + 'y'.repeat(100), // 300 UTF-16 units, half of them surrogate pairs
    };
    let rid = 2000;
    for (const [account, pw] of Object.entries(exact)) await w.harness.notify(account, rid++, pw);
    for (const [account, pw] of Object.entries(exact)) {
      const got = await until(`the vault to hold ${account}`, () => w.vaultPassword(account));
      assert.ok(got.equals(Buffer.from(pw, 'utf8')), `${account}: ${got.length} bytes differ`);
    }
    // A lone surrogate cannot become UTF-8: the bridge refuses it and says why; the vault is not written.
    await w.harness.notify('lone', 3000, Buffer.concat([Buffer.from('ab', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('cd', 'utf16le')]));
    const refused = await until('a change-refused event', async () => (await w.events('change-refused'))[0]);
    assert.match(refused.reason ?? '', /password-unrepresentable \(lone surrogate in UTF-16LE\)/);
    assert.equal(await w.vaultPassword('lone'), undefined);
    // 600 characters are 1,200 bytes: over the protocol's 1,024, refused by the bridge by name.
    await w.harness.notify('toolong', 3001, 'z'.repeat(600));
    const tooLong = await until('a password-too-long refusal', async () => (await w.events('frame-refused')).find((e) => /password-too-long/.test(e.reason ?? '')));
    assert.ok(tooLong);
    assert.equal(await w.vaultPassword('toolong'), undefined);
    // 2,000 characters do not fit the queue's slot: not sent at all, counted as dropped.
    await w.harness.notify('huge', 3002, 'q'.repeat(2000));
    await until('a heartbeat with one drop', async () => (await w.harness.stats()).hb_dropped === 1 || undefined);
    // Journaled: the four exact ones and the lone surrogate (refused when opened); not the two too long.
    assert.deepEqual(w.journal().map((r) => r.account).sort(), ['emoji', 'empty', 'lone', 'long256', 'long300']);
  });

  it('no copy of a canary password stays in the harness process after the call (the scan finds planted and queued ones)', async () => {
    const w = await world({ bridge: false, settings: { TimeoutMs: ['dword', 5000] } });
    const pw = canary();
    const utf16 = Buffer.from(pw, 'utf16le');
    // The scanner sees this process's heap…
    await w.harness.cmd(`plant ${utf16.toString('hex')}`);
    assert.ok((await w.harness.scan(utf16)).hits >= 1, 'the scan did not find a planted copy');
    await w.harness.cmd('unplant');
    assert.equal((await w.harness.scan(utf16)).hits, 0);
    // …and the DLL's queue: with the worker stuck in a handshake, the queued copy is there to be found.
    const before = (await w.harness.stats()).connections;
    w.relay.route = neverAnswer;
    await until('the worker to be stuck in a handshake', async () => (await w.harness.stats()).connections > before || undefined, 30_000);
    await w.harness.notify('heidi', 1008, pw);
    const queued = await w.harness.scan(utf16);
    assert.ok(queued.hits >= 1, `the queued copy was not found: ${queued.detail}`);
    // Once the change is sealed and spooled, no copy is left, in UTF-16 or UTF-8.
    await until('the change to be spooled', async () => (await w.harness.spooled()) === 1, 30_000);
    for (const form of [utf16, Buffer.from(pw, 'utf8')]) {
      const r = await w.harness.scan(form);
      assert.equal(r.hits, 0, `a copy was left: ${r.detail}`);
    }
    // And the same after a delivery to the bridge.
    await w.startBridge();
    const pw2 = canary();
    await w.harness.notify('heidi', 1008, pw2);
    assert.equal((await until('the vault to hold heidi', async () => {
      const v = await w.vaultPassword('heidi');
      return v?.toString('utf8') === pw2 ? v : undefined;
    }, 30_000)).toString('utf8'), pw2);
    for (const form of [Buffer.from(pw2, 'utf16le'), Buffer.from(pw2, 'utf8'), utf16]) {
      const r = await w.harness.scan(form);
      assert.equal(r.hits, 0, `a copy was left: ${r.detail}`);
    }
  });

  it('PasswordFilter accepts every password and sends nothing; NULL arguments return STATUS_SUCCESS', async () => {
    const w = await world({ bridge: true });
    assert.equal(await w.harness.cmd(`filter ${utf16hex('ivan')} ${utf16hex(canary())}`), 'filter 1');
    assert.equal((await w.harness.notify(null, 1, 'x')).status, 0);
    assert.equal((await w.harness.notify('ivan', 1, null)).status, 0);
    assert.equal((await w.harness.notify(null, 1, null)).status, 0);
    assert.match(await w.harness.cmd(`notify nul 1 ${utf16hex('x')}`), /^notify 00000000 \d+$/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await w.harness.stats()).change, 0, 'PasswordFilter or a NULL argument sent a change');
    assert.equal(w.journal().length, 0);
    // A NULL Buffer with Length 0 is an empty string in NT's terms: an empty password, reported as such.
    assert.match(await w.harness.cmd(`notify ${utf16hex('ivan')} 1 nul`), /^notify 00000000 \d+$/);
    assert.equal((await until('the vault to hold ivan', () => w.vaultPassword('ivan'))).length, 0);
  });

  it('a bridge.pub that others may write is refused: nothing is sealed to it, and the loss is counted', async function () {
    if (process.platform === 'win32') skipBecause(this, 'file modes stand for the ACL under Wine only');
    const w = await world({ bridge: true });
    await until('the first heartbeat', async () => (await w.harness.stats()).heartbeat > 0 || undefined);
    const pub = path.join(w.dir, 'keys', 'bridge.pub');
    fs.chmodSync(pub, 0o666); // Wine turns this into an ACE letting Everyone write
    await w.harness.notify('judy', 1009, canary());
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await w.harness.stats()).change, 0);
    assert.equal(await w.harness.spooled(), 0);
    fs.chmodSync(pub, 0o644);
    await until('a heartbeat reporting the drop', async () => (await w.harness.stats()).hb_dropped === 1 || undefined);
    await w.harness.notify('judy', 1009, 'after');
    assert.equal((await until('the vault to hold judy', () => w.vaultPassword('judy'))).toString('utf8'), 'after');
  });
});
