// `pwbridge install` on Windows (an elevated prompt, or the MSI's deferred step as LocalSystem). The same
// pattern as on Linux: work out every change and every refusal first, then print and apply each step,
// recording it in <data dir>/install.json after each, so `pwbridge uninstall` reverts exactly what was done
// (also after a failure half way). A second install changes nothing that is already right.
//
//  1. the data dir and keys; its ACL restricted to SYSTEM and Administrators (the filter refuses key files
//     anyone else could write);
//  2. the filter DLL into System32 (unless --module already names it there: the MSI's own file);
//  3. the service account: a local account with a random password, in Administrators, allowed to log on as
//     a service and denied interactive and Remote Desktop logon; its password stored in the vault as the
//     credential MACHINE\account (the seed's steps 14–18);
//  4. HKLM\SOFTWARE\pwbridge: ServiceSid (and DataDir, PipeName when not the defaults, ExcludeAccounts),
//     which the filter reads;
//  5. the event source `pwbridge` in the Application log;
//  6. pwbridge_filter appended to Notification Packages (never a replace), and InstalledAt;
//  7. the Windows service (node.exe with the V8 flags, `run --windows-service`), started;
// then "reboot required": LSA loads the filter only at boot.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../cli/errors';
import { defaultSocketPath, defaultDataDir, loadConfig } from '../config/config';
import { ConfigError } from '../config/config-error';
import { dataPaths, ensureDataDir } from '../config/paths';
import { sha256 } from '../platform/linux/atomic-file';
import { SERVICE_NODE_FLAGS } from '../platform/linux/systemd-unit';
import { windowsCommandLine } from '../platform/windows/command-line';
import { msToFiletime } from '../platform/windows/filetime';
import { probeWindowsFilter } from '../platform/windows/filter-probe';
import { SERVICE_ACCOUNT_RIGHTS } from '../platform/windows/lsa-rights';
import { appendPackage, hasPackage } from '../platform/windows/notification-packages';
import { is64BitImage, readPeInfo } from '../platform/windows/pe-file';
import {
  EVENTLOG_SOURCE_KEY, FILTER_DLL, FILTER_PACKAGE, LSA_KEY, NOTIFICATION_PACKAGES, PWBRIDGE_KEY, RUN_AS_PPL, SERVICE_DESCRIPTION,
  SERVICE_DISPLAY_NAME, SERVICE_NAME, VALUE_DATA_DIR, VALUE_EXCLUDE, VALUE_INSTALLED_AT, VALUE_PIPE_NAME, VALUE_SERVICE_SID,
} from '../platform/windows/places';
import { randomPassword } from '../platform/windows/random-password';
import {
  REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ, decodeList, decodeNumber, encodeDword, encodeList, encodeQword, encodeString,
  type RegValue,
} from '../platform/windows/registry';
import { SERVICE_RUNNING } from '../platform/windows/service-control';
import { UF_DONT_EXPIRE_PASSWD, UF_NORMAL_ACCOUNT, UF_PASSWD_CANT_CHANGE, UF_SCRIPT } from '../platform/windows/structs';
import type { WindowsSystem } from '../platform/windows/system';
import { utf8ToWideZ } from '../platform/windows/utf16';
import type { VaultPort } from '../ports/vault.port';
import { ensureKeys, wipeKeys } from '../protocol/keys';
import { PRIVATE_FILE, PUBLIC_FILE, SECRET_FILE } from '../protocol/key-files';
import { openVaultAt } from '../service/open';
import { applyAndRecord, readManifest, serviceFiles, writeManifest, type InstallManifest, type RecordedValue, type WindowsManifest } from './manifest';
import { emptyPlan } from './plan';
import { MAIN_JS, REPO_ROOT } from './repo';

/** Where native/build-windows.sh leaves the filter (the MSI passes its own file with --module). */
export const DEFAULT_DLL_SOURCE = path.join(REPO_ROOT, 'native', 'build-win', FILTER_DLL);
/** The event messages, built next to the filter (the MSI passes its own file with --event-messages). */
export const MESSAGES_DLL = 'pwbridge_messages.dll';
export const SERVICE_WAIT_MS = 10_000;

export interface WindowsInstallOptions {
  dataDir: string;
  dryRun: boolean;
  start: boolean;
  /** --module: the filter DLL (default: native/build-win/pwbridge_filter.dll). */
  module?: string;
  /** --event-messages: the event source's message file (default: pwbridge_messages.dll next to the filter DLL
   * source; without one, .NET's EventLogMessages.dll when present). */
  eventMessages?: string;
  out: (line: string) => void;
  system: WindowsSystem;
  /** The service's node.exe and main.js (defaults: this process's, this checkout's). */
  nodePath?: string;
  mainJs?: string;
}

export const recorded = (v: RegValue): RecordedValue => ({ type: v.type, data: v.data.toString('base64') });
export const sameValue = (a: RegValue | undefined, b: RecordedValue | undefined): boolean =>
  a === undefined ? b === undefined : b !== undefined && a.type === b.type && a.data.toString('base64') === b.data;

const samePath = (a: string, b: string) => path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase();

/** The service's command line: node.exe, the V8 flags bin/pwbridge uses, main.js, run as a service. */
export function serviceCommandLine(nodePath: string, mainJs: string, dataDir: string): string {
  return windowsCommandLine([nodePath, ...SERVICE_NODE_FLAGS, mainJs, 'run', '--data-dir', dataDir, '--windows-service']);
}

/**
 * The event source's EventMessageFile: Event Viewer loads it to show each event ID's text (the message
 * table of native/lsa, generated from event-ids.ts). --event-messages must be a DLL that exists; without
 * it, pwbridge_messages.dll next to the filter DLL we install from; without that (not built), .NET's
 * generic EventLogMessages.dll, which shows only each event's own text, and a note says so.
 */
function eventMessageFile(o: WindowsInstallOptions, filterSource: string, notes: string[]): string | undefined {
  if (o.eventMessages !== undefined) {
    const file = path.resolve(o.eventMessages);
    const bytes = o.system.files.read(file);
    if (!bytes) throw new UsageError(`--event-messages: ${file} does not exist`);
    try {
      readPeInfo(bytes);
    } catch (e) {
      throw new UsageError(`--event-messages: ${file} is ${(e as Error).message}`);
    }
    return file;
  }
  const beside = path.join(path.dirname(filterSource), MESSAGES_DLL);
  if (o.system.files.read(beside)) return beside;
  const generic = o.system.eventMessageFile();
  notes.push(`${beside} was not built, so the event source uses ${generic ?? 'no message file'}: Event Viewer shows each event's `
    + 'own text but not its ID\'s (build native/lsa, or pass --event-messages)');
  return generic;
}

export async function runWindowsInstall(o: WindowsInstallOptions): Promise<number> {
  const sys = o.system;
  const config = loadConfig(o.dataDir);
  const dataDir = config.dataDir;
  const paths = dataPaths(dataDir);
  const files = serviceFiles(dataDir);
  const previous = readManifest(dataDir);
  const manifest: InstallManifest = previous ? structuredClone(previous) : { version: 1, dataDir };
  const win: WindowsManifest = (manifest.windows ??= {});
  const plan = emptyPlan();

  // ---- Everything that can refuse, before anything changes. ----
  const source = path.resolve(o.module ?? DEFAULT_DLL_SOURCE);
  const dll = sys.files.read(source);
  if (!dll) {
    throw new UsageError(o.module ? `--module: ${source} does not exist` : `the filter DLL was not built: ${source} does not exist. `
      + 'Build it with native/build-windows.sh (mingw-w64) or CMake on Windows, or pass --module PATH');
  }
  let pe;
  try {
    pe = readPeInfo(dll);
  } catch (e) {
    throw new UsageError(`--module: ${source} is ${(e as Error).message}`);
  }
  if (!is64BitImage(pe)) throw new UsageError(`--module: ${source} is not a 64-bit DLL; lsass.exe is 64-bit and cannot load it`);
  const dllDest = path.join(sys.files.system32, FILTER_DLL);
  const packageOwned = samePath(source, dllDest);
  const ppl = sys.registry.get(LSA_KEY, RUN_AS_PPL);
  const pplOn = ppl !== undefined && ppl.type === REG_DWORD && decodeNumber(ppl) !== 0;
  if (pplOn && !pe.signed) {
    plan.notes.push('LSA protection (RunAsPPL) is on and the filter DLL is unsigned: lsass.exe will not load it, and `pwbridge status` will say faulted. '
      + 'Turn LSA protection off (see the README) for password changes to be captured; reconcile works either way');
  }

  const messageFile = eventMessageFile(o, source, plan.notes);

  const account = config.serviceAccount;
  const machine = sys.computerName();
  const username = `${config.machine}\\${account}`;
  const existing = sys.users.get(account);
  const ours = win.account !== undefined && win.account.name.toLowerCase() === account.toLowerCase();
  if (existing && !ours) {
    throw new ConfigError('serviceAccount', `a local account named "${account}" already exists and pwbridge install did not create it`,
      'Set "serviceAccount" in config.json to a name no local account has (install creates it), or remove that account');
  }
  if (win.account && !ours) {
    throw new ConfigError('serviceAccount', `install created the account "${win.account.name}", and config.json now names "${account}"`,
      'Run pwbridge uninstall first, or set "serviceAccount" back');
  }
  if (ours && !existing) {
    throw new ConfigError(account, 'was created by pwbridge install and no longer exists', 'Run pwbridge uninstall, then install again');
  }

  // The service account's password: made in step 3 (new account) or read from the vault (service re-created).
  let servicePassword: Buffer | undefined;
  const openVault = async (): Promise<VaultPort> => {
    const vault = await openVaultAt(dataDir);
    if (!(await vault.getClient(config.client))) {
      if (config.client !== 'local') {
        await vault.close();
        throw new ConfigError('client', `"${config.client}" does not exist in the vault`, `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync`);
      }
      await vault.addClient({ name: 'local', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
    }
    return vault;
  };

  try {
    // ---- 1. Data dir (its ACL first, so no key file ever exists with %ProgramData%'s looser one), keys. ----
    const keysExist = [SECRET_FILE, PRIVATE_FILE, PUBLIC_FILE].every((f) => sys.files.read(path.join(paths.keysDir, f)) !== undefined);
    if (win.dataDirSecured) plan.kept.push(`${dataDir} is SYSTEM and Administrators only`);
    else {
      if (keysExist) {
        plan.notes.push(`the keys in ${paths.keysDir} existed before install restricted ${dataDir}: if anyone else could read them, `
          + 'stop the service, move the keys folder away and install again (new keys; the filter picks them up at its next connection)');
      }
      plan.steps.push({
        say: `${fs.existsSync(dataDir) ? '' : `create the data dir ${dataDir} and `}restrict it to SYSTEM and Administrators (protected ACL, inherited by the keys, journal, vault and spool)`,
        apply: () => {
          fs.mkdirSync(dataDir, { recursive: true });
          sys.secureDir(dataDir);
          win.dataDirSecured = true;
        },
      });
    }
    if (keysExist) plan.kept.push(`the keys in ${paths.keysDir}`);
    else {
      plan.steps.push({
        say: `create what is missing of the keys: keys\\${SECRET_FILE}, keys\\${PRIVATE_FILE}, keys\\${PUBLIC_FILE}`,
        apply: () => {
          ensureDataDir(paths);
          wipeKeys(ensureKeys(paths.keysDir));
        },
      });
    }

    // ---- 2. The DLL. ----
    const dllSha = sha256(dll);
    let rebootNeeded = false;
    if (packageOwned) {
      plan.kept.push(`${dllDest} (the package's file: install registers it and leaves it to the package)`);
      win.dll = { path: dllDest, source, sha256: dllSha, owner: 'package' };
    } else {
      const current = sys.files.read(dllDest);
      if (current && sha256(current) === dllSha) {
        plan.kept.push(`${dllDest} is the same as ${source}`);
        win.dll = { path: dllDest, source, sha256: dllSha, owner: win.dll?.owner === 'install' ? 'install' : 'found' };
      } else {
        rebootNeeded = true;
        plan.steps.push({
          say: `${current ? 'replace' : 'copy'} the filter ${current ? `${dllDest} with ${source}` : `${source} to ${dllDest}`}`,
          apply: () => {
            const how = sys.files.replace(dllDest, dll);
            if (how !== 'written') plan.notes.push(`${dllDest}: ${how}`);
            win.dll = { path: dllDest, source, sha256: dllSha, owner: current && win.dll?.owner !== 'install' ? 'found' : 'install' };
          },
        });
      }
    }

    // ---- 3. The service account and its credential. ----
    let sid = existing ? sys.lookup.sidOf(account) : undefined;
    if (existing) plan.kept.push(`the service account ${machine}\\${account} (${sid?.sidString ?? 'SID unknown'})`);
    else {
      plan.steps.push({
        say: `create the local account ${account} (random 32-character password that never expires), add it to the Administrators group, `
          + `grant it ${SERVICE_ACCOUNT_RIGHTS.join(', ')}`,
        apply: () => {
          servicePassword = randomPassword(32);
          const wide = utf8ToWideZ(servicePassword);
          try {
            sys.users.add(account, wide, 'pwbridge service (created by pwbridge install)', UF_SCRIPT | UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD | UF_PASSWD_CANT_CHANGE);
          } finally {
            wide.fill(0);
          }
          sid = sys.lookup.sidOf(account);
          if (!sid) throw new Error(`the account ${account} was created but LookupAccountNameW does not find it`);
          win.account = { name: account, sid: sid.sidString, rights: [] };
          writeManifest(manifest); // before anything else can fail: uninstall must know the account is ours
          const group = sys.lookup.administratorsGroup();
          sys.users.addToGroup(group, `${machine}\\${account}`);
          win.account.group = group;
          sys.rights.add(sid.sid, SERVICE_ACCOUNT_RIGHTS);
          win.account.rights = [...SERVICE_ACCOUNT_RIGHTS];
        },
      });
      plan.steps.push({
        say: `store its password in the vault as the credential ${username} (client "${config.client}", Report Mismatches, Windows Sync off: it is never reconciled)`,
        apply: async () => {
          if (!servicePassword) throw new Error('internal: no service account password');
          const vault = await openVault();
          try {
            const found = await vault.findCredential(config.client, username);
            if (found) await vault.updateCredential(config.client, username, { password: servicePassword });
            else await vault.addCredential({ client: config.client, username, password: servicePassword, windowsSync: false, mode: 'report' });
            win.credential = { client: config.client, username };
          } finally {
            await vault.close();
          }
        },
      });
    }

    // ---- 4. HKLM\SOFTWARE\pwbridge (read by the filter). ----
    const setValue = (key: string, name: string, value: () => RegValue, say: string, why: string) => {
      const current = sys.registry.get(key, name);
      const known = (() => { try { return value(); } catch { return undefined; } })();
      if (known && current && current.type === known.type && current.data.equals(known.data)) {
        plan.kept.push(`HKLM\\${key} ${name} (${say})`);
        return;
      }
      plan.steps.push({
        say: `set HKLM\\${key} ${name} = ${say}: ${why}`,
        apply: () => {
          const v = value();
          const before = sys.registry.get(key, name);
          const record = win.values?.find((r) => r.key === key && r.name === name);
          const created = sys.registry.set(key, name, v);
          if (created) (win.createdKeys ??= []).push(key);
          if (record) record.written = recorded(v);
          else (win.values ??= []).push({ key, name, before: before && recorded(before), written: recorded(v) });
        },
      });
    };
    setValue(PWBRIDGE_KEY, VALUE_SERVICE_SID, () => {
      if (!sid) throw new Error('internal: the service account has no SID');
      return { type: REG_SZ, data: encodeString(sid.sidString) };
    }, sid?.sidString ?? `the SID of ${account}`, 'the filter sends only to a pipe served by this account');
    if (!samePath(dataDir, defaultDataDir())) {
      setValue(PWBRIDGE_KEY, VALUE_DATA_DIR, () => ({ type: REG_SZ, data: encodeString(dataDir) }), dataDir, 'where the filter finds the keys and keeps its spool');
    }
    if (config.socketPath.toLowerCase() !== defaultSocketPath(dataDir).toLowerCase() && config.socketPath.toLowerCase() !== '\\\\.\\pipe\\pwbridge') {
      setValue(PWBRIDGE_KEY, VALUE_PIPE_NAME, () => ({ type: REG_SZ, data: encodeString(config.socketPath) }), config.socketPath, 'the pipe the filter connects to');
    }
    const exclude = [account, ...config.excludeAccounts];
    setValue(PWBRIDGE_KEY, VALUE_EXCLUDE, () => ({ type: REG_MULTI_SZ, data: encodeList(exclude) }), exclude.join(', '), 'accounts the filter never reports');

    // ---- 5. The event source. ----
    if (messageFile) {
      setValue(EVENTLOG_SOURCE_KEY, 'EventMessageFile', () => ({ type: REG_EXPAND_SZ, data: encodeString(messageFile) }), messageFile,
        'the Application log\'s source "pwbridge" (event IDs: README)');
    }
    setValue(EVENTLOG_SOURCE_KEY, 'TypesSupported', () => ({ type: REG_DWORD, data: encodeDword(7) }), '7 (error, warning, information)',
      'the Application log\'s source "pwbridge"');

    // ---- 6. Notification Packages, and when. ----
    const np = sys.registry.get(LSA_KEY, NOTIFICATION_PACKAGES);
    const list = np && np.type === REG_MULTI_SZ ? decodeList(np).values : [];
    if (np && np.type !== REG_MULTI_SZ) {
      throw new ConfigError(`HKLM\\${LSA_KEY} ${NOTIFICATION_PACKAGES}`, `is of type ${np.type}, not REG_MULTI_SZ`, 'Repair it (it is a list of names) before installing');
    }
    if (hasPackage(list)) plan.kept.push(`${FILTER_PACKAGE} is in Notification Packages (${list.join(', ')})`);
    else {
      rebootNeeded = true;
      const next = appendPackage(list).list;
      plan.steps.push({
        say: `append ${FILTER_PACKAGE} to HKLM\\${LSA_KEY} ${NOTIFICATION_PACKAGES}: ${list.length ? list.join(', ') : '(empty)'} → ${next.join(', ')}`,
        apply: () => {
          // Read again: apply what is there now, never a stale copy.
          const now = sys.registry.get(LSA_KEY, NOTIFICATION_PACKAGES);
          const nowList = now ? decodeList(now).values : [];
          const v = { type: REG_MULTI_SZ, data: encodeList(appendPackage(nowList).list) };
          sys.registry.set(LSA_KEY, NOTIFICATION_PACKAGES, v);
          (win.values ??= []).push({ key: LSA_KEY, name: NOTIFICATION_PACKAGES, before: now && recorded(now), written: recorded(v) });
        },
      });
    }
    if (rebootNeeded || !sys.registry.get(PWBRIDGE_KEY, VALUE_INSTALLED_AT)) {
      const at = sys.now();
      setValue(PWBRIDGE_KEY, VALUE_INSTALLED_AT, () => ({ type: REG_QWORD, data: encodeQword(msToFiletime(at)) }), new Date(at).toISOString(),
        'a boot before this is "reboot required"');
    }

    // ---- 7. The service. ----
    const binaryPath = serviceCommandLine(o.nodePath ?? process.execPath, o.mainJs ?? MAIN_JS, dataDir);
    const state = sys.services.state(SERVICE_NAME);
    if (state === undefined) {
      plan.steps.push({
        say: `create the service ${SERVICE_NAME} (automatic start, restarted on failure) running as .\\${account}: ${binaryPath}`,
        apply: async () => {
          let pw = servicePassword;
          if (!pw) {
            const vault = await openVault();
            try {
              const cred = await vault.findCredential(config.client, username);
              if (!cred) throw new ConfigError(username, 'is not in the vault, so the service cannot be given its password', 'Run pwbridge uninstall, then install again (it makes a new account)');
              pw = await vault.readPassword(cred.id);
            } finally {
              await vault.close();
            }
          }
          const wide = utf8ToWideZ(pw);
          try {
            sys.services.create({ name: SERVICE_NAME, display: SERVICE_DISPLAY_NAME, description: SERVICE_DESCRIPTION, binaryPath, account: `.\\${account}`, passwordWideZ: wide });
          } finally {
            wide.fill(0);
            if (pw !== servicePassword) pw.fill(0);
          }
          win.service = { name: SERVICE_NAME, binaryPath };
        },
      });
    } else if (win.service?.binaryPath === binaryPath) {
      plan.kept.push(`the service ${SERVICE_NAME} (${binaryPath})`);
    } else {
      plan.steps.push({
        say: `point the service ${SERVICE_NAME} at ${binaryPath}`,
        apply: () => {
          sys.services.reconfigure(SERVICE_NAME, binaryPath, SERVICE_DESCRIPTION);
          win.service = { name: SERVICE_NAME, binaryPath };
        },
      });
    }
    let started = false;
    if (!o.start) plan.notes.push('not starting the service (--no-start)');
    else if (state === SERVICE_RUNNING && win.service?.binaryPath === binaryPath) plan.kept.push(`the service ${SERVICE_NAME} is running`);
    else {
      plan.steps.push({
        say: `start the service ${SERVICE_NAME}`,
        apply: () => {
          sys.services.start(SERVICE_NAME);
          started = true;
        },
      });
    }

    await applyAndRecord(plan, manifest, previous, files.manifest, o);

    let code = 0;
    if (started) {
      if (await sys.waitForService(config.socketPath, SERVICE_WAIT_MS)) o.out(`the service answers on ${config.socketPath}`);
      else {
        o.out(`the service did NOT answer on ${config.socketPath} within ${SERVICE_WAIT_MS / 1000} s; see ${paths.logFile} and the Application event log (source pwbridge)`);
        code = 1;
      }
    }
    const filter = probeWindowsFilter({ registry: sys.registry, system32Dir: sys.files.system32, bootMs: () => sys.bootMs(), readFile: (p) => {
      const b = sys.files.read(p);
      if (!b) throw Object.assign(new Error(`${p} does not exist`), { code: 'ENOENT' });
      return b;
    } });
    o.out(`filter${o.dryRun ? ' now' : ''}: ${filter.state} (${filter.reason})`);
    for (const d of filter.details ?? []) o.out(`  ${d}`);
    if (!o.dryRun && filter.state === 'pending-reboot' && filter.reason.startsWith('reboot required')) {
      o.out('reboot required: LSA loads the filter at the next boot. Until then reconcile works, and local password changes are not captured. Reboot when it suits.');
    }
    return code;
  } finally {
    servicePassword?.fill(0);
  }
}
