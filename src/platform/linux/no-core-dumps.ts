// The service holds the install secret, the bridge's private key and, for a moment each, the passwords it
// writes. A core dump would put them in a file (systemd-coredump keeps them in /var/lib/systemd/coredump)
// and a dumpable process lets a same-uid process ptrace it or read /proc/<pid>/mem. PR_SET_DUMPABLE 0 turns
// both off for this process (the kernel also makes its /proc files root's); the unit's LimitCORE=0 is the
// second layer, and holds for a start outside systemd only through this call.
import type * as Koffi from 'koffi';

// linux/prctl.h
const PR_SET_DUMPABLE = 4;
const PR_GET_DUMPABLE = 3;

type Prctl = (option: number, ...args: unknown[]) => number;
let prctl: Prctl | undefined;

function bind(): Prctl {
  if (!prctl) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const koffi = require('koffi') as typeof Koffi;
    // Variadic in glibc: each further argument is passed with its type, as C's default promotions would.
    prctl = koffi.load('libc.so.6').func('int prctl(int option, ...)') as unknown as Prctl;
  }
  return prctl;
}

/** Make this process non-dumpable: no core file, no same-uid ptrace. Throws when the kernel refuses. */
export function forbidCoreDumps(): void {
  if (bind()(PR_SET_DUMPABLE, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0) !== 0) {
    throw new Error('prctl(PR_SET_DUMPABLE, 0) failed: the service would be dumpable (core files could hold its keys)');
  }
}

/** Whether this process is dumpable now (tests). */
export function isDumpable(): boolean {
  return bind()(PR_GET_DUMPABLE, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0) !== 0;
}
