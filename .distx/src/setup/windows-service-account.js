"use strict";
// Which account the pwbridge service runs as, decided (and every refusal raised) before install changes
// anything:
// - create (the default): a new local account, `serviceAccount` from config.json (`pwbridge`), with a
//   random password; uninstall deletes it;
// - existing (`--service-account NAME`): a local administrator that is already there, as the vendor
//   guide allows, with its password given on stdin (checked with LogonUserW); install grants it only
//   what running a service needs, and uninstall takes back only that: the account, its group membership
//   and its other rights stay as they were;
// - wine: under Wine (wine.ts), the Wine user every process runs as, whose password is unknown: nothing
//   created or deleted, and no credential stored.
// For the last two, config.json's `serviceAccount` is set to the account, so the service never reconciles it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.chooseServiceAccount = chooseServiceAccount;
const config_error_1 = require("../config/config-error");
const sid_1 = require("../platform/windows/sid");
const utf16_1 = require("../platform/windows/utf16");
const same = (a, b) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
/** The account name without its `DOMAIN\`. */
const bare = (name) => name.slice(name.lastIndexOf('\\') + 1);
async function chooseServiceAccount(i) {
    const { sys, win } = i;
    const wine = sys.self.wineVersion();
    if (wine !== undefined)
        return wineUser(i, wine);
    if (i.requested !== undefined) {
        if (i.configuredInFile !== undefined && !same(i.configuredInFile, i.requested)) {
            throw new config_error_1.ConfigError('--service-account', `names ${i.requested}, and config.json's serviceAccount names ${i.configuredInFile}`, `Pass --service-account ${i.configuredInFile}, or remove serviceAccount from config.json`);
        }
        return existingAccount(i, i.requested);
    }
    if (win.existingAccount) {
        if (!same(win.existingAccount.name, i.configured)) {
            throw new config_error_1.ConfigError('serviceAccount', `install set up the existing account "${win.existingAccount.name}", and config.json now names "${i.configured}"`, 'Run pwbridge uninstall first, or set "serviceAccount" back');
        }
        return existingAccount(i, win.existingAccount.name);
    }
    return newAccount(i);
}
function newAccount(i) {
    const { sys, win } = i;
    const name = i.configured;
    const existing = sys.users.get(name);
    const ours = win.account !== undefined && same(win.account.name, name);
    if (existing && !ours) {
        throw new config_error_1.ConfigError('serviceAccount', `a local account named "${name}" already exists and pwbridge install did not create it`, `To run the service as it (it must be a local administrator), pass --service-account ${name} with its password on stdin; `
            + 'or set "serviceAccount" in config.json to a name no local account has (install creates it), or remove that account');
    }
    if (win.account && !ours) {
        throw new config_error_1.ConfigError('serviceAccount', `install created the account "${win.account.name}", and config.json now names "${name}"`, 'Run pwbridge uninstall first, or set "serviceAccount" back');
    }
    if (ours && !existing) {
        throw new config_error_1.ConfigError(name, 'was created by pwbridge install and no longer exists', 'Run pwbridge uninstall, then install again');
    }
    return { kind: 'create', name, sid: existing ? sys.lookup.sidOf(name) : undefined, kept: ours, writeConfig: false };
}
async function existingAccount(i, name) {
    const { sys, win } = i;
    if (win.account) {
        if (same(win.account.name, name))
            return newAccount({ ...i, configured: win.account.name });
        throw new config_error_1.ConfigError('--service-account', `install created the account "${win.account.name}" earlier; it cannot switch to ${name} in place`, 'Run pwbridge uninstall first (it deletes the account it created), then install with --service-account');
    }
    if (win.existingAccount && !same(win.existingAccount.name, name)) {
        throw new config_error_1.ConfigError('--service-account', `install set up ${win.existingAccount.name} earlier; it cannot switch to ${name} in place`, 'Run pwbridge uninstall first, then install with --service-account');
    }
    const kept = win.existingAccount !== undefined;
    if (!sys.users.get(name)) {
        throw new config_error_1.ConfigError('--service-account', `there is no local account named "${name}"`, 'Name an existing local administrator, or leave --service-account out to have install create the account "pwbridge"');
    }
    const sid = sys.lookup.sidOf(name);
    if (!sid)
        throw new config_error_1.ConfigError('--service-account', `"${name}" exists, but LookupAccountNameW finds no SID for it`, 'Name a local account of this machine');
    requireAdministrator(i.sys, name);
    let password;
    if (!kept && !i.dryRun)
        password = await checkedPassword(i, name);
    return { kind: 'existing', name, sid, kept, password, writeConfig: !same(i.configuredInFile, name) };
}
/** The vendor guide: the service account is a local administrator (it reads and sets local passwords). */
function requireAdministrator(sys, name) {
    const admins = sys.lookup.administratorsGroup();
    const groups = sys.users.localGroups(name) ?? [];
    if (!groups.some((g) => same(g, admins))) {
        throw new config_error_1.ConfigError('--service-account', `${name} is not a member of ${admins} (its local groups: ${groups.length ? groups.join(', ') : 'none'}), `
            + 'and the service account must be a local administrator to read and set local passwords', `Add it (net localgroup "${admins}" "${name}" /add) and install again, or name another account`);
    }
}
async function checkedPassword(i, name) {
    const password = await i.readPassword(name);
    let wide;
    try {
        wide = (0, utf16_1.utf8ToWideZ)(password);
        if (!i.sys.users.passwordMatches(name, wide)) {
            throw new config_error_1.ConfigError('--service-account', `the password given is not ${name}'s (LogonUserW refused it); nothing was changed`, 'Give its current password on stdin, one line (or at the prompt)');
        }
        return password;
    }
    catch (e) {
        password.fill(0);
        if (e instanceof config_error_1.ConfigError)
            throw e;
        if (e instanceof utf16_1.WideStringError)
            throw new config_error_1.ConfigError('--service-account', `the password given cannot be ${name}'s (${e.message})`, 'Give its current password');
        throw new config_error_1.ConfigError('--service-account', `the password of ${name} could not be checked: ${e.message}`, 'Try again once the account can log on');
    }
    finally {
        wide?.fill(0);
    }
}
/** Under Wine: the one user every process runs as. */
function wineUser(i, wine) {
    const { sys, win } = i;
    const sidString = sys.self.userSid();
    const full = sys.lookup.nameOfSid(sidString);
    if (!full)
        throw new Error(`under Wine ${wine}, LookupAccountSidW does not name this process's user ${sidString}`);
    const name = bare(full);
    const why = `under Wine every process runs as the Wine user ${name}, and an account made there cannot be found by any other process`;
    for (const [what, other] of [['--service-account', i.requested], ['config.json\'s serviceAccount', i.configuredInFile]]) {
        if (other !== undefined && !same(other, name)) {
            throw new config_error_1.ConfigError(what, `names ${other}, but ${why}`, `Leave it out (or name ${name}): install takes ${name} as the service account there`);
        }
    }
    if (win.account) {
        throw new config_error_1.ConfigError('serviceAccount', `install created the account "${win.account.name}" earlier, and ${why}`, 'Run pwbridge uninstall first');
    }
    const sid = { sid: (0, sid_1.sidFromString)(sidString), sidString, domain: full.includes('\\') ? full.slice(0, full.indexOf('\\')) : '' };
    requireAdministrator(sys, name);
    return { kind: 'wine', name, sid, kept: win.existingAccount !== undefined && same(win.existingAccount.name, name), wine, writeConfig: !same(i.configuredInFile, name) };
}
//# sourceMappingURL=windows-service-account.js.map