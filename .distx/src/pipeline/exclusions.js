"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.exclusionReason = exclusionReason;
/**
 * Why a captured change must never reach the vault, or undefined when it may.
 * - `name$`: computer/trust accounts; their passwords are the machine's business.
 * - `krbtgt*`: the Kerberos key account (and RODC `krbtgt_NNNN`); pushing it is both useless and dangerous.
 * - the service account: pwbridge's own account, whose vault credential setup made.
 * - the configured list.
 * All comparisons ignore case, as Windows account names do.
 */
function exclusionReason(account, o) {
    const name = account.toLowerCase();
    if (name.endsWith('$'))
        return 'machine account (name ends with $)';
    if (name.startsWith('krbtgt'))
        return 'krbtgt account';
    if (name === o.serviceAccount.toLowerCase())
        return 'pwbridge service account';
    if (o.exclude.some((x) => x.toLowerCase() === name))
        return 'excluded by configuration';
    return undefined;
}
//# sourceMappingURL=exclusions.js.map