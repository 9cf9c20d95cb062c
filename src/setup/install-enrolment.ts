// `pwbridge install --hub URL (--insecure-fingerprint SHA256 | --ca FILE) (--client NAME --enrol-file FILE |
// --enrol-token-file FILE)`: a silent deployment (an RMM tool, the MSI's PWB_HUB properties) installs and
// enrols the machine in one go, as `pwbridge setup` would after it. Either the login of a hub user who holds
// Setup AD Sync (two lines: name, then password) or a hub enrolment token an admin made for one client
// (src/setup/enrol-token-file.ts; better: no user's password on any machine) comes from a file that only
// SYSTEM and the administrators may read (a command line or an MSI property would put it in logs and
// process lists), and the file is overwritten and removed as soon as it is read, used or not, like every
// secret file install is given.
import * as fs from 'node:fs';
import { loadConfig } from '../config/config';
import type { KeyFileAccessCheck } from '../protocol/key-files';
import { UsageError } from '../cli/errors';
import { enrolMachine } from './enrol';
import { readEnrolTokenFile } from './enrol-token-file';
import { parseLogin, type HubTrust } from './hub-trust';

/** With a hub user's login (and the client to pick), or with an enrolment token (which names its client). */
export type InstallEnrolment = HubTrust & ({ client: string; enrolFile: string } | { enrolTokenFile: string });

/** The secret file an enrolment reads, for messages. */
export const secretFileOf = (e: InstallEnrolment): string => ('enrolTokenFile' in e ? e.enrolTokenFile : e.enrolFile);

/**
 * Refuse, before install changes anything, the enrolment's file: for a login, as checkEnrolFile says; for
 * a token, as `pwbridge setup --enrol-token-file` does (also its shape: a file that holds no token is
 * refused now, not after the install).
 */
export function checkEnrolment(e: InstallEnrolment, access: KeyFileAccessCheck | undefined): void {
  if ('enrolTokenFile' in e) readEnrolTokenFile(e.enrolTokenFile, access).fill(0);
  else checkEnrolFile(e.enrolFile, access);
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
  /** Windows' owner-and-DACL rule for the token file; absent (POSIX): 0600 and owned by this user. */
  access?: KeyFileAccessCheck;
  out(line: string): void;
  restartService(): Promise<void>;
}): Promise<void> {
  const config = loadConfig(o.dataDir);
  const file = secretFileOf(o.enrol);
  if (config.hub?.url === o.enrol.url) {
    removeSecretFile(file);
    o.out(`already enrolled with ${o.enrol.url} (client "${config.client}"); ${file} was removed unused`);
    return;
  }
  if ('enrolTokenFile' in o.enrol) {
    let enrolToken: Buffer;
    try {
      enrolToken = readEnrolTokenFile(file, o.access);
    } finally {
      removeSecretFile(file);
    }
    o.out(`${file} was read and removed`);
    await enrolMachine({ dataDir: o.dataDir, url: o.enrol.url, fingerprint: o.enrol.fingerprint, caFile: o.enrol.caFile, auth: { enrolToken }, out: o.out });
    await o.restartService();
    return;
  }
  const { user, password } = takeLogin(o.enrol.enrolFile);
  o.out(`${file} was read and removed`);
  const { client } = o.enrol;
  const wanted = client.toLowerCase();
  await enrolMachine({
    dataDir: o.dataDir, url: o.enrol.url, fingerprint: o.enrol.fingerprint, caFile: o.enrol.caFile,
    auth: {
      user, password,
      chooseClient: async (names) => {
        const found = names.find((n) => n.toLowerCase() === wanted);
        if (!found) throw new UsageError(`--client: the hub has no client "${client}"; it has: ${names.map((n) => `"${n}"`).join(', ')}`);
        return found;
      },
    },
    out: o.out,
  });
  await o.restartService();
}
