"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.forbidCoreDumps = forbidCoreDumps;
exports.isDumpable = isDumpable;
// linux/prctl.h
const PR_SET_DUMPABLE = 4;
const PR_GET_DUMPABLE = 3;
let prctl;
function bind() {
    if (!prctl) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const koffi = require('koffi');
        // Variadic in glibc: each further argument is passed with its type, as C's default promotions would.
        prctl = koffi.load('libc.so.6').func('int prctl(int option, ...)');
    }
    return prctl;
}
/** Make this process non-dumpable: no core file, no same-uid ptrace. Throws when the kernel refuses. */
function forbidCoreDumps() {
    if (bind()(PR_SET_DUMPABLE, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0) !== 0) {
        throw new Error('prctl(PR_SET_DUMPABLE, 0) failed: the service would be dumpable (core files could hold its keys)');
    }
}
/** Whether this process is dumpable now (tests). */
function isDumpable() {
    return bind()(PR_GET_DUMPABLE, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0) !== 0;
}
//# sourceMappingURL=no-core-dumps.js.map