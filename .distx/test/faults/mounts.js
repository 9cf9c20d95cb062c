"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.mountTmpfs = mountTmpfs;
exports.tmpfsProblem = tmpfsProblem;
exports.fill = fill;
exports.freeBytes = freeBytes;
// Small file systems for fault scenarios: a tmpfs of a given size mounted on a folder (root only), so a
// scenario can fill it to the last byte without touching the machine's own disks. Always unmounted after.
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const tmp_1 = require("../helpers/tmp");
function sh(cmd, args) {
    const r = (0, node_child_process_1.spawnSync)(cmd, args, { encoding: 'utf8' });
    return { ok: r.status === 0, err: (r.stderr || r.error?.message || '').trim() };
}
/** A tmpfs of `size` (mount's syntax: 16m, 256k) on `dir` (created 0700), owner-only. */
function mountTmpfs(dir, size) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const r = sh('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
    if (!r.ok)
        throw new Error(`mount -t tmpfs on ${dir}: ${r.err}`);
    let mounted = true;
    return {
        dir,
        unmount() {
            if (!mounted)
                return;
            // Lazy: a process that still has a file open there (a killed service's last descriptors) does not block it.
            const u = sh('umount', ['-l', dir]);
            if (!u.ok)
                throw new Error(`umount ${dir}: ${u.err}`);
            mounted = false;
        },
    };
}
/** Why a tmpfs cannot be mounted here (not root, no mount, a sandbox refusing it), or undefined. */
function tmpfsProblem() {
    if (process.getuid?.() !== 0)
        return 'not root (mounting a small tmpfs needs it)';
    const t = (0, tmp_1.makeTempDir)('pwbridge-faults-mount-probe-');
    try {
        const m = mountTmpfs(path.join(t.dir, 'm'), '64k');
        m.unmount();
        return undefined;
    }
    catch (err) {
        return err.message;
    }
    finally {
        t.cleanup();
    }
}
/** Fill the file system holding `dir` with `dir/name` until a write fails (ENOSPC). Returns the bytes written. */
function fill(dir, name) {
    const fd = fs.openSync(path.join(dir, name), 'a', 0o600);
    let written = 0;
    try {
        for (let chunk = 1 << 20; chunk >= 512;) {
            try {
                written += fs.writeSync(fd, Buffer.alloc(chunk, 0x5a));
            }
            catch (err) {
                if (err.code !== 'ENOSPC')
                    throw err;
                chunk >>= 1;
            }
        }
    }
    finally {
        fs.closeSync(fd);
    }
    return written;
}
/** Bytes free on the file system holding `dir`. */
function freeBytes(dir) {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
}
//# sourceMappingURL=mounts.js.map