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
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const capture_connection_1 = require("../../src/channel/capture-connection");
const constants_1 = require("../../src/protocol/constants");
const capture_client_1 = require("../helpers/capture-client");
const tmp_1 = require("../helpers/tmp");
// A hook that throws (state.db full while the HELLO is recorded) must end that one connection with a
// refusal, never the process: before, the throw escaped the socket's 'data' handler.
describe('a capture connection whose hook throws', () => {
    it('is refused and closed; the server keeps serving the next connection', async () => {
        const tmp = (0, tmp_1.makeTempDir)('pwbridge-conn-');
        const socketPath = path.join(tmp.dir, 'c.sock');
        const secret = (0, node_crypto_1.randomBytes)(32);
        const { publicKey } = (0, node_crypto_1.generateKeyPairSync)('ec', { namedCurve: 'prime256v1' });
        const bridgePub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
        const refusals = [];
        let helloThrows = true;
        const server = net.createServer({ allowHalfOpen: true }, (socket) => (0, capture_connection_1.serveCaptureConnection)(socket, {
            secret,
            onHello: () => { if (helloThrows)
                throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); },
            onChange: (a) => a.ack('stored'),
            onRefused: (reason, detail) => refusals.push(`${reason}: ${detail}`),
        }));
        await new Promise((r) => server.listen(socketPath, r));
        try {
            const opts = { secret, bridgePub, bootId: (0, node_crypto_1.randomBytes)(16), machine: 'TESTHOST', timeoutMs: 2000 };
            // The HELLO_ACK goes out before the hook runs; the connection is closed right after it.
            const first = await capture_client_1.CaptureClient.connect(socketPath, opts);
            await first.closed;
            strict_1.default.equal(refusals.length, 1);
            strict_1.default.match(refusals[0], /^internal: the bridge could not handle the frame: database or disk is full/);
            helloThrows = false;
            const c = await capture_client_1.CaptureClient.connect(socketPath, opts);
            const ack = await c.send({ account: 'alice', encoding: constants_1.Encoding.raw, password: Buffer.from('pw') }).acked;
            strict_1.default.equal(ack.status, 0);
            c.destroy();
        }
        finally {
            await new Promise((r) => server.close(() => r()));
            tmp.cleanup();
        }
    });
});
//# sourceMappingURL=capture-connection.test.js.map