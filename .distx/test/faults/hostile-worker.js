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
// Hostile peers against the service's socket, in their own process (so the real capture's latency is
// measured in a process of its own): idle connections that never send a byte, slow writers that drip
// one byte a second, and a fuzzer sending random bytes and mutated valid frames (a HELLO or an
// authenticated CHANGE with a few bytes flipped). Counts what the service did with each.
const node_crypto_1 = require("node:crypto");
const net = __importStar(require("node:net"));
const constants_1 = require("../../src/protocol/constants");
const client_session_1 = require("../../src/protocol/client-session");
const count = (m, k) => { m[k] = (m[k] ?? 0) + 1; };
function connectOnce(socketPath) {
    return new Promise((resolve, reject) => {
        const s = net.connect(socketPath);
        s.once('connect', () => { s.off('error', reject); resolve(s); });
        s.once('error', reject);
    });
}
/** Connects refused with EAGAIN (the listen backlog is full: the service has not accepted the earlier
 * ones yet) are tried again, as a determined attacker would; `retries` counts them. */
async function connect(socketPath, retries) {
    for (let attempt = 0;; attempt++) {
        try {
            return await connectOnce(socketPath);
        }
        catch (err) {
            if (err.code !== 'EAGAIN' || attempt >= 50)
                throw err;
            retries.n++;
            await new Promise((r) => setTimeout(r, 20));
        }
    }
}
async function openIdle(spec, r, sockets) {
    // In batches: a thousand connects at once is what an attacker does, but the listen backlog is finite.
    for (let i = 0; i < spec.idle; i += 100) {
        await Promise.all(Array.from({ length: Math.min(100, spec.idle - i) }, async () => {
            try {
                const retries = { n: 0 };
                const s = await connect(spec.socketPath, retries).finally(() => { r.idle.eagainRetries += retries.n; });
                r.idle.opened++;
                s.on('data', () => undefined); // the CHALLENGE, read and ignored
                s.on('error', () => undefined);
                s.once('close', () => { r.idle.closedByService++; });
                sockets.push(s);
            }
            catch (err) {
                r.idle.failed++;
                count(r.idle.errors, err.code ?? 'error');
            }
        }));
    }
}
async function slowWriter(spec, r, until, sockets) {
    let s;
    try {
        s = await connect(spec.socketPath, { n: 0 });
    }
    catch {
        r.slow.failed++;
        return;
    }
    r.slow.opened++;
    sockets.push(s);
    let closed = false;
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.once('close', () => { closed = true; r.slow.closedByService++; });
    // A frame header announcing 4,000 bytes, then the rest one byte a second: it would take an hour.
    const frame = Buffer.concat([Buffer.from([0xa0, 0x0f, 0, 0, 1]), (0, node_crypto_1.randomBytes)(4000)]);
    for (let i = 0; Date.now() < until && !closed && i < frame.length; i++) {
        s.write(frame.subarray(i, i + 1));
        r.slow.bytesSent++;
        await new Promise((res) => setTimeout(res, 1000));
    }
}
function flip(frame) {
    const out = Buffer.from(frame);
    for (let k = 1 + (0, node_crypto_1.randomInt)(3); k > 0; k--)
        out[(0, node_crypto_1.randomInt)(out.length)] ^= 1 << (0, node_crypto_1.randomInt)(8);
    return out;
}
/** One fuzz connection: resolves when the service closed it, or after 2 s (then it is counted as still open). */
function fuzzOnce(spec, r) {
    return new Promise((resolve) => {
        const s = net.connect(spec.socketPath);
        const kind = (0, node_crypto_1.randomInt)(3);
        const session = new client_session_1.ClientSession({
            secret: Buffer.from(spec.secret, 'hex'), bridgePub: Buffer.from(spec.bridgePub, 'hex'), machine: 'FUZZ',
        });
        let done = false;
        const finish = (closedByService) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            if (closedByService)
                r.fuzz.closedByService++;
            else
                r.fuzz.stillOpenAfter2s++;
            session.close();
            s.destroy();
            resolve();
        };
        const timer = setTimeout(() => finish(false), 2000);
        s.once('error', (err) => {
            count(r.fuzz.connectErrors, err.code ?? 'error');
            finish(true);
        });
        s.once('close', () => finish(true));
        s.once('connect', () => {
            r.fuzz.connections++;
            if (kind === 0) {
                r.fuzz.randomBytes++;
                s.write((0, node_crypto_1.randomBytes)(1 + (0, node_crypto_1.randomInt)(600)));
            }
        });
        s.on('data', (chunk) => {
            if (kind === 0)
                return;
            for (const ev of session.feed(chunk)) {
                if (ev.kind === 'challenge') {
                    if (kind === 1) {
                        r.fuzz.mutatedHello++;
                        s.write(flip(ev.reply));
                    }
                    else {
                        s.write(ev.reply);
                    }
                }
                else if (ev.kind === 'ready') {
                    r.fuzz.mutatedChange++;
                    const c = session.change({ account: 'fuzz-victim', encoding: constants_1.Encoding.raw, password: (0, node_crypto_1.randomBytes)(12) });
                    s.write(flip(c.frame));
                }
            }
        });
    });
}
async function main(spec) {
    const r = {
        idle: { opened: 0, failed: 0, eagainRetries: 0, closedByService: 0, openAtEnd: 0, errors: {} },
        slow: { opened: 0, failed: 0, bytesSent: 0, closedByService: 0, openAtEnd: 0 },
        fuzz: { connections: 0, randomBytes: 0, mutatedHello: 0, mutatedChange: 0, closedByService: 0, stillOpenAfter2s: 0, connectErrors: {} },
    };
    const idle = [];
    const slow = [];
    await openIdle(spec, r, idle);
    process.send({ phase: 'idle-open', opened: r.idle.opened, failed: r.idle.failed });
    // The parent starts its capture now; the attack runs for durationMs.
    await new Promise((res) => process.once('message', () => res()));
    const until = Date.now() + spec.durationMs;
    const writers = Array.from({ length: spec.slow }, () => slowWriter(spec, r, until, slow));
    const fuzzers = Array.from({ length: spec.fuzzers }, async () => {
        while (Date.now() < until)
            await fuzzOnce(spec, r);
    });
    await Promise.all([...writers, ...fuzzers]);
    r.idle.openAtEnd = idle.filter((s) => !s.destroyed && s.readyState === 'open').length;
    r.slow.openAtEnd = slow.filter((s) => !s.destroyed && s.readyState === 'open').length;
    // Our own destroy() below fires 'close' too: the counts are taken before it.
    const snapshot = JSON.parse(JSON.stringify(r));
    for (const s of [...idle, ...slow])
        s.destroy();
    return snapshot;
}
process.once('message', (spec) => {
    main(spec).then((result) => process.send({ phase: 'done', result }, () => process.exit(0)), (e) => process.send({ phase: 'error', error: e.message }, () => process.exit(1)));
});
//# sourceMappingURL=hostile-worker.js.map