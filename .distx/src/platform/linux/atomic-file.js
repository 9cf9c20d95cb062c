"use strict";
// Replace a file so that a reader sees either the old content or the new, never a part: write a temp
// file in the same directory, give it its mode and owner, fsync it, rename it over the target, fsync
// the directory (so the rename itself survives a crash). Used for /etc/pam.d files and the PAM module,
// which are read by every password change while we write them.
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
exports.octal = void 0;
exports.sha256 = sha256;
exports.fsyncDir = fsyncDir;
exports.writeFileAtomic = writeFileAtomic;
exports.ownershipOf = ownershipOf;
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
function sha256(data) {
    return (0, node_crypto_1.createHash)('sha256').update(data).digest('hex');
}
function fsyncDir(dir) {
    // Windows cannot fsync a directory (EPERM); NTFS journals the rename itself.
    if (process.platform === 'win32')
        return;
    const fd = fs.openSync(dir, 'r');
    try {
        fs.fsyncSync(fd);
    }
    finally {
        fs.closeSync(fd);
    }
}
function writeFileAtomic(file, data, own) {
    const dir = path.dirname(file);
    const tmp = path.join(dir, `.${path.basename(file)}.pwbridge-${process.pid}-${(0, node_crypto_1.randomBytes)(4).toString('hex')}.tmp`);
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
        try {
            // chown first: it may clear set-id bits, which the chmod then sets as asked.
            if (own.uid !== undefined || own.gid !== undefined)
                fs.fchownSync(fd, own.uid ?? -1, own.gid ?? -1);
            fs.fchmodSync(fd, own.mode & 0o7777);
            fs.writeFileSync(fd, data);
            fs.fsyncSync(fd);
        }
        finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
    }
    catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
    }
    fsyncDir(dir);
}
/** The mode bits (incl. set-id and sticky), uid and gid of an existing file. */
function ownershipOf(file) {
    const st = fs.statSync(file);
    return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}
const octal = (mode) => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
exports.octal = octal;
//# sourceMappingURL=atomic-file.js.map