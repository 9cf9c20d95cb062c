"use strict";
// The service's check of its key files on Windows (capture.secret, bridge.key, bridge.pub, the keys folder,
// vault.key, the agent token), where mode bits say nothing: the owner and every DACL entry, by the same
// rule install secures the data dir with (acl-rule.ts). The principals allowed are SYSTEM, Administrators,
// this process's user and HKLM\SOFTWARE\pwbridge ServiceSid (the service account, when an administrator
// runs a command): anyone else who could open the file may already have read it, so it is refused, not fixed.
Object.defineProperty(exports, "__esModule", { value: true });
exports.windowsKeyFileAccess = windowsKeyFileAccess;
exports.windowsFileAccess = windowsFileAccess;
const acl_rule_1 = require("./acl-rule");
const account_lookup_1 = require("./account-lookup");
const file_security_1 = require("./file-security");
const places_1 = require("./places");
const process_identity_1 = require("./process-identity");
const registry_1 = require("./registry");
const FIX = 'run pwbridge install again, which gives the data dir an ACL for SYSTEM, Administrators and the service account only, '
    + 'and replace the keys (move the keys folder away first) if anyone else could have read them';
function windowsKeyFileAccess(w, registry) {
    const check = windowsFileAccess(w, registry);
    return (file, use) => {
        const problem = check(file, use);
        return problem && `${problem}: ${FIX}`;
    };
}
/** The same rule, saying only what is wrong: for a file that is not a key (the enrolment file). */
function windowsFileAccess(w, registry) {
    let trusted;
    const lookup = new account_lookup_1.AccountLookup(w);
    const trustedNow = () => {
        if (trusted)
            return trusted;
        const registered = registry.get(places_1.PWBRIDGE_KEY, places_1.VALUE_SERVICE_SID);
        trusted = (0, acl_rule_1.trustedSids)([(0, process_identity_1.processUserSid)(w), registered ? (0, registry_1.decodeString)(registered) : undefined]);
        return trusted;
    };
    return (file, use) => {
        let problems;
        try {
            problems = (0, acl_rule_1.aclProblems)((0, file_security_1.readFileSecurity)(w, file), { trusted: trustedNow(), othersMayRead: use === 'public', lookup: (sid) => lookup.nameOfSid(sid) });
        }
        catch (e) {
            return `its owner and ACL cannot be read (${e.message})`;
        }
        return problems.length ? problems.join('; ') : undefined;
    };
}
//# sourceMappingURL=key-file-access.js.map