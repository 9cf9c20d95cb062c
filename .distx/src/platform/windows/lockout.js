"use strict";
// The lockout rule: pwbridge verifies a password by logging on (LogonUserW), and a wrong password is a
// failed logon that counts towards the account's lockout threshold. So before each verification it reads
// the threshold (NetUserModalsGet level 3) and the account's current count of failed logons
// (usri3_bad_pw_count), and verifies only when, even if this attempt fails, the owner still has at least
// LOCKOUT_RESERVE attempts left before the account locks:
//
//     threshold = 0                                   → verify (accounts never lock)
//     account locked out now                          → do not verify (the answer would be "locked")
//     threshold − (bad_pw_count + 1) ≥ LOCKOUT_RESERVE → verify
//     otherwise                                       → do not verify now; try again on a later pass
//
// With a threshold of 1 or 2 pwbridge never verifies by logon. Together with reconcile's memo (a
// credential is verified again only when the vault version or the local last-set time changed), this
// means pwbridge adds at most one failed logon per change, and never the one that locks the account.
Object.defineProperty(exports, "__esModule", { value: true });
exports.LockoutRiskError = exports.LOCKOUT_RESERVE = void 0;
exports.lockoutDecision = lockoutDecision;
/** Failed logons that must remain for the account's owner after a failed verification. */
exports.LOCKOUT_RESERVE = 2;
function lockoutDecision(policy, account) {
    if (account.lockedOut)
        return { verify: false, reason: 'the account is locked out now' };
    if (policy.threshold === 0)
        return { verify: true, reason: 'no lockout threshold is set' };
    const left = policy.threshold - (account.badPwCount + 1);
    if (left >= exports.LOCKOUT_RESERVE) {
        return { verify: true, reason: `${account.badPwCount} failed logons of ${policy.threshold}: ${left} left even if this one fails` };
    }
    return {
        verify: false,
        reason: `${account.badPwCount} failed logons of the lockout threshold ${policy.threshold}: a failed verification would leave `
            + `the owner ${Math.max(0, left)} (pwbridge keeps ${exports.LOCKOUT_RESERVE})`,
    };
}
/** A verification pwbridge will not make now, so as not to bring the account near lockout. */
class LockoutRiskError extends Error {
    constructor(account, reason) {
        super(`not verifying the password of ${account} by logon: ${reason}; it is tried again on a later pass`);
        this.name = 'LockoutRiskError';
    }
}
exports.LockoutRiskError = LockoutRiskError;
//# sourceMappingURL=lockout.js.map