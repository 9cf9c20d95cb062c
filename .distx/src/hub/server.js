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
exports.DEFAULT_DB_CONNECTIONS = exports.MAX_BODY_BYTES = void 0;
exports.openHubDatabase = openHubDatabase;
exports.ensureFirstAdmin = ensureFirstAdmin;
exports.startHub = startHub;
exports.serveHub = serveHub;
/**
 * `pwbridge hub`: the vault served over HTTPS to many machines.
 *
 * node:https with the small router in this file, not a framework. The API is a fixed list of JSON
 * routes (src/hub/api.ts) whose bodies are checked by a 60-line schema checker strictly enough to refuse
 * unknown fields (a framework's default would strip them). Owning the body's bytes means the raw request
 * and response Buffers, which hold passwords in base64, are wiped when done. And the agent (which ships to
 * every machine, the MSI included) gains no dependency tree. The dashboard's static files
 * (src/hub/dashboard-static.ts), push-down's long polls and /metrics are plain node:http too.
 *
 * A hub process keeps nothing between requests but a connection pool: sessions, agents, login counters
 * and events are all in the database, so several processes can share one PostgreSQL.
 */
const https = __importStar(require("node:https"));
const paths_1 = require("../config/paths");
const vault_port_1 = require("../ports/vault.port");
const errors_1 = require("../vault/errors");
const migrations_1 = require("../vault/migrations");
const postgres_open_1 = require("../vault/postgres-open");
const postgres_vault_1 = require("../vault/postgres.vault");
const secret_box_1 = require("../vault/secret-box");
const sqlite_open_1 = require("../vault/sqlite-open");
const sqlite_vault_1 = require("../vault/sqlite.vault");
const access_1 = require("./access");
const api_1 = require("./api");
const cert_1 = require("./cert");
const dashboard_static_1 = require("./dashboard-static");
const db_unavailable_1 = require("./db-unavailable");
const http_error_1 = require("./http-error");
const hub_clock_1 = require("../vault/hub-clock");
const hub_metrics_1 = require("./hub-metrics");
const metrics_route_1 = require("./metrics-route");
const passwords_1 = require("./passwords");
const schema_1 = require("./schema");
const sql_1 = require("./sql");
const login_throttle_1 = require("./login-throttle");
const reveal_api_1 = require("./reveal-api");
const store_1 = require("./store");
const tls_policy_1 = require("./tls-policy");
/** Request bodies larger than this are refused (413) before they are read. */
exports.MAX_BODY_BYTES = 1024 * 1024;
/**
 * PostgreSQL connections per pool, and a hub process has two (the vault's, the hub store's), 20 in all.
 * Every request takes a store connection (its token) and most a vault one; at 4 the store's pool was
 * the queue the 1,000-agent bench waited in (p99 1.49 s; 0.94 s at 12). More than about twice the
 * database's cores run no faster, the queue only moves into PostgreSQL; and 20 a process lets four hub
 * processes share one PostgreSQL within its default max_connections (100, a few reserved).
 */
exports.DEFAULT_DB_CONNECTIONS = 10;
/** The vault and the hub's store on the chosen database, migrations applied. */
async function openHubDatabase(dataDir, db, dbConnections = exports.DEFAULT_DB_CONNECTIONS, sqlite) {
    if (!Number.isSafeInteger(dbConnections) || dbConnections < 1 || dbConnections > 1000) {
        throw new Error(`dbConnections must be an integer from 1 to 1000, got ${dbConnections}`);
    }
    const paths = (0, paths_1.dataPaths)(dataDir);
    (0, paths_1.ensureDataDir)(paths);
    const key = (0, secret_box_1.ensureVaultKey)(paths.vaultKey);
    try {
        if (db) {
            const vault = await postgres_vault_1.PostgresVault.open({ url: db, key, maxConnections: dbConnections });
            return { vault, store: new store_1.HubStore((0, sql_1.postgresSql)((0, postgres_open_1.openPool)({ url: db, max: dbConnections }))), where: (0, postgres_open_1.describePostgresUrl)(db) };
        }
        const vault = await sqlite_vault_1.SqliteVault.open({ path: paths.vaultDb, key, sqlite });
        // A second handle on the same file for the hub's own tables (the vault's handle is its own).
        return { vault, store: new store_1.HubStore((0, sql_1.sqliteSql)((0, sqlite_open_1.openDatabase)(paths.vaultDb, (0, migrations_1.vaultMigrations)('sqlite'), sqlite))), where: paths.vaultDb };
    }
    finally {
        key.fill(0);
    }
}
/**
 * The first admin, on a hub with no user yet: with the given password, or a generated one that is
 * returned (for the caller to print once; it is stored only as a hash). Undefined when no admin was made.
 */
async function ensureFirstAdmin(store, name, password) {
    if (await store.hasUsers())
        return { created: false };
    const pw = password ?? (0, passwords_1.generatePassword)();
    try {
        const created = await store.createFirstAdmin(name, await (0, passwords_1.hashPassword)(pw));
        if (created && !password)
            return { created, generated: pw };
        if (!password)
            pw.fill(0);
        return { created };
    }
    catch (err) {
        if (!password)
            pw.fill(0);
        throw err;
    }
}
async function startHub(options) {
    const certificate = options.cert
        ? (0, cert_1.loadCertificate)(options.cert.certFile, options.cert.keyFile)
        : (0, cert_1.ensureSelfSignedCertificate)(options.dataDir);
    const { vault, store } = await openHubDatabase(options.dataDir, options.db, options.dbConnections, options.sqlite);
    return serveHub({ ...options, certificate, vault, store });
}
/** Serve an opened vault and store (startHub opens them; tests may too). */
async function serveHub(o) {
    const { logger, vault, store } = o;
    const now = o.now ?? Date.now;
    const limits = (0, login_throttle_1.checkThrottleLimits)(o.limits ?? api_1.DEFAULT_LOGIN_LIMITS);
    const maxBody = o.maxBodyBytes ?? exports.MAX_BODY_BYTES;
    // The reveal routes are added here, not in api.ts's list: reveal-api.ts builds on api.ts (no import cycle).
    const all = [...api_1.routes, ...reveal_api_1.revealRoutes];
    const table = new Map(all.map((r) => [`${r.method} ${r.path}`, r]));
    const paths = new Set(all.map((r) => r.path));
    let closed = false;
    const dashboard = (0, dashboard_static_1.loadDashboard)();
    if (!dashboard.dir)
        logger.warn({ tried: dashboard.tried }, 'the dashboard\'s files were not found (npm run build copies them): GET / answers 404');
    const metrics = new hub_metrics_1.HubMetrics(store, now);
    const metricsDeps = { metrics, store, access: o.metrics ?? { public: false }, sessionToken: (req) => cookie(req.headers.cookie, api_1.SESSION_COOKIE) };
    const server = https.createServer({ cert: o.certificate.certPem, key: o.certificate.keyPem, ...tls_policy_1.hubTlsOptions }, (req, res) => {
        void handle(req, res);
    });
    server.requestTimeout = 30_000;
    server.headersTimeout = 20_000;
    server.keepAliveTimeout = 30_000;
    // A TLS client that fails the handshake (an agent whose pin does not match hangs up) is not an error here.
    server.on('tlsClientError', (err) => logger.debug({ err: { message: err.message } }, 'TLS handshake failed'));
    async function handle(req, res) {
        const started = process.hrtime.bigint();
        const path = (req.url ?? '/').split('?')[0];
        const address = req.socket.remoteAddress ?? 'unknown';
        const wipe = [];
        let principal;
        let status = 500;
        const headers = {};
        // For the metrics: the route's template, never the raw path (a label must not take any value a caller sends).
        const routeLabel = paths.has(path) || path === metrics_route_1.METRICS_PATH ? path : 'other';
        let endPoll;
        try {
            if (path === metrics_route_1.METRICS_PATH) {
                principal = await (0, metrics_route_1.serveMetrics)(req, res, metricsDeps);
                status = 200;
                return;
            }
            const route = table.get(`${req.method} ${path}`);
            const asset = !route && (req.method === 'GET' || req.method === 'HEAD') ? dashboard.get(path) : undefined;
            if (asset) {
                status = 200;
                (0, dashboard_static_1.sendAsset)(res, asset, req.method === 'HEAD');
                return;
            }
            if (!route) {
                throw paths.has(path) ? new http_error_1.HttpError(405, 'method-not-allowed', `${req.method} is not allowed on ${path}`)
                    : new http_error_1.HttpError(404, 'no-route', `no such endpoint: ${path}`);
            }
            if (!route.public)
                principal = await authenticate(req);
            if (route.path === '/api/changes')
                endPoll = metrics.longPoll();
            let args;
            if (route.method === 'POST') {
                const raw = await readBody(req, maxBody);
                wipe.push(raw);
                args = (0, schema_1.check)(route.body, parseJson(raw), 'body', wipe);
            }
            const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
            const gone = () => closed || req.socket.destroyed;
            const ctx = { vault, store, limits, principal, address, now, query, gone, setHeader: (k, v) => { headers[k] = v; } };
            const result = await route.handle(ctx, args);
            status = 200;
            metrics.routeAnswered(route.path, args, result, now());
            // Closing: this connection ends with the answer (a long poll answered as the hub stops), so the close is not held.
            if (closed)
                headers.Connection = 'close';
            headers[hub_clock_1.HUB_TIME_HEADER] = String(now());
            send(res, status, result, headers);
        }
        catch (err) {
            const e = toHttpError(err);
            status = e.status;
            if (status === 503 && !(err instanceof http_error_1.HttpError))
                logger.warn({ err: { message: err.message }, path }, 'the database is unavailable: answered 503');
            else if (status >= 500 && !(err instanceof http_error_1.HttpError))
                logger.error({ err: { message: err.message }, path }, 'request failed');
            if (err instanceof http_error_1.HttpError && err.cause instanceof Error)
                logger.warn({ err: { message: err.cause.message }, path }, e.message);
            if (e.status === 413)
                headers.Connection = 'close';
            headers[hub_clock_1.HUB_TIME_HEADER] = String(now());
            send(res, status, { error: { code: e.code, message: e.message, ...e.detail } }, { ...headers, ...e.headers });
        }
        finally {
            for (const b of wipe)
                b.fill(0);
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            endPoll?.();
            metrics.requestDone(routeLabel, req.method, status, ms / 1000);
            // Never the body, the headers or the query string: the line says who did what, and how it went.
            logger.info({ req: { method: req.method, path, address }, status, ms: Math.round(ms * 10) / 10, who: (0, access_1.describePrincipal)(principal) }, 'request');
        }
    }
    async function authenticate(req) {
        const auth = req.headers.authorization;
        let token;
        if (auth !== undefined) {
            const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(auth);
            if (!m)
                throw new http_error_1.HttpError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"');
            token = m[1];
        }
        else {
            token = cookie(req.headers.cookie, api_1.SESSION_COOKIE);
        }
        if (!token)
            throw new http_error_1.HttpError(401, 'unauthenticated', 'log in first (POST /api/login), or send an agent token');
        const hash = (0, passwords_1.tokenHash)(token);
        if (token.startsWith('pwa_')) {
            const agent = await store.agentByToken(hash);
            // Enrolled before the name was reserved: its token would read the hub's own events.
            const reserved = agent && (0, access_1.reservedMachineName)(agent.machine);
            if (reserved)
                throw new http_error_1.HttpError(401, 'unauthenticated', `the agent token is not valid: ${(0, access_1.reservedMachineMessage)(agent.machine, reserved)}, then run pwbridge setup`);
            if (agent)
                return { kind: 'agent', agent };
            throw new http_error_1.HttpError(401, 'unauthenticated', 'the agent token is not valid (revoked, or this machine was enrolled again); run pwbridge setup');
        }
        const user = await store.sessionUser(hash);
        if (user)
            return { kind: 'user', user, tokenHash: hash };
        throw new http_error_1.HttpError(401, 'unauthenticated', 'the session has expired or does not exist; log in again');
    }
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
    });
    const port = server.address().port;
    const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
    return {
        url: `https://${shownHost}:${port}`,
        port,
        certificate: o.certificate,
        vault,
        store,
        async close() {
            if (closed)
                return;
            closed = true;
            await new Promise((resolve) => {
                server.close(() => resolve());
                server.closeIdleConnections();
            });
            await vault.close();
            await store.close();
        },
    };
}
function cookie(header, name) {
    for (const part of (header ?? '').split(';')) {
        const [k, ...v] = part.trim().split('=');
        if (k === name && /^[A-Za-z0-9_-]{1,200}$/.test(v.join('=')))
            return v.join('=');
    }
    return undefined;
}
function readBody(req, max) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    // Also what keeps a cross-site form from posting with a browser's cookie: it cannot send this type.
    if (type !== 'application/json')
        return Promise.reject(new http_error_1.HttpError(415, 'bad-request', 'the body must be JSON (Content-Type: application/json)'));
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > max)
        return Promise.reject(new http_error_1.HttpError(413, 'too-large', `the body is larger than ${max} bytes`));
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const fail = (err) => {
            for (const c of chunks)
                c.fill(0);
            reject(err);
        };
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size > max) {
                req.removeAllListeners('data');
                req.pause();
                fail(new http_error_1.HttpError(413, 'too-large', `the body is larger than ${max} bytes`));
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => {
            if (size > max)
                return;
            const all = Buffer.concat(chunks, size);
            for (const c of chunks)
                c.fill(0);
            resolve(all);
        });
        req.on('error', fail);
    });
}
function parseJson(raw) {
    try {
        return JSON.parse(raw.toString('utf8'));
    }
    catch (err) {
        // V8's message quotes the body, which may hold a password: only the position is passed on.
        const at = /position (\d+)/.exec(err.message)?.[1];
        throw new http_error_1.HttpError(400, 'bad-request', `the body is not valid JSON${at ? ` (at byte ${at})` : ''}`);
    }
}
function toHttpError(err) {
    if (err instanceof http_error_1.HttpError)
        return err;
    if (err instanceof errors_1.VaultInputError)
        return new http_error_1.HttpError(400, 'input', err.message);
    if (err instanceof vault_port_1.VaultNotFoundError) {
        return new http_error_1.HttpError(404, 'not-found', err.message, { what: err.message.replace(/ does not exist$/, '') });
    }
    // The client's options refuse the write: final, unlike a token's refusal (HttpVault tells them apart by the code).
    if (err instanceof vault_port_1.VaultPolicyError)
        return new http_error_1.HttpError(403, 'policy', err.message);
    if (err instanceof vault_port_1.VaultConflictError) {
        return new http_error_1.HttpError(409, 'conflict', err.message, { credentialId: err.credentialId, expected: err.expected, actual: err.actual });
    }
    // The database is restarting or out of connections: a transient outage, not a hub fault. The message
    // does not repeat the driver's (it names hosts and users); the log has it.
    if ((0, db_unavailable_1.isDatabaseUnavailable)(err)) {
        return new http_error_1.HttpError(503, 'unavailable', 'the hub\'s database is unavailable; try again shortly', {}, { 'Retry-After': String(db_unavailable_1.DB_UNAVAILABLE_RETRY_S) });
    }
    return new http_error_1.HttpError(500, 'internal', 'internal error; the hub\'s log has the detail');
}
function send(res, status, body, headers) {
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    res.writeHead(status, {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(bytes.length),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
    });
    // The bytes may hold a password (base64): wiped once the socket has taken them.
    res.end(bytes, () => bytes.fill(0));
}
//# sourceMappingURL=server.js.map