// The data dir ACL scenarios, written once and run against both Win32s: the fake (in-process, on a
// Linux temp dir) and the real one (Windows node.exe under Wine, wine/acl-scenarios.main.ts, on a folder
// in the prefix's C:\ProgramData). Both return the same shape, and data-dir-acl.test.ts holds both to the
// same assertions:
// 1. a tree created with the protected descriptor, files added, secured and read back: no problems;
// 2. an Everyone entry planted on one key file: verify refuses, naming the file and Everyone; the
//    service's key-file check refuses it too, and passes the untouched one;
// 3. a folder made the ordinary way (mkdir, a file in it), as an ordinary user could before install: refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSTEM_SID } from '../../../src/platform/windows/acl-rule';
import type { Win32 } from '../../../src/platform/windows/binding';
import { readFileSecurity, writeFileSecurity } from '../../../src/platform/windows/file-security';
import { windowsKeyFileAccess } from '../../../src/platform/windows/key-file-access';
import { processUserSid } from '../../../src/platform/windows/process-identity';
import { PWBRIDGE_KEY, VALUE_SERVICE_SID } from '../../../src/platform/windows/places';
import { REG_SZ, encodeString, type RegistryPort } from '../../../src/platform/windows/registry';
import { DataDirAcl, type EntryProblem } from '../../../src/platform/windows/secure-tree';
import { SE_DACL_PROTECTED, encodeSecurityDescriptor } from '../../../src/platform/windows/security-descriptor';
import { ADMINISTRATORS_SID } from '../../../src/platform/windows/sid';

export const EVERYONE_SID = 'S-1-1-0';

export interface AclScenarioResults {
  userSid: string;
  secured: { problems: EntryProblem[]; entries: Array<{ rel: string; owner: string; sids: string[]; protected: boolean }> };
  everyone: { error?: string; keyCheckPlanted?: string; keyCheckClean?: string };
  ordinary: { problems: EntryProblem[] };
}

/** A registry holding only ServiceSid, as install leaves it (read-only: the scenarios must not change the machine's). */
function registryWith(serviceSid: string): RegistryPort {
  return {
    get: (key, name) => (key === PWBRIDGE_KEY && name === VALUE_SERVICE_SID ? { type: REG_SZ, data: encodeString(serviceSid) } : undefined),
    set: () => { throw new Error('read only'); },
    deleteValue: () => false,
    exists: () => false,
    deleteKey: () => false,
  };
}

export function runAclScenarios(w: Win32, base: string, serviceSid: string): AclScenarioResults {
  const acl = new DataDirAcl(w);
  const userSid = processUserSid(w);
  const trusted = [serviceSid, userSid];
  const rel = (root: string, p: string) => path.relative(root, p).split(path.sep).join('/') || '.';

  const root = path.join(base, 'secured');
  acl.create(root, serviceSid);
  fs.mkdirSync(path.join(root, 'keys'));
  for (const f of ['capture.secret', 'bridge.key', 'vault.key']) fs.writeFileSync(path.join(root, 'keys', f), 'not a real key');
  fs.writeFileSync(path.join(root, 'install.json'), '{}');
  acl.secure(root, serviceSid, trusted);
  const entries = ['.', 'keys', 'keys/bridge.key', 'keys/capture.secret', 'keys/vault.key', 'install.json'].map((r) => {
    const sd = readFileSecurity(w, path.join(root, ...r.split('/')));
    return { rel: r, owner: sd.owner ?? '', sids: (sd.dacl ?? []).map((a) => a.sid), protected: (sd.control & SE_DACL_PROTECTED) !== 0 };
  });
  const secured = { problems: acl.problems(root, trusted), entries };

  const everyone: AclScenarioResults['everyone'] = {};
  const planted = path.join(root, 'keys', 'bridge.key');
  const full = { type: 0, flags: 0, mask: 0x1f01ff };
  writeFileSecurity(w, planted, encodeSecurityDescriptor({
    owner: ADMINISTRATORS_SID, protected: true,
    dacl: [{ ...full, sid: SYSTEM_SID }, { ...full, sid: ADMINISTRATORS_SID }, { type: 0, flags: 0, mask: 0x1f01ff, sid: EVERYONE_SID }],
  }));
  try {
    acl.verify(root, trusted);
  } catch (e) {
    everyone.error = (e as Error).message;
  }
  const check = windowsKeyFileAccess(w, registryWith(serviceSid));
  everyone.keyCheckPlanted = check(planted, 'secret');
  everyone.keyCheckClean = check(path.join(root, 'keys', 'capture.secret'), 'secret');

  const plain = path.join(base, 'ordinary');
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, 'config.json'), '{}');
  const ordinary = { problems: acl.problems(plain, trusted).map((p) => ({ ...p, path: rel(base, p.path) })) };
  secured.problems = secured.problems.map((p) => ({ ...p, path: rel(root, p.path) }));
  return { userSid, secured, everyone, ordinary };
}
