/** A local account as the OS reports it. */
export interface LocalAccount {
  name: string;
  /** uid on Linux, RID on Windows. */
  id: number;
  /** When the password was last set (ms since epoch, day precision on Linux), if the OS says. */
  passwordLastSet?: number;
  /**
   * A value that changes whenever the stored password changes (keyed hash of the shadow entry on Linux,
   * password-last-set on Windows). Never the hash itself.
   */
  fingerprint: string;
  locked?: boolean;
}

export class AccountPermissionError extends Error {
  constructor(what: string) {
    super(`${what} needs root (run pwbridge as root, or use an account port that does not touch the system)`);
    this.name = 'AccountPermissionError';
  }
}

/**
 * The local password policy refuses the password (Windows: NetValidatePasswordPolicy or NetUserSetInfo's
 * own refusal; Linux: pam_pwquality/pam_cracklib through chpasswd). Retrying the same password cannot
 * help: reconcile flags the credential `policy-refused` and waits for a new vault password. `rule` says
 * which rule, never the password.
 */
export class PolicyRefusedError extends Error {
  constructor(readonly account: string, readonly rule: string) {
    super(`the local password policy refuses the password for ${account}: ${rule}`);
    this.name = 'PolicyRefusedError';
  }
}

/** The machine's local accounts. Linux: /etc/shadow + libcrypt + chpasswd. Windows: netapi32. */
export interface AccountPort {
  readonly machine: string;
  /** Every local account, read in one pass (reconcile calls this once per run). */
  listAccounts(): Promise<LocalAccount[]>;
  getAccount(name: string): Promise<LocalAccount | undefined>;
  /** True when `password` is the account's password. Counts as a failed logon on Windows when false. */
  verifyPassword(name: string, password: Buffer): Promise<boolean>;
  /**
   * Set the local password. The password never goes to argv or the environment. Throws
   * PolicyRefusedError when the local password policy refuses it.
   */
  setPassword(name: string, password: Buffer): Promise<void>;
}
