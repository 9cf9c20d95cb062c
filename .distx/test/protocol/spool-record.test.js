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
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const fast_check_1 = __importDefault(require("fast-check"));
const constants_1 = require("../../src/protocol/constants");
const errors_1 = require("../../src/protocol/errors");
const keys_1 = require("../../src/protocol/keys");
const messages_1 = require("../../src/protocol/messages");
const spool_record_1 = require("../../src/protocol/spool-record");
const install_1 = require("../../src/service/install");
const spool_1 = require("../helpers/spool");
const repo_root_1 = require("../vectors/repo-root");
const util_1 = require("./util");
const V = JSON.parse(fs.readFileSync((0, repo_root_1.vectorsPath)(), 'utf8'));
const h = (s) => Buffer.from(s, 'hex');
const K = (0, keys_1.spoolKey)(util_1.SECRET);
const change = (0, spool_1.sealedChange)(util_1.BRIDGE.publicKey, { account: 'alice', password: Buffer.from('spooled secret'), capturedAt: 1_700_000_000_000, accountId: 1000 });
const body = (0, messages_1.encodeChange)(change);
const good = (0, spool_record_1.encodeSpoolRecord)({ kind: 1, machine: 'host-01', body }, K);
/** A record with some fields wrong but a tag that verifies (so the check under test is the one that fires). */
const tagged = (over) => (0, spool_record_1.encodeSpoolRecordParts)({ kind: 1, machine: 'host-01', body, ...over }, K);
function refuses(raw, reason, detail, key = K) {
    node_assert_1.strict.throws(() => (0, spool_record_1.decodeSpoolRecord)(raw, key), (e) => {
        node_assert_1.strict.ok(e instanceof errors_1.ProtocolError, `a ProtocolError, got ${String(e)}`);
        node_assert_1.strict.equal(e.reason, reason, e.message);
        if (detail)
            node_assert_1.strict.match(e.detail, detail);
        // The detail says what is wrong in words: never the record's bytes.
        for (const secretish of [body.subarray(16, 24), raw.length >= 40 ? raw.subarray(-32, -24) : undefined]) {
            if (secretish)
                node_assert_1.strict.ok(!e.detail.includes(secretish.toString('hex')), e.detail);
        }
        return true;
    });
}
describe('protocol/spool-record', () => {
    it('K_spool is HMAC(S, "pwbridge/1/spool"), the service\'s deriveKey(S, "spool")', () => {
        const expected = (0, node_crypto_1.createHmac)('sha256', util_1.SECRET).update('pwbridge/1/spool').digest();
        node_assert_1.strict.deepEqual((0, keys_1.spoolKey)(util_1.SECRET), expected);
        node_assert_1.strict.deepEqual((0, install_1.deriveKey)(util_1.SECRET, 'spool'), expected);
        node_assert_1.strict.throws(() => (0, keys_1.spoolKey)(Buffer.alloc(16)), RangeError);
    });
    it('round-trips: kind, machine, body and the decoded CHANGE', () => {
        const r = (0, spool_record_1.decodeSpoolRecord)(good, K);
        node_assert_1.strict.equal(r.kind, 1);
        node_assert_1.strict.equal(r.machine, 'host-01');
        node_assert_1.strict.deepEqual(r.body, body);
        node_assert_1.strict.deepEqual(r.change.eventId, change.eventId);
        node_assert_1.strict.equal(r.change.capturedAt, change.capturedAt);
        node_assert_1.strict.equal(r.change.accountId, 1000);
        node_assert_1.strict.equal(r.change.account, 'alice');
        node_assert_1.strict.deepEqual(r.change.sealed, change.sealed);
        node_assert_1.strict.deepEqual((0, spool_record_1.encodeSpoolRecord)({ kind: r.kind, machine: r.machine, body: r.body }, K), good);
    });
    it('round-trips any kind, machine name and CHANGE body', () => {
        const name = fast_check_1.default.string({ unit: 'binary', minLength: 1, maxLength: 80 })
            .filter((s) => !s.includes('\0') && Buffer.from(s).toString() === s && Buffer.byteLength(s) <= 256);
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.constantFrom(1, 2, 3, 4), name, name, fast_check_1.default.uint8Array({ maxLength: 1024 }), (kind, machine, account, ct) => {
            const sealed = (0, messages_1.joinSealed)({ ...(0, messages_1.splitSealed)(change.sealed), ct: Buffer.from(ct) });
            const b = (0, messages_1.encodeChange)({ ...change, account, sealed });
            const r = (0, spool_record_1.decodeSpoolRecord)((0, spool_record_1.encodeSpoolRecord)({ kind, machine, body: b }, K), K);
            node_assert_1.strict.equal(r.kind, kind);
            node_assert_1.strict.equal(r.machine, machine);
            node_assert_1.strict.deepEqual(r.body, b);
            node_assert_1.strict.equal(r.change.account, account);
        }), { numRuns: 200 });
    });
    it('the layout is the document\'s: magic, version, kind, reserved, machine str, body_len, body, HMAC tag', () => {
        node_assert_1.strict.equal(good.subarray(0, 4).toString('ascii'), 'PWBS');
        node_assert_1.strict.deepEqual([...good.subarray(4, 8)], [1, 1, 0, 0]);
        node_assert_1.strict.equal(good.readUInt16LE(8), 7);
        node_assert_1.strict.equal(good.subarray(10, 17).toString(), 'host-01');
        node_assert_1.strict.equal(good.readUInt32LE(17), body.length);
        node_assert_1.strict.deepEqual(good.subarray(21, 21 + body.length), body);
        node_assert_1.strict.equal(good.length, 21 + body.length + 32);
        node_assert_1.strict.deepEqual(good.subarray(-32), (0, node_crypto_1.createHmac)('sha256', K).update(good.subarray(0, -32)).digest());
    });
    describe('the shared vector (frames.json "spool")', () => {
        const S = h(V.keys.secret);
        const kSpool = h(V.keys.k_spool);
        it('k_spool is HMAC(secret, "pwbridge/1/spool")', () => {
            node_assert_1.strict.equal(V.keys.k_spool, (0, node_crypto_1.createHmac)('sha256', S).update('pwbridge/1/spool').digest('hex'));
        });
        it('holds the CHANGE body of the frame vector it names, and decodes to it', () => {
            const frame = V.frames.find((f) => f.name === V.spool.change);
            node_assert_1.strict.equal(frame.type, 'CHANGE');
            node_assert_1.strict.equal(V.spool.body_hex, frame.body_hex);
            const r = (0, spool_record_1.decodeSpoolRecord)(h(V.spool.record_hex), kSpool);
            node_assert_1.strict.equal(r.kind, V.spool.kind);
            node_assert_1.strict.equal(r.machine, V.spool.machine);
            node_assert_1.strict.equal(r.body.toString('hex'), frame.body_hex);
            node_assert_1.strict.equal(r.change.eventId.toString('hex'), frame.fields.event_id);
            node_assert_1.strict.equal(r.change.capturedAt, frame.fields.captured_at);
            node_assert_1.strict.equal(r.change.account, frame.fields.account);
            node_assert_1.strict.equal(r.change.sealed.toString('hex'), frame.fields.sealed_hex);
        });
        it('is reproduced byte for byte from its inputs', () => {
            const again = (0, spool_record_1.encodeSpoolRecord)({ kind: V.spool.kind, machine: V.spool.machine, body: h(V.spool.body_hex) }, (0, keys_1.spoolKey)(S));
            node_assert_1.strict.equal(again.toString('hex'), V.spool.record_hex);
        });
    });
    describe('refusals', () => {
        it('every byte flipped anywhere before the tag, or in the tag, fails (bad-tag or a structural check first)', () => {
            for (let i = 0; i < good.length; i++) {
                const t = Buffer.from(good);
                t[i] ^= 0x01;
                node_assert_1.strict.throws(() => (0, spool_record_1.decodeSpoolRecord)(t, K), errors_1.ProtocolError, `byte ${i}`);
            }
        });
        it('a tampered byte in the machine, the body or the tag is bad-tag', () => {
            for (const at of [12, 21, 21 + 16, good.length - 40, good.length - 1]) {
                const t = Buffer.from(good);
                t[at] ^= 0x80;
                refuses(t, 'bad-tag', /tag does not verify/);
            }
        });
        it('another install\'s key is bad-tag', () => {
            refuses(good, 'bad-tag', undefined, (0, keys_1.spoolKey)(Buffer.alloc(32, 1)));
        });
        it('every proper prefix is truncated', () => {
            for (let n = 0; n < good.length; n++)
                refuses(good.subarray(0, n), 'truncated');
        });
        it('bad magic', () => {
            refuses(tagged({ magic: Buffer.from('PWBX') }), 'malformed', /magic/);
            refuses(Buffer.from('XY'), 'malformed', /magic/);
        });
        it('version other than 1', () => {
            refuses(tagged({ version: 2 }), 'bad-version', /version 2/);
            refuses(tagged({ version: 0 }), 'bad-version');
        });
        it('reserved other than 0', () => {
            refuses(tagged({ reserved: 1 }), 'malformed', /reserved/);
            refuses(tagged({ reserved: 0x8000 }), 'malformed', /reserved/);
        });
        it('body_len over 4096 is oversized, even when the bytes are there and tagged', () => {
            const big = Buffer.alloc(constants_1.MAX_SPOOL_BODY + 1);
            refuses(tagged({ body: big }), 'oversized', /4097/);
            refuses(tagged({ bodyLen: 0xffffffff }), 'oversized');
            node_assert_1.strict.throws(() => (0, spool_record_1.encodeSpoolRecord)({ kind: 1, machine: 'm', body: big }, K), /exceeds 4096/);
        });
        it('body_len larger than what the file holds is truncated; smaller leaves trailing bytes', () => {
            refuses(tagged({ bodyLen: body.length + 1 }), 'truncated');
            refuses(tagged({ bodyLen: body.length - 1 }), 'malformed', /after its tag/);
        });
        it('bytes after the tag', () => {
            refuses(Buffer.concat([good, Buffer.from([0])]), 'malformed', /1 bytes after its tag/);
        });
        it('a machine length of 0 or over 256', () => {
            refuses(tagged({ machine: Buffer.alloc(0) }), 'malformed', /machine length 0/);
            refuses(tagged({ machine: Buffer.alloc(257, 0x61) }), 'malformed', /machine length 257/);
        });
        it('a correctly tagged record with an unknown kind, a bad machine name or a bad CHANGE body is malformed', () => {
            refuses(tagged({ kind: 9 }), 'malformed', /kind 9/);
            refuses(tagged({ machine: Buffer.from('a\0b') }), 'malformed', /NUL/);
            refuses(tagged({ machine: Buffer.from([0xc3]) }), 'malformed', /UTF-8/);
            refuses(tagged({ body: Buffer.concat([body, Buffer.from([0])]) }), 'malformed', /CHANGE body has 1 bytes after/);
            const badEncoding = Buffer.from(body);
            badEncoding[16 + 8 + 4 + 2 + 5] = 7;
            refuses(tagged({ body: badEncoding }), 'malformed', /encoding 7/);
            refuses(tagged({ body: Buffer.alloc(0) }), 'malformed', /CHANGE body ends/);
        });
        it('the encoder refuses what the decoder would refuse', () => {
            node_assert_1.strict.throws(() => (0, spool_record_1.encodeSpoolRecord)({ kind: 1, machine: 'm', body: body.subarray(1) }, K), errors_1.ProtocolError);
            node_assert_1.strict.throws(() => (0, spool_record_1.encodeSpoolRecord)({ kind: 9, machine: 'm', body }, K), /kind 9/);
            node_assert_1.strict.throws(() => (0, spool_record_1.encodeSpoolRecord)({ kind: 1, machine: '', body }, K), /machine/);
        });
        it('the largest valid record is MAX_SPOOL_RECORD bytes', () => {
            const b = Buffer.alloc(constants_1.MAX_SPOOL_BODY);
            node_assert_1.strict.equal(tagged({ machine: Buffer.alloc(256, 0x61), body: b }).length, spool_record_1.MAX_SPOOL_RECORD);
        });
    });
});
//# sourceMappingURL=spool-record.test.js.map