"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readExistingPassword = readExistingPassword;
/**
 * The password of an account that already exists (`pwbridge install --service-account NAME`): one line on
 * stdin, or asked once at a terminal with echo off (it is checked against the account, so no second
 * typing). Never from arguments or the environment. The caller wipes the Buffer.
 */
const prompt_1 = require("./prompt");
const stdin_1 = require("./stdin");
const errors_1 = require("./errors");
async function readExistingPassword(what, account) {
    if (!process.stdin.isTTY)
        return (0, stdin_1.readOneLinePasswordFromStdin)(what);
    const password = await (0, prompt_1.promptLine)(`Password of ${account}: `, true);
    if (password.length === 0)
        throw new errors_1.UsageError(`${what}: no password typed`);
    return password;
}
//# sourceMappingURL=existing-password.js.map