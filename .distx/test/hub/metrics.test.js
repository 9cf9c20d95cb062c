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
// GET /metrics on a real hub, SQLite and PostgreSQL: the exposition read by a strict parser, values that
// move with events, flags, machines, captures, requests and long polls; the database-derived ones the same
// on a second hub process; who may scrape; and no secret or name in the output or the log.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const https = __importStar(require("node:https"));
const hub_metrics_1 = require("../../src/hub/hub-metrics");
const passwords_1 = require("../../src/hub/passwords");
const event_tally_1 = require("../../src/hub/event-tally");
const http_vault_1 = require("../../src/vault/http.vault");
const exposition_1 = require("../helpers/exposition");
const hub_1 = require("../helpers/hub");
const SCRAPE_TOKEN = 'scrape-canary-Q7w2e9r4t6y8u1i3o5p0a2s4d6f8';
const CRED_PW = 'Cred-pw-canary-31f9';
const NEW_PW = 'New-pw-canary-8c2d';
const VIEWER_PW = 'Viewer-pw-canary-55ab';
const CLIENT = 'Client-canary-7';
const ACCOUNT = 'WS01\\bob-canary';
const pw = (s) => Buffer.from(s);
/** GET with any headers, TLS verified against the hub's certificate; status, headers and text. */
function get(hub, path, headers = {}, method = 'GET') {
    return new Promise((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: hub.port, path, method, ca: hub.certificate.certPem, agent: false, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
    });
}
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub: GET /metrics on ${engine}`, function () {
        this.timeout(60_000);
        let t;
        let admin;
        let agent;
        let adminToken;
        let agentToken;
        let cred;
        let offset = 0;
        const now = () => Date.now() + offset;
        const outputs = [];
        /** A scrape with the scrape token, read strictly; `fresh` first moves the hub's clock past the cache. */
        async function scrape(opts = {}) {
            if (opts.fresh)
                offset += hub_metrics_1.CACHE_MS + 1;
            const r = await get(opts.hub ?? t.hub, '/metrics', { Authorization: `Bearer ${SCRAPE_TOKEN}` });
            node_assert_1.strict.equal(r.status, 200, r.text);
            node_assert_1.strict.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
            outputs.push(r.text);
            return (0, exposition_1.parseExposition)(r.text);
        }
        const eventsInDb = async () => Number((await t.hub.store.sql.all('SELECT COUNT(*) AS n FROM events'))[0].n);
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine, { metrics: { public: false, tokenHash: (0, passwords_1.tokenHash)(SCRAPE_TOKEN) }, now });
            adminToken = await t.token();
            admin = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, adminToken);
            await admin.addClient({ name: CLIENT, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
            cred = await admin.addCredential({ client: CLIENT, username: ACCOUNT, password: pw(CRED_PW), windowsSync: true, mode: 'report' });
            const r = await t.client(adminToken).request('POST', '/api/agents', { client: CLIENT, machine: 'WS01' });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            agentToken = r.body.token;
            agent = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agentToken);
        });
        after(async () => {
            await agent?.close();
            await admin?.close();
            await t?.close();
        });
        it('refuses a scraper without the scrape token or a login, a wrong token and an agent token; a viewer\'s login may', async () => {
            const none = await get(t.hub, '/metrics');
            node_assert_1.strict.equal(none.status, 401);
            node_assert_1.strict.match(String(none.headers['www-authenticate']), /^Bearer /);
            node_assert_1.strict.match(none.text, /scrape token/);
            for (const auth of [`Bearer ${SCRAPE_TOKEN}x`, `Bearer ${adminToken.slice(0, -2)}zz`, `Basic ${Buffer.from(`admin:${hub_1.ADMIN_PASSWORD}`).toString('base64')}`]) {
                node_assert_1.strict.equal((await get(t.hub, '/metrics', { Authorization: auth })).status, 401, auth.slice(0, 12));
            }
            const asAgent = await get(t.hub, '/metrics', { Authorization: `Bearer ${agentToken}` });
            node_assert_1.strict.equal(asAgent.status, 403);
            node_assert_1.strict.match(asAgent.text, /agent token may not read metrics/);
            node_assert_1.strict.equal((await get(t.hub, '/metrics', { Authorization: `Bearer ${SCRAPE_TOKEN}` }, 'POST')).status, 405);
            await t.addUser('viewer-canary', 'viewer', [], VIEWER_PW);
            const viewer = await get(t.hub, '/metrics', { Authorization: `Bearer ${await t.token('viewer-canary', VIEWER_PW)}` });
            node_assert_1.strict.equal(viewer.status, 200);
            (0, exposition_1.parseExposition)(viewer.text);
            outputs.push(viewer.text);
        });
        it('counts events by kind and outcome from the database: they move, match its rows, and a second hub process shows the same', async () => {
            const before = await scrape({ fresh: true });
            const ev = (kind, outcome) => ({ time: now(), machine: 'WS09', account: 'carol-canary', kind, outcome });
            await admin.appendEvents([ev('change-synced', 'ok'), ev('change-synced', 'ok'), ev('change-synced', 'ok'),
                ev('conflict', 'flagged'), ev('conflict', 'flagged'), ev('made-up-kind-canary', 'info')]);
            // Within the cache: the same database values.
            const cached = await scrape();
            node_assert_1.strict.equal((0, exposition_1.valueOf)(cached, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }), (0, exposition_1.valueOf)(before, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }));
            const after = await scrape({ fresh: true });
            const delta = (kind, outcome) => (0, exposition_1.valueOf)(after, 'pwbridge_events_total', { kind, outcome }) - (0, exposition_1.valueOf)(before, 'pwbridge_events_total', { kind, outcome });
            node_assert_1.strict.equal(delta('change-synced', 'ok'), 3);
            node_assert_1.strict.equal(delta('conflict', 'flagged'), 2);
            node_assert_1.strict.equal(delta('other', 'info'), 1, 'a kind pwbridge does not record is counted as other');
            node_assert_1.strict.equal((0, exposition_1.sumOf)(after, 'pwbridge_events_total'), await eventsInDb());
            // Past the settle time the tally keeps a watermark and reads only newer ids; totals stay exact.
            offset += event_tally_1.SETTLE_MS + 1;
            await scrape();
            await admin.appendEvents([ev('conflict', 'flagged')]);
            offset += event_tally_1.SETTLE_MS + 1;
            await scrape();
            await admin.appendEvents([ev('change-synced', 'ok')]);
            const settled = await scrape({ fresh: true });
            node_assert_1.strict.equal((0, exposition_1.sumOf)(settled, 'pwbridge_events_total'), await eventsInDb());
            node_assert_1.strict.equal((0, exposition_1.valueOf)(settled, 'pwbridge_events_total', { kind: 'conflict', outcome: 'flagged' }) - (0, exposition_1.valueOf)(after, 'pwbridge_events_total', { kind: 'conflict', outcome: 'flagged' }), 1);
            // A lower id that commits after a higher one is visible (PostgreSQL's sequences allow it): missed by
            // the slice that saw the higher one, counted once that slice is recounted SETTLE_MS later.
            const sql = t.hub.store.sql;
            const top = Number((await sql.all('SELECT MAX(id) AS m FROM events'))[0].m);
            const insert = (id) => sql.run(`INSERT INTO events (id, time, machine, kind, outcome) VALUES ($1, $2, 'WS09', 'conflict', 'flagged')`, [id, now()]);
            await insert(top + 1000);
            node_assert_1.strict.equal((0, exposition_1.sumOf)(await scrape({ fresh: true }), 'pwbridge_events_total'), await eventsInDb());
            await insert(top + 500);
            node_assert_1.strict.equal((0, exposition_1.sumOf)(await scrape({ fresh: true }), 'pwbridge_events_total'), await eventsInDb() - 1, 'the late row is not in the provisional slice');
            offset += event_tally_1.SETTLE_MS + 1;
            node_assert_1.strict.equal((0, exposition_1.sumOf)(await scrape(), 'pwbridge_events_total'), await eventsInDb(), 'the recount has it');
            const second = await scrape({ hub: await t.second() });
            node_assert_1.strict.equal((0, exposition_1.sumOf)(second, 'pwbridge_events_total'), await eventsInDb());
            node_assert_1.strict.equal((0, exposition_1.valueOf)(second, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }), (0, exposition_1.valueOf)(settled, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }));
        });
        it('shows credentials by flag and mode, machines by filter state with journal depth, and agents', async () => {
            const before = await scrape({ fresh: true });
            node_assert_1.strict.equal((0, exposition_1.valueOf)(before, 'pwbridge_credentials_flagged', { flag: 'mismatch' }), 0);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(before, 'pwbridge_credentials', { mode: 'report' }), 1);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(before, 'pwbridge_machines', { filter_state: 'unknown' }), 1, 'WS01, enrolled, not yet reported');
            node_assert_1.strict.equal((0, exposition_1.valueOf)(before, 'pwbridge_agents'), 1);
            await admin.setFlag(cred.id, 'mismatch', true);
            await admin.recordMachine({ name: 'WS02-canary', client: CLIENT, filterState: 'active', journalDepth: 7 });
            await admin.recordMachine({ name: 'WS03', client: CLIENT, filterState: 'weird-state-canary', journalDepth: 1 });
            await admin.recordMachine({ name: 'WS01', client: CLIENT, filterState: 'pending-reboot', journalDepth: 2 });
            const after = await scrape({ fresh: true });
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_credentials_flagged', { flag: 'mismatch' }), 1);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_credentials_flagged', { flag: 'conflict' }), 0);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_machines', { filter_state: 'active' }), 1);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_machines_journal_depth', { filter_state: 'active' }), 7);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_machines', { filter_state: 'pending-reboot' }), 1);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_machines', { filter_state: 'unknown' }), 0);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_machines', { filter_state: 'other' }), 1);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_hub_database_up'), 1);
            await admin.setFlag(cred.id, 'mismatch', false);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(await scrape({ fresh: true }), 'pwbridge_credentials_flagged', { flag: 'mismatch' }), 0);
        });
        it('process-local: capture sync latency (applied captures only), requests by route template and status, open long polls', async () => {
            const before = await scrape();
            const r = await agent.setPasswordFromCapture(cred.id, pw(NEW_PW), cred.version, 'evt-canary-1', now() - 2500);
            node_assert_1.strict.equal(r.applied, true);
            const again = await agent.setPasswordFromCapture(cred.id, pw(NEW_PW), cred.version, 'evt-canary-1', now() - 2500);
            node_assert_1.strict.equal(again.applied, false);
            node_assert_1.strict.equal((await get(t.hub, '/no-such-path-canary')).status, 404);
            const after = await scrape();
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_hub_capture_sync_seconds_count') - (0, exposition_1.valueOf)(before, 'pwbridge_hub_capture_sync_seconds_count'), 1);
            const lag = (0, exposition_1.valueOf)(after, 'pwbridge_hub_capture_sync_seconds_sum') - (0, exposition_1.valueOf)(before, 'pwbridge_hub_capture_sync_seconds_sum');
            node_assert_1.strict.ok(lag >= 2.5 && lag < 10, `lag ${lag}`);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_hub_capture_sync_seconds_bucket', { le: '1' }), (0, exposition_1.valueOf)(before, 'pwbridge_hub_capture_sync_seconds_bucket', { le: '1' }));
            const route = { route: '/api/vault/setPasswordFromCapture', method: 'POST', status: '200' };
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_hub_http_requests_total', route) - (0, exposition_1.valueOf)(before, 'pwbridge_hub_http_requests_total', route), 2);
            node_assert_1.strict.ok((0, exposition_1.valueOf)(after, 'pwbridge_hub_http_requests_total', { route: 'other', method: 'GET', status: '404' }) >= 1);
            node_assert_1.strict.ok((0, exposition_1.valueOf)(after, 'pwbridge_hub_http_request_duration_seconds_count', { route: '/api/vault/setPasswordFromCapture' }) >= 2);
            node_assert_1.strict.ok((0, exposition_1.valueOf)(after, 'process_resident_memory_bytes') > 10 * 1024 * 1024);
            const { cursor } = await agent.waitForChanges('', 0);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(after, 'pwbridge_hub_long_polls_open'), 0);
            const polling = agent.waitForChanges(cursor, 2000);
            await new Promise((res) => setTimeout(res, 300));
            node_assert_1.strict.equal((0, exposition_1.valueOf)(await scrape(), 'pwbridge_hub_long_polls_open'), 1);
            await polling;
            node_assert_1.strict.equal((0, exposition_1.valueOf)(await scrape(), 'pwbridge_hub_long_polls_open'), 0);
        });
        it('no password, token or name in any scrape, and no password or token in the hub\'s log', async () => {
            node_assert_1.strict.ok(outputs.length >= 10);
            const all = outputs.join('\n');
            const secrets = [hub_1.ADMIN_PASSWORD, CRED_PW, NEW_PW, VIEWER_PW, SCRAPE_TOKEN, adminToken, agentToken];
            for (const s of [...secrets, 'bob-canary', 'carol-canary', CLIENT, 'WS02-canary', 'weird-state-canary', 'viewer-canary', 'made-up-kind-canary', 'no-such-path-canary']) {
                node_assert_1.strict.ok(!all.includes(s), `the output holds ${s.slice(0, 6)}…`);
            }
            const log = fs.readFileSync(t.logFile, 'utf8');
            node_assert_1.strict.match(log, /"path":"\/metrics"/);
            for (const s of secrets) {
                for (const form of [s, Buffer.from(s).toString('base64')])
                    node_assert_1.strict.ok(!log.includes(form), `the log holds ${s.slice(0, 6)}…`);
            }
        });
    });
}
describe('hub: GET /metrics with --metrics-public', function () {
    this.timeout(30_000);
    it('answers anyone who reaches the port', async () => {
        const t = await (0, hub_1.startTestHub)('sqlite', { metrics: { public: true } });
        try {
            const r = await get(t.hub, '/metrics');
            node_assert_1.strict.equal(r.status, 200);
            const f = (0, exposition_1.parseExposition)(r.text);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(f, 'pwbridge_hub_database_up'), 1);
            node_assert_1.strict.ok(f.has('pwbridge_events_total') && f.has('pwbridge_hub_http_request_duration_seconds'));
        }
        finally {
            await t.close();
        }
    });
    it('keeps serving when the database read fails: pwbridge_hub_database_up 0, the last values kept, 1 again once it works', async () => {
        let offset = 0;
        const t = await (0, hub_1.startTestHub)('sqlite', { metrics: { public: true }, now: () => Date.now() + offset });
        try {
            await t.token();
            const events = (f) => (0, exposition_1.valueOf)(f, 'pwbridge_events_total', { kind: 'login', outcome: 'ok' });
            node_assert_1.strict.equal(events((0, exposition_1.parseExposition)((await get(t.hub, '/metrics')).text)), 1);
            await t.hub.store.sql.run('ALTER TABLE credential_flags RENAME TO credential_flags_away');
            offset += hub_metrics_1.CACHE_MS + 1;
            const down = await get(t.hub, '/metrics');
            node_assert_1.strict.equal(down.status, 200);
            const f = (0, exposition_1.parseExposition)(down.text);
            node_assert_1.strict.equal((0, exposition_1.valueOf)(f, 'pwbridge_hub_database_up'), 0);
            node_assert_1.strict.equal(events(f), 1);
            await t.hub.store.sql.run('ALTER TABLE credential_flags_away RENAME TO credential_flags');
            offset += hub_metrics_1.CACHE_MS + 1;
            node_assert_1.strict.equal((0, exposition_1.valueOf)((0, exposition_1.parseExposition)((await get(t.hub, '/metrics')).text), 'pwbridge_hub_database_up'), 1);
        }
        finally {
            await t.close();
        }
    });
});
describe('hub metrics: the event tally (SQLite)', function () {
    this.timeout(60_000);
    it('counts more events than one range query takes, and skips a long gap in the ids without a query per range', async () => {
        const t = await (0, hub_1.startTestHub)('sqlite');
        try {
            const sql = t.hub.store.sql;
            await sql.run('DELETE FROM events');
            const n = event_tally_1.COUNT_CHUNK_IDS * 2 + 17;
            await sql.run(`WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ${n})
        INSERT INTO events (id, time, machine, kind, outcome) SELECT x, x, 'm', CASE x % 2 WHEN 0 THEN 'conflict' ELSE 'heartbeat' END, 'info' FROM g`);
            await sql.run(`INSERT INTO events (id, time, machine, kind, outcome) VALUES (${1e12}, 1, 'm', 'conflict', 'info')`);
            let clock = 0;
            let queries = 0;
            const counted = t.hub.store.eventCounts.bind(t.hub.store);
            t.hub.store.eventCounts = (a, b) => { queries++; return counted(a, b); };
            const tally = new event_tally_1.EventTally(t.hub.store, () => clock);
            const byKind = (rows) => Object.fromEntries(rows.map((r) => [r.kind, r.n]));
            node_assert_1.strict.deepEqual(byKind(await tally.collect()), { conflict: Math.floor(n / 2) + 1, heartbeat: Math.ceil(n / 2) });
            node_assert_1.strict.ok(queries <= 6, `${queries} range queries`);
            await sql.run(`INSERT INTO events (time, machine, kind, outcome) VALUES (1, 'm', 'heartbeat', 'info')`);
            clock += event_tally_1.SETTLE_MS + 1;
            node_assert_1.strict.deepEqual(byKind(await tally.collect()), { conflict: Math.floor(n / 2) + 1, heartbeat: Math.ceil(n / 2) + 1 });
        }
        finally {
            await t.close();
        }
    });
});
//# sourceMappingURL=metrics.test.js.map