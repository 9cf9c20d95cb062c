"use strict";
// AccountPort for Linux: /etc/passwd + /etc/shadow for reading, libcrypt for verifying, chpasswd for
// setting. Nothing is cached between calls (only the loaded libcrypt): the files are the truth and
// they change under us (passwd, usermod, the PAM module's own changes).
Object.defineProperty(exports, "__esModule", { value: true });
exports.LinuxAccounts = void 0;
const node_crypto_1 = require("node:crypto");
const node_os_1 = require("node:os");
const account_port_1 = require("../../ports/account.port");
const chpasswd_1 = require("./chpasswd");
const crypt_1 = require("./crypt");
const shadow_1 = require("./shadow");
/** 128 bits of HMAC-SHA256: plenty to notice a change, and shorter in logs and the journal. */
const FINGERPRINT_HEX_CHARS = 32;
class LinuxAccounts {
    machine;
    passwdPath;
    shadowPath;
    chpasswdPath;
    fingerprintKey;
    constructor(options) {
        if (!options.fingerprintKey || options.fingerprintKey.length < 16) {
            throw new Error('LinuxAccounts needs a fingerprintKey of at least 16 bytes');
        }
        this.machine = options.machine ?? (0, node_os_1.hostname)();
        this.passwdPath = options.passwdPath ?? shadow_1.DEFAULT_PASSWD_PATH;
        this.shadowPath = options.shadowPath ?? shadow_1.DEFAULT_SHADOW_PATH;
        this.chpasswdPath = options.chpasswdPath ?? chpasswd_1.DEFAULT_CHPASSWD_PATH;
        // Our own copy: the caller may wipe or reuse theirs.
        this.fingerprintKey = Buffer.from(options.fingerprintKey);
    }
    /**
     * Every account that has both a passwd and a shadow entry (a shadow line without a passwd line
     * has no uid and cannot log in). System accounts are included: callers filter.
     */
    async listAccounts() {
        const [passwd, shadow] = await Promise.all([(0, shadow_1.readPasswd)(this.passwdPath), this.readShadowChecked('listing local accounts')]);
        const uids = new Map();
        for (const p of passwd.entries)
            uids.set(p.name, p.uid);
        const accounts = [];
        for (const s of shadow.entries) {
            const uid = uids.get(s.name);
            if (uid !== undefined)
                accounts.push(this.toAccount(s, uid));
        }
        return accounts;
    }
    async getAccount(name) {
        const [passwd, shadow] = await Promise.all([(0, shadow_1.readPasswd)(this.passwdPath), this.readShadowChecked('reading a local account')]);
        const p = passwd.entries.find((e) => e.name === name);
        const s = shadow.entries.find((e) => e.name === name);
        return p && s ? this.toAccount(s, p.uid) : undefined;
    }
    /** False for unknown, locked or passwordless accounts and for passwords with a NUL byte. */
    async verifyPassword(name, password) {
        const shadow = await this.readShadowChecked('verifying a local password');
        const s = shadow.entries.find((e) => e.name === name);
        if (!s || !(0, crypt_1.isUsableHash)(s.hash))
            return false;
        return (0, crypt_1.verifyCryptAsync)(password, s.hash);
    }
    async setPassword(name, password) {
        // Validate first: a bad name or password is the caller's problem whoever runs us.
        (0, chpasswd_1.checkChpasswdInput)(name, password);
        if (typeof process.getuid === 'function' && process.getuid() !== 0) {
            throw new account_port_1.AccountPermissionError(`setting the local password of ${name}`);
        }
        // chpasswd's own "user does not exist" is less clear than ours.
        if (!(await this.getAccount(name)))
            throw new Error(`no local account named ${name} on ${this.machine}`);
        await (0, chpasswd_1.runChpasswd)(name, password, this.chpasswdPath);
    }
    toAccount(s, uid) {
        const account = {
            name: s.name,
            id: uid,
            fingerprint: this.fingerprint(s),
            // '!' (passwd -l) and '*' (never had a password) cannot be logged into with a password.
            locked: s.hash.startsWith('!') || s.hash.startsWith('*'),
        };
        if (s.lastChangedMs !== undefined)
            account.passwordLastSet = s.lastChangedMs;
        return account;
    }
    /** Keyed so the value cannot be used to test password guesses offline; includes lastchg so a re-set to the same hash still shows. */
    fingerprint(s) {
        return (0, node_crypto_1.createHmac)('sha256', this.fingerprintKey).update(`${s.hash}:${s.lastchgField}`, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX_CHARS);
    }
    async readShadowChecked(what) {
        try {
            return await (0, shadow_1.readShadow)(this.shadowPath);
        }
        catch (e) {
            const code = e.code;
            if (code === 'EACCES' || code === 'EPERM')
                throw new account_port_1.AccountPermissionError(`${what} (reading ${this.shadowPath})`);
            throw e;
        }
    }
}
exports.LinuxAccounts = LinuxAccounts;
//# sourceMappingURL=linux.accounts.js.map