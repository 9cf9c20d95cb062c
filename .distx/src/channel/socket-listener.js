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
exports.listenCaptureEndpoint = listenCaptureEndpoint;
exports.refuseIfServed = refuseIfServed;
exports.endpointServed = endpointServed;
exports.servedThoughRefused = servedThoughRefused;
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const config_error_1 = require("../config/config-error");
const PIPE_PREFIX = '\\\\.\\pipe\\';
function isPipePath(p) {
    return p.toLowerCase().startsWith(PIPE_PREFIX);
}
/**
 * Opens the capture endpoint. Linux: a Unix socket at a file system path (never an abstract name, which
 * any local process could squat) inside a directory only the service's user can enter, the socket itself
 * 0600. Windows: the named pipe through pwbridge_pipe.node (src/channel/win-pipe), which gives it the DACL,
 * first-instance and client-token checks that net cannot.
 */
async function listenCaptureEndpoint(socketPath, onConnection, opts = {}) {
    const isPipe = isPipePath(socketPath);
    if (isPipe && process.platform === 'win32')
        return listenWindowsPipe(socketPath, onConnection, opts);
    if (!isPipe)
        await prepareSocketPath(socketPath);
    const server = net.createServer({ allowHalfOpen: true }, onConnection);
    // Narrow the umask while binding so the socket never exists with looser permissions, even briefly.
    const oldMask = isPipe ? undefined : process.umask(0o177);
    try {
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(socketPath, () => {
                server.off('error', reject);
                resolve();
            });
        });
    }
    finally {
        if (oldMask !== undefined)
            process.umask(oldMask);
    }
    if (!isPipe)
        fs.chmodSync(socketPath, 0o600);
    return server;
}
async function listenWindowsPipe(pipePath, onConnection, opts) {
    // Required here and only here: on Linux neither the loader nor the addon is ever loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PipeServer } = require('./win-pipe/pipe-server');
    const server = new PipeServer(pipePath, opts.pipe);
    server.on('connection', onConnection);
    server.on('refused', (r) => opts.onRefused?.(r.reason, r.detail, r.peerLabel));
    await server.listen();
    return server;
}
async function prepareSocketPath(socketPath) {
    const dir = path.dirname(socketPath);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    const uid = process.getuid?.() ?? 0;
    if (st.uid !== uid) {
        throw new config_error_1.ConfigError('socketPath', `directory ${dir} is owned by uid ${st.uid}, not by this service (uid ${uid})`, 'Choose a socket directory the service owns, e.g. /run/pwbridge');
    }
    fs.chmodSync(dir, 0o700);
    let existing;
    try {
        existing = fs.lstatSync(socketPath);
    }
    catch {
        return;
    }
    if (!existing.isSocket()) {
        throw new config_error_1.ConfigError('socketPath', `${socketPath} exists and is not a socket`, 'Remove it or choose another socketPath');
    }
    await refuseIfServed(socketPath);
    fs.unlinkSync(socketPath); // a stale socket left by a crash
}
/** Refuse (ConfigError) when another process serves the endpoint now: one bridge per data dir. */
async function refuseIfServed(socketPath) {
    if (await endpointServed(socketPath)) {
        throw new config_error_1.ConfigError('socketPath', `another process is already serving ${socketPath}`, 'Stop the other pwbridge, or use another --data-dir');
    }
}
/** True when a process accepts connections on the endpoint now. */
function endpointServed(socketPath) {
    return new Promise((resolve) => {
        const c = net.connect(socketPath);
        c.once('connect', () => { c.destroy(); resolve(true); });
        c.once('error', (err) => resolve(servedThoughRefused(socketPath, err.code)));
    });
}
/**
 * A connect that failed but still shows a server: on Windows the pipe's DACL admits only SYSTEM and the
 * service account, so an administrator who is neither is refused access (libuv: EPERM) by a running service.
 * A pipe that does not exist is ENOENT.
 */
function servedThoughRefused(socketPath, code, platform = process.platform) {
    return platform === 'win32' && isPipePath(socketPath) && (code === 'EPERM' || code === 'EACCES');
}
//# sourceMappingURL=socket-listener.js.map