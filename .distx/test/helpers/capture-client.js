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
exports.CaptureClient = void 0;
// A reference capture client over a Unix socket: the thin socket half of src/protocol/client-session.ts.
// Tests use it to drive a bridge the way the PAM module / LSA filter will, plus raw-byte injection to
// drive it the way an attacker would.
const net = __importStar(require("node:net"));
const client_session_1 = require("../../src/protocol/client-session");
class CaptureClient {
    socket;
    session;
    /** Every frame this client wrote, raw injections included, in order. */
    sent = [];
    /** Set when the client refused something the bridge sent (e.g. a HELLO_ACK with a bad tag). */
    refusal;
    /** Resolves when the connection is gone, for whatever reason. */
    closed;
    waiters = new Map();
    isClosed = false;
    constructor(socket, session) {
        this.socket = socket;
        this.session = session;
        this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    }
    /** Connect and handshake. Rejects if the peer cannot prove it knows the install secret. */
    static connect(socketPath, opts) {
        const session = new client_session_1.ClientSession({ ...opts, machine: opts.machine ?? 'testhost' });
        const socket = net.connect(socketPath);
        const client = new CaptureClient(socket, session);
        return new Promise((resolve, reject) => {
            let settled = false;
            const fail = (why) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                socket.destroy();
                reject(new Error(why));
            };
            const timer = setTimeout(() => fail('handshake timed out'), opts.timeoutMs ?? 5000);
            socket.on('error', (e) => fail(`connection failed: ${e.code ?? e.message}`));
            socket.on('close', () => {
                client.onClose();
                fail(client.refusal ? `bridge refused: ${client.refusal.reason}: ${client.refusal.detail}` : 'connection closed during the handshake');
            });
            socket.on('data', (chunk) => {
                for (const ev of session.feed(chunk)) {
                    if (ev.kind === 'challenge')
                        client.write(ev.reply);
                    else if (ev.kind === 'ready' && !settled) {
                        settled = true;
                        clearTimeout(timer);
                        resolve(client);
                    }
                    else if (ev.kind === 'ack')
                        client.onAck(ev.eventIdHex, ev.ack);
                    else if (ev.kind === 'refused') {
                        client.refusal = { reason: ev.reason, detail: ev.detail };
                        fail(`bridge refused: ${ev.reason}: ${ev.detail}`);
                        client.destroy();
                    }
                }
            });
        });
    }
    /** Seal and send one CHANGE; `acked` resolves on the ACK with this event id. Pipelining is fine. */
    send(input) {
        const c = this.session.change(input);
        return { eventIdHex: c.eventIdHex, frame: c.frame, body: c.body, acked: this.sendFrame(c.eventIdHex, c.frame) };
    }
    /** Re-send an event as the capture's spool would: same id and sealed bytes, new seq and tag. */
    resend(body) {
        const frame = this.session.changeFromSealed(body);
        const hex = body.eventId.toString('hex');
        return { eventIdHex: hex, frame, body, acked: this.sendFrame(hex, frame) };
    }
    heartbeat(hb) {
        this.write(this.session.heartbeat(hb));
    }
    /** Write arbitrary bytes (a recorded frame, garbage, half a frame). The session's seq is untouched. */
    sendRaw(bytes) {
        this.write(bytes);
    }
    /** Half-close: the bridge sees end of stream (a partial frame sent before is then 'truncated'). */
    end() {
        this.socket.end();
    }
    destroy() {
        this.socket.destroy();
        this.session.close();
    }
    sendFrame(hex, frame) {
        const acked = new Promise((resolve, reject) => {
            if (this.isClosed)
                return reject(new Error('connection is closed'));
            const q = this.waiters.get(hex) ?? [];
            q.push({ resolve, reject });
            this.waiters.set(hex, q);
        });
        acked.catch(() => undefined); // a test that does not await every send must not crash the run
        this.write(frame);
        return acked;
    }
    write(b) {
        this.sent.push(b);
        if (!this.isClosed)
            this.socket.write(b);
    }
    onAck(hex, ack) {
        const q = this.waiters.get(hex);
        const w = q?.shift();
        if (q && q.length === 0)
            this.waiters.delete(hex);
        w?.resolve(ack);
    }
    onClose() {
        this.isClosed = true;
        const why = this.refusal ? `${this.refusal.reason}: ${this.refusal.detail}` : 'connection closed before the ACK';
        for (const q of this.waiters.values())
            for (const w of q)
                w.reject(new Error(why));
        this.waiters.clear();
        this.session.close();
    }
}
exports.CaptureClient = CaptureClient;
//# sourceMappingURL=capture-client.js.map