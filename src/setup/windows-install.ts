// `pwbridge install` on Windows (an elevated prompt, or the MSI's deferred step as LocalSystem). The same
// pattern as on Linux: work out every change and every refusal first, then print and apply each step,
// recording it in <data dir>/install.json after each, so `pwbridge uninstall` reverts exactly what was done
// (also after a failure half way). A second install changes nothing that is already right.
//
//  1. the data dir, refused if it exists and lets anyone else in, else created (or re-secured) with a
//     protected ACL for SYSTEM, Administrators and the service account (windows-data-dir-steps.ts); the
//     whole tree is secured and read back after every step that creates files in it;
//  2. the service account (windows-service-account.ts): a new local account with a random password, in
//     Administrators, allowed to log on as a service and denied interactive and Remote Desktop logon; or an
//     existing local administrator (--service-account, password on stdin); or, under Wine, the Wine user;
//     and HKLM\SOFTWARE\pwbridge ServiceSid, which the filter checks the pipe's server against;
//  3. the keys, the vault key, and the account's password in the vault as the credential MACHINE\account
//     (the seed's steps 14–18; not under Wine, where the password is unknown);
//  4. the filter DLL into System32 (unless --module already names it there: the MSI's own file);
//  5. HKLM\SOFTWARE\pwbridge's other values (DataDir, PipeName when not the defaults, ExcludeAccounts);
//  6. the event source `pwbridge` in the Application log;
//  7. pwbridge_filter appended to Notification Packages (never a replace), and InstalledAt;
//  8. the Windows service (node.exe with the V8 flags, `run --windows-service`), started;
// then "reboot required": LSA loads the filter only at boot.

import * as path from 'node:path';
import { UsageError } from '../cli/errors';
import { defaultSocketPath, defaultDataDir, loadConfig } from '../config/config';
import { ConfigError } from '../config/config-error';
import { EMBEDDED_CLIENT } from '../domain/types';
import { dataPaths } from '../config/paths';
import { sha256 } from '../fs/atomic-file';
import { SERVICE_NODE_FLAGS } from '../platform/linux/systemd-unit';
import { windowsCommandLine } from '../platform/windows/command-line';
import { msToFiletime } from '../platform/windows/filetime';
import { probeWindowsFilter } from '../platform/windows/filter-probe';
import { appendPackage, hasPackage } from '../platform/windows/notification-packages';
import { is64BitImage, readPeInfo } from '../platform/windows/pe-file';
import {
  EVENTLOG_SOURCE_KEY, FILTER_DLL, FILTER_PACKAGE, LSA_KEY, NOTIFICATION_PACKAGES, PWBRIDGE_KEY, RUN_AS_PPL, SERVICE_DESCRIPTION,
  SERVICE_DISPLAY_NAME, SERVICE_NAME, VALUE_DATA_DIR, VALUE_EXCLUDE, VALUE_INSTALLED_AT, VALUE_PIPE_NAME, VALUE_SERVICE_SID,
} from '../platform/windows/places';
import type { AccountSid } from '../platform/windows/account-lookup';
import {
  REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ, decodeList, decodeNumber, decodeString, encodeDword, encodeList, encodeQword, encodeString,
  type RegValue,
} from '../platform/windows/registry';
import { SERVICE_RUNNING } from '../platform/windows/service-control';
import type { WindowsSystem } from '../platform/windows/system';
import { utf8ToWideZ } from '../platform/windows/utf16';
import type { VaultPort } from '../ports/vault.port';
import { openVaultAt } from '../service/open';
import { configField } from './config-field';
import { applyAndRecord, readManifest, serviceFiles, type InstallManifest, type RecordedValue, type WindowsManifest } from './manifest';
import { emptyPlan } from './plan';
import { MAIN_JS, REPO_ROOT } from './repo';
import { planAccountSteps, planCredentialStep } from './windows-account-steps';
import { checkDataDir, planDataDirStep, planKeySteps } from './windows-data-dir-steps';
import { chooseServiceAccount } from './windows-service-account';

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
  /** --service-account NAME: an existing local administrator to run the service as (default: create one). */
  serviceAccount?: string;
  /** Reads that account's password (stdin, or the terminal without echo); the caller of install wipes nothing: install does. */
  readPassword?: (account: string) => Promise<Buffer>;
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
  const dataDir = path.resolve(o.dataDir);
  // ---- Everything that can refuse, before anything changes. ----
  // The data dir first, before a byte of config.json or install.json is believed. Trusted besides SYSTEM and
  // Administrators: the account HKLM (admin-only) says the service runs as, and under Wine the one user there is.
  const wineUserSid = sys.self.wineVersion() !== undefined ? sys.self.userSid() : undefined;
  const registeredSid = (): string | undefined => {
    const v = sys.registry.get(PWBRIDGE_KEY, VALUE_SERVICE_SID);
    return v && v.type === REG_SZ ? decodeString(v) : undefined;
  };
  const serviceSids = (): string[] => [...new Set([registeredSid(), wineUserSid].filter((x): x is string => x !== undefined))];
  const readable = checkDataDir(sys, dataDir, serviceSids(), () => { try { return readManifest(dataDir)?.windows?.dataDirSecured === true; } catch { return false; } });
  const config = loadConfig(dataDir);
  const paths = dataPaths(dataDir);
  const files = serviceFiles(dataDir);
  const previous = readManifest(dataDir);
  const manifest: InstallManifest = previous ? structuredClone(previous) : { version: 1, dataDir };
  const win: WindowsManifest = (manifest.windows ??= {});
  const plan = emptyPlan();

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
      + 'Turn LSA protection off (see docs/windows.md, "LSA protection") for password changes to be captured; reconcile works either way');
  }

  const messageFile = eventMessageFile(o, source, plan.notes);

  const inFile = configField(dataDir, 'serviceAccount');
  const choice = await chooseServiceAccount({
    sys, configured: config.serviceAccount, configuredInFile: typeof inFile === 'string' ? inFile : undefined, requested: o.serviceAccount,
    win, dryRun: o.dryRun, readPassword: o.readPassword ?? (async () => { throw new UsageError('--service-account: no way to read the password here'); }),
  });
  const account = choice.name;
  const username = `${config.machine}\\${account}`;
  let sid = choice.sid;

  // The service account's password: made in step 3 (new account), given (--service-account), or read from the vault (service re-created).
  let servicePassword: Buffer | undefined = choice.password;
  const openVault = async (): Promise<VaultPort> => {
    const vault = await openVaultAt(dataDir);
    if (!(await vault.getClient(config.client))) {
      if (config.client !== EMBEDDED_CLIENT.name) {
        await vault.close();
        throw new ConfigError('client', `"${config.client}" does not exist in the vault`, `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync`);
      }
      await vault.addClient(EMBEDDED_CLIENT);
    }
    return vault;
  };
  // The ACL's entry for the service account once the registry names it (ServiceSid, set with the account):
  // a folder is trusted on a later run only for what HKLM says, never for what a file in it says.
  const filesCreated = () => sys.dataDir.secure(dataDir, registeredSid(), serviceSids());

  try {
    // ---- 1. Data dir (its ACL before anything is in it). ----
    const dirSteps = { sys, plan, win, dataDir, embeddedVault: !config.hub, filesCreated, serviceSid: registeredSid, readable };
    planDataDirStep(dirSteps);

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
    // ---- 2. The service account, and at once ServiceSid, which the data dir's ACL follows. ----
    const accountSteps = {
      sys, plan, manifest, win, dataDir, choice, username, client: config.client, openVault, filesCreated,
      setSid: (s: AccountSid) => { sid = s; },
      setPassword: (pw: Buffer) => { servicePassword = pw; },
      password: () => servicePassword,
    };
    planAccountSteps(accountSteps);

    setValue(PWBRIDGE_KEY, VALUE_SERVICE_SID, () => {
      if (!sid) throw new Error('internal: the service account has no SID');
      return { type: REG_SZ, data: encodeString(sid.sidString) };
    }, sid?.sidString ?? `the SID of ${account}`, 'the filter sends only to a pipe served by this account');
    // ---- 3. The keys, the vault key, the service account's credential. ----
    planKeySteps(dirSteps);
    planCredentialStep(accountSteps);

    // ---- 4. The DLL. ----
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

    // ---- 5. The rest of HKLM\SOFTWARE\pwbridge (read by the filter). ----
    if (!samePath(dataDir, defaultDataDir())) {
      setValue(PWBRIDGE_KEY, VALUE_DATA_DIR, () => ({ type: REG_SZ, data: encodeString(dataDir) }), dataDir, 'where the filter finds the keys and keeps its spool');
    }
    if (config.socketPath.toLowerCase() !== defaultSocketPath(dataDir).toLowerCase() && config.socketPath.toLowerCase() !== '\\\\.\\pipe\\pwbridge') {
      setValue(PWBRIDGE_KEY, VALUE_PIPE_NAME, () => ({ type: REG_SZ, data: encodeString(config.socketPath) }), config.socketPath, 'the pipe the filter connects to');
    }
    const exclude = [account, ...config.excludeAccounts];
    setValue(PWBRIDGE_KEY, VALUE_EXCLUDE, () => ({ type: REG_MULTI_SZ, data: encodeList(exclude) }), exclude.join(', '), 'accounts the filter never reports');

    // ---- 6. The event source. ----
    if (messageFile) {
      setValue(EVENTLOG_SOURCE_KEY, 'EventMessageFile', () => ({ type: REG_EXPAND_SZ, data: encodeString(messageFile) }), messageFile,
        'the Application log\'s source "pwbridge" (event IDs: docs/events.md)');
    }
    setValue(EVENTLOG_SOURCE_KEY, 'TypesSupported', () => ({ type: REG_DWORD, data: encodeDword(7) }), '7 (error, warning, information)',
      'the Application log\'s source "pwbridge"');

    // ---- 7. Notification Packages, and when. ----
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

    // ---- 8. The service. ----
    const binaryPath = serviceCommandLine(o.nodePath ?? process.execPath, o.mainJs ?? MAIN_JS, dataDir);
    const state = sys.services.state(SERVICE_NAME);
    if (state === undefined) {
      plan.steps.push({
        say: `create the service ${SERVICE_NAME} (automatic start, restarted on failure) running as .\\${account}: ${binaryPath}`,
        apply: async () => {
          let pw = servicePassword;
          if (!pw && choice.kind !== 'wine') {
            const vault = await openVault();
            try {
              const cred = await vault.findCredential(config.client, username);
              if (!cred) throw new ConfigError(username, 'is not in the vault, so the service cannot be given its password', 'Run pwbridge uninstall, then install again (it makes a new account)');
              pw = await vault.readPassword(cred.id);
            } finally {
              await vault.close();
            }
          }
          // Under Wine the account's password is unknown and not needed: its service manager runs every service as the Wine user.
          const wide = pw ? utf8ToWideZ(pw) : null;
          try {
            sys.services.create({ name: SERVICE_NAME, display: SERVICE_DISPLAY_NAME, description: SERVICE_DESCRIPTION, binaryPath, account: `.\\${account}`, passwordWideZ: wide });
          } finally {
            wide?.fill(0);
            if (pw && pw !== servicePassword) pw.fill(0);
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
          // Read the tree back before the service makes its own files in it: those take the folder's ACL on
          // Windows, their Unix mode under Wine, and are the service's to keep from then on.
          filesCreated();
          sys.services.start(SERVICE_NAME);
          started = true;
        },
      });
    }

    await applyAndRecord(plan, manifest, previous, files.manifest, o);
    // install.json was written after the last step: secured and read back too (the whole tree once more,
    // unless this run started the service, which is making its own files in it by now).
    if (!o.dryRun && plan.steps.length) {
      if (started) sys.dataDir.secureFile(files.manifest, registeredSid(), serviceSids());
      else filesCreated();
    }

    let code = 0;
    if (started) {
      if (await sys.waitForService(SERVICE_NAME, SERVICE_WAIT_MS)) o.out(`the service runs and serves ${config.socketPath}`);
      else {
        o.out(`the service did NOT reach "running" within ${SERVICE_WAIT_MS / 1000} s; see ${paths.logFile} and the Application event log (source pwbridge)`);
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
