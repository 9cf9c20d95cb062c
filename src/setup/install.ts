// `pwbridge install` on Linux: the PAM module into the security dir, the data dir and keys, pwbridge's
// line into common-password (after a backup), the systemd unit, and the service started. Everything is
// planned and checked first: a refusal changes nothing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { endpointServed } from '../channel/socket-listener';
import { UsageError } from '../cli/errors';
import { defaultSocketPath, loadConfig } from '../config/config';
import { ConfigError } from '../config/config-error';
import { dataPaths, ensureDataDir } from '../config/paths';
import { octal, ownershipOf, sha256, writeFileAtomic } from '../fs/atomic-file';
import { insertPwbridgeLine, pwbridgeLine } from '../platform/linux/pam-edit';
import { defaultPamModuleDirs } from '../platform/linux/pam-module-dirs';
import { probePamStack, PWBRIDGE_PAM_MODULE } from '../platform/linux/pam-stack';
import { processAlive, startDetached, systemctl, systemctlYes, systemdRunning } from '../platform/linux/service-control';
import { DEFAULT_UNIT_DIR, renderUnit, sandboxProblem, serviceArgv, UNIT_NAME, writableDirs } from '../platform/linux/systemd-unit';
import { ensureKeys, loadKeys, wipeKeys } from '../protocol/keys';
import { PRIVATE_FILE, PUBLIC_FILE, SECRET_FILE } from '../protocol/key-files';
import { applyAndRecord, readManifest, serviceFiles, type FileRecord, type InstallManifest } from './manifest';
import { emptyPlan, requireRoot } from './plan';
import { DEFAULT_MODULE_SOURCE, MAIN_JS, REPO_ROOT } from './repo';
import { firstNonRootWritable } from './root-writable';
import { waitForSocket } from './wait-socket';

export const PAM_FILE = 'common-password';
/** The Debian package's pam-auth-update profile: where it exists, the package owns the PAM line and the unit. */
export const PACKAGED_PAM_PROFILE = '/usr/share/pam-configs/pwbridge';
export const SOCKET_WAIT_MS = 10_000;

export interface InstallOptions {
  dataDir: string;
  dryRun: boolean;
  /** false: --no-start. */
  start: boolean;
  /** --module: the built pam_pwbridge.so (default: native/build/pam/pam_pwbridge.so in this checkout). */
  module?: string;
  /** --security-dir: where PAM modules live (default: the one of defaultPamModuleDirs() holding pam_unix.so). */
  securityDir?: string;
  /** --pam-dir (default: config's pamDir, /etc/pam.d). */
  pamDir?: string;
  /** --unit-dir (default: /etc/systemd/system). */
  unitDir?: string;
  uid: number | undefined;
  out: (line: string) => void;
}

const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;
const isDir = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
const oneLine = (pamLine: string) => pamLine.replace(/\t/g, ' ');

/** The directory PAM loads bare module names from: the one holding pam_unix.so. */
export function findSecurityDir(given: string | undefined, candidates: readonly string[] = defaultPamModuleDirs()): string {
  if (given !== undefined) {
    const d = path.resolve(given);
    if (!isDir(d)) throw new UsageError(`--security-dir: ${d} is not a directory; name the directory that holds pam_unix.so`);
    return d;
  }
  const found = candidates.find((d) => isFile(path.join(d, 'pam_unix.so')));
  if (!found) {
    throw new ConfigError('PAM module directory', `no pam_unix.so in ${candidates.join(', ')}`, 'Pass --security-dir DIR naming the directory that holds pam_unix.so');
  }
  return found;
}

export function moduleSource(given: string | undefined, builtPath: string = DEFAULT_MODULE_SOURCE): string {
  const source = path.resolve(given ?? builtPath);
  if (isFile(source)) return source;
  if (given !== undefined) throw new UsageError(`--module: ${source} does not exist or is not a file; give the path of the built pam_pwbridge.so`);
  throw new UsageError(`the PAM module was not built: ${source} does not exist. Build it with \`npm run build:native\` `
    + '(it needs the libpam0g-dev, libssl-dev, libcrypt-dev and cmake packages: apt-get install libpam0g-dev libssl-dev libcrypt-dev cmake), or pass --module PATH');
}

/** The PAM file's text, refusing what install will not edit: missing (non-Debian), a symlink, not UTF-8. */
function readPamFile(pamDir: string, file: string, line: string): Buffer {
  const byHand = `add this line by hand to the password stack, where it runs only after pam_unix succeeded: ${oneLine(line)}`;
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) {
    throw new ConfigError(pamDir, `has no ${PAM_FILE}: pwbridge install edits Debian's ${PAM_FILE} (which passwd, chpasswd and the rest include), and this stack is laid out differently`,
      `On other systems (RHEL: system-auth and password-auth), ${byHand}`);
  }
  if (!st.isFile()) throw new ConfigError(file, `is a ${st.isSymbolicLink() ? 'symbolic link' : 'special file'}, not a regular file, and install replaces files whole`, `Edit the file itself: ${byHand}`);
  const bytes = fs.readFileSync(file);
  if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) {
    throw new ConfigError(file, 'is not valid UTF-8, so it cannot be edited without changing other bytes', `Fix the file, or ${byHand}`);
  }
  return bytes;
}

function fileRecord(p: string): FileRecord {
  return { path: p, ...ownershipOf(p), sha256: sha256(fs.readFileSync(p)) };
}

/**
 * The unit runs node and this checkout's dist/ (with its node_modules/) as root: refused when anyone but root
 * could change any of it, naming the path. The Debian package installs root-owned copies under /usr instead.
 */
function refuseNonRootWritableService(): void {
  const trees = [path.join(REPO_ROOT, 'dist'), path.join(REPO_ROOT, 'node_modules')].filter(isDir);
  const found = firstNonRootWritable([process.execPath, MAIN_JS, path.join(REPO_ROOT, 'package.json')].filter(isFile), trees);
  if (!found) return;
  throw new ConfigError(found.path, `is writable by ${found.who}, and the root service would run node (${process.execPath}) and `
    + `${MAIN_JS} from under it, so that user could become root at the next service start`,
  'Install the Debian package instead (npm run package:deb, then apt install ./packaging/debian/out/pwbridge_<version>_<arch>.deb: '
    + 'its files are root\'s under /usr/lib/pwbridge, with its own Node), or make node and the checkout owned by root and not writable by group or others');
}

export async function runInstall(o: InstallOptions): Promise<number> {
  requireRoot('install', o.uid, o.dryRun);
  if (process.platform !== 'linux') throw new UsageError(`install: only Linux is supported so far, not ${process.platform} (Windows comes with the LSA filter, issue 4)`);

  // Everything that can refuse, before anything changes.
  if (fs.existsSync(PACKAGED_PAM_PROFILE)) {
    throw new ConfigError(PACKAGED_PAM_PROFILE, 'exists: the pwbridge Debian package is installed, and its pam-auth-update profile places the module '
      + 'and its unit (/lib/systemd/system/pwbridge.service) runs the service; a second, hand-made install would fight it',
    'Use the package (apt install ./pwbridge_<version>_<arch>.deb to upgrade it), or remove it (apt remove pwbridge) before installing from a checkout');
  }
  const config = loadConfig(o.dataDir);
  const dataDir = config.dataDir;
  const paths = dataPaths(dataDir);
  const files = serviceFiles(dataDir);
  const previous = readManifest(dataDir);
  const manifest: InstallManifest = previous ? structuredClone(previous) : { version: 1, dataDir };

  refuseNonRootWritableService();
  const source = moduleSource(o.module);
  const securityDir = findSecurityDir(o.securityDir);
  const moduleDest = path.join(securityDir, PWBRIDGE_PAM_MODULE);

  const pamDir = path.resolve(o.pamDir ?? config.pamDir);
  const pamFile = path.join(pamDir, PAM_FILE);
  const line = pwbridgeLine(dataDir, config.socketPath !== defaultSocketPath(dataDir) ? config.socketPath : undefined);
  const before = readPamFile(pamDir, pamFile, line);
  const edit = insertPwbridgeLine(before.toString('utf8'), pamFile, line);

  const unitDir = path.resolve(o.unitDir ?? DEFAULT_UNIT_DIR);
  const unitPath = path.join(unitDir, UNIT_NAME);
  const unitOpts = { nodePath: process.execPath, mainJs: MAIN_JS, dataDir, socketPath: config.socketPath };
  const unitText = renderUnit(unitOpts);

  const systemd = systemdRunning();
  const useSystemd = o.start && systemd && unitDir === DEFAULT_UNIT_DIR;
  if (useSystemd) {
    const problem = sandboxProblem(dataDir, true) ?? sandboxProblem(config.socketPath, true) ?? sandboxProblem(MAIN_JS, false) ?? sandboxProblem(process.execPath, false);
    if (problem) throw new ConfigError('pwbridge.service', problem, 'Use a data dir under /var/lib (the default), and node and the checkout outside /tmp and home directories');
  }

  const keyFiles = [SECRET_FILE, PRIVATE_FILE, PUBLIC_FILE].map((f) => path.join(paths.keysDir, f));
  const keysExist = keyFiles.every((f) => fs.existsSync(f));
  if (keysExist && o.uid === 0) {
    try {
      wipeKeys(loadKeys(paths.keysDir));
    } catch (e) {
      throw new ConfigError(paths.keysDir, (e as Error).message, 'Fix the key files (or move them away to have new ones made, which re-keys the capture)');
    }
  }

  const plan = emptyPlan();
  const served = o.start && !useSystemd ? await endpointServed(config.socketPath) : false;

  // 1. The data dir and keys: the capture reads capture.secret and bridge.pub from the first password change on.
  if (isDir(dataDir) && keysExist) plan.kept.push(`the data dir ${dataDir} and its keys`);
  else {
    plan.steps.push({
      say: `create the data dir ${dataDir} (0700) and what is missing of its keys: keys/${SECRET_FILE} and keys/${PRIVATE_FILE} (0600), keys/${PUBLIC_FILE} (0644)`,
      apply: () => {
        ensureDataDir(paths);
        wipeKeys(ensureKeys(paths.keysDir));
      },
    });
  }

  // A socket outside the data dir: the unit's ReadWritePaths can only open a directory that exists.
  const socketDir = writableDirs(unitOpts)[1];
  if (socketDir && !isDir(socketDir)) {
    plan.steps.push({
      say: `create the socket's directory ${socketDir} (0700), which the unit's sandbox leaves writable`,
      apply: () => { fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 }); },
    });
  }

  // 2. The module, before any stack names it.
  const moduleBytes = fs.readFileSync(source);
  const moduleSha = sha256(moduleBytes);
  const current = isFile(moduleDest) ? fileRecord(moduleDest) : undefined;
  const moduleRecord = { path: moduleDest, source, sha256: moduleSha };
  if (current && current.sha256 === moduleSha && current.mode === 0o644) {
    plan.kept.push(`the PAM module ${moduleDest} is the same as ${source}`);
    manifest.module = moduleRecord;
  } else {
    plan.steps.push({
      say: current ? `replace the PAM module ${moduleDest} with ${source} (0644)` : `copy the PAM module ${source} to ${moduleDest} (0644)`,
      apply: () => {
        writeFileAtomic(moduleDest, moduleBytes, { mode: 0o644, uid: 0, gid: 0 });
        manifest.module = moduleRecord;
      },
    });
  }

  // 3. The unit (written whether or not systemd runs here: it is what a later boot with systemd uses).
  const unitChanges = !(isFile(unitPath) && fs.readFileSync(unitPath, 'utf8') === unitText);
  if (!unitChanges) {
    plan.kept.push(`the unit ${unitPath}`);
    manifest.unit = { path: unitPath, sha256: sha256(unitText) };
  } else {
    plan.steps.push({
      say: `${isFile(unitPath) ? 'replace' : 'write'} the unit ${unitPath} (ExecStart=${serviceArgv(unitOpts).join(' ')}; Restart=on-failure)`,
      apply: () => {
        fs.mkdirSync(unitDir, { recursive: true, mode: 0o755 });
        writeFileAtomic(unitPath, unitText, { mode: 0o644, uid: 0, gid: 0 });
        manifest.unit = { path: unitPath, sha256: sha256(unitText) };
      },
    });
  }

  // 4. The PAM stack: the backup once (never over a pristine one), then the edited file.
  if (!edit.changed) {
    plan.kept.push(`${pamFile} already names ${PWBRIDGE_PAM_MODULE} (line ${edit.line})`);
    const existing = edit.text.split('\n')[(edit.line ?? 1) - 1] ?? '';
    if (!existing.includes(`dir=${dataDir}`)) plan.notes.push(`${pamFile}:${edit.line} does not say dir=${dataDir}; the capture may be using another data dir`);
  } else {
    const backupPath = path.join(dataDir, 'backup', PAM_FILE);
    const pamOwn = ownershipOf(pamFile);
    let backup: FileRecord | undefined = manifest.pam?.backup;
    if (isFile(backupPath)) {
      plan.kept.push(`the backup ${backupPath} (made by an earlier install; never overwritten)`);
      if (backup?.path !== backupPath) backup = fileRecord(backupPath);
    } else {
      plan.steps.push({
        say: `back up ${pamFile} to ${backupPath} (mode ${octal(pamOwn.mode)}, uid ${pamOwn.uid}, gid ${pamOwn.gid})`,
        apply: () => {
          fs.mkdirSync(path.dirname(backupPath), { recursive: true, mode: 0o700 });
          writeFileAtomic(backupPath, before, pamOwn);
          backup = fileRecord(backupPath);
          // Nothing written to the PAM file yet: "written" is what is there.
          manifest.pam = { file: pamFile, beforeSha256: sha256(before), writtenSha256: sha256(before), backup };
        },
      });
    }
    const renumbered = edit.adjusted.length ? `; renumber the jumps on line ${edit.adjusted.map((a) => `${a.line} (${a.from} → ${a.to})`).join(', ')} so they land where they did` : '';
    plan.steps.push({
      say: `add line ${edit.line} to ${pamFile}, after ${edit.follows}: "${oneLine(line)}"${renumbered}`,
      apply: () => {
        const now = fs.readFileSync(pamFile);
        if (!now.equals(before)) throw new Error(`${pamFile} changed while pwbridge install ran; run install again`);
        writeFileAtomic(pamFile, edit.text, ownershipOf(pamFile));
        if (!backup) throw new Error('internal: no backup record');
        manifest.pam = { file: pamFile, beforeSha256: sha256(before), writtenSha256: sha256(edit.text), backup };
      },
    });
  }

  // 5. The service.
  let pid: number | undefined;
  if (!o.start) plan.notes.push('not starting the service (--no-start)');
  else if (useSystemd) {
    const active = systemctlYes(['is-active', UNIT_NAME]);
    if (!unitChanges && active && systemctlYes(['is-enabled', UNIT_NAME])) {
      plan.kept.push(`${UNIT_NAME} is enabled and running`);
      manifest.service = { how: 'systemd', unit: unitPath };
    } else {
      // A running service keeps its old unit until restarted; enable --now alone would not apply the new one.
      const restart = unitChanges && active;
      plan.steps.push({
        say: `start the service: systemctl daemon-reload; systemctl enable${restart ? '' : ' --now'} ${UNIT_NAME}${restart ? `; systemctl restart ${UNIT_NAME}` : ''}`,
        apply: () => {
          systemctl(['daemon-reload']);
          systemctl(restart ? ['enable', UNIT_NAME] : ['enable', '--now', UNIT_NAME]);
          if (restart) systemctl(['restart', UNIT_NAME]);
          manifest.service = { how: 'systemd', unit: unitPath };
        },
      });
    }
  } else {
    plan.notes.push(systemd
      ? `the unit goes to ${unitDir}, where systemd does not look, so the service is started detached instead`
      : 'systemd is not running here (no /run/systemd/system), so the service is started as a detached process instead');
    plan.notes.push('a detached service is NOT restarted if it fails, and NOT started at boot: start it again with this same install command');
    if (served) plan.kept.push(`a service already answers on ${config.socketPath}; not starting another`);
    else {
      const argv = serviceArgv(unitOpts);
      plan.steps.push({
        say: `start the service detached: ${argv.join(' ')} (output to ${files.serviceOut}, pid in ${files.pidFile})`,
        apply: () => {
          ensureDataDir(paths);
          pid = startDetached(argv, files.serviceOut, files.pidFile);
          manifest.service = { how: 'detached', pidFile: files.pidFile, log: files.serviceOut };
        },
      });
    }
  }

  manifest.pamFile = pamFile;
  await applyAndRecord(plan, manifest, previous, files.manifest, o);

  let code = 0;
  if (o.start) {
    const log = useSystemd ? 'journalctl -u pwbridge' : files.serviceOut;
    if (o.dryRun) o.out(`would wait up to ${SOCKET_WAIT_MS / 1000} s for the service to answer on ${config.socketPath}`);
    else {
      const started = pid;
      const answered = await waitForSocket(config.socketPath, SOCKET_WAIT_MS, () => started === undefined || processAlive(started));
      if (answered) o.out(`the service answers on ${config.socketPath}`);
      else {
        o.out(`the service did NOT answer on ${config.socketPath}${started !== undefined && !processAlive(started) ? ' (it exited)' : ` within ${SOCKET_WAIT_MS / 1000} s`}; see ${log}`);
        code = 1;
      }
    }
  }
  const filter = probePamStack({ pamDir, moduleDirs: [securityDir] });
  o.out(`filter${o.dryRun ? ' now' : ''}: ${filter.state} (${filter.reason})`);
  return code;
}
