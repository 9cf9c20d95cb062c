"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readPasswordFromStdin = readPasswordFromStdin;
exports.readOneLinePasswordFromStdin = readOneLinePasswordFromStdin;
const errors_1 = require("./errors");
/**
 * Reads a password from stdin as bytes (never argv or the environment, where other users can see it).
 * One trailing newline is dropped, as `echo`/`printf '%s\n'` add it. The caller wipes the Buffer.
 */
async function readPasswordFromStdin(what) {
    if (process.stdin.isTTY) {
        throw new errors_1.UsageError(`${what}: pipe the password on stdin (e.g. from your password manager); it is never taken from arguments`);
    }
    const chunks = [];
    for await (const chunk of process.stdin)
        chunks.push(chunk);
    const all = Buffer.concat(chunks);
    for (const c of chunks)
        c.fill(0);
    let end = all.length;
    if (end > 0 && all[end - 1] === 0x0a)
        end--;
    if (end > 0 && all[end - 1] === 0x0d)
        end--;
    const password = Buffer.from(all.subarray(0, end));
    all.fill(0);
    if (password.length === 0)
        throw new errors_1.UsageError(`${what}: stdin held no password`);
    if (password.length > 1024) {
        password.fill(0);
        throw new errors_1.UsageError(`${what}: the password is longer than 1024 bytes`);
    }
    try {
        new TextDecoder('utf-8', { fatal: true }).decode(password);
    }
    catch {
        password.fill(0);
        throw new errors_1.UsageError(`${what}: the password is not valid UTF-8`);
    }
    return password;
}
/** readPasswordFromStdin, refusing more than one line: a second line is most likely a mistake (two passwords, a file piped whole). */
async function readOneLinePasswordFromStdin(what) {
    const password = await readPasswordFromStdin(what);
    if (password.includes(0x0a) || password.includes(0x0d)) {
        password.fill(0);
        throw new errors_1.UsageError(`${what}: stdin holds more than one line; give the password alone, on one line`);
    }
    return password;
}
//# sourceMappingURL=stdin.js.map