// Run by the Windows node.exe under Wine (data-dir-acl.test.ts): the ACL scenarios against the real Win32,
// on a fresh folder in C:\ProgramData; prints the results as one JSON line.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { loadWin32 } from '../../../../src/platform/windows/binding';
import { processUserSid } from '../../../../src/platform/windows/process-identity';
import { runAclScenarios } from '../acl-scenarios';

const base = `${process.env.ProgramData ?? 'C:\\ProgramData'}\\pwbt-acl-${randomBytes(4).toString('hex')}`;
fs.mkdirSync(base);
try {
  const w = loadWin32();
  // Under Wine the service account is the one user there is.
  process.stdout.write(`${JSON.stringify(runAclScenarios(w, base, processUserSid(w)))}\n`);
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
