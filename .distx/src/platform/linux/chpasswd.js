"use strict";
// Sets one local password by running chpasswd(8) with `name:password\n` on its stdin.
//
// Why stdin: argv and the environment are readable by other users through /proc; a pipe is not.
// Why chpasswd rather than writing /etc/shadow: it takes the shadow lock, honours login.defs /
// PAM hashing settings and writes the file atomically, exactly like an administrator would.
Object.defineProperty(exports, "__esModule", { value: true });
exports.PasswordInputError = exports.DEFAULT_CHPASSWD_PATH = void 0;
exports.checkChpasswdInput = checkChpasswdInput;
exports.runChpasswd = runChpasswd;
exports.policyRefusal = policyRefusal;
const node_child_process_1 = require("node:child_process");
const account_port_1 = require("../../ports/account.port");
exports.DEFAULT_CHPASSWD_PATH = '/usr/sbin/chpasswd';
const TIMEOUT_MS = 30_000;
/** Refused input. The message names the problem, never the password. */
class PasswordInputError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PasswordInputError';
    }
}
exports.PasswordInputError = PasswordInputError;
/** chpasswd reads one `name:password` per line: these bytes would corrupt or truncate that line. */
function checkChpasswdInput(name, password) {
    if (name.length === 0)
        throw new PasswordInputError('account name is empty');
    if (/[:\n\r\0]/.test(name)) {
        throw new PasswordInputError(`account name ${JSON.stringify(name)} contains ':', a newline or NUL, which chpasswd cannot take`);
    }
    if (password.length === 0)
        throw new PasswordInputError(`refusing an empty password for ${name}`);
    if (password.includes(0x0a))
        throw new PasswordInputError(`the password for ${name} contains a newline, which chpasswd cannot take`);
    if (password.includes(0x00))
        throw new PasswordInputError(`the password for ${name} contains a NUL byte, which a Unix password cannot hold`);
}
/**
 * Runs chpasswd. The stdin line is built in one Buffer this function owns and zeroes once the
 * child has exited (the write may still be in flight until then). chpasswd's stderr is reported
 * only if it does not contain the password bytes (it should never echo them; we check anyway).
 */
function runChpasswd(name, password, chpasswdPath = exports.DEFAULT_CHPASSWD_PATH) {
    checkChpasswdInput(name, password);
    const nameBytes = Buffer.from(name, 'utf8');
    const line = Buffer.alloc(nameBytes.length + 1 + password.length + 1);
    nameBytes.copy(line, 0);
    line[nameBytes.length] = 0x3a; // ':'
    password.copy(line, nameBytes.length + 1);
    line[line.length - 1] = 0x0a; // '\n'
    return new Promise((resolve, reject) => {
        const stderr = [];
        let settled = false;
        const finish = (err) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            line.fill(0);
            for (const chunk of stderr)
                chunk.fill(0);
            if (err)
                reject(err);
            else
                resolve();
        };
        // A minimal environment: nothing of ours leaks in, and LC_ALL=C keeps messages predictable.
        const child = (0, node_child_process_1.spawn)(chpasswdPath, [], {
            stdio: ['pipe', 'ignore', 'pipe'],
            env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
        });
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            finish(new Error(`chpasswd for ${name} did not finish within ${TIMEOUT_MS} ms`));
        }, TIMEOUT_MS);
        child.stderr.on('data', (chunk) => stderr.push(chunk));
        child.on('error', (e) => finish(new Error(`cannot run ${chpasswdPath} to set the password for ${name}: ${e.message}`)));
        // EPIPE if chpasswd dies before reading: the exit code reports the real problem.
        child.stdin.on('error', () => undefined);
        child.stdin.end(line);
        child.on('close', (code, signal) => {
            if (code === 0)
                return finish();
            const refusal = policyRefusal(stderr, password);
            if (refusal)
                return finish(new account_port_1.PolicyRefusedError(name, refusal));
            finish(new Error(`chpasswd failed to set the password for ${name} (${signal ? `signal ${signal}` : `exit ${code}`})${describeStderr(stderr, password)}`));
        });
    });
}
/**
 * pam_pwquality / pam_cracklib refuse a password with "BAD PASSWORD: <rule>" on chpasswd's stderr (for
 * root only with enforce_for_root; otherwise they warn and the change goes through). The rule, unless
 * the output holds the password itself.
 */
function policyRefusal(chunks, password) {
    const all = Buffer.concat(chunks);
    try {
        if (password.length > 0 && all.includes(password))
            return undefined;
        const m = /BAD PASSWORD: ?([^\n]*)/.exec(all.toString('utf8'));
        return m ? `pam_pwquality: ${m[1].trim().slice(0, 200) || 'refused'}` : undefined;
    }
    finally {
        all.fill(0);
    }
}
function describeStderr(chunks, password) {
    const all = Buffer.concat(chunks);
    try {
        if (all.length === 0)
            return '';
        if (password.length > 0 && all.includes(password))
            return ': [chpasswd output withheld: it contained the password]';
        return `: ${all.toString('utf8').trim().slice(0, 500)}`;
    }
    finally {
        all.fill(0);
    }
}
//# sourceMappingURL=chpasswd.js.map