"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const constants_1 = require("../../src/protocol/constants");
const errors_1 = require("../../src/protocol/errors");
const frame_1 = require("../../src/protocol/frame");
const server_session_1 = require("../../src/protocol/server-session");
const util_1 = require("./util");
const KEY = Buffer.alloc(32, 7);
const TYPES = Object.values(constants_1.MessageType);
const frameArb = fast_check_1.default.record({
    type: fast_check_1.default.constantFrom(...TYPES),
    seq: fast_check_1.default.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    body: fast_check_1.default.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
}).map(({ type, seq, body }) => (0, frame_1.encodeFrame)(type, seq, body, type === constants_1.MessageType.CHALLENGE ? undefined : KEY));
/** Split `b` at the given (sorted, de-duplicated) cut points. */
function cut(b, points) {
    const cuts = [...new Set(points.map((p) => p % (b.length + 1)))].sort((x, y) => x - y);
    const out = [];
    let prev = 0;
    for (const c of [...cuts, b.length]) {
        out.push(b.subarray(prev, c));
        prev = c;
    }
    return out;
}
function frames(results) {
    return results.map((r) => {
        node_assert_1.strict.equal(r.kind, 'frame', r.kind === 'refused' ? r.detail : '');
        return r.frame.raw;
    });
}
describe('protocol/frame', () => {
    it('decodes what it encodes, header fields included', () => {
        fast_check_1.default.assert(fast_check_1.default.property(frameArb, (raw) => {
            const f = (0, frame_1.decodeFrame)(raw);
            node_assert_1.strict.deepEqual((0, frame_1.encodeFrameParts)({ type: f.type, seq: f.seq, body: f.body, tag: f.tag }), raw);
            node_assert_1.strict.equal(f.signed.length, raw.length - 4 - (f.tag ? 32 : 0));
        }));
    });
    it('any chunking of a valid stream yields the same frames', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.array(frameArb, { minLength: 1, maxLength: 8 }), fast_check_1.default.array(fast_check_1.default.nat(), { maxLength: 40 }), (fs, points) => {
            const stream = Buffer.concat(fs);
            const reader = new frame_1.FrameReader();
            const got = cut(stream, points).flatMap((c) => frames(reader.feed(c)));
            node_assert_1.strict.deepEqual(got, fs);
            node_assert_1.strict.equal(reader.end(), undefined);
        }));
    });
    it('random bytes give frames or one refusal, never another exception, and stop at the refusal', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.uint8Array({ maxLength: 6000 }), fast_check_1.default.array(fast_check_1.default.nat(), { maxLength: 20 }), (u, points) => {
            const reader = new frame_1.FrameReader();
            const results = [];
            for (const c of cut(Buffer.from(u), points))
                results.push(...reader.feed(c));
            const end = reader.end();
            const refusals = results.filter((r) => r.kind === 'refused');
            node_assert_1.strict.ok(refusals.length <= 1);
            if (refusals.length)
                node_assert_1.strict.equal(results[results.length - 1].kind, 'refused');
            if (end)
                node_assert_1.strict.equal(end.reason, 'truncated');
            const consumed = results.flatMap((r) => (r.kind === 'frame' ? [r.frame.raw.length] : [])).reduce((a, b) => a + b, 0);
            if (!refusals.length && !end)
                node_assert_1.strict.equal(consumed, u.length);
        }));
    });
    it('random bytes into a server session never throw anything but are refused or parsed', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.uint8Array({ maxLength: 3000 }), (u) => {
            const s = new server_session_1.ServerSession({ secret: util_1.SECRET });
            s.start();
            const evs = s.feed(Buffer.from(u));
            const last = s.end();
            // Without the secret, random bytes can never produce a hello (or anything after it).
            for (const e of [...evs, ...(last ? [last] : [])])
                node_assert_1.strict.equal(e.kind, 'refused');
        }), { numRuns: 300 });
    });
    it('refuses an oversized length from the length field alone and reads nothing after it', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.integer({ min: constants_1.MAX_FRAME - 3, max: 0xffffffff }), (len) => {
            const reader = new frame_1.FrameReader();
            const head = Buffer.alloc(4);
            head.writeUInt32LE(len);
            const r = reader.feed(head);
            node_assert_1.strict.equal(r.length, 1);
            node_assert_1.strict.equal(r[0].kind, 'refused');
            const ref = r[0];
            node_assert_1.strict.equal(ref.reason, 'oversized');
            node_assert_1.strict.match(ref.detail, new RegExp(`frame length ${len} .*exceeds ${constants_1.MAX_FRAME}`));
            node_assert_1.strict.equal(reader.buffered, 0);
            node_assert_1.strict.deepEqual(reader.feed(Buffer.alloc(100000)), []);
            node_assert_1.strict.equal(reader.end(), undefined);
        }));
    });
    it('accepts a frame of exactly MAX_FRAME bytes and refuses one byte more', () => {
        const body = Buffer.alloc(constants_1.MAX_FRAME - 16 - 32);
        const ok = (0, frame_1.encodeFrame)(constants_1.MessageType.CHANGE, 1n, body, KEY);
        node_assert_1.strict.equal(ok.length, constants_1.MAX_FRAME);
        node_assert_1.strict.equal(new frame_1.FrameReader().feed(ok)[0].kind, 'frame');
        node_assert_1.strict.throws(() => (0, frame_1.encodeFrame)(constants_1.MessageType.CHANGE, 1n, Buffer.alloc(body.length + 1), KEY), (e) => e instanceof errors_1.ProtocolError && e.reason === 'oversized');
    });
    it('reports a stream that ends inside a frame as truncated, with the byte counts', () => {
        const f = (0, frame_1.encodeFrame)(constants_1.MessageType.HELLO, 1n, Buffer.alloc(20), KEY);
        for (const n of [1, 3, 4, 16, f.length - 1]) {
            const reader = new frame_1.FrameReader();
            node_assert_1.strict.deepEqual(reader.feed(f.subarray(0, n)), []);
            const end = reader.end();
            node_assert_1.strict.equal(end?.reason, 'truncated');
            node_assert_1.strict.match(end.detail, n < 4 ? /length field/ : new RegExp(`${n} of ${f.length} bytes`));
        }
    });
    it('refuses bad version, non-zero flags, unknown type, short length and a missing tag', () => {
        const cases = [
            [(0, frame_1.encodeFrameParts)({ version: 2, type: 2, seq: 1n, body: Buffer.alloc(40) }), 'bad-version', /version 2/],
            [(0, frame_1.encodeFrameParts)({ flags: 0x8000, type: 2, seq: 1n, body: Buffer.alloc(40) }), 'malformed', /flags 0x8000/],
            [(0, frame_1.encodeFrameParts)({ type: 0, seq: 1n, body: Buffer.alloc(40) }), 'malformed', /unknown message type 0/],
            [(0, frame_1.encodeFrameParts)({ type: 7, seq: 1n, body: Buffer.alloc(40) }), 'malformed', /unknown message type 7/],
            [(0, frame_1.encodeFrameParts)({ type: 5, seq: 1n, body: Buffer.alloc(31) }), 'malformed', /no room for its 32-byte tag/],
            [(0, frame_1.encodeFrameParts)({ len: 5, type: 1, seq: 1n, body: Buffer.alloc(0) }).subarray(0, 9), 'malformed', /below the minimum 12/],
        ];
        for (const [bytes, reason, detail] of cases) {
            const r = new frame_1.FrameReader().feed(bytes);
            node_assert_1.strict.equal(r.length, 1);
            node_assert_1.strict.equal(r[0].kind, 'refused');
            node_assert_1.strict.equal(r[0].reason, reason);
            node_assert_1.strict.match(r[0].detail, detail);
        }
    });
    it('a CHALLENGE has no tag and every other type must have one', () => {
        node_assert_1.strict.throws(() => (0, frame_1.encodeFrame)(constants_1.MessageType.CHALLENGE, 1n, Buffer.alloc(32), KEY), /takes no tag/);
        node_assert_1.strict.throws(() => (0, frame_1.encodeFrame)(constants_1.MessageType.CHANGE, 1n, Buffer.alloc(32)), /needs tag/);
        node_assert_1.strict.equal((0, frame_1.decodeFrame)((0, frame_1.encodeFrame)(constants_1.MessageType.CHALLENGE, 1n, Buffer.alloc(32))).tag, undefined);
    });
    it('frames it returns do not share memory with the chunks fed in', () => {
        const f = (0, frame_1.encodeFrame)(constants_1.MessageType.HELLO, 1n, Buffer.alloc(20, 1), KEY);
        const chunk = Buffer.from(f);
        const [r] = new frame_1.FrameReader().feed(chunk);
        chunk.fill(0);
        node_assert_1.strict.deepEqual(r.frame.raw, f);
    });
});
//# sourceMappingURL=frame.test.js.map