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
exports.REFUSED_BEFORE_FIRST_BYTE = void 0;
exports.registerSelftest = registerSelftest;
exports.connectFailure = connectFailure;
exports.handshake = handshake;
const net = __importStar(require("node:net"));
const config_1 = require("../../config/config");
const paths_1 = require("../../config/paths");
const platform_1 = require("../../platform");
const constants_1 = require("../../protocol/constants");
const socket_listener_1 = require("../../channel/socket-listener");
const keys_1 = require("../../protocol/keys");
const client_session_1 = require("../../protocol/client-session");
const errors_1 = require("../errors");
const options_1 = require("../options");
/**
 * `pwbridge selftest`: connect to the running service as a capture would and check that it proves it
 * holds this install's secret (its HELLO_ACK tag). Sends no password. Exit 0 when it did, 1 otherwise.
 */
function registerSelftest(program) {
    program
        .command('selftest')
        .description('check that the running service answers on its socket and proves this install\'s secret')
        .option('--json', 'the result as one JSON object', false)
        .action(async (o, cmd) => {
        const config = (0, config_1.loadConfig)((0, options_1.dataDirOf)(cmd));
        let keys;
        try {
            keys = (0, keys_1.loadKeys)((0, paths_1.dataPaths)(config.dataDir).keysDir, (0, platform_1.selectKeyFileAccess)());
        }
        catch (err) {
            throw new errors_1.UsageError(`selftest: cannot read this install's keys (${err.message}); run it as root on a data dir the service has used`);
        }
        const started = Date.now();
        const result = await handshake(config.socketPath, keys.secret, keys.publicKey, config.machine);
        (0, keys_1.wipeKeys)(keys);
        const out = { ok: result.ok, socketPath: config.socketPath, ms: Date.now() - started, detail: result.detail };
        if (o.json)
            process.stdout.write(`${JSON.stringify(out)}\n`);
        else
            process.stdout.write(`${out.ok ? 'ok' : 'FAILED'}: ${out.detail} (${config.socketPath}, ${out.ms} ms)\n`);
        if (!out.ok)
            process.exitCode = 1;
    });
}
/** Why the connection failed, in words an administrator can act on. */
function connectFailure(socketPath, code, platform = process.platform) {
    if ((0, socket_listener_1.servedThoughRefused)(socketPath, code, platform)) {
        return `the service is running, but its pipe does not let this account in (access denied, ${code}): only SYSTEM and the `
            + 'service account may open it. Run selftest as SYSTEM (e.g. from a scheduled task), or see pwbridge status';
    }
    return `the service is not reachable (${code ?? 'no error code'})`;
}
/** The server hung up before saying anything: it refused this process (or it is not a bridge). */
exports.REFUSED_BEFORE_FIRST_BYTE = 'the server closed the connection before its first byte: the service lets in only '
    + 'root or SYSTEM and its own account, and refused this process (pwbridge events --kind frame-refused says why), '
    + 'or whatever serves the socket is not a bridge';
function handshake(socketPath, secret, bridgePub, machine) {
    const session = new client_session_1.ClientSession({ secret, bridgePub, machine, kind: constants_1.CaptureKind.selftest });
    return new Promise((resolve) => {
        const socket = net.connect(socketPath);
        let settled = false;
        const done = (ok, detail) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            session.close();
            socket.destroy();
            resolve({ ok, detail });
        };
        let received = 0;
        let connected = false;
        const timer = setTimeout(() => done(false, 'no answer within 5 s'), 5000);
        socket.on('error', (e) => {
            // Connected, then cut off before a byte: a refusal, whatever the transport calls it.
            const cutOff = connected && received === 0 && (e.code === 'EPIPE' || e.code === 'ECONNRESET');
            done(false, cutOff ? exports.REFUSED_BEFORE_FIRST_BYTE : connectFailure(socketPath, e.code ?? e.message));
        });
        socket.once('connect', () => { connected = true; });
        socket.on('close', () => done(false, received === 0 ? exports.REFUSED_BEFORE_FIRST_BYTE : 'the server closed the connection during the handshake'));
        socket.on('data', (chunk) => {
            received += chunk.length;
            for (const ev of session.feed(chunk)) {
                if (ev.kind === 'challenge')
                    socket.write(ev.reply);
                else if (ev.kind === 'ready')
                    done(true, 'the service answered and proved this install\'s secret');
                else if (ev.kind === 'refused')
                    done(false, `the server could not prove this install's secret, so it is not this install's bridge (${ev.reason}: ${ev.detail})`);
            }
        });
    });
}
//# sourceMappingURL=selftest.js.map