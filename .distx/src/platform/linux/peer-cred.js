"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.peerCred = peerCred;
// x86_64/aarch64 Linux values (asm-generic/socket.h).
const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const UCRED_SIZE = 12; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
let getsockopt;
function bind() {
    if (!getsockopt) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const koffi = require('koffi');
        const libc = koffi.load('libc.so.6');
        getsockopt = libc.func('int getsockopt(int fd, int level, int optname, _Out_ void *optval, _Inout_ uint32_t *optlen)');
    }
    return getsockopt;
}
/** The peer's credentials for a connected Unix socket's fd, or undefined when the kernel will not say. */
function peerCred(fd) {
    if (!Number.isInteger(fd) || fd < 0)
        return undefined;
    const val = Buffer.alloc(UCRED_SIZE);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(UCRED_SIZE);
    if (bind()(fd, SOL_SOCKET, SO_PEERCRED, val, len) !== 0)
        return undefined;
    return { pid: val.readInt32LE(0), uid: val.readUInt32LE(4), gid: val.readUInt32LE(8) };
}
//# sourceMappingURL=peer-cred.js.map