"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseMode = parseMode;
exports.parseOnOff = parseOnOff;
exports.parseSince = parseSince;
exports.requireName = requireName;
exports.dataDirOf = dataDirOf;
exports.printJsonLines = printJsonLines;
const duration_1 = require("../config/duration");
const errors_1 = require("./errors");
/** Turn flag strings into typed values, refusing bad ones with the flag's name and what would be right. */
function parseMode(flag, value) {
    if (value === 'report' || value === 'change')
        return value;
    throw new errors_1.UsageError(`${flag}: "${value}" is not a mode; use report (Report Mismatches) or change (Change Password)`);
}
function parseOnOff(flag, value) {
    if (value === 'on')
        return true;
    if (value === 'off')
        return false;
    throw new errors_1.UsageError(`${flag}: "${value}" is not on or off`);
}
function parseSince(value) {
    const ms = (0, duration_1.parseDuration)(value);
    if (ms === undefined)
        throw new errors_1.UsageError(`--since: "${value}" is not a duration; use e.g. 30s, 15m, 2h, 7d`);
    return ms;
}
function requireName(flag, value) {
    if (value === undefined || value.trim() === '')
        throw new errors_1.UsageError(`${flag}: a name is required`);
    if (/[\u0000-\u001f]/.test(value))
        throw new errors_1.UsageError(`${flag}: the name has control characters`);
    if (value.length > 256)
        throw new errors_1.UsageError(`${flag}: the name is longer than 256 characters`);
    return value;
}
/** The global --data-dir, from any subcommand. */
function dataDirOf(cmd) {
    return cmd.optsWithGlobals().dataDir;
}
function printJsonLines(rows) {
    for (const r of rows)
        process.stdout.write(`${JSON.stringify(r)}\n`);
}
//# sourceMappingURL=options.js.map