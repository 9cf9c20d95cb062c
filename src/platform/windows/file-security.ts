// A file's or folder's owner and DACL through advapi32: read (GetFileSecurityW), set (SetFileSecurityW),
// and a folder created with its descriptor from the first moment (CreateDirectoryW with SECURITY_ATTRIBUTES).
//
// Why SetFileSecurityW and not SetNamedSecurityInfoW: SetNamedSecurityInfoW applies Windows' automatic
// inheritance, re-computing the inherited entries of everything below the folder while keeping each
// child's own explicit entries (Microsoft: "Automatic Propagation of Inheritable ACEs"), and Wine 8 merges
// the parent's inheritable entries into a protected DACL it was asked to set. SetFileSecurityW sets exactly
// the descriptor given on the one object ("security applied to a directory is not inherited by its
// children"), on Windows and Wine alike, so pwbridge sets it on every entry itself (secure-tree.ts).
// The descriptor carries SE_DACL_PROTECTED in its control, so nothing is inherited into it later either.

import type { Win32 } from './binding';
import { outDword } from './layout';
import { decodeSecurityDescriptor, type SecurityDescriptor } from './security-descriptor';
import { SECURITY_ATTRIBUTES } from './structs';
import { writeStruct } from './layout';
import { wideZ } from './utf16';
import { ERROR_INSUFFICIENT_BUFFER, Win32Error } from './win32-errors';

export const OWNER_SECURITY_INFORMATION = 0x1;
export const DACL_SECURITY_INFORMATION = 0x4;

/** The owner and DACL of `file`, as the file system holds them. */
export function readFileSecurity(w: Win32, file: string): SecurityDescriptor {
  const info = OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
  const needed = outDword();
  const name = wideZ(file);
  if (w.advapi32.GetFileSecurityW(name, info, null, 0, needed)) throw new Error(`GetFileSecurityW (${file}) asked for no room and still succeeded`);
  let code = w.kernel32.GetLastError();
  if (code !== ERROR_INSUFFICIENT_BUFFER) throw new Win32Error('GetFileSecurityW', code, file);
  // The descriptor may grow between the two calls (someone changing it): try a few times.
  for (let i = 0; i < 3; i++) {
    const sd = Buffer.alloc(needed.readUInt32LE());
    if (w.advapi32.GetFileSecurityW(name, info, sd, sd.length, needed)) return decodeSecurityDescriptor(sd);
    code = w.kernel32.GetLastError();
    if (code !== ERROR_INSUFFICIENT_BUFFER) break;
  }
  throw new Win32Error('GetFileSecurityW', code, file);
}

/** Set `file`'s owner and DACL to the self-relative descriptor `sd` (protected: see above). */
export function writeFileSecurity(w: Win32, file: string, sd: Buffer): void {
  if (!w.advapi32.SetFileSecurityW(wideZ(file), OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, sd)) {
    throw new Win32Error('SetFileSecurityW', w.kernel32.GetLastError(), file);
  }
}

/** Create the folder `dir` (its parent must exist) with `sd` as its descriptor: no moment with another ACL. */
export function createDirectoryWithSecurity(w: Win32, dir: string, sd: Buffer): void {
  const sa = Buffer.alloc(SECURITY_ATTRIBUTES.size);
  writeStruct(SECURITY_ATTRIBUTES, sa, 0, { nLength: SECURITY_ATTRIBUTES.size, lpSecurityDescriptor: w.memory.addressOf(sd), bInheritHandle: 0 });
  if (!w.kernel32.CreateDirectoryW(wideZ(dir), sa)) throw new Win32Error('CreateDirectoryW', w.kernel32.GetLastError(), dir);
}
