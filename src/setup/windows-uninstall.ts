// `pwbridge uninstall` on Windows: revert what install.json says install did, newest first, each step
// looking at how things are now (so a run that failed half way can be run again):
//  1. stop and delete the service install created;
//  2. Notification Packages: if it is still exactly what install wrote, put back the exact bytes it had
//     before; otherwise take out only pwbridge_filter (someone changed the list since: their change stays);
//  3. the other registry values install set (HKLM\SOFTWARE\pwbridge, the event source): restored or
//     deleted when they still hold what install wrote, and the keys install created, once empty of values
//     the filter knows;
//  4. the service account: if install created it, its rights, its group membership and the account (its
//     credential stays in the vault, which is kept); if it was there before (--service-account, the Wine
//     user), only the rights install granted it: the account, its groups and its other rights stay;
//     config.json's serviceAccount as it was;
//  5. the DLL, if install copied it (the package's own file is the package's to remove); if lsass has it
//     loaded, it goes at the next reboot;
//  6. the service account's entries in the data dir's ACL, then install.json. The data dir (vault, keys,
//     journal) is kept, private to SYSTEM and Administrators.
// The filter stays loaded in lsass until the next reboot, doing nothing useful (the service is gone).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../cli/errors';
import { decodeList, encodeList, REG_MULTI_SZ, type RegValue } from '../platform/windows/registry';
import { FILTER_PACKAGE, LSA_KEY, NOTIFICATION_PACKAGES, PWBRIDGE_KEY, VALUE_DISABLED } from '../platform/windows/places';
import { removePackage } from '../platform/windows/notification-packages';
import { sidFromString } from '../platform/windows/sid';
import type { WindowsSystem } from '../platform/windows/system';
import { NERR_Success, NERR_UserNotFound, ERROR_MEMBER_NOT_IN_ALIAS, win32ErrorName } from '../platform/windows/win32-errors';
import { configPath } from '../config/config';
import { configField, setConfigField } from './config-field';
import { manifestPath, readManifest, type RegistryRecord, type WindowsManifest } from './manifest';
import { emptyPlan, runPlan, type Plan } from './plan';
import { sameValue } from './windows-install';

export interface WindowsUninstallOptions {
  dataDir: string;
  dryRun: boolean;
  out: (line: string) => void;
  system: WindowsSystem;
}

/** Values the filter reads under HKLM\SOFTWARE\pwbridge that an administrator may have set by hand. */
const ADMIN_VALUES = [VALUE_DISABLED, 'TimeoutMs', 'HeartbeatSeconds', 'SpoolMax'];

const fromRecord = (r: { type: number; data: string }): RegValue => ({ type: r.type, data: Buffer.from(r.data, 'base64') });

function planValue(sys: WindowsSystem, plan: Plan, r: RegistryRecord): void {
  const where = `HKLM\\${r.key} ${r.name}`;
  const now = sys.registry.get(r.key, r.name);
  if (sameValue(now, r.written)) {
    if (r.before) plan.steps.push({ say: `put back ${where} as it was before install`, apply: () => { sys.registry.set(r.key, r.name, fromRecord(r.before!)); } });
    else plan.steps.push({ say: `delete ${where}`, apply: () => { sys.registry.deleteValue(r.key, r.name); } });
    return;
  }
  if (r.key === LSA_KEY && r.name === NOTIFICATION_PACKAGES) {
    if (!now || now.type !== REG_MULTI_SZ) {
      plan.notes.push(`${where} is gone or no longer a list; nothing to take out of it`);
      return;
    }
    const list = decodeList(now).values;
    const next = removePackage(list);
    if (!next.changed) {
      plan.notes.push(`${where} no longer names ${FILTER_PACKAGE}; it is left as it is`);
      return;
    }
    plan.notes.push(`${where} has changed since install, so only ${FILTER_PACKAGE} is taken out of it`);
    plan.steps.push({
      say: `remove ${FILTER_PACKAGE} from ${where}: ${list.join(', ')} → ${next.list.length ? next.list.join(', ') : '(empty)'}`,
      apply: () => {
        const current = sys.registry.get(r.key, r.name);
        const l = current && current.type === REG_MULTI_SZ ? decodeList(current).values : [];
        sys.registry.set(r.key, r.name, { type: REG_MULTI_SZ, data: encodeList(removePackage(l).list) });
      },
    });
    return;
  }
  plan.notes.push(`${where} has changed since install; it is left as it is`);
}

/** config.json's serviceAccount back to what it was, if it still holds what install wrote. */
function planConfigField(dataDir: string, plan: Plan, r: NonNullable<WindowsManifest['configServiceAccount']>): void {
  const now = configField(dataDir, 'serviceAccount');
  if (now !== r.written) {
    plan.notes.push(`config.json's serviceAccount has changed since install (${JSON.stringify(now)}); it is left as it is`);
    return;
  }
  plan.steps.push({
    say: r.before === undefined ? `remove "serviceAccount" from ${configPath(dataDir)} (install added it)` : `set "serviceAccount" in ${configPath(dataDir)} back to "${r.before}"`,
    apply: () => setConfigField(dataDir, 'serviceAccount', r.before, r.createdFile),
  });
}

export async function runWindowsUninstall(o: WindowsUninstallOptions): Promise<number> {
  const sys = o.system;
  const dataDir = path.resolve(o.dataDir);
  const m = readManifest(dataDir);
  if (!m?.windows) {
    throw new UsageError(`uninstall: nothing installed here: ${manifestPath(dataDir)} ${m ? 'records no Windows install' : 'does not exist'} `
      + '(pwbridge install writes it; a finished uninstall removes it). Pass --data-dir if pwbridge was installed with another');
  }
  const win = m.windows;
  const plan = emptyPlan();

  // 1. The service.
  if (win.service) {
    const name = win.service.name;
    if (sys.services.state(name) === undefined) plan.notes.push(`the service ${name} is already gone`);
    else {
      plan.steps.push({
        say: `stop the service ${name} and wait for it to exit`,
        apply: async () => {
          const how = await sys.services.stop(name);
          if (how === 'timeout') plan.notes.push(`the service ${name} did not stop within 30 s; it is deleted once it exits`);
        },
      });
      plan.steps.push({ say: `delete the service ${name}`, apply: () => { sys.services.delete(name); } });
    }
  }

  // 2–3. Registry values, newest first (Notification Packages before the values the filter reads).
  for (const r of [...(win.values ?? [])].reverse()) planValue(sys, plan, r);
  for (const key of [...(win.createdKeys ?? [])].reverse()) {
    plan.steps.push({
      say: `delete the registry key HKLM\\${key} (install created it), unless it still holds values set by hand`,
      apply: () => {
        const kept = key === PWBRIDGE_KEY ? ADMIN_VALUES.filter((v) => sys.registry.get(key, v) !== undefined) : [];
        if (kept.length) plan.notes.push(`HKLM\\${key} is kept: it holds ${kept.join(', ')}, set by hand`);
        else if (sys.registry.exists(key)) sys.registry.deleteKey(key);
      },
    });
  }

  // 4. The service account.
  if (win.account) {
    const a = win.account;
    if (!sys.users.get(a.name)) plan.notes.push(`the account ${a.name} is already gone`);
    if (a.rights.length) {
      plan.steps.push({ say: `remove the user rights of ${a.name} (${a.rights.join(', ')})`, apply: () => { sys.rights.removeAll(sidFromString(a.sid)); } });
    }
    if (a.group) {
      const group = a.group;
      plan.steps.push({
        say: `remove ${a.name} from ${group}`,
        apply: () => {
          const rc = sys.users.removeFromGroup(group, `${sys.computerName()}\\${a.name}`);
          if (rc !== NERR_Success && rc !== ERROR_MEMBER_NOT_IN_ALIAS && rc !== NERR_UserNotFound && rc !== 1332) {
            throw new Error(`NetLocalGroupDelMembers failed: ${win32ErrorName(rc)}`);
          }
        },
      });
    }
    if (sys.users.get(a.name)) {
      plan.steps.push({
        say: `delete the local account ${a.name}${win.credential ? ` (its credential ${win.credential.username} stays in the vault)` : ''}`,
        apply: () => {
          const rc = sys.users.delete(a.name);
          if (rc !== NERR_Success && rc !== NERR_UserNotFound) throw new Error(`NetUserDel ${a.name} failed: ${win32ErrorName(rc)}`);
        },
      });
    }
  }

  if (win.existingAccount) {
    const a = win.existingAccount;
    if (a.rightsGranted.length) {
      plan.steps.push({
        say: `take back from ${a.name} the rights install granted it (${a.rightsGranted.join(', ')}); the account and its other rights and groups stay as they were`,
        apply: () => { sys.rights.remove(sidFromString(a.sid), a.rightsGranted); },
      });
    }
    plan.notes.push(`the account ${a.name} was there before install${a.wine ? ` (the Wine user, Wine ${a.wine})` : ''}: it is kept${win.credential ? `, and its credential ${win.credential.username} stays in the vault` : ''}`);
  }
  if (win.configServiceAccount) planConfigField(dataDir, plan, win.configServiceAccount);

  // 5. The DLL, after its registration is gone.
  if (win.dll?.owner === 'install') {
    const p = win.dll.path;
    if (sys.files.read(p)) {
      plan.steps.push({
        say: `remove ${p}`,
        apply: () => {
          if (sys.files.remove(p) === 'at-reboot') plan.notes.push(`${p} is loaded by lsass.exe: Windows removes it at the next reboot`);
        },
      });
    }
  } else if (win.dll) {
    plan.notes.push(`${win.dll.path} is left: ${win.dll.owner === 'package' ? 'the package installed it and removes it' : 'it was there before install'}`);
  }

  // 6. The data dir stays, private to SYSTEM and Administrators: the service account's entries go with it,
  // so a later install does not find a folder open to an account that is no longer the service's.
  const serviceSid = win.account?.sid ?? win.existingAccount?.sid;
  if (win.dataDirSecured && serviceSid && fs.existsSync(dataDir)) {
    plan.steps.push({
      say: `take the service account's entries out of the ACL of ${dataDir} and everything in it (SYSTEM and Administrators keep theirs)`,
      apply: () => {
        const wine = sys.self.wineVersion() !== undefined ? [sys.self.userSid()] : [];
        sys.dataDir.secure(dataDir, undefined, wine);
      },
    });
  }
  plan.steps.push({ say: `remove the install record ${manifestPath(dataDir)}`, apply: () => fs.rmSync(manifestPath(dataDir), { force: true }) });
  const notesBefore = plan.notes.length;
  await runPlan(plan, { dryRun: o.dryRun, out: o.out });
  for (const n of plan.notes.slice(notesBefore)) o.out(`note: ${n}`);
  o.out(`${o.dryRun ? 'would keep' : 'kept'} the data dir ${dataDir}: it holds the vault, the keys and the journal (remove it yourself once you no longer need them)`);
  if (win.values?.some((r) => r.key === LSA_KEY && r.name === NOTIFICATION_PACKAGES)) {
    o.out(`the filter stays loaded in lsass.exe until the next reboot (LSA reads Notification Packages only at boot)`);
  }
  return 0;
}
