"use strict";
// The install steps for the service account, once windows-service-account.ts has chosen it: create one
// (random password, Administrators, the service rights), or take the existing one (only the rights it
// lacks to run a service), record it, point config.json's serviceAccount at it, and store its credential
// MACHINE\account in the vault (not under Wine, where its password is unknown).
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.planAccountSteps = planAccountSteps;
exports.planCredentialStep = planCredentialStep;
const fs = __importStar(require("node:fs"));
const config_1 = require("../config/config");
const lsa_rights_1 = require("../platform/windows/lsa-rights");
const random_password_1 = require("../platform/windows/random-password");
const structs_1 = require("../platform/windows/structs");
const utf16_1 = require("../platform/windows/utf16");
const config_field_1 = require("./config-field");
const manifest_1 = require("./manifest");
function planAccountSteps(c) {
    const { sys, plan, choice } = c;
    const machine = sys.computerName();
    const who = `${machine}\\${choice.name}${choice.sid ? ` (${choice.sid.sidString})` : ''}`;
    if (choice.wine) {
        plan.notes.push(`this is Wine ${choice.wine}: the service runs as the Wine user ${who}, the one account every process has here; `
            + 'no account is created or deleted, and no credential is stored (its password is unknown)');
    }
    if (choice.kept)
        plan.kept.push(`the service account ${who}`);
    else if (choice.kind === 'create')
        planNewAccount(c);
    else
        planExistingAccount(c, who);
    if (choice.writeConfig)
        planConfigField(c);
}
/** The credential MACHINE\account with its password, for an account this run knows the password of (not under Wine). */
function planCredentialStep(c) {
    if (c.choice.kind !== 'wine' && !c.choice.kept)
        planCredential(c);
}
function planNewAccount(c) {
    const { sys, plan, choice, win, manifest } = c;
    plan.steps.push({
        say: `create the local account ${choice.name} (random 32-character password that never expires), add it to the Administrators group, `
            + `grant it ${lsa_rights_1.SERVICE_ACCOUNT_RIGHTS.join(', ')}`,
        apply: () => {
            const password = (0, random_password_1.randomPassword)(32);
            c.setPassword(password);
            const wide = (0, utf16_1.utf8ToWideZ)(password);
            try {
                sys.users.add(choice.name, wide, 'pwbridge service (created by pwbridge install)', structs_1.UF_SCRIPT | structs_1.UF_NORMAL_ACCOUNT | structs_1.UF_DONT_EXPIRE_PASSWD | structs_1.UF_PASSWD_CANT_CHANGE);
            }
            finally {
                wide.fill(0);
            }
            const sid = sys.lookup.sidOf(choice.name);
            if (!sid)
                throw new Error(`the account ${choice.name} was created but LookupAccountNameW does not find it`);
            c.setSid(sid);
            win.account = { name: choice.name, sid: sid.sidString, rights: [] };
            (0, manifest_1.writeManifest)(manifest); // before anything else can fail: uninstall must know the account is ours
            const group = sys.lookup.administratorsGroup();
            sys.users.addToGroup(group, `${sys.computerName()}\\${choice.name}`);
            win.account.group = group;
            sys.rights.add(sid.sid, lsa_rights_1.SERVICE_ACCOUNT_RIGHTS);
            win.account.rights = [...lsa_rights_1.SERVICE_ACCOUNT_RIGHTS];
        },
    });
}
function planExistingAccount(c, who) {
    const { sys, plan, choice, win } = c;
    const sid = choice.sid;
    const has = sys.rights.list(sid.sid);
    const missing = lsa_rights_1.EXISTING_ACCOUNT_RIGHTS.filter((r) => !has.includes(r));
    const how = choice.kind === 'wine' ? '' : ', its password checked with LogonUserW';
    plan.steps.push({
        say: `run the service as the existing local administrator ${who}${how}; `
            + `${missing.length ? `grant it ${missing.join(', ')}` : `it already has ${lsa_rights_1.EXISTING_ACCOUNT_RIGHTS.join(', ')}`} `
            + '(uninstall takes back only what install granted, and never deletes the account)',
        apply: () => {
            win.existingAccount = { name: choice.name, sid: sid.sidString, rightsGranted: [], ...(choice.wine ? { wine: choice.wine } : {}) };
            if (missing.length) {
                sys.rights.add(sid.sid, missing);
                win.existingAccount.rightsGranted = [...missing];
            }
        },
    });
    if (choice.kind === 'existing' && !choice.password)
        plan.notes.push(`install reads ${choice.name}'s password from stdin (or asks for it) and checks it with LogonUserW`);
}
function planConfigField(c) {
    const { plan, choice, win, dataDir } = c;
    const before = (0, config_field_1.configField)(dataDir, 'serviceAccount');
    plan.steps.push({
        say: `set "serviceAccount": "${choice.name}" in ${(0, config_1.configPath)(dataDir)}, so the service never reconciles its own account`,
        apply: () => {
            const createdFile = !fs.existsSync((0, config_1.configPath)(dataDir));
            (0, config_field_1.setConfigField)(dataDir, 'serviceAccount', choice.name);
            win.configServiceAccount = { ...(typeof before === 'string' ? { before } : {}), written: choice.name, createdFile };
            c.filesCreated();
        },
    });
}
function planCredential(c) {
    const { plan, win } = c;
    plan.steps.push({
        say: `store its password in the vault as the credential ${c.username} (client "${c.client}", Report Mismatches, Windows Sync off: it is never reconciled)`,
        apply: async () => {
            const password = c.password();
            if (!password)
                throw new Error('internal: no service account password');
            const vault = await c.openVault();
            try {
                const found = await vault.findCredential(c.client, c.username);
                if (found)
                    await vault.updateCredential(c.client, c.username, { password });
                else
                    await vault.addCredential({ client: c.client, username: c.username, password, windowsSync: false, mode: 'report' });
                win.credential = { client: c.client, username: c.username };
            }
            finally {
                await vault.close();
            }
            c.filesCreated();
        },
    });
}
//# sourceMappingURL=windows-account-steps.js.map