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
exports.FakeBridge = void 0;
// A minimal bridge for socket tests: ServerSession per connection, acks changes in memory (stored, or
// duplicate for a known event id). `manualAcks` holds ACKs back so tests can release them in any order.
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const server_session_1 = require("../../src/protocol/server-session");
class FakeBridge {
    server;
    socketPath;
    dir;
    secret;
    manualAcks;
    changes = [];
    hellos = [];
    refusals = [];
    stored = new Set();
    held = [];
    refusalWaiters = [];
    constructor(server, socketPath, dir, secret, manualAcks) {
        this.server = server;
        this.socketPath = socketPath;
        this.dir = dir;
        this.secret = secret;
        this.manualAcks = manualAcks;
    }
    static async start(secret, opts = {}) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwb-proto-'));
        const socketPath = path.join(dir, 'capture.sock');
        const server = net.createServer();
        const bridge = new FakeBridge(server, socketPath, dir, secret, opts.manualAcks ?? false);
        server.on('connection', (s) => bridge.serve(s));
        await new Promise((resolve) => server.listen(socketPath, resolve));
        return bridge;
    }
    /** The next refusal logged by any connection. */
    nextRefusal() {
        return new Promise((resolve) => this.refusalWaiters.push(resolve));
    }
    /** Release held ACKs (manualAcks), in reverse order to prove clients match by event id. */
    releaseAcks() {
        const n = this.held.length;
        for (const send of this.held.splice(0).reverse())
            send();
        return n;
    }
    async close() {
        await new Promise((resolve) => this.server.close(() => resolve()));
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
    serve(sock) {
        const session = new server_session_1.ServerSession({ secret: this.secret });
        const refused = (r) => {
            this.refusals.push(r);
            for (const w of this.refusalWaiters.splice(0))
                w(r);
            sock.destroy();
        };
        sock.on('error', () => undefined);
        sock.write(session.start());
        sock.on('data', (chunk) => {
            for (const ev of session.feed(chunk)) {
                if (ev.kind === 'hello') {
                    this.hellos.push(ev.hello);
                    sock.write(ev.reply);
                }
                else if (ev.kind === 'change') {
                    this.changes.push(ev.change);
                    const status = this.stored.has(ev.change.eventIdHex) ? 'duplicate' : 'stored';
                    this.stored.add(ev.change.eventIdHex);
                    const send = () => {
                        const f = session.ack(ev.change.eventId, status);
                        if (f && !sock.destroyed)
                            sock.write(f);
                    };
                    if (this.manualAcks)
                        this.held.push(send);
                    else
                        send();
                }
                else if (ev.kind === 'change-refused')
                    sock.write(ev.reply);
                else if (ev.kind === 'refused')
                    refused(ev);
            }
        });
        sock.on('end', () => {
            const ev = session.end();
            if (ev?.kind === 'refused')
                refused(ev);
            sock.end();
        });
    }
}
exports.FakeBridge = FakeBridge;
//# sourceMappingURL=fake-bridge.js.map