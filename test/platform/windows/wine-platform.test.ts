// The Windows platform against Wine's real DLLs, through the pinned Windows node.exe and koffi's win32
// binary (wine/probes.main.ts prints what it found; this side judges it): the binding loads although
// netapi32 lacks an export, and that export fails only when called, naming itself; Wine is recognised;
// this process's SID and the NetBIOS name are read, and config's default `machine` is that name; the
// descriptor install sets is byte for byte what Windows' own SDDL conversion makes; key files the
// service reads are refused once their DACL lets Everyone in.
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { runWindowsNode } from '../../helpers/windows-node';
import { sharedWindowsApp } from '../../helpers/windows-app';
import { windowsPartsMissing } from '../../helpers/wine';
import { skipBecause } from '../../helpers/skip';

interface Probes {
  unbound: string[];
  validate: { ok?: unknown; error?: string };
  wine?: string;
  userSid: string;
  computerName: string;
  hostname: string;
  configMachine: { ok?: string; error?: string };
  sd: { ours: string; windows: string };
  keys: { clean: { ok?: string; error?: string }; planted: { ok?: unknown; error?: string } };
}

describe('platform/windows under Wine (Windows node.exe, koffi win32)', function () {
  this.timeout(180_000);
  let p: Probes;

  before(async function () {
    const missing = windowsPartsMissing();
    if (process.platform === 'win32' || missing.skip) skipBecause(this, 'on Windows, real-windows.test.ts');
    if (missing.fail) throw new Error(missing.fail);
    const app = sharedWindowsApp();
    const r = await runWindowsNode([app.file('dist/test/platform/windows/wine/probes.main.js')], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    p = JSON.parse(r.stdout.trim().split('\n').pop()!) as Probes;
  });

  it('binds every declared function but the two Wine 8 lacks; calling one throws, naming netapi32.dll and the function', () => {
    assert.deepEqual(p.unbound, ['netapi32.dll!NetValidatePasswordPolicy', 'netapi32.dll!NetValidatePasswordPolicyFree']);
    assert.match(p.validate.error ?? '', /^MissingExportError: NetValidatePasswordPolicy \(netapi32\.dll has no NetValidatePasswordPolicy on this system: .*\) failed: ERROR_PROC_NOT_FOUND/);
  });

  it('knows it is Wine, runs as the one Wine user, and MACHINE is the NetBIOS name (upper case, 15 at most), also config\'s default', () => {
    assert.match(p.wine ?? '', /^\d+\.\d+/);
    assert.equal(p.userSid, 'S-1-5-21-0-0-0-1000');
    assert.equal(p.hostname, os.hostname());
    assert.equal(p.computerName, os.hostname().split('.')[0].toUpperCase().slice(0, 15));
    assert.deepEqual(p.configMachine, { ok: p.computerName });
  });

  it('the descriptor install sets is the bytes ConvertStringSecurityDescriptorToSecurityDescriptorW makes of its SDDL', () => {
    assert.equal(p.sd.ours, p.sd.windows);
  });

  it('the service loads key files secured by install, and refuses one whose DACL lets Everyone in, naming file and entry', () => {
    assert.deepEqual(p.keys.clean, { ok: 'loaded' });
    assert.match(p.keys.planted.error ?? '', /^KeyFileError: C:\\ProgramData\\pwbt-keys-[0-9a-f]+\\keys\\capture\.secret: has an entry \(A;;0x1200a9;;;WD\) that gives Everyone \(S-1-1-0\) read and execute: run pwbridge install again/);
  });
});
