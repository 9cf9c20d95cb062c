import type { Credential } from '../domain/types';
import type { LocalAccount } from '../ports/account.port';
import type { ReconcileMemo } from '../ports/journal.port';

/**
 * What a credential needs, judged from the memo alone (no I/O, so the unchanged path stays a tight loop).
 * A memo is valid while neither the vault's version nor the local fingerprint moved. While it is valid
 * we already know whether the passwords match, so we never verify again: on Windows a failed
 * verification counts as a failed logon, and repeating it every pass would lock the account out.
 * - unchanged: nothing to do.
 * - verify: something changed (or no memo): read the vault password and verify once.
 * - set-known: known mismatch and the mode is change (now, or the last set failed): set without verifying.
 *   Not when the last set failed because the local password policy refused the password (the credential
 *   carries `policy-refused`): the same password would be refused again, so it waits for a new one.
 * - flag-known: known mismatch in report mode but the flag is off (someone cleared it): flag again.
 * - clear-known: known match but the mismatch flag is still on: clear it.
 */
export type Verdict = 'unchanged' | 'verify' | 'set-known' | 'flag-known' | 'clear-known';

export function memoVerdict(cred: Credential, account: LocalAccount, memo: ReconcileMemo | undefined): Verdict {
  if (!memo || memo.vaultVersion !== cred.version || memo.localFingerprint !== account.fingerprint) return 'verify';
  const flagged = cred.flags.includes('mismatch');
  if (memo.result === 'match' || memo.result === 'set') return flagged ? 'clear-known' : 'unchanged';
  // mismatch, or a set that failed (which is a mismatch too)
  if (cred.mode === 'change') return memo.result === 'failed' && cred.flags.includes('policy-refused') ? 'unchanged' : 'set-known';
  return flagged ? 'unchanged' : 'flag-known';
}
