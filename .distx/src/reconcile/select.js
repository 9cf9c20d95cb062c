"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.selectTargets = selectTargets;
const exclusions_1 = require("../pipeline/exclusions");
/**
 * Which of the client's credentials describe an account on this machine. Pure and in one pass, so
 * 10 000 credentials cost a few milliseconds.
 * `MACHINE\user` applies when MACHINE is this machine; bare `user` applies only when there is no
 * `THISMACHINE\user` for the same user (the machine-specific one wins, case-insensitive, whether or not
 * its own sync is on). A credential whose sync is off, or whose account does not exist here, is skipped.
 * So is one for an excluded account (machine accounts, krbtgt*, the service account, the configured
 * list): the same rule as for captures, and Change Password on those would break the machine, Kerberos
 * or pwbridge's own logon.
 */
function selectTargets(credentials, accounts, machine, exclusions) {
    const prefix = `${machine.toLowerCase()}\\`;
    const byName = new Map();
    for (const a of accounts)
        byName.set(a.name.toLowerCase(), a);
    const machineSpecific = new Set();
    for (const c of credentials) {
        const u = c.username.toLowerCase();
        if (u.startsWith(prefix))
            machineSpecific.add(u.slice(prefix.length));
    }
    const targets = [];
    const skipped = [];
    for (const c of credentials) {
        const u = c.username.toLowerCase();
        const slash = u.indexOf('\\');
        let user;
        if (slash === -1) {
            user = u;
            if (machineSpecific.has(user)) {
                skipped.push({ credential: c.id, username: c.username, action: 'shadowed' });
                continue;
            }
        }
        else if (u.startsWith(prefix)) {
            user = u.slice(prefix.length);
        }
        else {
            continue; // another machine's credential: not ours to report on
        }
        if (exclusions && (0, exclusions_1.exclusionReason)(user, exclusions)) {
            skipped.push({ credential: c.id, username: c.username, action: 'excluded' });
            continue;
        }
        if (!c.windowsSync) {
            skipped.push({ credential: c.id, username: c.username, action: 'sync-off' });
            continue;
        }
        const account = byName.get(user);
        if (!account) {
            skipped.push({ credential: c.id, username: c.username, action: 'no-local-account' });
            continue;
        }
        targets.push({ credential: c, account });
    }
    return { targets, skipped };
}
//# sourceMappingURL=select.js.map