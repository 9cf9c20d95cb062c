// Throwaway real users for the root-only tests. Always paired with removeUser in after()/finally.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Creates pwbt_<random> with no home and no shell; returns its name. */
export function createUser(): string {
  const name = `pwbt_${randomBytes(5).toString('hex')}`;
  execFileSync('/usr/sbin/useradd', ['-M', '-s', '/usr/sbin/nologin', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  return name;
}

/** Sets a password the test's way (chpasswd on stdin), independent of the code under test. */
export function setPasswordDirect(name: string, password: Buffer): void {
  execFileSync('/usr/sbin/chpasswd', [], { input: Buffer.concat([Buffer.from(`${name}:`), password, Buffer.from('\n')]), stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Best effort: never throws, so cleanup cannot mask the real failure. */
export function removeUser(name: string | undefined): void {
  if (!name) return;
  try {
    execFileSync('/usr/sbin/userdel', [name], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
}
