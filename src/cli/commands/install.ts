import type { Command } from 'commander';
import { UsageError } from '../errors';
import { realWindowsSystem } from '../../platform/windows/system';
import { runInstall } from '../../setup/install';
import { runWindowsInstall } from '../../setup/windows-install';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectSecretFileAccess } from '../../platform';
import { SERVICE_NAME } from '../../platform/windows/places';
import { hubTrust } from '../../setup/hub-trust';
import { checkEnrolFile, checkEnrolment, enrolAfterInstall, removeSecretFile, secretFileOf, type InstallEnrolment } from '../../setup/install-enrolment';
import { SERVICE_WAIT_MS } from '../../setup/windows-install';
import { readExistingPassword } from '../existing-password';
import { dataDirOf, requireName } from '../options';

/**
 * `pwbridge install [--dry-run]`. Linux (root): PAM module, data dir and keys, the PAM line, the unit, the
 * service. Windows (administrator): the filter DLL and its registration, the service account, the service.
 */
export function registerInstall(program: Command): void {
  program
    .command('install')
    .description('install on this machine: Linux (root): the PAM module, keys, the line in common-password, the systemd unit, the service; '
      + 'Windows (administrator): the LSA filter in System32 and Notification Packages, the service account, the Windows service')
    .option('--dry-run', 'print every change it would make, and make none (works without root)', false)
    .option('--module <path>', 'the built capture module: pam_pwbridge.so (default: native/build/pam/) or, on Windows, pwbridge_filter.dll (default: native/build-win/)')
    .option('--event-messages <file>', 'Windows: the event source\'s message DLL (default: pwbridge_messages.dll next to the filter DLL)')
    .option('--service-account <name>', 'Windows: run the service as this existing local administrator, its password read from stdin (one line) or asked '
      + 'without echo; default: create the account "pwbridge" with a random password')
    .option('--service-password-file <file>', 'Windows, with --service-account: read its password from this file (one line; only SYSTEM and '
      + 'administrators may read it), which is then overwritten and removed')
    .option('--hub <url>', 'Windows: then enrol this machine with the hub at https://HOST:PORT, as pwbridge setup does (needs --client and --enrol-file, '
      + 'or --enrol-token-file; and --insecure-fingerprint or --ca)')
    .option('--client <name>', 'with --hub: the client this machine serves')
    .option('--insecure-fingerprint <sha256>', 'with --hub: the hub\'s self-signed certificate\'s SHA-256 fingerprint, pinned')
    .option('--ca <file>', 'with --hub: the CA certificate (PEM) that signed the hub\'s certificate')
    .option('--enrol-file <file>', 'with --hub: a file with a hub user\'s name and password on two lines (the user holds Setup AD Sync; only SYSTEM '
      + 'and administrators may read it); overwritten and removed once read')
    .option('--enrol-token-file <file>', 'with --hub, instead of --client and --enrol-file: a file with a hub enrolment token (it names the client; '
      + 'only SYSTEM and administrators may read it); overwritten and removed once read')
    .option('--security-dir <dir>', 'where PAM modules live (default: the directory holding pam_unix.so)')
    .option('--pam-dir <dir>', 'the pam.d directory (default: config pamDir, /etc/pam.d)')
    .option('--unit-dir <dir>', 'where the systemd unit goes (default: /etc/systemd/system)')
    .option('--no-start', 'do not start the service')
    .action(async (o: InstallFlags, cmd: Command) => {
      if (process.platform === 'win32') {
        process.exitCode = await installWindows(o, dataDirOf(cmd));
        return;
      }
      if (o.serviceAccount !== undefined) throw new UsageError('--service-account is for Windows; on Linux the service runs as root');
      if (o.hub !== undefined) throw new UsageError('--hub is for the Windows package\'s silent deployment; on Linux run pwbridge setup after install');
      const code = await runInstall({
        dataDir: dataDirOf(cmd),
        dryRun: o.dryRun,
        start: o.start,
        module: o.module,
        securityDir: o.securityDir,
        pamDir: o.pamDir,
        unitDir: o.unitDir,
        uid: process.getuid?.(),
        out: (line) => process.stdout.write(`${line}\n`),
      });
      if (code !== 0) process.exitCode = code;
    });
}

interface InstallFlags {
  dryRun: boolean; module?: string; eventMessages?: string; serviceAccount?: string; servicePasswordFile?: string; securityDir?: string;
  pamDir?: string; unitDir?: string; start: boolean; hub?: string; client?: string; insecureFingerprint?: string; ca?: string; enrolFile?: string;
  enrolTokenFile?: string;
}

/** Windows: the install, then (with --hub) the enrolment; every flag is checked before anything changes. */
async function installWindows(o: InstallFlags, dataDir: string): Promise<number> {
  const out = (line: string) => {
    process.stdout.write(`${line}\n`);
    keepInLog(line);
  };
  try {
    const access = selectSecretFileAccess();
    if (o.servicePasswordFile !== undefined) {
      if (o.serviceAccount === undefined) throw new UsageError('--service-password-file goes with --service-account');
      checkEnrolFile(o.servicePasswordFile, access);
    }
    const enrol = enrolmentOf(o);
    if (enrol) checkEnrolment(enrol, access);
    return await installAndEnrol(o, dataDir, enrol, out, access);
  } catch (e) {
    keepInLog(`pwbridge install stopped: ${(e as Error).message}`);
    throw e;
  }
}

/**
 * Windows Installer keeps nothing a custom action prints, so a failed MSI install would say only that its
 * install step failed: every line install prints, and the reason it stopped, also go to
 * %TEMP%\pwbridge-install.log (for the MSI's LocalSystem step, C:\Windows\Temp). Nothing install prints is
 * secret.
 */
function keepInLog(line: string): void {
  try {
    fs.appendFileSync(path.join(os.tmpdir(), 'pwbridge-install.log'), `${new Date().toISOString()} ${line}\n`);
  } catch {
    /* a log that cannot be written must not stop the install */
  }
}

async function installAndEnrol(o: InstallFlags, dataDir: string, enrol: InstallEnrolment | undefined, out: (line: string) => void,
  access: ReturnType<typeof selectSecretFileAccess>): Promise<number> {
  const system = realWindowsSystem();
  const code = await runWindowsInstall({
    dataDir, dryRun: o.dryRun, start: o.start, module: o.module, eventMessages: o.eventMessages, serviceAccount: o.serviceAccount,
    readPassword: (account) => (o.servicePasswordFile !== undefined
      ? Promise.resolve(takePassword(o.servicePasswordFile))
      : readExistingPassword('--service-account', account)),
    out, system,
  });
  if (code !== 0 || !enrol) return code;
  if (o.dryRun) {
    const into = 'client' in enrol ? `client "${enrol.client}"` : 'the enrolment token\'s client';
    out(`would enrol this machine with ${enrol.url} into ${into} (${secretFileOf(enrol)} is read and removed then), and restart the service`);
    return 0;
  }
  await enrolAfterInstall({
    dataDir, enrol, out, access,
    restartService: async () => {
      if (!o.start) return;
      await system.services.stop(SERVICE_NAME);
      system.services.start(SERVICE_NAME);
      if (!(await system.waitForService(SERVICE_NAME, SERVICE_WAIT_MS))) throw new Error(`the service ${SERVICE_NAME} did not run again within ${SERVICE_WAIT_MS / 1000} s after the enrolment`);
      out(`the service ${SERVICE_NAME} runs again, now with the hub`);
    },
  });
  return 0;
}

/** --hub and its companions, all or none. */
function enrolmentOf(o: InstallFlags): InstallEnrolment | undefined {
  const companions = { '--client': o.client, '--enrol-file': o.enrolFile, '--enrol-token-file': o.enrolTokenFile, '--insecure-fingerprint': o.insecureFingerprint, '--ca': o.ca };
  if (o.hub === undefined) {
    const stray = Object.entries(companions).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (stray.length) throw new UsageError(`${stray.join(', ')} go with --hub`);
    return undefined;
  }
  const trust = hubTrust({ hub: o.hub, ca: o.ca, insecureFingerprint: o.insecureFingerprint });
  if (o.enrolTokenFile !== undefined) {
    const beside = [o.client !== undefined && '--client', o.enrolFile !== undefined && '--enrol-file'].filter(Boolean);
    if (beside.length) throw new UsageError(`${beside.join(' and ')} and --enrol-token-file: give one; an enrolment token names its client`);
    return { ...trust, enrolTokenFile: o.enrolTokenFile };
  }
  if (o.client === undefined) throw new UsageError('--hub needs --client NAME: the client this machine serves (a silent install cannot ask), or --enrol-token-file FILE');
  if (o.enrolFile === undefined) throw new UsageError('--hub needs --enrol-file FILE: the hub user\'s name and password, on two lines (or --enrol-token-file FILE instead of both)');
  return { ...trust, client: requireName('--client', o.client), enrolFile: o.enrolFile };
}

/** The one-line password in the file, which is then overwritten and removed. */
function takePassword(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  try {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0a) end--;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const password = Buffer.from(bytes.subarray(0, end));
    if (password.length === 0 || password.includes(0x0a)) {
      password.fill(0);
      throw new UsageError(`--service-password-file: ${file} must hold the password alone, on one line`);
    }
    return password;
  } finally {
    bytes.fill(0);
    removeSecretFile(file);
  }
}
