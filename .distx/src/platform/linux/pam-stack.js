"use strict";
// Is the capture module in the password stack, and is it placed safely?
//
// Scans common-password, passwd and chpasswd in the pam.d directory, plus any file they include
// (`@include x`, or `password include|substack x`). Only `password` lines count. The module must be
// 'optional': as 'required'/'requisite' (or anything else) a capture failure could fail or alter a
// user's password change, which pwbridge must never do. Also: readBootId().
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_PAM_MODULE_DIRS = exports.PWBRIDGE_PAM_MODULE = exports.DEFAULT_PAM_DIR = void 0;
exports.probePamStack = probePamStack;
exports.pamLines = pamLines;
exports.readBootId = readBootId;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
exports.DEFAULT_PAM_DIR = '/etc/pam.d';
exports.PWBRIDGE_PAM_MODULE = 'pam_pwbridge.so';
/** Where PAM looks for a bare module name (Debian multiarch first). */
exports.DEFAULT_PAM_MODULE_DIRS = [
    '/lib/x86_64-linux-gnu/security',
    '/lib/security',
    '/usr/lib/x86_64-linux-gnu/security',
];
const ROOT_FILES = ['common-password', 'passwd', 'chpasswd'];
const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';
function probePamStack(options = {}) {
    const pamDir = options.pamDir ?? exports.DEFAULT_PAM_DIR;
    const moduleName = options.moduleName ?? exports.PWBRIDGE_PAM_MODULE;
    const moduleDirs = options.moduleDirs ?? exports.DEFAULT_PAM_MODULE_DIRS;
    const placements = [];
    const visited = new Set();
    const unreadable = [];
    for (const root of ROOT_FILES)
        scanFile(pamDir, root, moduleName, visited, placements, unreadable);
    if (placements.length === 0) {
        const extra = unreadable.length ? ` (could not read: ${unreadable.join(', ')})` : '';
        return { state: 'not-installed', reason: `${moduleName} is not on any password line of ${ROOT_FILES.join(', ')} in ${pamDir} or their includes${extra}` };
    }
    for (const p of placements) {
        if (p.control !== 'optional') {
            return {
                state: 'faulted',
                reason: `${moduleName} is '${p.control}' in ${p.file}:${p.line}; it must be 'optional' so a capture failure can never fail a password change`,
            };
        }
        const resolved = resolveModule(p.modulePath, moduleDirs);
        if (!resolved) {
            const where = (0, node_path_1.isAbsolute)(p.modulePath) ? p.modulePath : `${p.modulePath} in ${moduleDirs.join(', ')}`;
            return { state: 'faulted', reason: `${moduleName} is in ${p.file}:${p.line} but the module file is missing (looked for ${where})` };
        }
    }
    const first = placements[0];
    return { state: 'active', reason: `${moduleName} is 'optional' in ${first.file}:${first.line}${placements.length > 1 ? ` (and ${placements.length - 1} more)` : ''}` };
}
function resolveModule(modulePath, dirs) {
    if ((0, node_path_1.isAbsolute)(modulePath))
        return (0, node_fs_1.existsSync)(modulePath) ? modulePath : undefined;
    for (const d of dirs) {
        const candidate = (0, node_path_1.join)(d, modulePath);
        if ((0, node_fs_1.existsSync)(candidate))
            return candidate;
    }
    return undefined;
}
function scanFile(pamDir, name, moduleName, visited, out, unreadable) {
    const file = (0, node_path_1.isAbsolute)(name) ? name : (0, node_path_1.join)(pamDir, name);
    if (visited.has(file))
        return; // include loops would otherwise recurse forever
    visited.add(file);
    let text;
    try {
        text = (0, node_fs_1.readFileSync)(file, 'utf8');
    }
    catch (e) {
        // A missing passwd/chpasswd is normal (not every system has them); anything else is worth saying.
        if (e.code !== 'ENOENT')
            unreadable.push(file);
        return;
    }
    for (const { tokens, line } of pamLines(text)) {
        if (tokens[0] === '@include') {
            if (tokens[1])
                scanFile(pamDir, tokens[1], moduleName, visited, out, unreadable);
            continue;
        }
        // A leading '-' means "skip silently if the module is missing"; the type is still 'password'.
        const type = tokens[0].replace(/^-/, '');
        if (type !== 'password' || tokens.length < 3)
            continue;
        const [control, modulePath] = [tokens[1], tokens[2]];
        if (control === 'include' || control === 'substack') {
            scanFile(pamDir, modulePath, moduleName, visited, out, unreadable);
            continue;
        }
        if (modulePath === moduleName || modulePath.endsWith(`/${moduleName}`)) {
            out.push({ file, line, control, modulePath });
        }
    }
}
/**
 * Logical lines of a pam.d file: '#' starts a comment, '\' at end of line continues it, and a
 * bracketed control ("[success=1 default=ignore]") is one token despite its spaces. Also used by
 * pam-edit.ts, so the probe and the editor read a file the same way.
 */
function* pamLines(text) {
    const physical = text.split('\n');
    for (let i = 0; i < physical.length; i++) {
        const start = i + 1;
        let logical = physical[i];
        while (logical.endsWith('\\') && i + 1 < physical.length)
            logical = logical.slice(0, -1) + ' ' + physical[++i];
        const hash = logical.indexOf('#');
        if (hash >= 0)
            logical = logical.slice(0, hash);
        const tokens = logical.match(/\[[^\]]*\]|\S+/g);
        if (tokens && tokens.length > 0)
            yield { tokens, line: start, end: i + 1 };
    }
}
/** The kernel's id for this boot (changes on every reboot): lets status tell a stale hello from a live one. */
function readBootId(path = BOOT_ID_PATH) {
    const id = (0, node_fs_1.readFileSync)(path, 'utf8').trim().toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
        throw new Error(`${path} does not hold a boot id`);
    }
    return id;
}
//# sourceMappingURL=pam-stack.js.map