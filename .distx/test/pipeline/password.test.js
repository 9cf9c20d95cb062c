"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const password_1 = require("../../src/pipeline/password");
const u16 = (...units) => {
    const b = Buffer.alloc(units.length * 2);
    units.forEach((u, i) => b.writeUInt16LE(u, i * 2));
    return b;
};
describe('password normalisation', () => {
    it('converts UTF-16LE with an emoji to the exact UTF-8 bytes', () => {
        const r = (0, password_1.normalisePassword)(Buffer.from('p\u{1F511}w€', 'utf16le'), 2);
        node_assert_1.strict.ok(r.ok);
        node_assert_1.strict.deepEqual([...r.utf8], [...Buffer.from('p\u{1F511}w€', 'utf8')]);
    });
    it('refuses a lone high surrogate, a lone low surrogate and an odd length', () => {
        for (const bad of [u16(0x41, 0xd83d), u16(0xd83d, 0x41), u16(0xdc00, 0x41), Buffer.from([0x41, 0x00, 0x42])]) {
            const r = (0, password_1.normalisePassword)(bad, 2);
            node_assert_1.strict.equal(r.ok, false);
            node_assert_1.strict.match(r.reason, /^password-unrepresentable/);
        }
    });
    it('keeps valid raw UTF-8 as it is and refuses invalid bytes', () => {
        const good = Buffer.from('pässwörd\u{1F600}', 'utf8');
        const r = (0, password_1.normalisePassword)(good, 1);
        node_assert_1.strict.ok(r.ok && r.utf8.equals(good));
        for (const bad of [[0xc3, 0x28], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
            node_assert_1.strict.equal((0, password_1.normalisePassword)(Buffer.from(bad), 1).ok, false, `bytes ${bad}`);
        }
    });
    it('refuses an unknown encoding', () => {
        node_assert_1.strict.equal((0, password_1.normalisePassword)(Buffer.from('x'), 7).ok, false);
    });
    it('agrees with Node on every string: UTF-16LE of any well-formed string converts to its UTF-8 (property)', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
            const r = (0, password_1.normalisePassword)(Buffer.from(s, 'utf16le'), 2);
            return r.ok && r.utf8.equals(Buffer.from(s, 'utf8'));
        }));
    });
    it('validates UTF-8 exactly like a fatal TextDecoder (property)', () => {
        const dec = new TextDecoder('utf-8', { fatal: true });
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.uint8Array({ maxLength: 12 }), (bytes) => {
            let ok = true;
            try {
                dec.decode(bytes);
            }
            catch {
                ok = false;
            }
            return (0, password_1.isValidUtf8)(bytes) === ok;
        }), { numRuns: 5000 });
    });
    it('withholds an error message that contains the password', () => {
        const pw = Buffer.from('Tr0ub4dor&3');
        node_assert_1.strict.doesNotMatch((0, password_1.safeMessage)(new Error('rejected Tr0ub4dor&3 by policy'), pw), /Tr0ub4dor/);
        node_assert_1.strict.equal((0, password_1.safeMessage)(new TypeError('socket hang up'), pw), 'TypeError: socket hang up');
    });
});
//# sourceMappingURL=password.test.js.map