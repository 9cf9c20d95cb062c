// The hub's agent token on Windows: DPAPI-protected (machine scope, dpapi.ts) in a file whose owner and
// protected DACL (SYSTEM, Administrators, the service account; acl-rule.ts) are set before a byte of the blob
// is in it, and checked again before it is read. The token is never written in clear. Linux keeps a 0600
// file instead (../agent-token-file.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyFileAccessCheck } from '../../protocol/key-files';
import { checkAgentToken, missingToken, type AgentTokenStore } from '../agent-token-file';
import { fsyncDir } from '../../fs/atomic-file';
import { protectedDescriptor } from './acl-rule';
import { loadWin32, type Win32 } from './binding';
import { protectForMachine, unprotect } from './dpapi';
import { writeFileSecurity } from './file-security';
import { windowsKeyFileAccess } from './key-file-access';
import { PWBRIDGE_KEY, VALUE_SERVICE_SID } from './places';
import { decodeString, Registry } from './registry';

/** The file starts with this, so a plaintext token (or anything else) is told apart and refused. */
export const DPAPI_TOKEN_MAGIC = Buffer.from('pwbridge-dpapi-1\n', 'ascii');
/** DPAPI's optional entropy: a blob made for another use does not open as the agent token. */
const ENTROPY = Buffer.from('pwbridge/agent-token/1', 'utf8');

/**
 * Give one file the data dir's descriptor: owner Administrators; SYSTEM, Administrators and the service
 * account (ServiceSid, when install has set it) only, nothing inherited. Not icacls /grant:r, which keeps
 * every other entry the file already had.
 */
export function restrictToService(w: Win32, file: string): void {
  const registered = new Registry(w).get(PWBRIDGE_KEY, VALUE_SERVICE_SID);
  writeFileSecurity(w, file, protectedDescriptor({ serviceSid: registered ? decodeString(registered) : undefined, container: false }));
}

export function dpapiTokenStore(
  win32: () => Win32 = loadWin32,
  restrict: (file: string) => void = (file) => restrictToService(win32(), file),
  access: () => KeyFileAccessCheck = () => windowsKeyFileAccess(win32(), new Registry(win32())),
): AgentTokenStore {
  return {
    how: 'DPAPI-protected for this machine, readable by SYSTEM, Administrators and the service account only',
    read(file) {
      if (!fs.existsSync(file)) throw missingToken(file);
      // Anyone else who can open the file can decrypt it (machine scope): refuse it before reading a byte.
      const problem = access()(file, 'secret');
      if (problem) throw new Error(`the agent token ${file} ${problem}`);
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
