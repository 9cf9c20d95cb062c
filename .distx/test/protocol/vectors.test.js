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
Object.defineProperty(exports, "__esModule", { value: true });
// The shared vectors (test/vectors/frames.json): the codec must reproduce each frame byte for byte from
// the vector's inputs and decode it back. Key derivations are recomputed with plain HMAC/HKDF here,
// independently of src/protocol/keys.ts, so a bug there cannot hide by regenerating the file.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const constants_1 = require("../../src/protocol/constants");
const frame_1 = require("../../src/protocol/frame");
const m = __importStar(require("../../src/protocol/messages"));
const seal_1 = require("../../src/protocol/seal");
const server_session_1 = require("../../src/protocol/server-session");
const repo_root_1 = require("../vectors/repo-root");
const vectors_1 = require("../vectors/vectors");
const V = JSON.parse(fs.readFileSync((0, repo_root_1.vectorsPath)(), 'utf8'));
const h = (s) => Buffer.from(String(s), 'hex');
const K = V.keys;
const hm = (key, ...parts) => parts.reduce((x, p) => x.update(p), (0, node_crypto_1.createHmac)('sha256', key)).digest();
function bodyOf(v) {
    const f = v.fields;
    switch (v.type) {
        case 'CHALLENGE': return m.encodeChallenge({ nb: h(f.nb) });
        case 'HELLO': return m.encodeHello({ kind: f.kind, captureVersion: f.capture_version, bootId: h(f.boot_id), sessionId: h(f.session_id), nc: h(f.nc), machine: f.machine });
        case 'HELLO_ACK': return m.encodeHelloAck({ bridgeVersion: f.bridge_version });
        case 'CHANGE': return m.encodeChange({ eventId: h(f.event_id), capturedAt: f.captured_at, accountId: f.account_id, account: f.account, encoding: f.encoding, sealed: h(f.sealed_hex) });
        case 'ACK': return m.encodeAck({ eventId: h(f.event_id), status: f.status, reason: f.reason });
        case 'HEARTBEAT': return m.encodeHeartbeat({ queued: f.queued, spooled: f.spooled, dropped: f.dropped });
    }
}
describe('protocol/vectors (test/vectors/frames.json)', () => {
    it('is what the generator produces now (regenerate with node dist/test/vectors/generate.js)', () => {
        node_assert_1.strict.deepEqual((0, vectors_1.buildVectors)(), V);
    });
    it('has the keys the document defines', () => {
        const S = h(K.secret);
        node_assert_1.strict.equal(K.k_hello, hm(S, Buffer.from('pwbridge/1/hello'), h(K.nb)).toString('hex'));
        node_assert_1.strict.equal(K.k_c2b, hm(S, Buffer.from('pwbridge/1/c2b'), h(K.nb), h(K.nc)).toString('hex'));
        node_assert_1.strict.equal(K.k_b2c, hm(S, Buffer.from('pwbridge/1/b2c'), h(K.nb), h(K.nc)).toString('hex'));
        node_assert_1.strict.equal(K.seal_prk, hm(Buffer.from('pwbridge/1/seal'), h(K.ecdh_z)).toString('hex'));
        const jwk = (0, node_crypto_1.createPrivateKey)(K.bridge_private_pem).export({ format: 'jwk' });
        node_assert_1.strict.equal(Buffer.from(jwk.d, 'base64url').toString('hex'), K.bridge_private);
    });
    it('covers every message type', () => {
        node_assert_1.strict.deepEqual([...new Set(V.frames.map((f) => f.type))].sort(), Object.keys(constants_1.MessageType).sort());
    });
    for (const v of V.frames) {
        it(`reproduces and decodes ${v.name}`, () => {
            const body = bodyOf(v);
            node_assert_1.strict.equal(body.toString('hex'), v.body_hex);
            const key = v.key === 'none' ? undefined : h(K[`k_${v.key}`]);
            const frame = (0, frame_1.encodeFrame)(constants_1.MessageType[v.type], BigInt(v.seq), body, key);
            node_assert_1.strict.equal(frame.toString('hex'), v.frame_hex);
            const f = (0, frame_1.decodeFrame)(h(v.frame_hex));
            node_assert_1.strict.equal(f.type, constants_1.MessageType[v.type]);
            node_assert_1.strict.equal(f.seq, BigInt(v.seq));
            node_assert_1.strict.equal(f.body.toString('hex'), v.body_hex);
            if (key)
                node_assert_1.strict.deepEqual(f.tag, hm(key, f.signed));
            if (v.type === 'CHANGE') {
                const c = m.decodeChange(f.body);
                node_assert_1.strict.equal(c.account, v.fields.account);
                node_assert_1.strict.equal(c.sealed.toString('hex'), v.fields.sealed_hex);
                const sealed = m.splitSealed(c.sealed);
                node_assert_1.strict.equal(sealed.epk.toString('hex'), K.ephemeral_public);
                node_assert_1.strict.equal(sealed.iv.toString('hex'), v.fields.iv);
                const k = Buffer.from((0, node_crypto_1.hkdfSync)('sha256', h(K.ecdh_z), Buffer.from('pwbridge/1/seal'), c.eventId, 32));
                node_assert_1.strict.equal(k.toString('hex'), v.fields.seal_key);
                const pw = (0, seal_1.open)(c.sealed, c.eventId, c.accountBytes, c.encoding, h(K.bridge_private));
                node_assert_1.strict.equal(pw.toString('hex'), v.fields.password_hex);
            }
        });
    }
    for (const r of V.refusals) {
        it(`refuses ${r.name} (${r.reason})`, () => {
            node_assert_1.strict.equal(r.code, constants_1.Reason[r.reason]);
            const s = new server_session_1.ServerSession({ secret: h(K.secret), random: () => h(K.nb) });
            const challenge = V.frames.find((f) => f.name === 'challenge');
            node_assert_1.strict.equal(s.start().toString('hex'), challenge.frame_hex);
            const evs = r.input_hex.flatMap((x) => s.feed(h(x)));
            const end = s.end();
            if (end)
                evs.push(end);
            const last = evs[evs.length - 1];
            if (r.outcome === 'close') {
                node_assert_1.strict.equal(last.kind, 'refused');
                node_assert_1.strict.equal(last.reason, r.reason);
                node_assert_1.strict.equal(evs.filter((e) => e.kind === 'refused').length, 1);
            }
            else {
                node_assert_1.strict.equal(last.kind, 'change-refused');
                node_assert_1.strict.equal(last.reason, r.reason);
                node_assert_1.strict.equal(last.reply.toString('hex'), r.ack_hex);
            }
        });
    }
});
//# sourceMappingURL=vectors.test.js.map