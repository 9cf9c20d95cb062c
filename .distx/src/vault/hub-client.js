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
exports.HubClient = exports.HubCertificateError = void 0;
exports.hubUnreachable = hubUnreachable;
/**
 * HTTPS to the hub, for the agent (HttpVault) and `pwbridge setup`.
 *
 * The hub's certificate is self-signed by default, so an agent trusts it in one of two ways:
 * - pinned (`fingerprint`): on every connection, before a byte of the request is sent, the SHA-256 of
 *   the certificate the server presents must equal the fingerprint recorded at setup. Nothing else about
 *   the certificate matters (no CA, no name, no dates): the pin is the trust.
 * - a CA (`caFile`): ordinary TLS verification against that CA, with the host name checked; for hubs
 *   with a certificate from the organisation's own CA, which can then be renewed without a new setup.
 */
const fs = __importStar(require("node:fs"));
const https = __importStar(require("node:https"));
const tls = __importStar(require("node:tls"));
/** The hub answered, but not with what was pinned: nothing was sent. */
class HubCertificateError extends Error {
    constructor(message) {
        super(message);
        this.name = 'HubCertificateError';
    }
}
exports.HubCertificateError = HubCertificateError;
const REQUEST_TIMEOUT_MS = 30_000;
/** A listing of 10,000 credentials is about 2 MB. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** An https.Agent that hands a socket to the request only once its certificate matches the pin. */
class PinnedAgent extends https.Agent {
    pin;
    url;
    constructor(pin, url) {
        // No TLS session reuse: every connection shows its certificate, and every one is checked.
        super({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0 });
        this.pin = pin;
        this.url = url;
    }
    createConnection(options, callback) {
        let done = false;
        const finish = (err, s) => {
            if (done)
                return;
            done = true;
            callback(err, s);
        };
        // The chain is not verified (the certificate is self-signed); the pin below is the check, and it
        // runs before the request is given the socket, so no byte of it is written to an impostor.
        const socket = tls.connect({ ...options, rejectUnauthorized: false });
        socket.once('secureConnect', () => {
            const seen = socket.getPeerX509Certificate()?.fingerprint256;
            if (seen !== this.pin) {
                socket.destroy();
                finish(new HubCertificateError(`the hub at ${this.url} presented a certificate with SHA-256 fingerprint ${seen ?? '(none)'}, `
                    + `not the one pinned at setup (${this.pin}); nothing was sent. If the hub's certificate was replaced on purpose, run pwbridge setup again`));
                return;
            }
            finish(null, socket);
        });
        socket.once('error', (err) => finish(err));
        return undefined;
    }
}
class HubClient {
    token;
    agent;
    base;
    constructor(endpoint, token) {
        this.token = token;
        this.base = new URL(endpoint.url);
        if (this.base.protocol !== 'https:')
            throw new Error(`hub URL ${endpoint.url} must start with https://`);
        if (endpoint.fingerprint) {
            this.agent = new PinnedAgent(endpoint.fingerprint, this.base.origin);
        }
        else if (endpoint.caFile) {
            this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: fs.readFileSync(endpoint.caFile) });
        }
        else {
            throw new Error('the hub needs a pinned fingerprint or a CA file');
        }
    }
    /**
     * POST (with a JSON body) or GET. Resolves with any HTTP status; rejects only when there was no answer.
     * `bearer` overrides the client's token (setup's session). The request's bytes are wiped once sent.
     */
    async request(method, path, body, bearer, signal) {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
        try {
            return await this.once(method, path, payload, bearer, signal);
        }
        catch (err) {
            // A kept-alive connection the hub closed just as it was reused: the request never reached it.
            if (err.reusedSocket && err.code === 'ECONNRESET') {
                // Awaited: a bare `return` would run `finally` at once, wiping the payload while the new
                // connection is still in its TLS handshake, and the hub would read zeros (HTTP 400, not JSON).
                return await this.once(method, path, payload, bearer, signal);
            }
            throw err;
        }
        finally {
            payload?.fill(0);
        }
    }
    once(method, path, payload, bearer, signal) {
        const token = bearer ?? this.token;
        return new Promise((resolve, reject) => {
            const req = https.request(new URL(path, this.base), {
                method,
                agent: this.agent,
                timeout: REQUEST_TIMEOUT_MS,
                ...(signal ? { signal } : {}),
                headers: {
                    Accept: 'application/json',
                    ...(token ? { Authorization: `Bearer ${token}` } : {}),
                    ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
                },
            }, (res) => {
                const chunks = [];
                let size = 0;
                res.on('data', (c) => {
                    size += c.length;
                    if (size > MAX_RESPONSE_BYTES) {
                        req.destroy(new Error(`the hub's answer to ${path} is larger than ${MAX_RESPONSE_BYTES} bytes`));
                        return;
                    }
                    chunks.push(c);
                });
                res.on('end', () => {
                    const raw = Buffer.concat(chunks);
                    for (const c of chunks)
                        c.fill(0);
                    try {
                        const text = raw.toString('utf8');
                        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : JSON.parse(text) });
                    }
                    catch {
                        reject(new Error(`the hub's answer to ${path} (HTTP ${res.statusCode}) is not JSON`));
                    }
                    finally {
                        raw.fill(0); // it may hold a password (base64)
                    }
                });
                res.on('error', reject);
            });
            req.on('timeout', () => req.destroy(Object.assign(new Error(`the hub at ${this.base.origin} did not answer ${path} within ${REQUEST_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
            req.on('error', (err) => {
                err.reusedSocket = req.reusedSocket;
                reject(err);
            });
            req.end(payload);
        });
    }
    /** The origin requests go to, `https://host:port`. */
    get origin() {
        return this.base.origin;
    }
    /** The bearer token of later requests (the agent token was replaced by a new `pwbridge setup`). */
    setToken(token) {
        this.token = token;
    }
    /** True when `token` is the one requests carry now. */
    hasToken(token) {
        return this.token === token;
    }
    close() {
        this.agent.destroy();
    }
}
exports.HubClient = HubClient;
/** Network error codes that mean no answer came from the hub (as opposed to an answer that refused). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
/** True when a request failed because the hub could not be reached or did not answer. */
function hubUnreachable(err) {
    const code = err?.code;
    return typeof code === 'string' && UNREACHABLE.has(code);
}
//# sourceMappingURL=hub-client.js.map