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

/** The machine's local accounts. Linux: /etc/shadow + libcrypt + chpasswd. Windows: netapi32. */
export interface AccountPort {
  readonly machine: string;
  /** Every local account, read in one pass (reconcile calls this once per run). */
  listAccounts(): Promise<LocalAccount[]>;
  getAccount(name: string): Promise<LocalAccount | undefined>;
  /** True when `password` is the account's password. Counts as a failed logon on Windows when false. */
  verifyPassword(name: string, password: Buffer): Promise<boolean>;
  /** Set the local password. The password never goes to argv or the environment. */
  setPassword(name: string, password: Buffer): Promise<void>;
}
