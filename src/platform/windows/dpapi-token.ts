// The hub's agent token on Windows: DPAPI-protected (machine scope, dpapi.ts) in a file whose ACL is set to
// SYSTEM and Administrators (the service account is an administrator) before a byte of the blob is in it.
// The token is never written in clear. Linux keeps a 0600 file instead (../agent-token-file.ts).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAgentToken, missingToken, type AgentTokenStore } from '../agent-token-file';
import { fsyncDir } from '../linux/atomic-file';
import { loadWin32 } from './binding';
import { protectForMachine, unprotect, type Dpapi32 } from './dpapi';
import { system32 } from './places';
import { ADMINISTRATORS_SID } from './sid';

/** The file starts with this, so a plaintext token (or anything else) is told apart and refused. */
export const DPAPI_TOKEN_MAGIC = Buffer.from('pwbridge-dpapi-1\n', 'ascii');
/** DPAPI's optional entropy: a blob made for another use does not open as the agent token. */
const ENTROPY = Buffer.from('pwbridge/agent-token/1', 'utf8');

/** Restrict one file to SYSTEM and Administrators, full control, nothing inherited. */
export function restrictToAdmins(file: string): void {
  const icacls = path.win32.join(system32(), 'icacls.exe');
  execFileSync(icacls, [file, '/inheritance:r', '/grant:r', '*S-1-5-18:F', `*${ADMINISTRATORS_SID}:F`, '/Q'], { stdio: 'pipe', windowsHide: true });
}

export function dpapiTokenStore(win32: () => Dpapi32 = loadWin32, restrict: (file: string) => void = restrictToAdmins): AgentTokenStore {
  return {
    how: 'DPAPI-protected for this machine, readable by SYSTEM and Administrators only',
    read(file) {
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        throw missingToken(file);
      }
      if (!data.subarray(0, DPAPI_TOKEN_MAGIC.length).equals(DPAPI_TOKEN_MAGIC)) {
        data.fill(0);
        throw new Error(`the agent token ${file} is not DPAPI-protected (an older pwbridge wrote it in clear); run pwbridge setup again, which replaces it`);
      }
      let plain: Buffer;
      try {
        plain = unprotect(win32(), data.subarray(DPAPI_TOKEN_MAGIC.length), ENTROPY);
      } catch (err) {
        throw new Error(`the agent token ${file} could not be decrypted (${(err as Error).message}); it opens only on the machine that set it up: run pwbridge setup again`);
      }
      try {
        return checkAgentToken(plain.toString('utf8'), file);
      } finally {
        plain.fill(0);
      }
    },
    write(file, token) {
      checkAgentToken(token, file);
      const plain = Buffer.from(token, 'utf8');
      let blob: Buffer;
      try {
        blob = protectForMachine(win32(), plain, ENTROPY);
      } finally {
        plain.fill(0);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // An empty file first, its ACL set, then the blob: a machine-scope blob opens for any local process
      // that can read it, so no moment may exist where the folder's looser ACL applies to it.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.closeSync(fs.openSync(tmp, 'wx'));
      try {
        restrict(tmp);
        const fd = fs.openSync(tmp, 'r+');
        try {
          fs.writeSync(fd, Buffer.concat([DPAPI_TOKEN_MAGIC, blob]));
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      }
      fsyncDir(path.dirname(file));
    },
  };
}
