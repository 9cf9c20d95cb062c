// The install steps for the service account, once windows-service-account.ts has chosen it: create one
// (random password, Administrators, the service rights), or take the existing one (only the rights it
// lacks to run a service), record it, point config.json's serviceAccount at it, and store its credential
// MACHINE\account in the vault (not under Wine, where its password is unknown).

import * as fs from 'node:fs';
import { configPath } from '../config/config';
import type { AccountSid } from '../platform/windows/account-lookup';
import { EXISTING_ACCOUNT_RIGHTS, SERVICE_ACCOUNT_RIGHTS } from '../platform/windows/lsa-rights';
import { randomPassword } from '../platform/windows/random-password';
import { UF_DONT_EXPIRE_PASSWD, UF_NORMAL_ACCOUNT, UF_PASSWD_CANT_CHANGE, UF_SCRIPT } from '../platform/windows/structs';
import type { WindowsSystem } from '../platform/windows/system';
import { utf8ToWideZ } from '../platform/windows/utf16';
import type { VaultPort } from '../ports/vault.port';
import { configField, setConfigField } from './config-field';
import { writeManifest, type InstallManifest, type WindowsManifest } from './manifest';
import type { Plan } from './plan';
import type { ServiceAccountChoice } from './windows-service-account';

export interface AccountStepsContext {
  sys: WindowsSystem;
  plan: Plan;
  manifest: InstallManifest;
  win: WindowsManifest;
  dataDir: string;
  choice: ServiceAccountChoice;
  /** MACHINE\account, the credential's username. */
  username: string;
  client: string;
  openVault(): Promise<VaultPort>;
  /** Run after each step that creates files in the data dir (secure and verify it). */
  filesCreated(): void;
  /** The account's SID once known (set by the create step). */
  setSid(sid: AccountSid): void;
  /** The password the service is created with, when this run knows it (the caller wipes it). */
  setPassword(pw: Buffer): void;
  password(): Buffer | undefined;
}

export function planAccountSteps(c: AccountStepsContext): void {
  const { sys, plan, choice } = c;
  const machine = sys.computerName();
  const who = `${machine}\\${choice.name}${choice.sid ? ` (${choice.sid.sidString})` : ''}`;
  if (choice.wine) {
    plan.notes.push(`this is Wine ${choice.wine}: the service runs as the Wine user ${who}, the one account every process has here; `
      + 'no account is created or deleted, and no credential is stored (its password is unknown)');
  }
  if (choice.kept) plan.kept.push(`the service account ${who}`);
  else if (choice.kind === 'create') planNewAccount(c);
  else planExistingAccount(c, who);
  if (choice.writeConfig) planConfigField(c);
}

/** The credential MACHINE\account with its password, for an account this run knows the password of (not under Wine). */
export function planCredentialStep(c: AccountStepsContext): void {
  if (c.choice.kind !== 'wine' && !c.choice.kept) planCredential(c);
}

function planNewAccount(c: AccountStepsContext): void {
  const { sys, plan, choice, win, manifest } = c;
  plan.steps.push({
    say: `create the local account ${choice.name} (random 32-character password that never expires), add it to the Administrators group, `
      + `grant it ${SERVICE_ACCOUNT_RIGHTS.join(', ')}`,
    apply: () => {
      const password = randomPassword(32);
      c.setPassword(password);
      const wide = utf8ToWideZ(password);
      try {
        sys.users.add(choice.name, wide, 'pwbridge service (created by pwbridge install)', UF_SCRIPT | UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD | UF_PASSWD_CANT_CHANGE);
      } finally {
        wide.fill(0);
      }
      const sid = sys.lookup.sidOf(choice.name);
      if (!sid) throw new Error(`the account ${choice.name} was created but LookupAccountNameW does not find it`);
      c.setSid(sid);
      win.account = { name: choice.name, sid: sid.sidString, rights: [] };
      writeManifest(manifest); // before anything else can fail: uninstall must know the account is ours
      const group = sys.lookup.administratorsGroup();
      sys.users.addToGroup(group, `${sys.computerName()}\\${choice.name}`);
      win.account.group = group;
      sys.rights.add(sid.sid, SERVICE_ACCOUNT_RIGHTS);
      win.account.rights = [...SERVICE_ACCOUNT_RIGHTS];
    },
  });
}

function planExistingAccount(c: AccountStepsContext, who: string): void {
  const { sys, plan, choice, win } = c;
  const sid = choice.sid!;
  const has = sys.rights.list(sid.sid);
  const missing = EXISTING_ACCOUNT_RIGHTS.filter((r) => !has.includes(r));
  const how = choice.kind === 'wine' ? '' : ', its password checked with LogonUserW';
  plan.steps.push({
    say: `run the service as the existing local administrator ${who}${how}; `
      + `${missing.length ? `grant it ${missing.join(', ')}` : `it already has ${EXISTING_ACCOUNT_RIGHTS.join(', ')}`} `
      + '(uninstall takes back only what install granted, and never deletes the account)',
    apply: () => {
      win.existingAccount = { name: choice.name, sid: sid.sidString, rightsGranted: [], ...(choice.wine ? { wine: choice.wine } : {}) };
      if (missing.length) {
        sys.rights.add(sid.sid, missing);
        win.existingAccount.rightsGranted = [...missing];
      }
    },
  });
  if (choice.kind === 'existing' && !choice.password) plan.notes.push(`install reads ${choice.name}'s password from stdin (or asks for it) and checks it with LogonUserW`);
}

function planConfigField(c: AccountStepsContext): void {
  const { plan, choice, win, dataDir } = c;
  const before = configField(dataDir, 'serviceAccount');
  plan.steps.push({
    say: `set "serviceAccount": "${choice.name}" in ${configPath(dataDir)}, so the service never reconciles its own account`,
    apply: () => {
      const createdFile = !fs.existsSync(configPath(dataDir));
      setConfigField(dataDir, 'serviceAccount', choice.name);
      win.configServiceAccount = { ...(typeof before === 'string' ? { before } : {}), written: choice.name, createdFile };
      c.filesCreated();
    },
  });
}

function planCredential(c: AccountStepsContext): void {
  const { plan, win } = c;
  plan.steps.push({
    say: `store its password in the vault as the credential ${c.username} (client "${c.client}", Report Mismatches, Windows Sync off: it is never reconciled)`,
    apply: async () => {
      const password = c.password();
      if (!password) throw new Error('internal: no service account password');
      const vault = await c.openVault();
      try {
        const found = await vault.findCredential(c.client, c.username);
        if (found) await vault.updateCredential(c.client, c.username, { password });
        else await vault.addCredential({ client: c.client, username: c.username, password, windowsSync: false, mode: 'report' });
        win.credential = { client: c.client, username: c.username };
      } finally {
        await vault.close();
      }
      c.filesCreated();
    },
  });
}
