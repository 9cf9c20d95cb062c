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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// What crosses into Windows, byte for byte: UTF-16LE strings and passwords, REG_MULTI_SZ, the struct
// layouts (held against koffi's own layout engine, which follows the same C rules), the encoders and
// decoders, FILETIME and password-age arithmetic, and the C declarations koffi will parse on Windows.
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const koffi = __importStar(require("koffi"));
const binding_1 = require("../../../src/platform/windows/binding");
const filetime_1 = require("../../../src/platform/windows/filetime");
const layout_1 = require("../../../src/platform/windows/layout");
const multi_sz_1 = require("../../../src/platform/windows/multi-sz");
const structs_1 = require("../../../src/platform/windows/structs");
const utf16_1 = require("../../../src/platform/windows/utf16");
const fake_win32_1 = require("./fake-win32");
/** The same layout through koffi (its types: uint32_t, void *, nested structs), for comparison. */
const koffiTypes = new Map();
function koffiType(l, cache = koffiTypes) {
    const hit = cache.get(l.name);
    if (hit)
        return hit;
    const fields = {};
    for (const [name, f] of Object.entries(l.fields)) {
        fields[name] = typeof f.type === 'string'
            ? { u8: 'uint8_t', u16: 'uint16_t', u32: 'uint32_t', u64: 'uint64_t', ptr: 'void *' }[f.type]
            : koffiType(f.type, cache);
    }
    const t = koffi.struct(`pwbt_${l.name}`, fields);
    cache.set(l.name, t);
    return t;
}
describe('platform/windows marshalling', () => {
    describe('UTF-16LE strings and passwords', () => {
        it('names: NUL-terminated UTF-16LE, non-ASCII and astral characters intact, NUL refused', () => {
            const b = (0, utf16_1.wideZ)('Jürgen 🙂');
            node_assert_1.strict.equal(b.length, (7 + 2 + 1) * 2, '🙂 is two units, plus the NUL');
            node_assert_1.strict.equal(b.readUInt16LE(b.length - 2), 0);
            node_assert_1.strict.equal((0, utf16_1.fromWide)(b.subarray(0, -2)), 'Jürgen 🙂');
            node_assert_1.strict.throws(() => (0, utf16_1.wideZ)('a\0b'), utf16_1.WideStringError);
            node_assert_1.strict.deepEqual([...(0, utf16_1.wideZ)('')], [0, 0]);
        });
        it('passwords: UTF-8 bytes become exactly the UTF-16LE Windows gets, for every valid string (property)', () => {
            fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0')), (s) => {
                const w = (0, utf16_1.utf8ToWideZ)(Buffer.from(s, 'utf8'));
                node_assert_1.strict.deepEqual(w, Buffer.from(`${s}\0`, 'utf16le'));
            }), { numRuns: 300 });
        });
        it('passwords: invalid UTF-8, surrogates, overlong forms and NUL are refused with no password in the message', () => {
            const cases = [
                ['lone continuation', Buffer.from([0x41, 0x80])],
                ['truncated', Buffer.from([0x41, 0xe2, 0x82])],
                ['surrogate D800', Buffer.from([0xed, 0xa0, 0x80])],
                ['overlong /', Buffer.from([0xc0, 0xaf])],
                ['above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
                ['NUL', Buffer.from('Secr\0t')],
            ];
            for (const [label, bytes] of cases) {
                node_assert_1.strict.throws(() => (0, utf16_1.utf8ToWideZ)(bytes), (e) => e instanceof utf16_1.WideStringError && !e.message.includes('Secr'), label);
            }
        });
        it('passwords: an empty password is just the terminator', () => {
            node_assert_1.strict.deepEqual([...(0, utf16_1.utf8ToWideZ)(Buffer.alloc(0))], [0, 0]);
        });
    });
    describe('REG_MULTI_SZ', () => {
        it('round-trips lists, including the empty list and non-ASCII names (property)', () => {
            const name = fast_check_1.default.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0'));
            fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.array(name, { maxLength: 8 }), (values) => {
                const d = (0, multi_sz_1.decodeMultiSz)((0, multi_sz_1.encodeMultiSz)(values));
                node_assert_1.strict.deepEqual(d.values, values);
                node_assert_1.strict.deepEqual(d.irregular, []);
            }), { numRuns: 300 });
        });
        it('encodes canonically: each string and the list NUL-terminated', () => {
            node_assert_1.strict.deepEqual((0, multi_sz_1.encodeMultiSz)(['ab', 'ç']), Buffer.from('ab\0ç\0\0', 'utf16le'));
            node_assert_1.strict.deepEqual((0, multi_sz_1.encodeMultiSz)([]), Buffer.from('\0', 'utf16le'));
            node_assert_1.strict.throws(() => (0, multi_sz_1.encodeMultiSz)(['a', '']), /empty string/);
            node_assert_1.strict.throws(() => (0, multi_sz_1.encodeMultiSz)(['a\0b']), /NUL/);
        });
        it('decodes what careless writers leave: no final NUL, empty strings inside, zero bytes, odd length', () => {
            node_assert_1.strict.deepEqual((0, multi_sz_1.decodeMultiSz)(Buffer.alloc(0)), { values: [], irregular: [] });
            node_assert_1.strict.deepEqual((0, multi_sz_1.decodeMultiSz)(Buffer.from('\0\0', 'utf16le')).values, []);
            const noFinal = (0, multi_sz_1.decodeMultiSz)(Buffer.from('scecli\0rassfm\0', 'utf16le'));
            node_assert_1.strict.deepEqual(noFinal.values, ['scecli', 'rassfm']);
            node_assert_1.strict.match(noFinal.irregular.join(), /no empty string at the end/);
            const unterminated = (0, multi_sz_1.decodeMultiSz)(Buffer.from('scecli\0rassfm', 'utf16le'));
            node_assert_1.strict.deepEqual(unterminated.values, ['scecli', 'rassfm']);
            const hole = (0, multi_sz_1.decodeMultiSz)(Buffer.from('scecli\0\0rassfm\0\0', 'utf16le'));
            node_assert_1.strict.deepEqual(hole.values, ['scecli', 'rassfm']);
            node_assert_1.strict.match(hole.irregular.join(), /empty string at position 1/);
            const odd = (0, multi_sz_1.decodeMultiSz)(Buffer.concat([Buffer.from('a\0\0', 'utf16le'), Buffer.from([0x41])]));
            node_assert_1.strict.deepEqual(odd.values, ['a']);
            node_assert_1.strict.match(odd.irregular.join(), /odd number of bytes/);
        });
    });
    describe('struct layouts', () => {
        it('every layout has the size and offsets koffi computes for the same C struct', () => {
            for (const l of structs_1.ALL_LAYOUTS) {
                const t = koffiType(l);
                node_assert_1.strict.equal(l.size, koffi.sizeof(t), `sizeof(${l.name})`);
                node_assert_1.strict.equal(l.align, koffi.alignof(t), `alignof(${l.name})`);
                for (const name of Object.keys(l.fields))
                    node_assert_1.strict.equal((0, layout_1.offsetOf)(l, name), koffi.offsetof(t, name), `${l.name}.${name}`);
            }
        });
        it('the documented 64-bit sizes and the fields pwbridge reads sit where the SDK headers put them', () => {
            node_assert_1.strict.equal(structs_1.USER_INFO_1.size, 56);
            node_assert_1.strict.equal((0, layout_1.offsetOf)(structs_1.USER_INFO_1, 'usri1_flags'), 40);
            node_assert_1.strict.equal(structs_1.USER_INFO_3.size, 184);
            node_assert_1.strict.deepEqual(['usri3_password_age', 'usri3_flags', 'usri3_bad_pw_count', 'usri3_user_id'].map((f) => (0, layout_1.offsetOf)(structs_1.USER_INFO_3, f)), [16, 40, 128, 152]);
            node_assert_1.strict.equal(structs_1.USER_INFO_1003.size, 8);
            node_assert_1.strict.equal(structs_1.USER_MODALS_INFO_3.size, 12);
            node_assert_1.strict.equal(structs_1.NET_VALIDATE_PERSISTED_FIELDS.size, 48);
            node_assert_1.strict.deepEqual(['ClearPassword', 'UserAccountName', 'HashedPassword', 'PasswordMatch'].map((f) => (0, layout_1.offsetOf)(structs_1.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, f)), [48, 56, 64, 80]);
            node_assert_1.strict.equal(structs_1.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG.size, 88);
            node_assert_1.strict.equal((0, layout_1.offsetOf)(structs_1.NET_VALIDATE_OUTPUT_ARG, 'ValidationStatus'), 48);
            node_assert_1.strict.equal(structs_1.LSA_UNICODE_STRING.size, 16);
            node_assert_1.strict.equal((0, layout_1.offsetOf)(structs_1.LSA_UNICODE_STRING, 'Buffer'), 8);
            node_assert_1.strict.equal(structs_1.LSA_OBJECT_ATTRIBUTES.size, 48);
            node_assert_1.strict.equal(structs_1.SERVICE_STATUS.size, 28);
            node_assert_1.strict.equal(structs_1.SC_ACTION.size, 8);
            node_assert_1.strict.equal(structs_1.SERVICE_FAILURE_ACTIONSW.size, 40);
        });
        it('a deliberately wrong layout is caught (the comparison can fail)', () => {
            const wrong = (0, layout_1.struct)('USER_MODALS_INFO_3', [['usrmod3_lockout_duration', 'u32'], ['usrmod3_lockout_threshold', 'u64']]);
            const right = koffi.struct('pwbt_wrong_modals', { usrmod3_lockout_duration: 'uint32_t', usrmod3_lockout_threshold: 'uint32_t' });
            node_assert_1.strict.notEqual(wrong.size, koffi.sizeof(right));
        });
    });
    describe('encoders and decoders (real pointers into real Buffers)', () => {
        const mem = new fake_win32_1.LinuxMemory();
        const at = (b, off) => b.readBigUInt64LE(off);
        it('USER_INFO_1003 points at the NUL-terminated password', () => {
            const pw = (0, utf16_1.utf8ToWideZ)(Buffer.from('Pä55✓'));
            const e = (0, structs_1.encodeUserInfo1003)(mem, pw);
            node_assert_1.strict.equal(mem.wide(at(e.buf, 0)), 'Pä55✓');
            node_assert_1.strict.ok(e.keep.includes(pw));
        });
        it('USER_INFO_1 for NetUserAdd: name, password, USER_PRIV_USER, comment, flags', () => {
            const e = (0, structs_1.encodeUserInfo1)(mem, { nameWideZ: (0, utf16_1.wideZ)('pwbridge'), passwordWideZ: (0, utf16_1.wideZ)('x'), commentWideZ: (0, utf16_1.wideZ)('svc'), flags: 0x10201 });
            node_assert_1.strict.equal(mem.wide(at(e.buf, 0)), 'pwbridge');
            node_assert_1.strict.equal(mem.wide(at(e.buf, 8)), 'x');
            node_assert_1.strict.equal(e.buf.readUInt32LE(20), 1, 'usri1_priv');
            node_assert_1.strict.equal(mem.wide(at(e.buf, 32)), 'svc');
            node_assert_1.strict.equal(e.buf.readUInt32LE(40), 0x10201);
            node_assert_1.strict.equal(at(e.buf, 24), 0n, 'no home dir');
        });
        it('USER_INFO_3 array: names (non-ASCII) and numbers read from the right offsets', () => {
            const strings = [Buffer.from('Zoë\0', 'utf16le'), Buffer.from('管理者\0', 'utf16le')];
            const arr = Buffer.alloc(structs_1.USER_INFO_3.size * 2);
            strings.forEach((s, i) => {
                const base = i * structs_1.USER_INFO_3.size;
                arr.writeBigUInt64LE(koffi.address(s), base);
                arr.writeUInt32LE(3600 * (i + 1), base + 16);
                arr.writeUInt32LE(0x211, base + 40);
                arr.writeUInt32LE(i + 2, base + 128);
                arr.writeUInt32LE(1000 + i, base + 152);
            });
            const users = (0, structs_1.decodeUserInfo3)(mem, koffi.address(arr), 2);
            node_assert_1.strict.deepEqual(users, [
                { name: 'Zoë', rid: 1000, passwordAgeSec: 3600, flags: 0x211, badPwCount: 2 },
                { name: '管理者', rid: 1001, passwordAgeSec: 7200, flags: 0x211, badPwCount: 3 },
            ]);
            node_assert_1.strict.deepEqual((0, structs_1.decodeUserInfo3)(mem, 0n, 0), []);
            node_assert_1.strict.throws(() => (0, structs_1.decodeUserInfo3)(mem, 0n, 1), /NULL buffer/);
        });
        it('NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG: no persisted fields, the password, the account, PasswordMatch', () => {
            const e = (0, structs_1.encodeValidateChangeInput)(mem, (0, utf16_1.wideZ)('New-Pw1'), (0, utf16_1.wideZ)('alice'));
            node_assert_1.strict.ok(e.buf.subarray(0, 48).every((b) => b === 0), 'PresentFields 0, nothing persisted');
            node_assert_1.strict.equal(mem.wide(at(e.buf, 48)), 'New-Pw1');
            node_assert_1.strict.equal(mem.wide(at(e.buf, 56)), 'alice');
            node_assert_1.strict.ok(e.buf.subarray(64, 80).every((b) => b === 0), 'no hash');
            node_assert_1.strict.equal(e.buf[80], 1);
        });
        it('LSA_UNICODE_STRING: byte lengths without and with the NUL, refusing an unterminated Buffer', () => {
            const s = (0, utf16_1.wideZ)('SeServiceLogonRight');
            const e = (0, structs_1.encodeLsaUnicodeString)(mem, s);
            node_assert_1.strict.equal(e.buf.readUInt16LE(0), 19 * 2);
            node_assert_1.strict.equal(e.buf.readUInt16LE(2), 20 * 2);
            node_assert_1.strict.equal(mem.wide(at(e.buf, 8)), 'SeServiceLogonRight');
            node_assert_1.strict.throws(() => (0, structs_1.encodeLsaUnicodeString)(mem, Buffer.from('ab', 'utf16le')), /NUL-terminated/);
            node_assert_1.strict.throws(() => (0, structs_1.encodeLsaUnicodeString)(mem, Buffer.alloc(0x10000)), /longer than/);
            const oa = (0, structs_1.encodeLsaObjectAttributes)();
            node_assert_1.strict.equal(oa.readUInt32LE(0), 48);
            node_assert_1.strict.ok(oa.subarray(4).every((b) => b === 0));
        });
        it('SERVICE_STATUS round trip, failure actions with their SC_ACTION array, the dispatch table', () => {
            const st = { serviceType: 0x10, currentState: 4, controlsAccepted: 5, win32ExitCode: 0, serviceSpecificExitCode: 0, checkPoint: 3, waitHint: 10_000 };
            node_assert_1.strict.deepEqual((0, structs_1.decodeServiceStatus)((0, structs_1.encodeServiceStatus)(st)), st);
            const fa = (0, structs_1.encodeFailureActions)(mem, 86_400, [{ type: 1, delayMs: 5000 }, { type: 1, delayMs: 60_000 }, { type: 0, delayMs: 0 }]);
            node_assert_1.strict.equal(fa.buf.readUInt32LE(0), 86_400);
            node_assert_1.strict.equal(fa.buf.readUInt32LE(24), 3);
            const arr = mem.read(at(fa.buf, 32), 24);
            node_assert_1.strict.deepEqual([arr.readUInt32LE(0), arr.readUInt32LE(4), arr.readUInt32LE(8), arr.readUInt32LE(12)], [1, 5000, 1, 60_000]);
            const table = (0, structs_1.encodeServiceTable)(mem, (0, utf16_1.wideZ)('pwbridge'), 0x1234n);
            node_assert_1.strict.equal(table.buf.length, 32);
            node_assert_1.strict.equal(mem.wide(at(table.buf, 0)), 'pwbridge');
            node_assert_1.strict.equal(at(table.buf, 8), 0x1234n);
            node_assert_1.strict.ok(table.buf.subarray(16).every((b) => b === 0), 'terminator entry');
        });
        it('an array of string pointers (ReportEventW lpStrings)', () => {
            const e = (0, structs_1.encodePointerArray)(mem, [(0, utf16_1.wideZ)('one'), (0, utf16_1.wideZ)('twö')]);
            node_assert_1.strict.deepEqual([mem.wide(at(e.buf, 0)), mem.wide(at(e.buf, 8))], ['one', 'twö']);
            node_assert_1.strict.equal((0, layout_1.readWideZ)(mem, 0n), undefined);
        });
    });
    describe('FILETIME and password age', () => {
        it('FILETIME ↔ ms: the Unix epoch, a known date, split and join (property)', () => {
            node_assert_1.strict.equal((0, filetime_1.filetimeToMs)(filetime_1.FILETIME_UNIX_EPOCH), 0);
            // 2024-01-01T00:00:00Z is 133,485,408,000,000,000 ticks.
            node_assert_1.strict.equal((0, filetime_1.msToFiletime)(Date.UTC(2024, 0, 1)), 133485408000000000n);
            fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
                const ft = (0, filetime_1.msToFiletime)(ms);
                node_assert_1.strict.equal((0, filetime_1.filetimeToMs)(ft), ms);
                const { low, high } = (0, filetime_1.splitFiletime)(ft);
                node_assert_1.strict.equal((0, filetime_1.joinFiletime)(low, high), ft);
            }));
        });
        it('last set = now (whole seconds) − age', () => {
            node_assert_1.strict.equal((0, filetime_1.lastSetFromAge)(1_700_000_000_999, 100), 1_699_999_900);
            node_assert_1.strict.equal((0, filetime_1.lastSetFromAge)(1_700_000_000_000, 0), 1_700_000_000);
        });
        it('the stabilizer keeps one value while readings jitter by a second, and moves on a real change', () => {
            const saved = [];
            let stored = { 1001: 1000 };
            const s = new filetime_1.LastSetStabilizer({ load: () => stored, save: (v) => { stored = v; saved.push(v); } });
            node_assert_1.strict.equal(s.stabilize(1001, 1001), 1000);
            node_assert_1.strict.equal(s.stabilize(1001, 999), 1000);
            s.commit();
            node_assert_1.strict.equal(saved.length, 0, 'nothing changed, nothing written');
            node_assert_1.strict.equal(s.stabilize(1001, 5000), 5000, 'a password set later is a new value');
            node_assert_1.strict.equal(s.stabilize(1002, 42), 42);
            s.commit();
            node_assert_1.strict.deepEqual(saved, [{ 1001: 5000, 1002: 42 }]);
            const again = new filetime_1.LastSetStabilizer({ load: () => stored, save: () => node_assert_1.strict.fail('no change') });
            node_assert_1.strict.equal(again.stabilize(1001, 5001), 5000, 'a new process sees the same value');
            again.commit();
        });
    });
    describe('declarations', () => {
        it('every C declaration parses (koffi.proto), names are unique, callbacks too', () => {
            const names = new Set();
            for (const [dll, decls] of Object.entries(binding_1.DECLARATIONS)) {
                for (const d of decls) {
                    node_assert_1.strict.doesNotThrow(() => koffi.proto(d), `${dll}: ${d}`);
                    const n = (0, binding_1.declaredName)(d);
                    node_assert_1.strict.ok(!names.has(n), `${n} declared twice`);
                    names.add(n);
                }
            }
            for (const p of Object.values(binding_1.CALLBACK_PROTOS))
                node_assert_1.strict.doesNotThrow(() => koffi.proto(p));
            node_assert_1.strict.ok(['NetUserEnum', 'NetUserGetInfo', 'NetUserSetInfo', 'NetUserModalsGet', 'NetValidatePasswordPolicy', 'LogonUserW', 'ReportEventW', 'RegSetValueExW', 'CreateServiceW'].every((n) => names.has(n)));
        });
    });
});
//# sourceMappingURL=marshalling.test.js.map