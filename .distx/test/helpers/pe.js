"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DLLCHAR_NX_COMPAT = exports.DLLCHAR_DYNAMIC_BASE = exports.DLLCHAR_HIGH_ENTROPY_VA = void 0;
exports.readPe = readPe;
exports.DLLCHAR_HIGH_ENTROPY_VA = 0x0020;
exports.DLLCHAR_DYNAMIC_BASE = 0x0040;
exports.DLLCHAR_NX_COMPAT = 0x0100;
function readPe(b) {
    const need = (ok, what) => { if (!ok)
        throw new Error(`not a PE32+ image: ${what}`); };
    need(b.toString('latin1', 0, 2) === 'MZ', 'MZ');
    const pe = b.readUInt32LE(0x3c);
    need(b.toString('latin1', pe, pe + 4) === 'PE\0\0', 'PE signature');
    const machine = b.readUInt16LE(pe + 4);
    const sections = b.readUInt16LE(pe + 6);
    const optSize = b.readUInt16LE(pe + 20);
    const opt = pe + 24;
    need(b.readUInt16LE(opt) === 0x20b, 'PE32+ magic');
    const dllCharacteristics = b.readUInt16LE(opt + 70);
    const dirs = opt + 112;
    const table = opt + optSize;
    const rva = (r) => {
        for (let i = 0; i < sections; i++) {
            const s = table + 40 * i;
            const va = b.readUInt32LE(s + 12);
            const size = Math.max(b.readUInt32LE(s + 8), b.readUInt32LE(s + 16));
            if (r >= va && r < va + size)
                return r - va + b.readUInt32LE(s + 20);
        }
        throw new Error(`RVA 0x${r.toString(16)} is in no section`);
    };
    const cstr = (at) => b.toString('latin1', at, b.indexOf(0, at));
    const exports = [];
    const exportRva = b.readUInt32LE(dirs);
    if (exportRva) {
        const e = rva(exportRva);
        const names = b.readUInt32LE(e + 24);
        const nameTable = rva(b.readUInt32LE(e + 32));
        for (let i = 0; i < names; i++)
            exports.push(cstr(rva(b.readUInt32LE(nameTable + 4 * i))));
    }
    const imports = new Map();
    const importRva = b.readUInt32LE(dirs + 8);
    if (importRva) {
        for (let d = rva(importRva);; d += 20) {
            const lookup = b.readUInt32LE(d) || b.readUInt32LE(d + 16);
            const name = b.readUInt32LE(d + 12);
            if (!lookup && !name)
                break;
            const fns = [];
            for (let t = rva(lookup);; t += 8) {
                const thunk = b.readBigUInt64LE(t);
                if (thunk === 0n)
                    break;
                fns.push(thunk & (1n << 63n) ? `#${Number(thunk & 0xffffn)}` : cstr(rva(Number(thunk & 0x7fffffffn)) + 2));
            }
            imports.set(cstr(rva(name)), fns);
        }
    }
    return { machine, dllCharacteristics, exports, imports };
}
//# sourceMappingURL=pe.js.map