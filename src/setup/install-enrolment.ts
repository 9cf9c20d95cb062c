// `pwbridge install --hub URL --client NAME (--insecure-fingerprint SHA256 | --ca FILE) --enrol-file FILE`:
// a silent deployment (an RMM tool, the MSI's PWB_HUB properties) installs and enrols the machine in one go,
// as `pwbridge setup` would after it. The login of a hub user who holds Setup AD Sync comes from a file that
// only SYSTEM and the administrators may read (two lines: name, then password; a command line or an MSI
// property would put the password in logs and process lists), and the file is overwritten and removed as
// soon as it is read, used or not. A hub enrolment token would be better than a user's password on disk:
// `pwbridge setup --enrol-token-file` takes one (src/setup/enrol-token-file.ts); install does not yet.
import * as fs from 'node:fs';
import { loadConfig } from '../config/config';
import type { KeyFileAccessCheck } from '../protocol/key-files';
import { UsageError } from '../cli/errors';
import { enrolMachine } from './enrol';
import { parseLogin, type HubTrust } from './hub-trust';

export interface InstallEnrolment extends HubTrust {
  client: string;
  enrolFile: string;
}

/**
 * Refuse, before install changes anything, a file holding a password (the enrolment file, the service
 * account's password file) that is missing, not a plain file, or that
 * anyone but SYSTEM, the administrators (Windows: owner and DACL, through `access`) or root (elsewhere: a
 * file of ours no looser than 0600) could have read: its password may have leaked, and using it would hide
 * that.
 */
export function checkEnrolFile(file: string, access: KeyFileAccessCheck | undefined): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw new UsageError(`--enrol-file: ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!st.isFile()) throw new UsageError(`--enrol-file: ${file} is not a regular file`);
  const problem = access
    ? access(file, 'secret')
    : (st.mode & 0o077) !== 0 ? `has mode 0${(st.mode & 0o777).toString(8)}, readable by others (it must be 0600)` : undefined;
  if (problem) throw new UsageError(`--enrol-file: ${file} ${problem}. It holds a hub user's password: write it where only SYSTEM and the administrators can read it`);
}

/** The login in the file, which is then overwritten with zeros and removed, whatever happens next. */
export function takeLogin(file: string): { user: string; password: Buffer } {
  let bytes: Buffer | undefined;
  try {
    bytes = fs.readFileSync(file);
    return parseLogin(Buffer.from(bytes), '--enrol-file');
  } finally {
    bytes?.fill(0);
    removeSecretFile(file);
  }
}

/** Overwrite a file that held a password with zeros, then remove it. */
export function removeSecretFile(file: string): void {
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    try {
      fs.writeSync(fd, Buffer.alloc(size));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * After a successful install: enrol as `pwbridge setup` does (the service account's credential carried
 * to the hub), then restart the service so it uses the hub. A machine already enrolled with that hub is
 * left as it is (an upgrade or repair with the same properties), and the file is removed unused.
 */
export async function enrolAfterInstall(o: {
  dataDir: string;
  enrol: InstallEnrolment;
  out(line: string): void;
  restartService(): Promise<void>;
}): Promise<void> {
  const config = loadConfig(o.dataDir);
  if (config.hub?.url === o.enrol.url) {
    takeLogin(o.enrol.enrolFile).password.fill(0);
    o.out(`already enrolled with ${o.enrol.url} (client "${config.client}"); ${o.enrol.enrolFile} was removed unused`);
    return;
  }
  const { user, password } = takeLogin(o.enrol.enrolFile);
  o.out(`${o.enrol.enrolFile} was read and removed`);
  const wanted = o.enrol.client.toLowerCase();
  await enrolMachine({
    dataDir: o.dataDir, url: o.enrol.url, fingerprint: o.enrol.fingerprint, caFile: o.enrol.caFile,
    auth: {
      user, password,
      chooseClient: async (names) => {
        const found = names.find((n) => n.toLowerCase() === wanted);
        if (!found) throw new UsageError(`--client: the hub has no client "${o.enrol.client}"; it has: ${names.map((n) => `"${n}"`).join(', ')}`);
        return found;
      },
    },
    out: o.out,
  });
  await o.restartService();
}
