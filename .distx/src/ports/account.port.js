"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PolicyRefusedError = exports.AccountPermissionError = void 0;
class AccountPermissionError extends Error {
    constructor(what) {
        super(`${what} needs root (run pwbridge as root, or use an account port that does not touch the system)`);
        this.name = 'AccountPermissionError';
    }
}
exports.AccountPermissionError = AccountPermissionError;
/**
 * The local password policy refuses the password (Windows: NetValidatePasswordPolicy or NetUserSetInfo's
 * own refusal; Linux: pam_pwquality/pam_cracklib through chpasswd). Retrying the same password cannot
 * help: reconcile flags the credential `policy-refused` and waits for a new vault password. `rule` says
 * which rule, never the password.
 */
class PolicyRefusedError extends Error {
    account;
    rule;
    constructor(account, rule) {
        super(`the local password policy refuses the password for ${account}: ${rule}`);
        this.account = account;
        this.rule = rule;
        this.name = 'PolicyRefusedError';
    }
}
exports.PolicyRefusedError = PolicyRefusedError;
//# sourceMappingURL=account.port.js.map