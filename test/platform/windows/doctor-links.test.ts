// doctor's Windows links (capture-module, filter-loaded, service, key-files' evidence) through the Windows
// adapters on the fake Win32 (fake-win32.ts: registry, SCM, boot time), after the real Windows install code
// ran against it (install-machine.ts), with a real state.db in its data dir. What cannot run here: lsass
// loading the DLL (its hello is written to state.db as the service would on receiving it) and the pipe.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../src/config/config';
import { doctorContext } from '../../../src/doctor/context';
import type { DoctorMachine, LinkResult } from '../../../src/doctor/link';
import { runDoctor, type DoctorReport } from '../../../src/doctor/run-doctor';
import { serviceRunning } from '../../../src/platform/windows';
import { bootIdFor, bootTimeSeconds } from '../../../src/platform/windows/boot';
import { probeWindowsFilter } from '../../../src/platform/windows/filter-probe';
import { LSA_KEY, NOTIFICATION_PACKAGES, RUN_AS_PPL, SERVICE_NAME } from '../../../src/platform/windows/places';
import { REG_DWORD, REG_MULTI_SZ, encodeDword, encodeList } from '../../../src/platform/windows/registry';
import { ServiceControl } from '../../../src/platform/windows/service-control';
import { HELLO_KEY } from '../../../src/service/filter-state';
import { openStateAt } from '../../../src/service/open';
import { machine } from './install-machine';

type Machine = ReturnType<typeof machine>;

/** The Windows platform's own probe, boot id and service manager, on the fake, with its System32 folder. */
function windowsMachine(m: Machine): DoctorMachine {
  return {
    os: 'win32',
    probeFilter: () => probeWindowsFilter({ registry: m.reg, system32Dir: m.sys32, bootMs: () => m.win.bootMs }),
    captureStackProblems: () => [],
    bootId: () => bootIdFor(bootTimeSeconds(m.win.win32)),
    serviceManagerRunning: () => serviceRunning(m.win.win32),
    readAgentToken: () => { throw new Error('this machine is not enrolled with a hub'); },
  };
}

async function doctor(m: Machine): Promise<DoctorReport> {
  const config = loadConfig(m.dataDir);
  const ctx = doctorContext(config, windowsMachine(m), () => m.win.now);
  try {
    return await runDoctor(ctx);
  } finally {
    await ctx.close();
  }
}

const link = (r: DoctorReport, id: string): LinkResult => r.links.find((l) => l.id === id)!;

describe('doctor on Windows (the Windows adapters on the fake Win32, after the real install)', function () {
  this.timeout(30_000);
  let m: Machine;
  beforeEach(async () => {
    m = machine();
    assert.equal(await m.install(), 0);
  });
  afterEach(() => m.cleanup());

  it('right after install: capture-module ok (registered, DLL in place); filter-loaded broken: reboot required, fix: shutdown /r', async () => {
    const r = await doctor(m);
    const cm = link(r, 'capture-module');
    assert.equal(cm.state, 'ok', JSON.stringify(cm));
    assert.match(cm.evidence.join('\n'), /Notification Packages: scecli, rassfm, pwbridge_filter/);
    const fl = link(r, 'filter-loaded');
    assert.equal(fl.state, 'broken', JSON.stringify(fl));
    assert.match(fl.summary, /^reboot required/);
    assert.equal(fl.fix, 'shutdown /r /t 0');
  });

  it('rebooted, no hello: filter-loaded broken (not loaded); the filter\'s hello in this boot: ok', async () => {
    m.win.bootMs = m.win.now + 60_000;
    m.win.now += 120_000;
    const before = link(await doctor(m), 'filter-loaded');
    assert.equal(before.state, 'broken', JSON.stringify(before));
    assert.match(before.summary, /has not said hello in this boot/);
    assert.match(before.fix ?? '', /pwbridge\.cmd --data-dir \S+ events --kind filter-state/);

    // As the service stores the hello it receives from the filter (FilterStateTracker.onHello).
    const db = openStateAt(m.dataDir, randomBytes(32));
    db.state.setValue(HELLO_KEY, { kind: 'lsa', version: '0.1.0', bootId: bootIdFor(bootTimeSeconds(m.win.win32)), at: m.win.now });
    db.close();
    const after = link(await doctor(m), 'filter-loaded');
    assert.equal(after.state, 'ok', JSON.stringify(after));
    assert.match(after.summary, /said hello in this boot/);
  });

  it('pwbridge_filter taken out of Notification Packages: capture-module broken, fix: pwbridge.cmd install', async () => {
    m.reg.set(LSA_KEY, NOTIFICATION_PACKAGES, { type: REG_MULTI_SZ, data: encodeList(['scecli', 'rassfm']) });
    const cm = link(await doctor(m), 'capture-module');
    assert.equal(cm.state, 'broken', JSON.stringify(cm));
    assert.match(cm.summary, /not in Notification Packages/);
    assert.match(cm.fix ?? '', /^pwbridge\.cmd --data-dir \S+ install$/);
  });

  it('the DLL gone from System32: capture-module broken, the path named', async () => {
    fs.rmSync(path.join(m.sys32, 'pwbridge_filter.dll'));
    const cm = link(await doctor(m), 'capture-module');
    assert.equal(cm.state, 'broken', JSON.stringify(cm));
    assert.match(cm.summary, /pwbridge_filter\.dll is missing/);
    assert.match(cm.fix ?? '', /install$/);
  });

  it('LSA protection on with the unsigned DLL: capture-module broken, fix: turn RunAsPPL off', async () => {
    m.reg.set(LSA_KEY, RUN_AS_PPL, { type: REG_DWORD, data: encodeDword(1) });
    const cm = link(await doctor(m), 'capture-module');
    assert.equal(cm.state, 'broken', JSON.stringify(cm));
    assert.match(cm.evidence.join('\n'), /LSA protection: on \(RunAsPPL = 1\)/);
    assert.match(cm.fix ?? '', /RunAsPPL = 0/);
  });

  it('service stopped (the service manager says so): service broken, fix: sc start pwbridge', async () => {
    assert.equal(serviceRunning(m.win.win32), true, 'install started the service');
    assert.equal(await new ServiceControl(m.win.win32).stop(SERVICE_NAME, 1000), 'stopped');
    const s = link(await doctor(m), 'service');
    assert.equal(s.state, 'broken', JSON.stringify(s));
    assert.match(s.evidence.join('\n'), /the service manager says pwbridge is not running/);
    assert.equal(s.fix, 'sc start pwbridge');
  });
});
