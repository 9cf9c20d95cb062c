"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fast_check_1 = __importDefault(require("fast-check"));
const errors_1 = require("../../src/protocol/errors");
const messages_1 = require("../../src/protocol/messages");
const seal_1 = require("../../src/protocol/seal");
const util_1 = require("./util");
const ID = Buffer.alloc(16, 0x11);
const ACC = Buffer.from('alice');
const isSealError = (e) => e instanceof errors_1.SealError;
describe('protocol/seal', () => {
    it('round-trips any password byte for byte', () => {
        const opener = new seal_1.Opener(util_1.BRIDGE.privateKey);
        const sealer = new seal_1.Sealer(util_1.BRIDGE.publicKey);
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.uint8Array({ maxLength: 1024 }), fast_check_1.default.uint8Array({ minLength: 16, maxLength: 16 }), fast_check_1.default.uint8Array({ minLength: 1, maxLength: 64 }), fast_check_1.default.constantFrom(1, 2), (pw, id, acc, enc) => {
            const s = sealer.seal(Buffer.from(pw), Buffer.from(id), Buffer.from(acc), enc);
            node_assert_1.strict.equal(s.length, 65 + 12 + 2 + pw.length + 16);
            node_assert_1.strict.deepEqual(opener.open(s, Buffer.from(id), Buffer.from(acc), enc), Buffer.from(pw));
        }));
        node_assert_1.strict.equal(opener.cached, 1, 'one ECDH for the whole session');
    });
    it('keeps UTF-16LE with emoji and raw non-UTF-8 bytes exact', () => {
        for (const [pw, enc] of [[Buffer.from('pässwörd🔑😀', 'utf16le'), 2], [Buffer.from([0xff, 0xfe, 0x80, 0x00, 0xc3]), 1], [Buffer.from([0x3d, 0xd8]), 2] /* lone surrogate */]) {
            const s = (0, seal_1.seal)(pw, ID, ACC, enc, util_1.BRIDGE.publicKey);
            node_assert_1.strict.deepEqual((0, seal_1.open)(s, ID, ACC, enc, util_1.BRIDGE.privateKey), pw);
        }
    });
    it('derives the key as HKDF-SHA256(salt "pwbridge/1/seal", info event id)', () => {
        // Independent check with Node's HKDF: decrypting with a hand-derived key must work.
        const eph = (0, node_crypto_1.createECDH)('prime256v1');
        eph.generateKeys();
        const z = eph.computeSecret(util_1.BRIDGE.publicKey);
        const k = Buffer.from((0, node_crypto_1.hkdfSync)('sha256', z, Buffer.from('pwbridge/1/seal'), ID, 32));
        const s = (0, seal_1.seal)(Buffer.from('pw'), ID, ACC, 1, util_1.BRIDGE.publicKey, { privateKey: eph.getPrivateKey() });
        const p = (0, messages_1.splitSealed)(s);
        node_assert_1.strict.deepEqual(p.epk, eph.getPublicKey());
        const d = require('node:crypto').createDecipheriv('aes-256-gcm', k, p.iv);
        d.setAAD(Buffer.concat([ID, ACC, Buffer.from([1])]));
        d.setAuthTag(p.gcmTag);
        node_assert_1.strict.equal(Buffer.concat([d.update(p.ct), d.final()]).toString(), 'pw');
    });
    it('fails with the wrong key, event id, account or encoding, or any altered byte', () => {
        const pw = Buffer.from('hunter2');
        const s = (0, seal_1.seal)(pw, ID, ACC, 1, util_1.BRIDGE.publicKey);
        node_assert_1.strict.throws(() => (0, seal_1.open)(s, ID, ACC, 1, (0, util_1.bridgeKeyPair)().privateKey), isSealError);
        node_assert_1.strict.throws(() => (0, seal_1.open)(s, Buffer.alloc(16, 0x12), ACC, 1, util_1.BRIDGE.privateKey), isSealError);
        node_assert_1.strict.throws(() => (0, seal_1.open)(s, ID, Buffer.from('alicE'), 1, util_1.BRIDGE.privateKey), isSealError);
        node_assert_1.strict.throws(() => (0, seal_1.open)(s, ID, ACC, 2, util_1.BRIDGE.privateKey), isSealError);
        const opener = new seal_1.Opener(util_1.BRIDGE.privateKey);
        for (let i = 0; i < s.length; i++) {
            const t = Buffer.from(s);
            t[i] ^= 0x80;
            node_assert_1.strict.throws(() => opener.open(t, ID, ACC, 1), (e) => isSealError(e) && !e.message.includes('hunter2'), `byte ${i}`);
        }
        node_assert_1.strict.deepEqual(opener.open(s, ID, ACC, 1), pw, 'the untouched one still opens');
    });
    it('bounds the PRK cache and still opens evicted keys', () => {
        const opener = new seal_1.Opener(util_1.BRIDGE.privateKey, 4);
        const sealedList = Array.from({ length: 10 }, (_, i) => (0, seal_1.seal)(Buffer.from(`pw${i}`), ID, ACC, 1, util_1.BRIDGE.publicKey));
        sealedList.forEach((s, i) => node_assert_1.strict.equal(opener.open(s, ID, ACC, 1).toString(), `pw${i}`));
        node_assert_1.strict.equal(opener.cached, 4);
        node_assert_1.strict.equal(opener.open(sealedList[0], ID, ACC, 1).toString(), 'pw0');
        opener.close();
        node_assert_1.strict.equal(opener.cached, 0);
    });
    it('refuses passwords over 1024 bytes, bad ivs, invalid points, and sealing after close', () => {
        node_assert_1.strict.throws(() => (0, seal_1.seal)(Buffer.alloc(1025), ID, ACC, 1, util_1.BRIDGE.publicKey), /1025 bytes exceeds 1024/);
        node_assert_1.strict.throws(() => (0, seal_1.seal)(Buffer.alloc(1), ID, ACC, 1, util_1.BRIDGE.publicKey, { iv: Buffer.alloc(11) }), /iv must be 12/);
        node_assert_1.strict.throws(() => new seal_1.Sealer(Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)])), /not a valid/);
        const s = (0, seal_1.seal)(Buffer.from('x'), ID, ACC, 1, util_1.BRIDGE.publicKey);
        const bad = Buffer.from(s);
        bad.fill(1, 1, 65); // epk no longer on the curve
        node_assert_1.strict.throws(() => (0, seal_1.open)(bad, ID, ACC, 1, util_1.BRIDGE.privateKey), /not a valid P-256 point/);
        const sealer = new seal_1.Sealer(util_1.BRIDGE.publicKey);
        sealer.close();
        node_assert_1.strict.throws(() => sealer.seal(Buffer.from('x'), ID, ACC, 1), /closed/);
    });
    it('opens many events of one session with one ECDH (the shared secret is cached per epk)', () => {
        const sealer = new seal_1.Sealer(util_1.BRIDGE.publicKey);
        const opener = new seal_1.Opener(util_1.BRIDGE.privateKey);
        const items = Array.from({ length: 2000 }, (_, i) => {
            const id = Buffer.alloc(16);
            id.writeUInt32LE(i);
            return { id, s: sealer.seal(Buffer.from('password123'), id, ACC, 1) };
        });
        for (const it of items)
            node_assert_1.strict.equal(opener.open(it.s, it.id, ACC, 1).toString(), 'password123');
        node_assert_1.strict.equal(opener.cached, 1, 'one session key, one cache entry');
    });
});
//# sourceMappingURL=seal.test.js.map