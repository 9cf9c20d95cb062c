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
exports.MIN_METRICS_TOKEN = exports.METRICS_PATH = void 0;
exports.loadMetricsToken = loadMetricsToken;
exports.serveMetrics = serveMetrics;
/**
 * GET /metrics: the Prometheus text exposition of src/hub/hub-metrics.ts, and who may read it.
 *
 * The values are counts only (no name of an account, machine, client or user, no secret), but they still
 * say how big an organisation is and where it hurts, so by default a scraper must authenticate:
 * - a scrape token (`pwbridge hub --metrics-token-file FILE`): Prometheus sends the same file's content with
 *   `authorization: { type: Bearer, credentials_file: FILE }`. The hub keeps only its SHA-256. This is the
 *   way for Prometheus: a login session expires after 12 hours.
 * - a hub user's login session (any role, viewer up: a viewer already reads far more than these counts),
 *   for a person looking with curl or a browser.
 * - `--metrics-public`: no authentication, for a hub whose port only the monitoring network reaches.
 * An agent token is refused: an agent sees its own client only, and these counts are of every client.
 */
const crypto = __importStar(require("node:crypto"));
const fs = __importStar(require("node:fs"));
const http_error_1 = require("./http-error");
const metrics_1 = require("./metrics");
const passwords_1 = require("./passwords");
exports.METRICS_PATH = '/metrics';
/** A scrape token shorter than this is refused: with no rate limit on /metrics, it must resist guessing. */
exports.MIN_METRICS_TOKEN = 32;
const MAX_METRICS_TOKEN = 512;
/** RFC 6750's b64token: what Prometheus can send in `Authorization: Bearer`. */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;
/**
 * The scrape token's hash, from a file only its owner may read (refused otherwise, naming the file and the
 * problem, never the content). Surrounding whitespace (the newline an editor adds) is not part of it.
 */
function loadMetricsToken(file) {
    let raw;
    try {
        const st = fs.statSync(file);
        if (!st.isFile())
            throw new Error('not a regular file');
        if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
            throw new Error(`mode ${(st.mode & 0o777).toString(8)} lets others read it; chmod 600 it`);
        }
        raw = fs.readFileSync(file);
    }
    catch (err) {
        throw new Error(`--metrics-token-file ${file}: ${err.message}`);
    }
    try {
        const token = raw.toString('utf8').trim();
        if (token.length < exports.MIN_METRICS_TOKEN || token.length > MAX_METRICS_TOKEN || !TOKEN_CHARS.test(token)) {
            throw new Error(`--metrics-token-file ${file}: the token must be ${exports.MIN_METRICS_TOKEN} to ${MAX_METRICS_TOKEN} characters of A-Z a-z 0-9 - . _ ~ + / `
                + '(e.g. openssl rand -base64 33)');
        }
        return (0, passwords_1.tokenHash)(token);
    }
    finally {
        raw.fill(0);
    }
}
/**
 * Answer GET /metrics (200 with the exposition), or throw the HttpError to answer with. Returns who
 * scraped, for the request log (undefined for the public endpoint and the scrape token).
 */
async function serveMetrics(req, res, d) {
    if (req.method !== 'GET')
        throw new http_error_1.HttpError(405, 'method-not-allowed', `${req.method} is not allowed on ${exports.METRICS_PATH}`);
    const principal = d.access.public ? undefined : await authorize(req, d);
    const body = Buffer.from(await d.metrics.render(), 'utf8');
    res.writeHead(200, {
        'Content-Type': metrics_1.EXPOSITION_CONTENT_TYPE,
        'Content-Length': String(body.length),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
    return principal;
}
async function authorize(req, d) {
    const challenge = { 'WWW-Authenticate': 'Bearer realm="pwbridge metrics"' };
    const auth = req.headers.authorization;
    let token;
    if (auth !== undefined) {
        const m = /^Bearer (\S{1,512})$/.exec(auth);
        if (!m)
            throw new http_error_1.HttpError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"', {}, challenge);
        token = m[1];
    }
    else {
        token = d.sessionToken(req);
    }
    if (!token) {
        throw new http_error_1.HttpError(401, 'unauthenticated', 'metrics need the scrape token (--metrics-token-file) or a user\'s login', {}, challenge);
    }
    const hash = (0, passwords_1.tokenHash)(token);
    if (d.access.tokenHash !== undefined && crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(d.access.tokenHash)))
        return undefined;
    if (token.startsWith('pwa_') && await d.store.agentByToken(hash)) {
        throw new http_error_1.HttpError(403, 'forbidden', 'an agent token may not read metrics (they count every client)');
    }
    const user = token.startsWith('pws_') ? await d.store.sessionUser(hash) : undefined;
    if (user)
        return { kind: 'user', user, tokenHash: hash };
    throw new http_error_1.HttpError(401, 'unauthenticated', 'the token is neither the scrape token nor a live login session', {}, challenge);
}
//# sourceMappingURL=metrics-route.js.map