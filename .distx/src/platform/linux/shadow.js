"use strict";
// Parsers for /etc/passwd and /etc/shadow. Each file is read once, whole, and parsed in one pass:
// reconcile lists every account per run, and a 10,000-line shadow must cost milliseconds.
//
// Strict on purpose: a line that does not have exactly the expected fields, or whose numbers are
// not plain decimals, is skipped and counted rather than guessed at. Comments, blank lines and
// NIS compat lines (+/-) are not accounts and are skipped without being counted as malformed.
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SHADOW_PATH = exports.DEFAULT_PASSWD_PATH = void 0;
exports.parsePasswd = parsePasswd;
exports.parseShadow = parseShadow;
exports.readPasswd = readPasswd;
exports.readShadow = readShadow;
const promises_1 = require("node:fs/promises");
exports.DEFAULT_PASSWD_PATH = '/etc/passwd';
exports.DEFAULT_SHADOW_PATH = '/etc/shadow';
const DAY_MS = 86_400_000;
const MAX_ID = 0xffff_ffff; // uid_t/gid_t are 32-bit unsigned
const DECIMAL = /^[0-9]{1,10}$/;
/** A name the tools could have written: non-empty, no whitespace or control characters. */
function validName(name) {
    return name.length > 0 && !/[\s\x00-\x1f\x7f]/.test(name);
}
function parseId(field) {
    if (!DECIMAL.test(field))
        return undefined;
    const n = Number(field);
    return n <= MAX_ID ? n : undefined;
}
/** Shared line walk: skips non-entries, splits on ':', requires exactly `fields` fields. */
function parseLines(text, fields, build, nameOf) {
    const result = { entries: [], malformed: 0, malformedLines: [], duplicates: [] };
    const seen = new Set();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        let line = lines[i];
        if (line.endsWith('\r'))
            line = line.slice(0, -1);
        if (line.length === 0 || line.trim().length === 0)
            continue;
        const first = line.charCodeAt(0);
        if (first === 0x23 /* # */ || first === 0x2b /* + */ || first === 0x2d /* - */)
            continue;
        const f = line.split(':');
        const entry = f.length === fields ? build(f) : undefined;
        if (entry === undefined) {
            result.malformed++;
            result.malformedLines.push(i + 1);
            continue;
        }
        const name = nameOf(entry);
        if (seen.has(name)) {
            result.duplicates.push(name);
            continue;
        }
        seen.add(name);
        result.entries.push(entry);
    }
    return result;
}
/** name:password:uid:gid:gecos:home:shell */
function parsePasswd(text) {
    return parseLines(text, 7, (f) => {
        const uid = parseId(f[2]);
        const gid = parseId(f[3]);
        if (!validName(f[0]) || uid === undefined || gid === undefined)
            return undefined;
        return { name: f[0], uid, gid, gecos: f[4], home: f[5], shell: f[6] };
    }, (e) => e.name);
}
/** name:hash:lastchg:min:max:warn:inactive:expire:reserved */
function parseShadow(text) {
    return parseLines(text, 9, (f) => {
        if (!validName(f[0]))
            return undefined;
        // The aging fields must each be empty or a decimal; anything else means the line is damaged.
        for (let k = 2; k <= 7; k++)
            if (f[k] !== '' && !DECIMAL.test(f[k]))
                return undefined;
        const entry = { name: f[0], hash: f[1], lastchgField: f[2] };
        if (f[2] !== '')
            entry.lastChangedMs = Number(f[2]) * DAY_MS;
        return entry;
    }, (e) => e.name);
}
async function readPasswd(path = exports.DEFAULT_PASSWD_PATH) {
    return parsePasswd(await (0, promises_1.readFile)(path, 'utf8'));
}
/** Throws the fs error as is (EACCES when not root); the account port maps it. */
async function readShadow(path = exports.DEFAULT_SHADOW_PATH) {
    return parseShadow(await (0, promises_1.readFile)(path, 'utf8'));
}
//# sourceMappingURL=shadow.js.map