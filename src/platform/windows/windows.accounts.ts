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

import { hostname } from 'node:os';
import { PolicyRefusedError, type AccountPort, type LocalAccount } from '../../ports/account.port';
import type { Win32 } from './binding';
import { LastSetStabilizer, lastSetFromAge, type LastSetStore } from './filetime';
import { LockoutRiskError, lockoutDecision } from './lockout';
import { logonMatches } from './logon';
import { NetApi } from './netapi';
import { UF_ACCOUNTDISABLE, UF_LOCKOUT, type NetUser } from './structs';
import { utf8ToWideZ, WideStringError } from './utf16';
import { NERR_Success, NERR_UserNotFound, POLICY_REFUSALS, Win32Error, win32ErrorName } from './win32-errors';

export interface WindowsAccountsOptions {
  win32: Win32;
  /** Defaults to os.hostname(). */
  machine?: string;
  /** Where the last-set stabilizer keeps its values across processes (the state store). */
  lastSetStore?: LastSetStore;
  now?: () => number;
}

export class WindowsAccounts implements AccountPort {
  readonly machine: string;
  private readonly net: NetApi;
  private readonly stabilizer: LastSetStabilizer;
  private readonly now: () => number;

  constructor(private readonly o: WindowsAccountsOptions) {
    this.machine = o.machine ?? hostname();
    this.net = new NetApi(o.win32);
    this.stabilizer = new LastSetStabilizer(o.lastSetStore);
    this.now = o.now ?? Date.now;
  }

  async listAccounts(): Promise<LocalAccount[]> {
    const now = this.now();
    const accounts = this.net.enumUsers().map((u) => this.toAccount(u, now));
    this.stabilizer.commit();
    return accounts;
  }

  async getAccount(name: string): Promise<LocalAccount | undefined> {
    const u = this.net.getUser(name);
    if (!u) return undefined;
    const account = this.toAccount(u, this.now());
    this.stabilizer.commit();
    return account;
  }

  /** False for an unknown account and for a password Windows could not hold (NUL, invalid UTF-8). */
  async verifyPassword(name: string, password: Buffer): Promise<boolean> {
    const user = this.net.getUser(name);
    if (!user) return false;
    const decision = lockoutDecision(this.net.lockoutPolicy(), { badPwCount: user.badPwCount, lockedOut: (user.flags & UF_LOCKOUT) !== 0 });
    if (!decision.verify) throw new LockoutRiskError(name, decision.reason);
    let wide: Buffer;
    try {
      wide = utf8ToWideZ(password);
    } catch (e) {
      if (e instanceof WideStringError) return false;
      throw e;
    }
    try {
      return logonMatches(this.o.win32, user.name, wide);
    } finally {
      wide.fill(0);
    }
  }

  async setPassword(name: string, password: Buffer): Promise<void> {
    const wide = utf8ToWideZ(password); // throws WideStringError (no password in it) before anything is called
    try {
      if (!this.net.getUser(name)) throw new Error(`no local account named ${name} on ${this.machine}`);
      const refusal = this.policyRefusal(name, wide);
      if (refusal) throw new PolicyRefusedError(name, refusal);
      const status = this.net.setPassword(name, wide);
      if (status === NERR_Success) return;
      if (POLICY_REFUSALS.has(status)) throw new PolicyRefusedError(name, `NetUserSetInfo: ${win32ErrorName(status)}`);
      if (status === NERR_UserNotFound) throw new Error(`no local account named ${name} on ${this.machine}`);
      throw new Win32Error('NetUserSetInfo', status, `level 1003, ${name}`);
    } finally {
      wide.fill(0);
    }
  }

  /**
   * The rule the local policy refuses this password by, or undefined when it accepts it. When the check
   * itself cannot run (NetValidatePasswordPolicy missing or failing), undefined: NetUserSetInfo still
   * applies the policy, and its refusal is mapped to PolicyRefusedError too.
   */
  private policyRefusal(name: string, wide: Buffer): string | undefined {
    let status: number;
    try {
      status = this.net.validatePasswordChange(name, wide);
    } catch (e) {
      if (e instanceof Win32Error) return undefined;
      throw e;
    }
    // Only the statuses that name a policy rule; anything else is left to NetUserSetInfo to decide.
    return POLICY_REFUSALS.has(status) ? `NetValidatePasswordPolicy: ${win32ErrorName(status)}` : undefined;
  }

  private toAccount(u: NetUser, nowMs: number): LocalAccount {
    const lastSetSec = this.stabilizer.stabilize(u.rid, lastSetFromAge(nowMs, u.passwordAgeSec));
    return {
      name: u.name,
      id: u.rid,
      passwordLastSet: lastSetSec * 1000,
      // Not secret (`net user NAME` shows it), so not hashed: the RID and when the password was set.
      fingerprint: `rid ${u.rid} set ${lastSetSec}`,
      locked: (u.flags & (UF_LOCKOUT | UF_ACCOUNTDISABLE)) !== 0,
    };
  }
}
