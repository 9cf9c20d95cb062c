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
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const constants_1 = require("../../src/protocol/constants");
const errors_1 = require("../../src/protocol/errors");
const m = __importStar(require("../../src/protocol/messages"));
const bytes = (n) => fast_check_1.default.uint8Array({ minLength: n, maxLength: n }).map((u) => Buffer.from(u));
const u32 = fast_check_1.default.nat({ max: 0xffffffff });
/** Names as the decoder accepts them: 1..256 UTF-8 bytes, no NUL. */
const name = fast_check_1.default.string({ unit: 'binary', minLength: 1, maxLength: 64 })
    .filter((s) => !s.includes('\0') && Buffer.byteLength(s) <= constants_1.MAX_NAME_BYTES && Buffer.from(s).toString() === s);
const sealed = fast_check_1.default.record({ epkTail: bytes(64), iv: bytes(12), ct: fast_check_1.default.uint8Array({ maxLength: 1024 }), gcmTag: bytes(16) })
    .map((s) => m.joinSealed({ epk: Buffer.concat([Buffer.from([4]), s.epkTail]), iv: s.iv, ct: Buffer.from(s.ct), gcmTag: s.gcmTag }));
const arbs = {
    challenge: fast_check_1.default.record({ nb: bytes(32) }),
    hello: fast_check_1.default.record({ kind: fast_check_1.default.constantFrom(1, 2, 3), captureVersion: u32, bootId: bytes(16), sessionId: bytes(16), nc: bytes(32), machine: name }),
    helloAck: fast_check_1.default.record({ bridgeVersion: u32 }),
    change: fast_check_1.default.record({ eventId: bytes(16), capturedAt: fast_check_1.default.nat({ max: Number.MAX_SAFE_INTEGER }), accountId: u32, account: name, encoding: fast_check_1.default.constantFrom(1, 2), sealed }),
    ack: fast_check_1.default.oneof(fast_check_1.default.record({ eventId: bytes(16), status: fast_check_1.default.constantFrom(0, 1), reason: fast_check_1.default.constant(0) }), fast_check_1.default.record({ eventId: bytes(16), status: fast_check_1.default.constant(2), reason: fast_check_1.default.constantFrom(...Object.values(constants_1.Reason)) })),
    heartbeat: fast_check_1.default.record({ queued: u32, spooled: u32, dropped: u32 }),
};
const codecs = {
    challenge: { enc: m.encodeChallenge, dec: m.decodeChallenge },
    hello: { enc: m.encodeHello, dec: m.decodeHello },
    helloAck: { enc: m.encodeHelloAck, dec: m.decodeHelloAck },
    change: { enc: m.encodeChange, dec: (b) => { const { accountBytes, ...rest } = m.decodeChange(b); void accountBytes; return rest; } },
    ack: { enc: m.encodeAck, dec: m.decodeAck },
    heartbeat: { enc: m.encodeHeartbeat, dec: m.decodeHeartbeat },
};
const isMalformed = (e) => e instanceof errors_1.ProtocolError && e.reason === 'malformed';
describe('protocol/messages', () => {
    for (const key of Object.keys(arbs)) {
        const { enc, dec } = codecs[key];
        describe(key, () => {
            it('round-trips every valid value', () => {
                fast_check_1.default.assert(fast_check_1.default.property(arbs[key], (v) => {
                    node_assert_1.strict.deepEqual(dec(enc(v)), { ...v }); // fc.record objects have a null prototype
                }));
            });
            it('refuses every proper prefix and any trailing byte', () => {
                fast_check_1.default.assert(fast_check_1.default.property(arbs[key], fast_check_1.default.nat(), (v, n) => {
                    const b = enc(v);
                    node_assert_1.strict.throws(() => dec(b.subarray(0, n % b.length)), isMalformed);
                    node_assert_1.strict.throws(() => dec(Buffer.concat([b, Buffer.from([n & 0xff])])), isMalformed);
                }), { numRuns: 50 });
            });
            it('decodes random bytes only if they are the canonical encoding, else throws ProtocolError', () => {
                fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.uint8Array({ maxLength: 200 }), (u) => {
                    const b = Buffer.from(u);
                    let v;
                    try {
                        v = dec(b);
                    }
                    catch (e) {
                        node_assert_1.strict.ok(e instanceof errors_1.ProtocolError, String(e));
                        return;
                    }
                    node_assert_1.strict.deepEqual(enc(v), b);
                }));
            });
        });
    }
    const hello = { kind: 1, captureVersion: 1, bootId: Buffer.alloc(16), sessionId: Buffer.alloc(16), nc: Buffer.alloc(32), machine: 'h' };
    const helloWithMachine = (mb) => {
        const b = m.encodeHello(hello);
        return Buffer.concat([b.subarray(0, b.length - 3), Buffer.from([mb.length & 0xff, mb.length >> 8]), mb]);
    };
    it('refuses names that are empty, too long, hold a NUL or are not UTF-8', () => {
        const bad = [
            [Buffer.alloc(0), /machine is empty/],
            [Buffer.alloc(constants_1.MAX_NAME_BYTES + 1, 0x61), /machine of 257 bytes exceeds 256/],
            [Buffer.from('a\0b'), /NUL/],
            [Buffer.from([0x61, 0xff]), /not valid UTF-8/],
            [Buffer.from([0xed, 0xa0, 0x80]), /not valid UTF-8/], // an encoded surrogate
        ];
        for (const [mb, detail] of bad) {
            node_assert_1.strict.throws(() => m.decodeHello(helloWithMachine(mb)), (e) => isMalformed(e) && detail.test(e.message));
        }
        node_assert_1.strict.equal(m.decodeHello(helloWithMachine(Buffer.alloc(constants_1.MAX_NAME_BYTES, 0x61))).machine.length, constants_1.MAX_NAME_BYTES);
        node_assert_1.strict.throws(() => m.encodeHello({ ...hello, machine: '' }), isMalformed);
    });
    it('refuses unknown kinds, encodings, ack statuses and reason mismatches', () => {
        const h = m.encodeHello(hello);
        h[0] = 5;
        node_assert_1.strict.throws(() => m.decodeHello(h), /kind 5 is unknown/);
        const ack = (status, reason) => Buffer.concat([Buffer.alloc(16), Buffer.from([status, reason & 0xff, reason >> 8])]);
        node_assert_1.strict.throws(() => m.decodeAck(ack(3, 0)), /status 3 is unknown/);
        node_assert_1.strict.throws(() => m.decodeAck(ack(0, 5)), /status 0 with reason 5/);
        node_assert_1.strict.throws(() => m.decodeAck(ack(2, 0)), /status 2 with reason 0/);
        node_assert_1.strict.throws(() => m.decodeAck(ack(2, 99)), /status 2 with reason 99/);
        node_assert_1.strict.equal(m.decodeAck(ack(2, 8)).reason, 8);
    });
    it('refuses a CHANGE with an unknown encoding, a compressed epk, or captured_at beyond 2^53', () => {
        const s = m.joinSealed({ epk: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]), iv: Buffer.alloc(12), ct: Buffer.alloc(3), gcmTag: Buffer.alloc(16) });
        const base = m.encodeChange({ eventId: Buffer.alloc(16), capturedAt: 5, accountId: 1, account: 'a', encoding: 1, sealed: s });
        const encAt = 16 + 8 + 4 + 3;
        const b1 = Buffer.from(base);
        b1[encAt] = 3;
        node_assert_1.strict.throws(() => m.decodeChange(b1), /encoding 3 is unknown/);
        const b2 = Buffer.from(base);
        b2[encAt + 1] = 2;
        node_assert_1.strict.throws(() => m.decodeChange(b2), /not an uncompressed point/);
        const b3 = Buffer.from(base);
        b3.writeBigUInt64LE(1n << 53n, 16);
        node_assert_1.strict.throws(() => m.decodeChange(b3), /captured_at .* out of range/);
        const d = m.decodeChange(base);
        node_assert_1.strict.deepEqual(d.accountBytes, Buffer.from('a'));
        node_assert_1.strict.deepEqual(d.sealed, s);
    });
    it('a CHANGE may carry a ct longer than MAX_PASSWORD_BYTES (the session refuses it with an ACK)', () => {
        const s = m.joinSealed({ epk: Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]), iv: Buffer.alloc(12), ct: Buffer.alloc(1025), gcmTag: Buffer.alloc(16) });
        node_assert_1.strict.equal(m.sealedCtLen(s), 1025);
        const c = m.decodeChange(m.encodeChange({ eventId: Buffer.alloc(16), capturedAt: 1, accountId: 1, account: 'a', encoding: 1, sealed: s }));
        node_assert_1.strict.equal(m.sealedCtLen(c.sealed), 1025);
    });
});
//# sourceMappingURL=messages.test.js.map