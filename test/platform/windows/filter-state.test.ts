// The Windows filter state: Notification Packages edits (append/remove, idempotent, order kept), the PE
// check, the boot id the DLL computes, the registry wrapper on the fake, and the decision
// not-installed / pending-reboot / faulted, then active once the filter says hello in this boot.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import fc from 'fast-check';
import { bootIdFor, bootTimeSeconds } from '../../../src/platform/windows/boot';
import { msToFiletime } from '../../../src/platform/windows/filetime';
import { decideFilterState, probeWindowsFilter, type FilterFacts } from '../../../src/platform/windows/filter-probe';
import { appendPackage, hasPackage, removePackage } from '../../../src/platform/windows/notification-packages';
import { readPeInfo } from '../../../src/platform/windows/pe-file';
import { LSA_KEY, NOTIFICATION_PACKAGES, PWBRIDGE_KEY } from '../../../src/platform/windows/places';
import {
  REG_DWORD, REG_MULTI_SZ, REG_QWORD, REG_SZ, Registry, decodeList, decodeNumber, decodeString, encodeDword, encodeList, encodeQword, encodeString,
} from '../../../src/platform/windows/registry';
import { FilterStateTracker } from '../../../src/service/filter-state';
import { FakeEvents, FakeState } from '../../helpers/fakes';
import { FakeWindows, fakePe } from './fake-win32';

describe('platform/windows filter state', () => {
  describe('Notification Packages edits', () => {
    it('appends at the end, once; removes only pwbridge_filter; both idempotent and order-preserving (property)', () => {
      const other = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\0') && s.toLowerCase() !== 'pwbridge_filter');
      fc.assert(fc.property(fc.array(other, { maxLength: 6 }), (list) => {
        const a = appendPackage(list);
        assert.deepEqual(a.list, [...list, 'pwbridge_filter']);
        assert.ok(a.changed);
        assert.deepEqual(appendPackage(a.list), { list: a.list, changed: false });
        const r = removePackage(a.list);
        assert.deepEqual(r.list, list);
        assert.deepEqual(removePackage(r.list), { list, changed: false });
      }), { numRuns: 200 });
    });

    it('recognises its name in any case, removes every copy, and keeps the others where they were', () => {
      assert.ok(hasPackage(['scecli', 'PWBRIDGE_FILTER']));
      assert.deepEqual(appendPackage(['scecli', 'PwBridge_Filter']).changed, false);
      assert.deepEqual(removePackage(['pwbridge_filter', 'scecli', 'Pwbridge_Filter', 'rassfm']).list, ['scecli', 'rassfm']);
      assert.deepEqual(appendPackage([]).list, ['pwbridge_filter']);
    });
  });

  describe('the DLL file', () => {
    it('reads machine, PE32+ and whether a PKCS#7 certificate table is present', () => {
      assert.deepEqual(readPeInfo(fakePe()), { machine: 0x8664, pe32Plus: true, signed: false });
      assert.deepEqual(readPeInfo(fakePe({ signed: true })), { machine: 0x8664, pe32Plus: true, signed: true });
      assert.deepEqual(readPeInfo(fakePe({ machine: 0x14c, pe32Plus: false })), { machine: 0x14c, pe32Plus: false, signed: false });
      assert.throws(() => readPeInfo(Buffer.from('#!/bin/sh\n')), /no MZ header/);
      const noPe = fakePe();
      noPe.write('XX', 0x80, 'latin1');
      assert.throws(() => readPeInfo(noPe), /no PE signature/);
    });
  });

  describe('boot id', () => {
    it('is the filter DLL\'s: HMAC-SHA256("pwbridge/1/boot", boot seconds as u64 LE), first 16 bytes (openssl vector)', () => {
      assert.equal(bootIdFor(1_703_596_032), '4c17b153bfc00fd8660df7b68ad6fc6a');
    });

    it('reads the kernel\'s boot time (SystemTimeOfDayInformation) in whole seconds', () => {
      const win = new FakeWindows();
      win.bootMs = Date.UTC(2024, 5, 1, 8, 0, 0, 750);
      assert.equal(bootTimeSeconds(win.win32), Date.UTC(2024, 5, 1, 8, 0, 0) / 1000);
    });
  });

  describe('registry', () => {
    it('reads and writes strings, numbers and lists under HKLM (64-bit view), creates and deletes keys', () => {
      const win = new FakeWindows();
      const reg = new Registry(win.win32);
      assert.equal(reg.get(PWBRIDGE_KEY, 'ServiceSid'), undefined, 'no key: undefined');
      assert.equal(reg.set(PWBRIDGE_KEY, 'ServiceSid', { type: REG_SZ, data: encodeString('S-1-5-21-1-2-3-1001') }), true, 'key created');
      assert.equal(reg.set(PWBRIDGE_KEY, 'Disabled', { type: REG_DWORD, data: encodeDword(1) }), false);
      reg.set(PWBRIDGE_KEY, 'InstalledAt', { type: REG_QWORD, data: encodeQword(123n) });
      reg.set(PWBRIDGE_KEY, 'ExcludeAccounts', { type: REG_MULTI_SZ, data: encodeList(['pwbridge', 'Bäckup']) });
      assert.equal(decodeString(reg.get(PWBRIDGE_KEY, 'ServiceSid')!), 'S-1-5-21-1-2-3-1001');
      assert.equal(decodeNumber(reg.get(PWBRIDGE_KEY, 'Disabled')!), 1);
      assert.equal(decodeNumber(reg.get(PWBRIDGE_KEY, 'InstalledAt')!), 123n);
      assert.deepEqual(decodeList(reg.get(PWBRIDGE_KEY, 'ExcludeAccounts')!).values, ['pwbridge', 'Bäckup']);
      assert.equal(reg.deleteValue(PWBRIDGE_KEY, 'Disabled'), true);
      assert.equal(reg.deleteValue(PWBRIDGE_KEY, 'Disabled'), false);
      assert.equal(reg.deleteKey(PWBRIDGE_KEY), true);
      assert.equal(reg.exists(PWBRIDGE_KEY), false);
      assert.equal(win.openKeys.size, 0, 'every key handle closed');
      assert.throws(() => decodeString({ type: REG_DWORD, data: encodeDword(1) }), /not a string/);
    });
  });

  describe('the decision', () => {
    const boot = Date.UTC(2024, 0, 10, 7, 0, 0);
    const facts = (o: Partial<FilterFacts> = {}): FilterFacts => ({
      packages: ['scecli', 'pwbridge_filter'], packagesIrregular: [], dllPath: 'C:\\Windows\\System32\\pwbridge_filter.dll',
      dll: { machine: 0x8664, pe32Plus: true, signed: false }, runAsPpl: 0, installedAtMs: boot - 86_400_000, bootMs: boot, killSwitch: false, ...o,
    });

    it('not installed: the name is not in Notification Packages (whether or not the DLL is there)', () => {
      const p = decideFilterState(facts({ packages: ['scecli'] }));
      assert.equal(p.state, 'not-installed');
      assert.match(p.reason, /is there, but LSA only loads what that list names/);
      assert.equal(decideFilterState(facts({ packages: [], dll: undefined })).state, 'not-installed');
    });

    it('pending reboot ("reboot required") while this boot began before the install', () => {
      const p = decideFilterState(facts({ installedAtMs: boot + 60_000 }));
      assert.equal(p.state, 'pending-reboot');
      assert.match(p.reason, /^reboot required: the filter was installed at 2024-01-10T07:01:00.000Z, after this boot began/);
    });

    it('after a boot since the install, still pending until the filter\'s hello; the hello makes it active', () => {
      const p = decideFilterState(facts());
      assert.equal(p.state, 'pending-reboot');
      assert.match(p.reason, /rebooted since the install.*waiting for the filter's hello/);
      const store = new FakeState();
      let probe = p;
      const bootId = bootIdFor(boot / 1000);
      const tracker = new FilterStateTracker(store, () => probe, new FakeEvents(), { captureEnabled: true, bootId: () => bootId });
      assert.equal(tracker.refresh().state, 'pending-reboot');
      tracker.onHello({ kind: 'lsa', version: '0.1.0', bootId: bootIdFor(boot / 1000 - 3600), at: boot + 1000 });
      assert.equal(tracker.current(0).state, 'pending-reboot', 'a hello from the previous boot proves nothing now');
      assert.equal(tracker.onHello({ kind: 'lsa', version: '0.1.0', bootId, at: boot + 2000 }).state, 'active');
      probe = decideFilterState(facts({ dll: undefined }));
      assert.equal(tracker.refresh().state, 'faulted', 'a fault the probe sees wins over the hello');
    });

    it('an install within the kernel\'s whole-second boot time is not "after the boot"', () => {
      assert.match(decideFilterState(facts({ installedAtMs: boot + 1500 })).reason, /^rebooted since/);
    });

    it('install time not recorded: pending, waiting for the hello', () => {
      assert.match(decideFilterState(facts({ installedAtMs: undefined })).reason, /when is not recorded/);
    });

    it('faulted: DLL missing, unreadable, or not 64-bit', () => {
      assert.match(decideFilterState(facts({ dll: undefined })).reason, /is missing, so LSA cannot load it/);
      assert.match(decideFilterState(facts({ dll: { error: 'not a Windows DLL: no MZ header' } })).reason, /cannot be read as a DLL/);
      const x86 = decideFilterState(facts({ dll: { machine: 0x14c, pe32Plus: false, signed: false } }));
      assert.equal(x86.state, 'faulted');
      assert.match(x86.reason, /not a 64-bit Windows DLL/);
    });

    it('faulted with that reason: LSA protection on (RunAsPPL 1 or 2) and the filter unsigned', () => {
      for (const ppl of [1, 2]) {
        const p = decideFilterState(facts({ runAsPpl: ppl }));
        assert.equal(p.state, 'faulted');
        assert.match(p.reason, new RegExp(`LSA protection is on \\(RunAsPPL = ${ppl}\\) and pwbridge_filter.dll is unsigned`));
      }
      const signed = decideFilterState(facts({ runAsPpl: 1, dll: { machine: 0x8664, pe32Plus: true, signed: true } }));
      assert.equal(signed.state, 'pending-reboot', 'signed: whether lsass accepts the signature, only the hello tells');
      assert.match(signed.reason, /LSA protection is on, so lsass loads the filter only if its signature meets/);
    });

    it('in the process serving the pipe: a SID other than ServiceSid (or none set) is faulted, saying the filter will not send to it and what to do', () => {
      const mine = 'S-1-5-21-1-2-3-1001';
      const by = 'this service runs as';
      assert.equal(decideFilterState(facts({ identity: { servingSid: mine, servedBy: by, serviceSid: mine } })).state, 'pending-reboot');
      const other = decideFilterState(facts({ identity: { servingSid: 'S-1-5-21-1-2-3-500', servedBy: by, serviceSid: mine } }));
      assert.equal(other.state, 'faulted');
      assert.equal(other.reason, 'this service runs as S-1-5-21-1-2-3-500, but HKLM\\SOFTWARE\\pwbridge ServiceSid is S-1-5-21-1-2-3-1001: the filter sends '
        + 'only to a pipe served by that SID, so it will not send to it. Run the service as the account pwbridge install set it up with '
        + '(services.msc, Log On), or run pwbridge install again, which sets both');
      assert.match(decideFilterState(facts({ identity: { servingSid: mine, servedBy: by } })).reason, /ServiceSid is not set: the filter sends only/);
      // Not installed: nothing would send anyway, so who serves does not matter.
      assert.equal(decideFilterState(facts({ packages: [], identity: { servingSid: mine, servedBy: by } })).state, 'not-installed');
    });

    it('the details show the full Notification Packages list (and LSA protection, the kill switch, irregularities)', () => {
      const p = decideFilterState(facts({ packages: ['scecli', 'rassfm', 'pwbridge_filter'], runAsPpl: 2, killSwitch: true, packagesIrregular: ['no empty string at the end'], dll: { machine: 0x8664, pe32Plus: true, signed: true } }));
      assert.deepEqual(p.details, [
        'Notification Packages: scecli, rassfm, pwbridge_filter (no empty string at the end)',
        'LSA protection: on (RunAsPPL = 2)',
        'the filter\'s kill switch is on (HKLM\\SOFTWARE\\pwbridge Disabled = 1): it reports nothing',
      ]);
      assert.deepEqual(decideFilterState(facts({ packages: [] })).details, ['Notification Packages: (empty)']);
    });

    it('the probe gathers the facts from the registry, System32 and the boot time, and never throws', () => {
      const win = new FakeWindows();
      const reg = new Registry(win.win32);
      {
        reg.set(LSA_KEY, NOTIFICATION_PACKAGES, { type: REG_MULTI_SZ, data: encodeList(['scecli', 'pwbridge_filter']) });
        reg.set(PWBRIDGE_KEY, 'InstalledAt', { type: REG_QWORD, data: encodeQword(msToFiletime(boot + 600_000)) });
        // System32 is a Windows path; the probe joins with win32 separators, so read through a mapping.
        const files = new Map<string, Buffer>();
        const readFile = (p: string) => {
          const f = files.get(p);
          if (!f) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
          return f;
        };
        const probe = () => probeWindowsFilter({ registry: reg, system32Dir: 'C:\\Windows\\System32', bootMs: () => boot, readFile });
        assert.match(probe().reason, /pwbridge_filter.dll is missing/);
        files.set(join('C:\\Windows\\System32', 'pwbridge_filter.dll'), fakePe());
        assert.match(probe().reason, /^reboot required/);
        assert.deepEqual(probe().details, ['Notification Packages: scecli, pwbridge_filter']);
        // The serving process's SID is held against ServiceSid, read from the registry.
        const serving = (sid: string) => probeWindowsFilter({ registry: reg, system32Dir: 'C:\\Windows\\System32', bootMs: () => boot, readFile, serving: { sid, by: 'this service runs as' } });
        assert.match(serving('S-1-5-21-1-2-3-1001').reason, /ServiceSid is not set/);
        reg.set(PWBRIDGE_KEY, 'ServiceSid', { type: REG_SZ, data: encodeString('S-1-5-21-1-2-3-1001') });
        assert.match(serving('S-1-5-21-1-2-3-1001').reason, /^reboot required/);
        assert.match(serving('S-1-5-18').reason, /^this service runs as S-1-5-18, but HKLM\\SOFTWARE\\pwbridge ServiceSid is S-1-5-21-1-2-3-1001/);
        reg.set(LSA_KEY, 'RunAsPPL', { type: REG_DWORD, data: encodeDword(1) });
        assert.equal(probe().state, 'faulted');
        reg.set(LSA_KEY, NOTIFICATION_PACKAGES, { type: REG_SZ, data: encodeString('not a list') });
        assert.match(probe().reason, /cannot read the filter's registration: .*not REG_MULTI_SZ/);
      }
    });
  });
});
