"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readNewPassword = readNewPassword;
/**
 * A hub user's new password for `pwbridge hub-user add|passwd`: one line on stdin (from a password
 * manager or a script), or typed twice at a terminal with echo off. Never from arguments or the
 * environment, which other users of the host can read. The caller wipes the Buffer.
 */
const errors_1 = require("../errors");
const prompt_1 = require("../prompt");
const stdin_1 = require("../stdin");
async function readNewPassword(what) {
    if (process.stdin.isTTY)
        return promptTwice(what);
    return (0, stdin_1.readOneLinePasswordFromStdin)(what);
}
async function promptTwice(what) {
    const first = await (0, prompt_1.promptLine)('New password: ', true);
    let again;
    try {
        again = await (0, prompt_1.promptLine)('Same password again: ', true);
        if (!first.equals(again))
            throw new errors_1.UsageError(`${what}: the two passwords typed differ; nothing changed`);
        return Buffer.from(first);
    }
    finally {
        first.fill(0);
        again?.fill(0);
    }
}
//# sourceMappingURL=hub-user-password.js.map