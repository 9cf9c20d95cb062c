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
exports.ADMIN_PASSWORD = exports.ADMIN = void 0;
exports.freshPostgresSchema = freshPostgresSchema;
exports.startTestHub = startTestHub;
/**
 * A real hub in this process for tests: HTTPS on 127.0.0.1 (a free port), its self-signed certificate,
 * SQLite in a private data dir or a fresh schema of the run's PostgreSQL (test/helpers/postgres.ts), a
 * first admin with a known password, and its pino log in a file the tests can search.
 */
const fs = __importStar(require("node:fs"));
const https = __importStar(require("node:https"));
const path = __importStar(require("node:path"));
const pino_1 = __importDefault(require("pino"));
const server_1 = require("../../src/hub/server");
const hub_client_1 = require("../../src/vault/hub-client");
const postgres_1 = require("./postgres");
const tmp_1 = require("./tmp");
exports.ADMIN = 'admin';
exports.ADMIN_PASSWORD = 'Admin-Pw-canary-4d1f0b';
const databases = new Map();
/** A fresh empty PostgreSQL schema in one database per `purpose` (the cluster starts on first use). */
async function freshPostgresSchema(purpose) {
    const pg = await (0, postgres_1.testPostgres)();
    let db = databases.get(purpose);
    if (!db) {
        db = pg.createDatabase(purpose);
        databases.set(purpose, db);
    }
    return pg.createSchema(await db);
}
/** `sqlite`: the SQLite driver for the 'sqlite' engine (absent: src/sqlite/drivers.ts's pick). */
async function startTestHub(engine, opts = {}) {
    const tmp = opts.dataDir ? undefined : (0, tmp_1.makeTempDir)('pwbridge-hub-');
    const dataDir = opts.dataDir ?? tmp.dir;
    const schema = engine === 'postgres' ? await freshPostgresSchema('hub') : undefined;
    fs.mkdirSync(path.join(dataDir, 'log'), { recursive: true, mode: 0o700 });
    const logFile = path.join(dataDir, 'log', 'hub.log');
    const logger = (0, pino_1.default)({ level: 'debug' }, pino_1.default.destination({ dest: logFile, sync: true }));
    const hub = await (0, server_1.startHub)({ dataDir, db: schema?.url, host: '127.0.0.1', port: 0, logger, limits: opts.limits, metrics: opts.metrics, now: opts.now, sqlite: opts.sqlite });
    await (0, server_1.ensureFirstAdmin)(hub.store, exports.ADMIN, Buffer.from(exports.ADMIN_PASSWORD));
    const clients = [];
    const client = (token) => {
        const c = new hub_client_1.HubClient({ url: hub.url, fingerprint: hub.certificate.fingerprint }, token);
        clients.push(c);
        return c;
    };
    const anon = client();
    const login = (user, password) => anon.request('POST', '/api/login', { user, password: Buffer.from(password).toString('base64'), bearer: true });
    const token = async (user = exports.ADMIN, password = exports.ADMIN_PASSWORD) => {
        const r = await login(user, password);
        if (r.status !== 200)
            throw new Error(`login of ${user} failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.token;
    };
    let adminToken;
    const others = [];
    return {
        hub, dataDir, db: schema?.url, logFile, client, login, token,
        async second() {
            const h = await (0, server_1.startHub)({ dataDir, db: schema?.url, host: '127.0.0.1', port: 0, logger, limits: opts.limits, metrics: opts.metrics, now: opts.now, sqlite: opts.sqlite });
            others.push(h);
            return h;
        },
        raw(method, p, body, headers = {}) {
            return new Promise((resolve, reject) => {
                const req = https.request({
                    host: '127.0.0.1', port: hub.port, path: p, method, ca: hub.certificate.certPem, agent: false,
                    headers: { ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers },
                }, (res) => {
                    const chunks = [];
                    res.on('data', (c) => chunks.push(c));
                    res.on('end', () => {
                        const text = Buffer.concat(chunks).toString('utf8');
                        let parsed = text;
                        try {
                            parsed = JSON.parse(text);
                        }
                        catch { /* kept as text */ }
                        resolve({ status: res.statusCode ?? 0, body: parsed });
                    });
                });
                req.on('error', reject);
                req.end(body);
            });
        },
        async addUser(name, role, permissions, password) {
            adminToken ??= await token();
            const r = await anon.request('POST', '/api/users', { name, role, permissions, password: Buffer.from(password).toString('base64') }, adminToken);
            if (r.status !== 200)
                throw new Error(`adding user ${name} failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        },
        async close() {
            for (const c of clients)
                c.close();
            for (const h of others)
                await h.close();
            await hub.close();
            await schema?.drop();
            tmp?.cleanup();
        },
    };
}
//# sourceMappingURL=hub.js.map