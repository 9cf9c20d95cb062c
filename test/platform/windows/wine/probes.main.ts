// Run by the Windows node.exe under Wine (wine-platform.test.ts): the Windows adapters against Wine's real
// DLLs, each answer printed as one JSON object for the test on the Linux side to judge.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../../src/config/config';
import { protectedDescriptor } from '../../../../src/platform/windows/acl-rule';
import { loadWin32, unboundFunctions } from '../../../../src/platform/windows/binding';
import { computerName } from '../../../../src/platform/windows/computer-name';
import { writeFileSecurity } from '../../../../src/platform/windows/file-security';
import { keyFileAccess } from '../../../../src/platform/windows';
import { NetApi } from '../../../../src/platform/windows/netapi';
import { processUserSid } from '../../../../src/platform/windows/process-identity';
import { DataDirAcl } from '../../../../src/platform/windows/secure-tree';
import { encodeSecurityDescriptor } from '../../../../src/platform/windows/security-descriptor';
import { wideZ } from '../../../../src/platform/windows/utf16';
import { wineVersion } from '../../../../src/platform/windows/wine';
import { ensureKeys, loadKeys, wipeKeys } from '../../../../src/protocol/keys';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const koffi = require('koffi') as typeof import('koffi');

const w = loadWin32();
const attempt = (f: () => unknown): { ok: unknown } | { error: string } => {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
};

/** Windows' own SDDL → descriptor conversion, to hold ours against (not part of pwbridge: bound here only). */
function windowsSddl(sddl: string): string {
  const advapi = koffi.load('advapi32.dll');
  const convert = advapi.func('int32 __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(void *s, uint32 rev, void *sd, void *len)');
  const out = Buffer.alloc(8);
  const len = Buffer.alloc(4);
  if (!convert(wideZ(sddl), 1, out, len)) throw new Error(`ConvertStringSecurityDescriptorToSecurityDescriptorW failed: ${w.kernel32.GetLastError()}`);
  const at = out.readBigUInt64LE();
  const bytes = w.memory.read(at, len.readUInt32LE());
  w.kernel32.LocalFree(at);
  return bytes.toString('hex');
}

const user = processUserSid(w);
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbt-cfg-'));
const keysBase = `${process.env.ProgramData ?? 'C:\\ProgramData'}\\pwbt-keys-${randomBytes(4).toString('hex')}`;
const keys: Record<string, unknown> = {};
try {
  const acl = new DataDirAcl(w);
  acl.create(keysBase, user);
  const dir = path.join(keysBase, 'keys');
  wipeKeys(ensureKeys(dir));
  acl.secure(keysBase, user, [user]);
  const check = keyFileAccess(w);
  keys.clean = attempt(() => { wipeKeys(loadKeys(dir, check)); return 'loaded'; });
  const everyone = { type: 0, flags: 0, mask: 0x120089, sid: 'S-1-1-0' };
  writeFileSecurity(w, path.join(dir, 'capture.secret'), encodeSecurityDescriptor({
    owner: 'S-1-5-32-544', protected: true, dacl: [{ type: 0, flags: 0, mask: 0x1f01ff, sid: user }, everyone],
  }));
  keys.planted = attempt(() => loadKeys(dir, check));
} finally {
  fs.rmSync(keysBase, { recursive: true, force: true });
}

const out = {
  unbound: unboundFunctions(w),
  validate: attempt(() => new NetApi(w).validatePasswordChange(os.userInfo().username, wideZ('Some-Passw0rd!'))),
  wine: wineVersion(w),
  userSid: user,
  computerName: computerName(w),
  hostname: os.hostname(),
  configMachine: attempt(() => loadConfig(empty).machine),
  sd: {
    ours: protectedDescriptor({ serviceSid: user, container: true }).toString('hex'),
    windows: windowsSddl(`O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;${user})`),
  },
  keys,
};
fs.rmSync(empty, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(out)}\n`);
