"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// The Windows filter state: Notification Packages edits (append/remove, idempotent, order kept), the PE
// check, the boot id the DLL computes, the registry wrapper on the fake, and the decision
// not-installed / pending-reboot / faulted, then active once the filter says hello in this boot.
const node_assert_1 = require("node:assert");
const node_path_1 = require("node:path");
const fast_check_1 = __importDefault(require("fast-check"));
const boot_1 = require("../../../src/platform/windows/boot");
const filetime_1 = require("../../../src/platform/windows/filetime");
const filter_probe_1 = require("../../../src/platform/windows/filter-probe");
const notification_packages_1 = require("../../../src/platform/windows/notification-packages");
const pe_file_1 = require("../../../src/platform/windows/pe-file");
const places_1 = require("../../../src/platform/windows/places");
const registry_1 = require("../../../src/platform/windows/registry");
const filter_state_1 = require("../../../src/service/filter-state");
const fakes_1 = require("../../helpers/fakes");
const fake_win32_1 = require("./fake-win32");
describe('platform/windows filter state', () => {
    describe('Notification Packages edits', () => {
        it('appends at the end, once; removes only pwbridge_filter; both idempotent and order-preserving (property)', () => {
            const other = fast_check_1.default.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\0') && s.toLowerCase() !== 'pwbridge_filter');
            fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.array(other, { maxLength: 6 }), (list) => {
                const a = (0, notification_packages_1.appendPackage)(list);
                node_assert_1.strict.deepEqual(a.list, [...list, 'pwbridge_filter']);
                node_assert_1.strict.ok(a.changed);
                node_assert_1.strict.deepEqual((0, notification_packages_1.appendPackage)(a.list), { list: a.list, changed: false });
                const r = (0, notification_packages_1.removePackage)(a.list);
                node_assert_1.strict.deepEqual(r.list, list);
                node_assert_1.strict.deepEqual((0, notification_packages_1.removePackage)(r.list), { list, changed: false });
            }), { numRuns: 200 });
        });
        it('recognises its name in any case, removes every copy, and keeps the others where they were', () => {
            node_assert_1.strict.ok((0, notification_packages_1.hasPackage)(['scecli', 'PWBRIDGE_FILTER']));
            node_assert_1.strict.deepEqual((0, notification_packages_1.appendPackage)(['scecli', 'PwBridge_Filter']).changed, false);
            node_assert_1.strict.deepEqual((0, notification_packages_1.removePackage)(['pwbridge_filter', 'scecli', 'Pwbridge_Filter', 'rassfm']).list, ['scecli', 'rassfm']);
            node_assert_1.strict.deepEqual((0, notification_packages_1.appendPackage)([]).list, ['pwbridge_filter']);
        });
    });
    describe('the DLL file', () => {
        it('reads machine, PE32+ and whether a PKCS#7 certificate table is present', () => {
            node_assert_1.strict.deepEqual((0, pe_file_1.readPeInfo)((0, fake_win32_1.fakePe)()), { machine: 0x8664, pe32Plus: true, signed: false });
            node_assert_1.strict.deepEqual((0, pe_file_1.readPeInfo)((0, fake_win32_1.fakePe)({ signed: true })), { machine: 0x8664, pe32Plus: true, signed: true });
            node_assert_1.strict.deepEqual((0, pe_file_1.readPeInfo)((0, fake_win32_1.fakePe)({ machine: 0x14c, pe32Plus: false })), { machine: 0x14c, pe32Plus: false, signed: false });
            node_assert_1.strict.throws(() => (0, pe_file_1.readPeInfo)(Buffer.from('#!/bin/sh\n')), /no MZ header/);
            const noPe = (0, fake_win32_1.fakePe)();
            noPe.write('XX', 0x80, 'latin1');
            node_assert_1.strict.throws(() => (0, pe_file_1.readPeInfo)(noPe), /no PE signature/);
        });
    });
    describe('boot id', () => {
        it('is the filter DLL\'s: HMAC-SHA256("pwbridge/1/boot", boot seconds as u64 LE), first 16 bytes (openssl vector)', () => {
            node_assert_1.strict.equal((0, boot_1.bootIdFor)(1_703_596_032), '4c17b153bfc00fd8660df7b68ad6fc6a');
        });
        it('reads the kernel\'s boot time (SystemTimeOfDayInformation) in whole seconds', () => {
            const win = new fake_win32_1.FakeWindows();
            win.bootMs = Date.UTC(2024, 5, 1, 8, 0, 0, 750);
            node_assert_1.strict.equal((0, boot_1.bootTimeSeconds)(win.win32), Date.UTC(2024, 5, 1, 8, 0, 0) / 1000);
        });
    });
    describe('registry', () => {
        it('reads and writes strings, numbers and lists under HKLM (64-bit view), creates and deletes keys', () => {
            const win = new fake_win32_1.FakeWindows();
            const reg = new registry_1.Registry(win.win32);
            node_assert_1.strict.equal(reg.get(places_1.PWBRIDGE_KEY, 'ServiceSid'), undefined, 'no key: undefined');
            node_assert_1.strict.equal(reg.set(places_1.PWBRIDGE_KEY, 'ServiceSid', { type: registry_1.REG_SZ, data: (0, registry_1.encodeString)('S-1-5-21-1-2-3-1001') }), true, 'key created');
            node_assert_1.strict.equal(reg.set(places_1.PWBRIDGE_KEY, 'Disabled', { type: registry_1.REG_DWORD, data: (0, registry_1.encodeDword)(1) }), false);
            reg.set(places_1.PWBRIDGE_KEY, 'InstalledAt', { type: registry_1.REG_QWORD, data: (0, registry_1.encodeQword)(123n) });
            reg.set(places_1.PWBRIDGE_KEY, 'ExcludeAccounts', { type: registry_1.REG_MULTI_SZ, data: (0, registry_1.encodeList)(['pwbridge', 'Bäckup']) });
            node_assert_1.strict.equal((0, registry_1.decodeString)(reg.get(places_1.PWBRIDGE_KEY, 'ServiceSid')), 'S-1-5-21-1-2-3-1001');
            node_assert_1.strict.equal((0, registry_1.decodeNumber)(reg.get(places_1.PWBRIDGE_KEY, 'Disabled')), 1);
            node_assert_1.strict.equal((0, registry_1.decodeNumber)(reg.get(places_1.PWBRIDGE_KEY, 'InstalledAt')), 123n);
            node_assert_1.strict.deepEqual((0, registry_1.decodeList)(reg.get(places_1.PWBRIDGE_KEY, 'ExcludeAccounts')).values, ['pwbridge', 'Bäckup']);
            node_assert_1.strict.equal(reg.deleteValue(places_1.PWBRIDGE_KEY, 'Disabled'), true);
            node_assert_1.strict.equal(reg.deleteValue(places_1.PWBRIDGE_KEY, 'Disabled'), false);
            node_assert_1.strict.equal(reg.deleteKey(places_1.PWBRIDGE_KEY), true);
            node_assert_1.strict.equal(reg.exists(places_1.PWBRIDGE_KEY), false);
            node_assert_1.strict.equal(win.openKeys.size, 0, 'every key handle closed');
            node_assert_1.strict.throws(() => (0, registry_1.decodeString)({ type: registry_1.REG_DWORD, data: (0, registry_1.encodeDword)(1) }), /not a string/);
        });
    });
    describe('the decision', () => {
        const boot = Date.UTC(2024, 0, 10, 7, 0, 0);
        const facts = (o = {}) => ({
            packages: ['scecli', 'pwbridge_filter'], packagesIrregular: [], dllPath: 'C:\\Windows\\System32\\pwbridge_filter.dll',
            dll: { machine: 0x8664, pe32Plus: true, signed: false }, runAsPpl: 0, installedAtMs: boot - 86_400_000, bootMs: boot, killSwitch: false, ...o,
        });
        it('not installed: the name is not in Notification Packages (whether or not the DLL is there)', () => {
            const p = (0, filter_probe_1.decideFilterState)(facts({ packages: ['scecli'] }));
            node_assert_1.strict.equal(p.state, 'not-installed');
            node_assert_1.strict.match(p.reason, /is there, but LSA only loads what that list names/);
            node_assert_1.strict.equal((0, filter_probe_1.decideFilterState)(facts({ packages: [], dll: undefined })).state, 'not-installed');
        });
        it('pending reboot ("reboot required") while this boot began before the install', () => {
            const p = (0, filter_probe_1.decideFilterState)(facts({ installedAtMs: boot + 60_000 }));
            node_assert_1.strict.equal(p.state, 'pending-reboot');
            node_assert_1.strict.match(p.reason, /^reboot required: the filter was installed at 2024-01-10T07:01:00.000Z, after this boot began/);
        });
        it('after a boot since the install, still pending until the filter\'s hello; the hello makes it active', () => {
            const p = (0, filter_probe_1.decideFilterState)(facts());
            node_assert_1.strict.equal(p.state, 'pending-reboot');
            node_assert_1.strict.match(p.reason, /rebooted since the install.*waiting for the filter's hello/);
            const store = new fakes_1.FakeState();
            let probe = p;
            const bootId = (0, boot_1.bootIdFor)(boot / 1000);
            const tracker = new filter_state_1.FilterStateTracker(store, () => probe, new fakes_1.FakeEvents(), { captureEnabled: true, bootId: () => bootId });
            node_assert_1.strict.equal(tracker.refresh().state, 'pending-reboot');
            tracker.onHello({ kind: 'lsa', version: '0.1.0', bootId: (0, boot_1.bootIdFor)(boot / 1000 - 3600), at: boot + 1000 });
            node_assert_1.strict.equal(tracker.current(0).state, 'pending-reboot', 'a hello from the previous boot proves nothing now');
            node_assert_1.strict.equal(tracker.onHello({ kind: 'lsa', version: '0.1.0', bootId, at: boot + 2000 }).state, 'active');
            probe = (0, filter_probe_1.decideFilterState)(facts({ dll: undefined }));
            node_assert_1.strict.equal(tracker.refresh().state, 'faulted', 'a fault the probe sees wins over the hello');
        });
        it('an install within the kernel\'s whole-second boot time is not "after the boot"', () => {
            node_assert_1.strict.match((0, filter_probe_1.decideFilterState)(facts({ installedAtMs: boot + 1500 })).reason, /^rebooted since/);
        });
        it('install time not recorded: pending, waiting for the hello', () => {
            node_assert_1.strict.match((0, filter_probe_1.decideFilterState)(facts({ installedAtMs: undefined })).reason, /when is not recorded/);
        });
        it('faulted: DLL missing, unreadable, or not 64-bit', () => {
            node_assert_1.strict.match((0, filter_probe_1.decideFilterState)(facts({ dll: undefined })).reason, /is missing, so LSA cannot load it/);
            node_assert_1.strict.match((0, filter_probe_1.decideFilterState)(facts({ dll: { error: 'not a Windows DLL: no MZ header' } })).reason, /cannot be read as a DLL/);
            const x86 = (0, filter_probe_1.decideFilterState)(facts({ dll: { machine: 0x14c, pe32Plus: false, signed: false } }));
            node_assert_1.strict.equal(x86.state, 'faulted');
            node_assert_1.strict.match(x86.reason, /not a 64-bit Windows DLL/);
        });
        it('faulted with that reason: LSA protection on (RunAsPPL 1 or 2) and the filter unsigned', () => {
            for (const ppl of [1, 2]) {
                const p = (0, filter_probe_1.decideFilterState)(facts({ runAsPpl: ppl }));
                node_assert_1.strict.equal(p.state, 'faulted');
                node_assert_1.strict.match(p.reason, new RegExp(`LSA protection is on \\(RunAsPPL = ${ppl}\\) and pwbridge_filter.dll is unsigned`));
            }
            const signed = (0, filter_probe_1.decideFilterState)(facts({ runAsPpl: 1, dll: { machine: 0x8664, pe32Plus: true, signed: true } }));
            node_assert_1.strict.equal(signed.state, 'pending-reboot', 'signed: whether lsass accepts the signature, only the hello tells');
            node_assert_1.strict.match(signed.reason, /LSA protection is on, so lsass loads the filter only if its signature meets/);
        });
        it('in the process serving the pipe: a SID other than ServiceSid (or none set) is faulted, saying the filter will not send to it and what to do', () => {
            const mine = 'S-1-5-21-1-2-3-1001';
            const by = 'this service runs as';
            node_assert_1.strict.equal((0, filter_probe_1.decideFilterState)(facts({ identity: { servingSid: mine, servedBy: by, serviceSid: mine } })).state, 'pending-reboot');
            const other = (0, filter_probe_1.decideFilterState)(facts({ identity: { servingSid: 'S-1-5-21-1-2-3-500', servedBy: by, serviceSid: mine } }));
            node_assert_1.strict.equal(other.state, 'faulted');
            node_assert_1.strict.equal(other.reason, 'this service runs as S-1-5-21-1-2-3-500, but HKLM\\SOFTWARE\\pwbridge ServiceSid is S-1-5-21-1-2-3-1001: the filter sends '
                + 'only to a pipe served by that SID, so it will not send to it. Run the service as the account pwbridge install set it up with '
                + '(services.msc, Log On), or run pwbridge install again, which sets both');
            node_assert_1.strict.match((0, filter_probe_1.decideFilterState)(facts({ identity: { servingSid: mine, servedBy: by } })).reason, /ServiceSid is not set: the filter sends only/);
            // Not installed: nothing would send anyway, so who serves does not matter.
            node_assert_1.strict.equal((0, filter_probe_1.decideFilterState)(facts({ packages: [], identity: { servingSid: mine, servedBy: by } })).state, 'not-installed');
        });
        it('the details show the full Notification Packages list (and LSA protection, the kill switch, irregularities)', () => {
            const p = (0, filter_probe_1.decideFilterState)(facts({ packages: ['scecli', 'rassfm', 'pwbridge_filter'], runAsPpl: 2, killSwitch: true, packagesIrregular: ['no empty string at the end'], dll: { machine: 0x8664, pe32Plus: true, signed: true } }));
            node_assert_1.strict.deepEqual(p.details, [
                'Notification Packages: scecli, rassfm, pwbridge_filter (no empty string at the end)',
                'LSA protection: on (RunAsPPL = 2)',
                'the filter\'s kill switch is on (HKLM\\SOFTWARE\\pwbridge Disabled = 1): it reports nothing',
            ]);
            node_assert_1.strict.deepEqual((0, filter_probe_1.decideFilterState)(facts({ packages: [] })).details, ['Notification Packages: (empty)']);
        });
        it('the probe gathers the facts from the registry, System32 and the boot time, and never throws', () => {
            const win = new fake_win32_1.FakeWindows();
            const reg = new registry_1.Registry(win.win32);
            {
                reg.set(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES, { type: registry_1.REG_MULTI_SZ, data: (0, registry_1.encodeList)(['scecli', 'pwbridge_filter']) });
                reg.set(places_1.PWBRIDGE_KEY, 'InstalledAt', { type: registry_1.REG_QWORD, data: (0, registry_1.encodeQword)((0, filetime_1.msToFiletime)(boot + 600_000)) });
                // System32 is a Windows path; the probe joins with win32 separators, so read through a mapping.
                const files = new Map();
                const readFile = (p) => {
                    const f = files.get(p);
                    if (!f)
                        throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
                    return f;
                };
                const probe = () => (0, filter_probe_1.probeWindowsFilter)({ registry: reg, system32Dir: 'C:\\Windows\\System32', bootMs: () => boot, readFile });
                node_assert_1.strict.match(probe().reason, /pwbridge_filter.dll is missing/);
                files.set((0, node_path_1.join)('C:\\Windows\\System32', 'pwbridge_filter.dll'), (0, fake_win32_1.fakePe)());
                node_assert_1.strict.match(probe().reason, /^reboot required/);
                node_assert_1.strict.deepEqual(probe().details, ['Notification Packages: scecli, pwbridge_filter']);
                // The serving process's SID is held against ServiceSid, read from the registry.
                const serving = (sid) => (0, filter_probe_1.probeWindowsFilter)({ registry: reg, system32Dir: 'C:\\Windows\\System32', bootMs: () => boot, readFile, serving: { sid, by: 'this service runs as' } });
                node_assert_1.strict.match(serving('S-1-5-21-1-2-3-1001').reason, /ServiceSid is not set/);
                reg.set(places_1.PWBRIDGE_KEY, 'ServiceSid', { type: registry_1.REG_SZ, data: (0, registry_1.encodeString)('S-1-5-21-1-2-3-1001') });
                node_assert_1.strict.match(serving('S-1-5-21-1-2-3-1001').reason, /^reboot required/);
                node_assert_1.strict.match(serving('S-1-5-18').reason, /^this service runs as S-1-5-18, but HKLM\\SOFTWARE\\pwbridge ServiceSid is S-1-5-21-1-2-3-1001/);
                reg.set(places_1.LSA_KEY, 'RunAsPPL', { type: registry_1.REG_DWORD, data: (0, registry_1.encodeDword)(1) });
                node_assert_1.strict.equal(probe().state, 'faulted');
                reg.set(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES, { type: registry_1.REG_SZ, data: (0, registry_1.encodeString)('not a list') });
                node_assert_1.strict.match(probe().reason, /cannot read the filter's registration: .*not REG_MULTI_SZ/);
            }
        });
    });
});
//# sourceMappingURL=filter-state.test.js.map