// What crosses into Windows, byte for byte: UTF-16LE strings and passwords, REG_MULTI_SZ, the struct
// layouts (held against koffi's own layout engine, which follows the same C rules), the encoders and
// decoders, FILETIME and password-age arithmetic, and the C declarations koffi will parse on Windows.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as koffi from 'koffi';
import { CALLBACK_PROTOS, DECLARATIONS, declaredName } from '../../../src/platform/windows/binding';
import {
  FILETIME_UNIX_EPOCH, LastSetStabilizer, filetimeToMs, joinFiletime, lastSetFromAge, msToFiletime, splitFiletime,
} from '../../../src/platform/windows/filetime';
import { offsetOf, readWideZ, struct, type StructLayout } from '../../../src/platform/windows/layout';
import { decodeMultiSz, encodeMultiSz } from '../../../src/platform/windows/multi-sz';
import {
  ALL_LAYOUTS, LSA_OBJECT_ATTRIBUTES, LSA_UNICODE_STRING, NET_VALIDATE_OUTPUT_ARG, NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG,
  NET_VALIDATE_PERSISTED_FIELDS, SC_ACTION, SERVICE_FAILURE_ACTIONSW, SERVICE_STATUS, USER_INFO_1, USER_INFO_1003, USER_INFO_3,
  USER_MODALS_INFO_3, decodeServiceStatus, decodeUserInfo3, encodeFailureActions, encodeLsaObjectAttributes, encodeLsaUnicodeString,
  encodePointerArray, encodeServiceStatus, encodeServiceTable, encodeUserInfo1, encodeUserInfo1003, encodeValidateChangeInput,
} from '../../../src/platform/windows/structs';
import { fromWide, utf8ToWideZ, wideZ, WideStringError } from '../../../src/platform/windows/utf16';
import { LinuxMemory } from './fake-win32';

/** The same layout through koffi (its types: uint32_t, void *, nested structs), for comparison. */
const koffiTypes = new Map<string, koffi.TypeObject>();
function koffiType(l: StructLayout, cache = koffiTypes): koffi.TypeObject {
  const hit = cache.get(l.name);
  if (hit) return hit;
  const fields: Record<string, string | koffi.TypeObject> = {};
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
      const b = wideZ('Jürgen 🙂');
      assert.equal(b.length, (7 + 2 + 1) * 2, '🙂 is two units, plus the NUL');
      assert.equal(b.readUInt16LE(b.length - 2), 0);
      assert.equal(fromWide(b.subarray(0, -2)), 'Jürgen 🙂');
      assert.throws(() => wideZ('a\0b'), WideStringError);
      assert.deepEqual([...wideZ('')], [0, 0]);
    });

    it('passwords: UTF-8 bytes become exactly the UTF-16LE Windows gets, for every valid string (property)', () => {
      fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0')), (s) => {
        const w = utf8ToWideZ(Buffer.from(s, 'utf8'));
        assert.deepEqual(w, Buffer.from(`${s}\0`, 'utf16le'));
      }), { numRuns: 300 });
    });

    it('passwords: invalid UTF-8, surrogates, overlong forms and NUL are refused with no password in the message', () => {
      const cases: Array<[string, Buffer]> = [
        ['lone continuation', Buffer.from([0x41, 0x80])],
        ['truncated', Buffer.from([0x41, 0xe2, 0x82])],
        ['surrogate D800', Buffer.from([0xed, 0xa0, 0x80])],
        ['overlong /', Buffer.from([0xc0, 0xaf])],
        ['above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
        ['NUL', Buffer.from('Secr\0t')],
      ];
      for (const [label, bytes] of cases) {
        assert.throws(() => utf8ToWideZ(bytes), (e: Error) => e instanceof WideStringError && !e.message.includes('Secr'), label);
      }
    });

    it('passwords: an empty password is just the terminator', () => {
      assert.deepEqual([...utf8ToWideZ(Buffer.alloc(0))], [0, 0]);
    });
  });

  describe('REG_MULTI_SZ', () => {
    it('round-trips lists, including the empty list and non-ASCII names (property)', () => {
      const name = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0'));
      fc.assert(fc.property(fc.array(name, { maxLength: 8 }), (values) => {
        const d = decodeMultiSz(encodeMultiSz(values));
        assert.deepEqual(d.values, values);
        assert.deepEqual(d.irregular, []);
      }), { numRuns: 300 });
    });

    it('encodes canonically: each string and the list NUL-terminated', () => {
      assert.deepEqual(encodeMultiSz(['ab', 'ç']), Buffer.from('ab\0ç\0\0', 'utf16le'));
      assert.deepEqual(encodeMultiSz([]), Buffer.from('\0', 'utf16le'));
      assert.throws(() => encodeMultiSz(['a', '']), /empty string/);
      assert.throws(() => encodeMultiSz(['a\0b']), /NUL/);
    });

    it('decodes what careless writers leave: no final NUL, empty strings inside, zero bytes, odd length', () => {
      assert.deepEqual(decodeMultiSz(Buffer.alloc(0)), { values: [], irregular: [] });
      assert.deepEqual(decodeMultiSz(Buffer.from('\0\0', 'utf16le')).values, []);
      const noFinal = decodeMultiSz(Buffer.from('scecli\0rassfm\0', 'utf16le'));
      assert.deepEqual(noFinal.values, ['scecli', 'rassfm']);
      assert.match(noFinal.irregular.join(), /no empty string at the end/);
      const unterminated = decodeMultiSz(Buffer.from('scecli\0rassfm', 'utf16le'));
      assert.deepEqual(unterminated.values, ['scecli', 'rassfm']);
      const hole = decodeMultiSz(Buffer.from('scecli\0\0rassfm\0\0', 'utf16le'));
      assert.deepEqual(hole.values, ['scecli', 'rassfm']);
      assert.match(hole.irregular.join(), /empty string at position 1/);
      const odd = decodeMultiSz(Buffer.concat([Buffer.from('a\0\0', 'utf16le'), Buffer.from([0x41])]));
      assert.deepEqual(odd.values, ['a']);
      assert.match(odd.irregular.join(), /odd number of bytes/);
    });
  });

  describe('struct layouts', () => {
    it('every layout has the size and offsets koffi computes for the same C struct', () => {
      for (const l of ALL_LAYOUTS) {
        const t = koffiType(l);
        assert.equal(l.size, koffi.sizeof(t), `sizeof(${l.name})`);
        assert.equal(l.align, koffi.alignof(t), `alignof(${l.name})`);
        for (const name of Object.keys(l.fields)) assert.equal(offsetOf(l, name), koffi.offsetof(t, name), `${l.name}.${name}`);
      }
    });

    it('the documented 64-bit sizes and the fields pwbridge reads sit where the SDK headers put them', () => {
      assert.equal(USER_INFO_1.size, 56);
      assert.equal(offsetOf(USER_INFO_1, 'usri1_flags'), 40);
      assert.equal(USER_INFO_3.size, 184);
      assert.deepEqual(['usri3_password_age', 'usri3_flags', 'usri3_bad_pw_count', 'usri3_user_id'].map((f) => offsetOf(USER_INFO_3, f)), [16, 40, 128, 152]);
      assert.equal(USER_INFO_1003.size, 8);
      assert.equal(USER_MODALS_INFO_3.size, 12);
      assert.equal(NET_VALIDATE_PERSISTED_FIELDS.size, 48);
      assert.deepEqual(['ClearPassword', 'UserAccountName', 'HashedPassword', 'PasswordMatch'].map((f) => offsetOf(NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, f)), [48, 56, 64, 80]);
      assert.equal(NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG.size, 88);
      assert.equal(offsetOf(NET_VALIDATE_OUTPUT_ARG, 'ValidationStatus'), 48);
      assert.equal(LSA_UNICODE_STRING.size, 16);
      assert.equal(offsetOf(LSA_UNICODE_STRING, 'Buffer'), 8);
      assert.equal(LSA_OBJECT_ATTRIBUTES.size, 48);
      assert.equal(SERVICE_STATUS.size, 28);
      assert.equal(SC_ACTION.size, 8);
      assert.equal(SERVICE_FAILURE_ACTIONSW.size, 40);
    });

    it('a deliberately wrong layout is caught (the comparison can fail)', () => {
      const wrong = struct('USER_MODALS_INFO_3', [['usrmod3_lockout_duration', 'u32'], ['usrmod3_lockout_threshold', 'u64']]);
      const right = koffi.struct('pwbt_wrong_modals', { usrmod3_lockout_duration: 'uint32_t', usrmod3_lockout_threshold: 'uint32_t' });
      assert.notEqual(wrong.size, koffi.sizeof(right));
    });
  });

  describe('encoders and decoders (real pointers into real Buffers)', () => {
    const mem = new LinuxMemory();
    const at = (b: Buffer, off: number) => b.readBigUInt64LE(off);

    it('USER_INFO_1003 points at the NUL-terminated password', () => {
      const pw = utf8ToWideZ(Buffer.from('Pä55✓'));
      const e = encodeUserInfo1003(mem, pw);
      assert.equal(mem.wide(at(e.buf, 0)), 'Pä55✓');
      assert.ok(e.keep.includes(pw));
    });

    it('USER_INFO_1 for NetUserAdd: name, password, USER_PRIV_USER, comment, flags', () => {
      const e = encodeUserInfo1(mem, { nameWideZ: wideZ('pwbridge'), passwordWideZ: wideZ('x'), commentWideZ: wideZ('svc'), flags: 0x10201 });
      assert.equal(mem.wide(at(e.buf, 0)), 'pwbridge');
      assert.equal(mem.wide(at(e.buf, 8)), 'x');
      assert.equal(e.buf.readUInt32LE(20), 1, 'usri1_priv');
      assert.equal(mem.wide(at(e.buf, 32)), 'svc');
      assert.equal(e.buf.readUInt32LE(40), 0x10201);
      assert.equal(at(e.buf, 24), 0n, 'no home dir');
    });

    it('USER_INFO_3 array: names (non-ASCII) and numbers read from the right offsets', () => {
      const strings = [Buffer.from('Zoë\0', 'utf16le'), Buffer.from('管理者\0', 'utf16le')];
      const arr = Buffer.alloc(USER_INFO_3.size * 2);
      strings.forEach((s, i) => {
        const base = i * USER_INFO_3.size;
        arr.writeBigUInt64LE(koffi.address(s), base);
        arr.writeUInt32LE(3600 * (i + 1), base + 16);
        arr.writeUInt32LE(0x211, base + 40);
        arr.writeUInt32LE(i + 2, base + 128);
        arr.writeUInt32LE(1000 + i, base + 152);
      });
      const users = decodeUserInfo3(mem, koffi.address(arr), 2);
      assert.deepEqual(users, [
        { name: 'Zoë', rid: 1000, passwordAgeSec: 3600, flags: 0x211, badPwCount: 2 },
        { name: '管理者', rid: 1001, passwordAgeSec: 7200, flags: 0x211, badPwCount: 3 },
      ]);
      assert.deepEqual(decodeUserInfo3(mem, 0n, 0), []);
      assert.throws(() => decodeUserInfo3(mem, 0n, 1), /NULL buffer/);
    });

    it('NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG: no persisted fields, the password, the account, PasswordMatch', () => {
      const e = encodeValidateChangeInput(mem, wideZ('New-Pw1'), wideZ('alice'));
      assert.ok(e.buf.subarray(0, 48).every((b) => b === 0), 'PresentFields 0, nothing persisted');
      assert.equal(mem.wide(at(e.buf, 48)), 'New-Pw1');
      assert.equal(mem.wide(at(e.buf, 56)), 'alice');
      assert.ok(e.buf.subarray(64, 80).every((b) => b === 0), 'no hash');
      assert.equal(e.buf[80], 1);
    });

    it('LSA_UNICODE_STRING: byte lengths without and with the NUL, refusing an unterminated Buffer', () => {
      const s = wideZ('SeServiceLogonRight');
      const e = encodeLsaUnicodeString(mem, s);
      assert.equal(e.buf.readUInt16LE(0), 19 * 2);
      assert.equal(e.buf.readUInt16LE(2), 20 * 2);
      assert.equal(mem.wide(at(e.buf, 8)), 'SeServiceLogonRight');
      assert.throws(() => encodeLsaUnicodeString(mem, Buffer.from('ab', 'utf16le')), /NUL-terminated/);
      assert.throws(() => encodeLsaUnicodeString(mem, Buffer.alloc(0x10000)), /longer than/);
      const oa = encodeLsaObjectAttributes();
      assert.equal(oa.readUInt32LE(0), 48);
      assert.ok(oa.subarray(4).every((b) => b === 0));
    });

    it('SERVICE_STATUS round trip, failure actions with their SC_ACTION array, the dispatch table', () => {
      const st = { serviceType: 0x10, currentState: 4, controlsAccepted: 5, win32ExitCode: 0, serviceSpecificExitCode: 0, checkPoint: 3, waitHint: 10_000 };
      assert.deepEqual(decodeServiceStatus(encodeServiceStatus(st)), st);
      const fa = encodeFailureActions(mem, 86_400, [{ type: 1, delayMs: 5000 }, { type: 1, delayMs: 60_000 }, { type: 0, delayMs: 0 }]);
      assert.equal(fa.buf.readUInt32LE(0), 86_400);
      assert.equal(fa.buf.readUInt32LE(24), 3);
      const arr = mem.read(at(fa.buf, 32), 24);
      assert.deepEqual([arr.readUInt32LE(0), arr.readUInt32LE(4), arr.readUInt32LE(8), arr.readUInt32LE(12)], [1, 5000, 1, 60_000]);
      const table = encodeServiceTable(mem, wideZ('pwbridge'), 0x1234n);
      assert.equal(table.buf.length, 32);
      assert.equal(mem.wide(at(table.buf, 0)), 'pwbridge');
      assert.equal(at(table.buf, 8), 0x1234n);
      assert.ok(table.buf.subarray(16).every((b) => b === 0), 'terminator entry');
    });

    it('an array of string pointers (ReportEventW lpStrings)', () => {
      const e = encodePointerArray(mem, [wideZ('one'), wideZ('twö')]);
      assert.deepEqual([mem.wide(at(e.buf, 0)), mem.wide(at(e.buf, 8))], ['one', 'twö']);
      assert.equal(readWideZ(mem, 0n), undefined);
    });
  });

  describe('FILETIME and password age', () => {
    it('FILETIME ↔ ms: the Unix epoch, a known date, split and join (property)', () => {
      assert.equal(filetimeToMs(FILETIME_UNIX_EPOCH), 0);
      // 2024-01-01T00:00:00Z is 133,485,408,000,000,000 ticks.
      assert.equal(msToFiletime(Date.UTC(2024, 0, 1)), 133_485_408_000_000_000n);
      fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const ft = msToFiletime(ms);
        assert.equal(filetimeToMs(ft), ms);
        const { low, high } = splitFiletime(ft);
        assert.equal(joinFiletime(low, high), ft);
      }));
    });

    it('last set = now (whole seconds) − age', () => {
      assert.equal(lastSetFromAge(1_700_000_000_999, 100), 1_699_999_900);
      assert.equal(lastSetFromAge(1_700_000_000_000, 0), 1_700_000_000);
    });

    it('the stabilizer keeps one value while readings jitter by a second, and moves on a real change', () => {
      const saved: Array<Record<string, number>> = [];
      let stored: Record<string, number> | undefined = { 1001: 1000 };
      const s = new LastSetStabilizer({ load: () => stored, save: (v) => { stored = v; saved.push(v); } });
      assert.equal(s.stabilize(1001, 1001), 1000);
      assert.equal(s.stabilize(1001, 999), 1000);
      s.commit();
      assert.equal(saved.length, 0, 'nothing changed, nothing written');
      assert.equal(s.stabilize(1001, 5000), 5000, 'a password set later is a new value');
      assert.equal(s.stabilize(1002, 42), 42);
      s.commit();
      assert.deepEqual(saved, [{ 1001: 5000, 1002: 42 }]);
      const again = new LastSetStabilizer({ load: () => stored, save: () => assert.fail('no change') });
      assert.equal(again.stabilize(1001, 5001), 5000, 'a new process sees the same value');
      again.commit();
    });
  });

  describe('declarations', () => {
    it('every C declaration parses (koffi.proto), names are unique, callbacks too', () => {
      const names = new Set<string>();
      for (const [dll, decls] of Object.entries(DECLARATIONS)) {
        for (const d of decls) {
          assert.doesNotThrow(() => koffi.proto(d), `${dll}: ${d}`);
          const n = declaredName(d);
          assert.ok(!names.has(n), `${n} declared twice`);
          names.add(n);
        }
      }
      for (const p of Object.values(CALLBACK_PROTOS)) assert.doesNotThrow(() => koffi.proto(p));
      assert.ok(['NetUserEnum', 'NetUserGetInfo', 'NetUserSetInfo', 'NetUserModalsGet', 'NetValidatePasswordPolicy', 'LogonUserW', 'ReportEventW', 'RegSetValueExW', 'CreateServiceW'].every((n) => names.has(n)));
    });
  });
});
