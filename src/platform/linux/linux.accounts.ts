// AccountPort for Linux: /etc/passwd + /etc/shadow for reading, libcrypt for verifying, chpasswd for
// setting. Nothing is cached between calls (only the loaded libcrypt): the files are the truth and
// they change under us (passwd, usermod, the PAM module's own changes).

import { createHmac } from 'node:crypto';
import { hostname } from 'node:os';
import { AccountPermissionError, type AccountPort, type LocalAccount } from '../../ports/account.port';
import { DEFAULT_CHPASSWD_PATH, runChpasswd, checkChpasswdInput } from './chpasswd';
import { verifyCryptAsync, isUsableHash } from './crypt';
import { DEFAULT_PASSWD_PATH, DEFAULT_SHADOW_PATH, readPasswd, readShadow, type ParseResult, type ShadowEntry } from './shadow';

export interface LinuxAccountsOptions {
  /** Defaults to os.hostname(). */
  machine?: string;
  passwdPath?: string;
  shadowPath?: string;
  /** Key for the fingerprint HMAC, so a fingerprint reveals nothing about the hash. At least 16 bytes. */
  fingerprintKey: Buffer;
  chpasswdPath?: string;
}

/** 128 bits of HMAC-SHA256: plenty to notice a change, and shorter in logs and the journal. */
const FINGERPRINT_HEX_CHARS = 32;

export class LinuxAccounts implements AccountPort {
  readonly machine: string;
  private readonly passwdPath: string;
  private readonly shadowPath: string;
  private readonly chpasswdPath: string;
  private readonly fingerprintKey: Buffer;

  constructor(options: LinuxAccountsOptions) {
    if (!options.fingerprintKey || options.fingerprintKey.length < 16) {
      throw new Error('LinuxAccounts needs a fingerprintKey of at least 16 bytes');
    }
    this.machine = options.machine ?? hostname();
    this.passwdPath = options.passwdPath ?? DEFAULT_PASSWD_PATH;
    this.shadowPath = options.shadowPath ?? DEFAULT_SHADOW_PATH;
    this.chpasswdPath = options.chpasswdPath ?? DEFAULT_CHPASSWD_PATH;
    // Our own copy: the caller may wipe or reuse theirs.
    this.fingerprintKey = Buffer.from(options.fingerprintKey);
  }

  /**
   * Every account that has both a passwd and a shadow entry (a shadow line without a passwd line
   * has no uid and cannot log in). System accounts are included: callers filter.
   */
  async listAccounts(): Promise<LocalAccount[]> {
    const [passwd, shadow] = await Promise.all([readPasswd(this.passwdPath), this.readShadowChecked('listing local accounts')]);
    const uids = new Map<string, number>();
    for (const p of passwd.entries) uids.set(p.name, p.uid);
    const accounts: LocalAccount[] = [];
    for (const s of shadow.entries) {
      const uid = uids.get(s.name);
      if (uid !== undefined) accounts.push(this.toAccount(s, uid));
    }
    return accounts;
  }

  async getAccount(name: string): Promise<LocalAccount | undefined> {
    const [passwd, shadow] = await Promise.all([readPasswd(this.passwdPath), this.readShadowChecked('reading a local account')]);
    const p = passwd.entries.find((e) => e.name === name);
    const s = shadow.entries.find((e) => e.name === name);
    return p && s ? this.toAccount(s, p.uid) : undefined;
  }

  /** False for unknown, locked or passwordless accounts and for passwords with a NUL byte. */
  async verifyPassword(name: string, password: Buffer): Promise<boolean> {
    const shadow = await this.readShadowChecked('verifying a local password');
    const s = shadow.entries.find((e) => e.name === name);
    if (!s || !isUsableHash(s.hash)) return false;
    return verifyCryptAsync(password, s.hash);
  }

  async setPassword(name: string, password: Buffer): Promise<void> {
    // Validate first: a bad name or password is the caller's problem whoever runs us.
    checkChpasswdInput(name, password);
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new AccountPermissionError(`setting the local password of ${name}`);
    }
    // chpasswd's own "user does not exist" is less clear than ours.
    if (!(await this.getAccount(name))) throw new Error(`no local account named ${name} on ${this.machine}`);
    await runChpasswd(name, password, this.chpasswdPath);
  }

  private toAccount(s: ShadowEntry, uid: number): LocalAccount {
    const account: LocalAccount = {
      name: s.name,
      id: uid,
      fingerprint: this.fingerprint(s),
      // '!' (passwd -l) and '*' (never had a password) cannot be logged into with a password.
      locked: s.hash.startsWith('!') || s.hash.startsWith('*'),
    };
    if (s.lastChangedMs !== undefined) account.passwordLastSet = s.lastChangedMs;
    return account;
  }

  /** Keyed so the value cannot be used to test password guesses offline; includes lastchg so a re-set to the same hash still shows. */
  private fingerprint(s: ShadowEntry): string {
    return createHmac('sha256', this.fingerprintKey).update(`${s.hash}:${s.lastchgField}`, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX_CHARS);
  }

  private async readShadowChecked(what: string): Promise<ParseResult<ShadowEntry>> {
    try {
      return await readShadow(this.shadowPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new AccountPermissionError(`${what} (reading ${this.shadowPath})`);
      throw e;
    }
  }
}
