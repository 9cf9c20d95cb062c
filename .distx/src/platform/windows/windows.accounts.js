"use strict";
// AccountPort for Windows: netapi32 to list and set, LogonUserW to verify. Nothing is cached between
// calls but the last-set stabilizer (filetime.ts): SAM is the truth and it changes under us.
//
// How verification stays lockout-safe (three layers):
// 1. reconcile verifies a credential again only when its vault version or the account's fingerprint
//    changed; here the fingerprint is the RID and the (stabilized) time the password was last set, so a
//    password nobody changed is never tried twice;
// 2. before each LogonUserW, the lockout rule (lockout.ts) reads the threshold and the account's failed
//    logons and refuses to try when a failure would bring the account within LOCKOUT_RESERVE of locking;
// 3. an answer that is neither "right" nor "wrong" throws, so it is never remembered as a mismatch.
//
// Before a Change Password push the vault's password goes through NetValidatePasswordPolicy
// (NetValidatePasswordChange): a password the local policy refuses becomes PolicyRefusedError, which
// reconcile turns into the `policy-refused` flag instead of retrying every pass. NetUserSetInfo's own
// refusal (NERR_PasswordTooShort, whatever the rule) is mapped the same way, in case the pre-check was
// unavailable or another password filter refuses.
//
// Every UTF-16LE copy of a password made here is wiped before the call returns, on every path.
Object.defineProperty(exports, "__esModule", { value: true });
exports.WindowsAccounts = void 0;
const node_os_1 = require("node:os");
const account_port_1 = require("../../ports/account.port");
const filetime_1 = require("./filetime");
const lockout_1 = require("./lockout");
const logon_1 = require("./logon");
const netapi_1 = require("./netapi");
const structs_1 = require("./structs");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
class WindowsAccounts {
    o;
    machine;
    net;
    stabilizer;
    now;
    constructor(o) {
        this.o = o;
        this.machine = o.machine ?? (0, node_os_1.hostname)();
        this.net = new netapi_1.NetApi(o.win32);
        this.stabilizer = new filetime_1.LastSetStabilizer(o.lastSetStore);
        this.now = o.now ?? Date.now;
    }
    async listAccounts() {
        const now = this.now();
        const accounts = this.net.enumUsers().map((u) => this.toAccount(u, now));
        this.stabilizer.commit();
        return accounts;
    }
    async getAccount(name) {
        const u = this.net.getUser(name);
        if (!u)
            return undefined;
        const account = this.toAccount(u, this.now());
        this.stabilizer.commit();
        return account;
    }
    /** False for an unknown account and for a password Windows could not hold (NUL, invalid UTF-8). */
    async verifyPassword(name, password) {
        const user = this.net.getUser(name);
        if (!user)
            return false;
        const decision = (0, lockout_1.lockoutDecision)(this.net.lockoutPolicy(), { badPwCount: user.badPwCount, lockedOut: (user.flags & structs_1.UF_LOCKOUT) !== 0 });
        if (!decision.verify)
            throw new lockout_1.LockoutRiskError(name, decision.reason);
        let wide;
        try {
            wide = (0, utf16_1.utf8ToWideZ)(password);
        }
        catch (e) {
            if (e instanceof utf16_1.WideStringError)
                return false;
            throw e;
        }
        try {
            return (0, logon_1.logonMatches)(this.o.win32, user.name, wide);
        }
        finally {
            wide.fill(0);
        }
    }
    async setPassword(name, password) {
        const wide = (0, utf16_1.utf8ToWideZ)(password); // throws WideStringError (no password in it) before anything is called
        try {
            if (!this.net.getUser(name))
                throw new Error(`no local account named ${name} on ${this.machine}`);
            const refusal = this.policyRefusal(name, wide);
            if (refusal)
                throw new account_port_1.PolicyRefusedError(name, refusal);
            const status = this.net.setPassword(name, wide);
            if (status === win32_errors_1.NERR_Success)
                return;
            if (win32_errors_1.POLICY_REFUSALS.has(status))
                throw new account_port_1.PolicyRefusedError(name, `NetUserSetInfo: ${(0, win32_errors_1.win32ErrorName)(status)}`);
            if (status === win32_errors_1.NERR_UserNotFound)
                throw new Error(`no local account named ${name} on ${this.machine}`);
            throw new win32_errors_1.Win32Error('NetUserSetInfo', status, `level 1003, ${name}`);
        }
        finally {
            wide.fill(0);
        }
    }
    /**
     * The rule the local policy refuses this password by, or undefined when it accepts it. When the check
     * itself cannot run (NetValidatePasswordPolicy missing or failing), undefined: NetUserSetInfo still
     * applies the policy, and its refusal is mapped to PolicyRefusedError too.
     */
    policyRefusal(name, wide) {
        let status;
        try {
            status = this.net.validatePasswordChange(name, wide);
        }
        catch (e) {
            if (e instanceof win32_errors_1.Win32Error)
                return undefined;
            throw e;
        }
        // Only the statuses that name a policy rule; anything else is left to NetUserSetInfo to decide.
        return win32_errors_1.POLICY_REFUSALS.has(status) ? `NetValidatePasswordPolicy: ${(0, win32_errors_1.win32ErrorName)(status)}` : undefined;
    }
    toAccount(u, nowMs) {
        const lastSetSec = this.stabilizer.stabilize(u.rid, (0, filetime_1.lastSetFromAge)(nowMs, u.passwordAgeSec));
        return {
            name: u.name,
            id: u.rid,
            passwordLastSet: lastSetSec * 1000,
            // Not secret (`net user NAME` shows it), so not hashed: the RID and when the password was set.
            fingerprint: `rid ${u.rid} set ${lastSetSec}`,
            locked: (u.flags & (structs_1.UF_LOCKOUT | structs_1.UF_ACCOUNTDISABLE)) !== 0,
        };
    }
}
exports.WindowsAccounts = WindowsAccounts;
//# sourceMappingURL=windows.accounts.js.map