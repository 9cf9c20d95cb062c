// The filter where things go wrong inside lsass: a thread that cannot be started, spool files that cannot be
// read for a while or at all, a bridge that keeps dropping the connection on one record, and a security
// descriptor with an entry the ACL check cannot judge. The real pwbridge_filter.dll in harness.exe (under Wine
// here), with the real bridge behind the relay.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Encoding, MessageType } from '../../src/protocol/constants';
import { FAILSTART_DLL, LsaHarness, LsaWorld, until } from '../helpers/lsa';
import { sealedChange, spoolRecord } from '../helpers/spool';
import { FILTER_DLL, windowsPartsMissing, winePrefix, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const SPOOL_NAME = /^([0-9a-f]{16})-([0-9a-f]{8})-([0-9a-f]{32})\.chg\.dpapi$/;
/** ReportEventW's strings reach Wine's `eventlog` debug channel (warnings here): Wine keeps no event log. */
const EVENTLOG_DEBUG = '-all,warn+eventlog';

/** The event-log lines the filter wrote: Wine's debug output of ReportEventW, or the Application log on Windows. */
function filterEvents(h: LsaHarness): string {
  if (process.platform !== 'win32') return h.stderrText().split('\n').filter((l) => l.includes(':eventlog:ReportEventW')).join('\n').replace(/\\\\/g, '\\');
  return execFileSync('wevtutil', ['qe', 'Application', '/q:*[System[Provider[@Name=\'pwbridge\'] and (EventID=1113)]]', '/f:text', '/rd:true', '/c:50'], { encoding: 'utf8' });
}

/** The event ids of the spooled files, oldest first (the name order is the capture order). */
function spooledIds(w: LsaWorld): string[] {
  return w.spoolFiles().map((n) => SPOOL_NAME.exec(n)?.[3]).filter((x): x is string => !!x);
}

function rejected(w: LsaWorld): string[] {
  const dir = path.join(w.dir, 'spool', 'rejected');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** A relay route to the bridge that drops the connection whenever the DLL sends a CHANGE for `eventIdHex`
 * (before the bridge sees it): a bridge that falls over on one record, every time. */
function dropOn(socketPath: string, eventIdHex: string): { route: (s: net.Socket) => void; drops: () => number } {
  let drops = 0;
  const id = Buffer.from(eventIdHex, 'hex');
  const route = (s: net.Socket) => {
    const up = net.connect(socketPath);
    let pending = Buffer.alloc(0);
    up.on('error', () => s.destroy());
    s.on('error', () => up.destroy());
    s.on('close', () => up.destroy());
    up.on('close', () => s.destroy());
    up.pipe(s);
    s.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
        const frame = pending.subarray(0, 4 + pending.readUInt32LE(0));
        pending = pending.subarray(frame.length);
        if (frame[5] === MessageType.CHANGE && frame.subarray(16, 32).equals(id)) {
          drops++;
          s.destroy();
          up.destroy();
          return;
        }
        up.write(frame);
      }
    });
  };
  return { route, drops: () => drops };
}

describe('pwbridge_filter.dll when things go wrong', function () {
  this.timeout(120_000);
  const worlds: LsaWorld[] = [];
  const others: LsaHarness[] = [];
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
    for (const h of others.splice(0)) {
      h.kill();
      await h.exited;
    }
    for (const w of worlds.splice(0)) await w.destroy();
  });

  describe('InitializeChangeNotify: both threads or neither', () => {
    const threadCount = async (h: LsaHarness) => Number((await h.cmd('threadcount')).split(' ')[1]);

    it('the shipped DLL starts its two threads (the kill-switch watcher and the worker) and answers TRUE', async () => {
      const h = await LsaHarness.start();
      others.push(h);
      await h.cmd(`load ${winPath(FILTER_DLL)}`);
      await h.cmd('reg drop');
      const before = await threadCount(h);
      assert.equal(await h.cmd('init'), 'init 1');
      await until('two threads more', async () => (await threadCount(h)) === before + 2 || undefined, 5_000);
    });

    it('when the second thread cannot be made (a test build), it answers FALSE with no thread of its own left, and LSA may unload it', async () => {
      const h = await LsaHarness.start();
      others.push(h);
      await h.cmd(`load ${winPath(FAILSTART_DLL)}`);
      await h.cmd('reg drop'); // no settings key: a watcher, had it been left running, would wake every 3 s
      const before = await threadCount(h);
      assert.equal(await h.cmd('init'), 'init 0');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await threadCount(h), before, 'a thread of the DLL is still there after FALSE');
      // What LSA may do with a package that said FALSE. A thread left in the DLL would wake into unmapped
      // code within the watcher's 3 s re-check period and take the process down.
      await h.cmd('unload');
      await h.cmd('sleep 4000', 10_000);
      assert.equal(await threadCount(h), before);
    });
  });

  describe('the spool: transient failures are retried, damaged records set aside, newer changes delivered', () => {
    it('a spool file held open by another process while the bridge is back stays, holds the newer one behind it, and is delivered first once let go', async () => {
      const w = await world({ bridge: false });
      await w.harness.notify('lena', 1101, 'older-1');
      await until('one spooled change', async () => (await w.harness.spooled()) === 1);
      await w.harness.notify('lena', 1101, 'newer-2');
      await until('two spooled changes', async () => (await w.harness.spooled()) === 2);
      const ids = spooledIds(w);
      const [oldest] = w.spoolFiles();
      const av = await LsaHarness.start(); // an antivirus: another process holding the file with no sharing
      others.push(av);
      await av.cmd(`lock ${oldest}`);
      await w.startBridge();
      await until('the filter to connect', async () => (await w.harness.stats()).hello >= 1 || undefined, 30_000);
      await new Promise((r) => setTimeout(r, 2500)); // several drain attempts (500 ms, 1 s, ... apart)
      const still = w.spoolFiles();
      assert.equal(still.length, 2, `the spool holds ${still}`);
      assert.equal(still[0], oldest, 'the locked file was moved or renamed');
      assert.deepEqual(rejected(w), []);
      assert.equal(w.journal().length, 0, 'a newer change overtook the locked one');
      assert.equal((await w.harness.stats()).hb_dropped, 0, 'the locked file was counted as lost');

      await av.cmd('unlock');
      await until('both changes journaled', () => w.journal().length === 2 || undefined, 30_000);
      assert.deepEqual(w.journal().map((r) => r.event_id), ids, 'not journaled in capture order');
      assert.equal((await w.vaultPassword('lena'))?.toString('utf8'), 'newer-2');
      await until('an empty spool', () => w.spoolFiles().length === 0);
      assert.equal((await w.harness.stats()).hb_dropped, 0);
    });

    it('a record that fails its tag is set aside at once into spool\\rejected, reported with the reason, and the newer ones are delivered', async () => {
      const w = await world({ bridge: false, wineDebug: EVENTLOG_DEBUG });
      await w.harness.notify('mona', 1102, 'first');
      await w.harness.notify('mona', 1102, 'second');
      await until('two spooled changes', async () => (await w.harness.spooled()) === 2);
      // An older record, DPAPI-wrapped like the DLL's own, whose K_spool tag does not verify.
      const secret = fs.readFileSync(path.join(w.dir, 'keys', 'capture.secret'));
      const pub = fs.readFileSync(path.join(w.dir, 'keys', 'bridge.pub'));
      const change = sealedChange(pub, { account: 'mona', password: Buffer.from('stale', 'utf16le'), encoding: Encoding.utf16le, capturedAt: 1 });
      const record = spoolRecord(secret, change, w.machine, 2);
      record[record.length - 1] ^= 0x01;
      const id = change.eventId.toString('hex');
      await w.harness.cmd(`spoolput 1 0 ${id} ${record.toString('hex')}`);
      const bad = `0000000000000001-00000000-${id}.chg.dpapi`;
      assert.equal(w.spoolFiles()[0], bad);

      await w.startBridge();
      await until('the two good changes journaled', () => w.journal().length === 2 || undefined, 30_000);
      assert.equal((await w.vaultPassword('mona'))?.toString('utf8'), 'second');
      await until('an empty spool', () => w.spoolFiles().filter((n) => SPOOL_NAME.test(n)).length === 0);
      assert.deepEqual(rejected(w), [bad]);
      assert.ok(!w.spoolFiles().some((n) => n.endsWith('.bad')));
      const events = await until('the report', () => filterEvents(w.harness) || undefined);
      assert.match(events, new RegExp(`spool file ${bad} set aside \\(moved to spool\\\\rejected\\): its K_spool tag does not verify`));
      await until('a heartbeat counting it', async () => (await w.harness.stats()).hb_dropped === 1 || undefined);
    });

    it('a file that never unwraps is retried, then set aside after 5 attempts over SpoolRetrySeconds, reported with the count', async () => {
      const w = await world({ bridge: false, wineDebug: EVENTLOG_DEBUG, settings: { SpoolRetrySeconds: ['dword', 2] } });
      await w.harness.notify('nina', 1103, 'kept');
      await until('one spooled change', async () => (await w.harness.spooled()) === 1);
      const junk = `0000000000000001-00000000-${randomBytes(16).toString('hex')}.chg.dpapi`;
      fs.writeFileSync(path.join(w.dir, 'spool', junk), randomBytes(300)); // not a DPAPI blob at all
      await w.startBridge();
      const connected = Date.now();
      await until('the good change journaled', () => w.journal().length === 1 || undefined, 30_000);
      assert.ok(Date.now() - connected >= 1_500, 'the unreadable file was given up on at once');
      assert.deepEqual(rejected(w), [junk]);
      const events = await until('the report', () => filterEvents(w.harness) || undefined);
      const m = new RegExp(`spool file ${junk} set aside \\(moved to spool\\\\rejected\\): it could not be read or unwrapped (\\d+) times over (\\d+) s \\(last Win32 error \\d+\\)`).exec(events);
      assert.ok(m, events);
      assert.ok(Number(m[1]) >= 5 && Number(m[2]) >= 2, m[0]);
    });

    it('a record the bridge keeps dropping the connection on is sent alone, then set aside, and the newer one goes through', async () => {
      const w = await world({ bridge: false, wineDebug: EVENTLOG_DEBUG, settings: { SpoolRetrySeconds: ['dword', 2] } });
      await w.harness.notify('olga', 1104, 'poison');
      await until('one spooled change', async () => (await w.harness.spooled()) === 1);
      await w.harness.notify('olga', 1104, 'after');
      await until('two spooled changes', async () => (await w.harness.spooled()) === 2);
      const [poisonName] = w.spoolFiles();
      const [poisonId] = spooledIds(w);
      await w.startBridge();
      const fault = dropOn(w.bridge!.config.socketPath, poisonId);
      w.relay.route = fault.route;
      await until('the newer change journaled', () => w.journal().length === 1 || undefined, 60_000);
      assert.equal((await w.vaultPassword('olga'))?.toString('utf8'), 'after');
      assert.ok(fault.drops() >= 5, `dropped ${fault.drops()} times`);
      assert.deepEqual(rejected(w), [poisonName]);
      const events = await until('the report', () => filterEvents(w.harness) || undefined);
      assert.match(events, new RegExp(`spool file ${poisonName} set aside \\(moved to spool\\\\rejected\\): the bridge dropped the connection without answering for it \\d+ times over \\d+ s`));
    });
  });

  describe('the ACL check: deny by default', () => {
    // acl.c's pwb_dacl_ok, the function the DLL judges its key files and spool folder with, linked into harness.exe.
    // Not through a file: Wine cannot put an object or callback ACE on one (SetFileSecurityW answers 998), and
    // its SDDL parser knows neither "OA" nor "XA"; so those DACLs are built byte by byte (acecheck).
    const WRITE = 0x000d0156; // PWB_WRITE_RIGHTS
    const sddl = async (h: LsaHarness, s: string) => {
      const [, verdict, types] = (await h.cmd(`aclcheck ${WRITE.toString(16)} ${s}`)).split(' ');
      return `${verdict} ${types}`;
    };
    const ace = async (h: LsaHarness, type: number, mask: number) => {
      const [, verdict, seen] = (await h.cmd(`acecheck ${WRITE.toString(16)} ${type} ${mask.toString(16)}`)).split(' ');
      return `${verdict} ${seen}`;
    };

    it('judges allow entries, ignores deny entries, and fails on an allow entry of a type it cannot judge (object, callback), whatever it grants', async () => {
      const h = await LsaHarness.start();
      others.push(h);
      const FA = 0x001f01ff, FR = 0x00120089;
      assert.equal(await sddl(h, 'O:SYD:P(A;;FA;;;SY)(A;;FR;;;WD)'), 'pass types=0,0');
      assert.equal(await sddl(h, 'O:SYD:P(A;;FA;;;SY)(A;;FA;;;WD)'), 'fail types=0,0');
      assert.equal(await sddl(h, 'O:SYD:P(A;;FA;;;SY)(D;;FA;;;WD)'), 'pass types=0,1');
      assert.equal(await sddl(h, 'O:WDD:P(A;;FA;;;SY)'), 'fail types=0'); // an owner nobody trusts
      // The hand-built DACLs are judged like the parsed ones…
      assert.equal(await ace(h, 0, FR), 'pass type=0');
      assert.equal(await ace(h, 0, FA), 'fail type=0');
      assert.equal(await ace(h, 1, FA), 'pass type=1'); // ACCESS_DENIED: only takes rights away
      // …and an ACCESS_ALLOWED_OBJECT_ACE (5) or ACCESS_ALLOWED_CALLBACK_ACE (9) for Everyone fails the check,
      // even one that grants only reading (it is not judged at all).
      assert.equal(await ace(h, 5, FA), 'fail type=5');
      assert.equal(await ace(h, 9, FA), 'fail type=9');
      assert.equal(await ace(h, 5, FR), 'fail type=5');
      assert.equal(await ace(h, 9, FR), 'fail type=9');
      assert.equal(await ace(h, 10, FA), 'pass type=10'); // ACCESS_DENIED_CALLBACK: a deny, however conditional
    });
  });
});
