// This machine's NetBIOS name (GetComputerNameW): at most 15 characters, upper case, and what Windows
// itself puts before the backslash in MACHINE\user. Not the DNS host name os.hostname() gives, which may
// be longer and in another case (Wine: "VM" for the host "vm").

import type { Win32 } from './binding';
import { Win32Error } from './win32-errors';

/** MAX_COMPUTERNAME_LENGTH is 15; room for more costs nothing. */
const ROOM = 64;

export function computerName(w: Win32): string {
  const buf = Buffer.alloc(2 * ROOM);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(ROOM);
  if (!w.kernel32.GetComputerNameW(buf, size)) throw new Win32Error('GetComputerNameW', w.kernel32.GetLastError());
  return buf.toString('utf16le', 0, size.readUInt32LE() * 2);
}
