"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.memoVerdict = memoVerdict;
function memoVerdict(cred, account, memo) {
    if (!memo || memo.vaultVersion !== cred.version || memo.localFingerprint !== account.fingerprint)
        return 'verify';
    const flagged = cred.flags.includes('mismatch');
    if (memo.result === 'match' || memo.result === 'set')
        return flagged ? 'clear-known' : 'unchanged';
    // mismatch, or a set that failed (which is a mismatch too)
    if (cred.mode === 'change')
        return memo.result === 'failed' && cred.flags.includes('policy-refused') ? 'unchanged' : 'set-known';
    return flagged ? 'unchanged' : 'flag-known';
}
//# sourceMappingURL=memo-verdict.js.map