// The service's check of its key files on Windows (capture.secret, bridge.key, bridge.pub, the keys folder,
// vault.key, the agent token), where mode bits say nothing: the owner and every DACL entry, by the same
// rule install secures the data dir with (acl-rule.ts). The principals allowed are SYSTEM, Administrators,
// this process's user and HKLM\SOFTWARE\pwbridge ServiceSid (the service account, when an administrator
// runs a command): anyone else who could open the file may already have read it, so it is refused, not fixed.

import type { KeyFileAccessCheck } from '../../protocol/key-files';
import { aclProblems, trustedSids } from './acl-rule';
import { AccountLookup } from './account-lookup';
import type { Win32 } from './binding';
import { readFileSecurity } from './file-security';
import { PWBRIDGE_KEY, VALUE_SERVICE_SID } from './places';
import { processUserSid } from './process-identity';
import { decodeString, type RegistryPort } from './registry';

const FIX = 'run pwbridge install again, which gives the data dir an ACL for SYSTEM, Administrators and the service account only, '
  + 'and replace the keys (move the keys folder away first) if anyone else could have read them';

export function windowsKeyFileAccess(w: Win32, registry: RegistryPort): KeyFileAccessCheck {
  const check = windowsFileAccess(w, registry);
  return (file, use) => {
    const problem = check(file, use);
    return problem && `${problem}: ${FIX}`;
  };
}

/** The same rule, saying only what is wrong: for a file that is not a key (the enrolment file). */
export function windowsFileAccess(w: Win32, registry: RegistryPort): KeyFileAccessCheck {
  let trusted: Set<string> | undefined;
  const lookup = new AccountLookup(w);
  const trustedNow = (): Set<string> => {
    if (trusted) return trusted;
    const registered = registry.get(PWBRIDGE_KEY, VALUE_SERVICE_SID);
    trusted = trustedSids([processUserSid(w), registered ? decodeString(registered) : undefined]);
    return trusted;
  };
  return (file, use) => {
    let problems: string[];
    try {
      problems = aclProblems(readFileSecurity(w, file), { trusted: trustedNow(), othersMayRead: use === 'public', lookup: (sid) => lookup.nameOfSid(sid) });
    } catch (e) {
      return `its owner and ACL cannot be read (${(e as Error).message})`;
    }
    return problems.length ? problems.join('; ') : undefined;
  };
}
