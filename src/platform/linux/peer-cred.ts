// Who is on the other end of a Unix socket: SO_PEERCRED, through libc (koffi). The kernel fills it in
// at connect(); the peer cannot forge it. This is the second layer behind the socket directory's 0700:
// if the directory's mode were ever loosened, a local user still could not talk to the bridge.
import type * as Koffi from 'koffi';

export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

// x86_64/aarch64 Linux values (asm-generic/socket.h).
const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const UCRED_SIZE = 12; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }

let getsockopt: ((fd: number, level: number, name: number, val: Buffer, len: Buffer) => number) | undefined;

function bind(): NonNullable<typeof getsockopt> {
  if (!getsockopt) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const koffi = require('koffi') as typeof Koffi;
    const libc = koffi.load('libc.so.6');
    getsockopt = libc.func('int getsockopt(int fd, int level, int optname, _Out_ void *optval, _Inout_ uint32_t *optlen)') as unknown as typeof getsockopt;
  }
  return getsockopt!;
}

/** The peer's credentials for a connected Unix socket's fd, or undefined when the kernel will not say. */
export function peerCred(fd: number): PeerCred | undefined {
  if (!Number.isInteger(fd) || fd < 0) return undefined;
  const val = Buffer.alloc(UCRED_SIZE);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(UCRED_SIZE);
  if (bind()(fd, SOL_SOCKET, SO_PEERCRED, val, len) !== 0) return undefined;
  return { pid: val.readInt32LE(0), uid: val.readUInt32LE(4), gid: val.readUInt32LE(8) };
}
