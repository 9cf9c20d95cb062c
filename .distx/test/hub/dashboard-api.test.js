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
// The dashboard's side of the hub, against a real hub over HTTPS on SQLite and PostgreSQL: the page and its
// files with their security headers, the read routes it adds (machines, flag summary, the event log and its
// long poll), who may read them, refusals that name the parameter, and the vault's mode switch as the page
// uses it (a viewer is refused). The page's own code is checked for what it must never do.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const https = __importStar(require("node:https"));
const path = __importStar(require("node:path"));
const dashboard_api_1 = require("../../src/hub/dashboard-api");
const dashboard_static_1 = require("../../src/hub/dashboard-static");
const hub_1 = require("../helpers/hub");
const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-3a7e';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-6c1d';
const SECRET = 'Cred-Pw-canary-d4b9';
const b64 = (s) => Buffer.from(s).toString('base64');
/** GET with the raw bytes and headers (the page is not JSON). */
function fetchRaw(t, p, headers = {}) {
    return new Promise((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: t.hub.port, path: p, ca: t.hub.certificate.certPem, agent: false, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        }).on('error', reject);
    });
}
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub dashboard API (${engine})`, function () {
        this.timeout(60_000);
        let t;
        let admin;
        let viewer;
        let operator;
        let agent;
        const vault = (c, method, body) => c.request('POST', `/api/vault/${method}`, body);
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine);
            await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
            await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
            admin = t.client(await t.token());
            operator = t.client(await t.token(OP, OP_PW));
            viewer = t.client(await t.token(VIEWER, VIEWER_PW));
            for (const name of ['Acme', 'Globex']) {
                const r = await vault(admin, 'addClient', { client: { name, windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' } });
                node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            }
            for (const [client, username] of [['Acme', 'alice'], ['Acme', 'bob'], ['Globex', 'WS09\\carol']]) {
                const r = await vault(admin, 'addCredential', { credential: { client, username, password: b64(SECRET), windowsSync: true, mode: 'report' } });
                node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            }
            const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
            node_assert_1.strict.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
            agent = t.client(enrolled.body.token);
        });
        after(async () => t?.close());
        it('GET / is the page, with a strict Content-Security-Policy and no inline script; its files are served, nothing else', async () => {
            const page = await fetchRaw(t, '/');
            node_assert_1.strict.equal(page.status, 200);
            node_assert_1.strict.match(String(page.headers['content-type']), /^text\/html/);
            const csp = String(page.headers['content-security-policy']);
            for (const part of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'"]) {
                node_assert_1.strict.ok(csp.includes(part), `${part} in ${csp}`);
            }
            node_assert_1.strict.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
            node_assert_1.strict.equal(page.headers['x-content-type-options'], 'nosniff');
            node_assert_1.strict.equal(page.headers['x-frame-options'], 'DENY');
            const scripts = page.text.match(/<script\b[^>]*>/g) ?? [];
            node_assert_1.strict.ok(scripts.length > 0);
            for (const s of scripts)
                node_assert_1.strict.match(s, /\bsrc="\/dashboard\/[a-z-]+\.js"/, `every script is a file: ${s}`);
            node_assert_1.strict.doesNotMatch(page.text, /\bstyle=|<style|\bon[a-z]+=/i, 'no inline style or event handler attribute');
            for (const [file, type] of [['app.js', /^text\/javascript/], ['dashboard.css', /^text\/css/], ['icon.svg', /^image\/svg\+xml/]]) {
                const r = await fetchRaw(t, `/dashboard/${file}`);
                node_assert_1.strict.equal(r.status, 200, file);
                node_assert_1.strict.match(String(r.headers['content-type']), type);
                node_assert_1.strict.equal(r.headers['x-content-type-options'], 'nosniff');
            }
            for (const p of ['/dashboard/nope.js', '/dashboard/../api.js', '/dashboard/%2e%2e/store.ts', '/dashboard/', '/src/hub/store.ts']) {
                const r = await fetchRaw(t, p);
                node_assert_1.strict.equal(r.status, 404, p);
                node_assert_1.strict.doesNotMatch(r.text, /import|export/, `${p} leaks no source`);
            }
            // The page's files are not a door around the login: the API still needs a session.
            node_assert_1.strict.equal((await fetchRaw(t, '/api/dashboard/machines')).status, 401);
        });
        it('machines: what each agent last reported, for any user; an agent token is refused and the refusal recorded', async () => {
            const r0 = await vault(agent, 'recordMachine', { machine: { name: 'WS01', client: 'Acme', filterState: 'pending-reboot', journalDepth: 7 } });
            node_assert_1.strict.equal(r0.status, 200, JSON.stringify(r0.body));
            const before = Date.now();
            const seen = await viewer.request('GET', '/api/dashboard/machines');
            node_assert_1.strict.equal(seen.status, 200, JSON.stringify(seen.body));
            node_assert_1.strict.equal(seen.body.machines.length, 1);
            const m = seen.body.machines[0];
            node_assert_1.strict.deepEqual({ ...m, lastSeen: undefined }, { name: 'WS01', client: 'Acme', filterState: 'pending-reboot', journalDepth: 7, lastSeen: undefined });
            node_assert_1.strict.ok(Math.abs(m.lastSeen - before) < 10_000, `lastSeen ${m.lastSeen}`);
            node_assert_1.strict.equal(typeof seen.body.now, 'number');
            const refused = await agent.request('GET', '/api/dashboard/machines');
            node_assert_1.strict.equal(refused.status, 403);
            node_assert_1.strict.match(refused.body.error.message, /agent "WS01".*may not list machines/);
            const events = await t.hub.vault.queryEvents({ kind: 'access-refused', machine: 'WS01' });
            node_assert_1.strict.ok(events.some((e) => /may not list machines/.test(e.reason)), JSON.stringify(events));
            const unknown = await viewer.request('GET', '/api/dashboard/machines?client=Acme');
            node_assert_1.strict.equal(unknown.status, 400);
            node_assert_1.strict.match(unknown.body.error.message, /unknown query parameter "client"/);
        });
        it('flags: how many credentials carry each flag, in all and per client', async () => {
            const creds = (await vault(admin, 'listCredentials', { client: 'Acme' })).body.credentials;
            const carol = (await vault(admin, 'listCredentials', { client: 'Globex' })).body.credentials[0];
            const empty = await viewer.request('GET', '/api/dashboard/flags');
            node_assert_1.strict.deepEqual(empty.body, { total: { mismatch: 0, conflict: 0, 'policy-refused': 0 }, clients: [] });
            for (const [id, flag] of [[creds[0].id, 'mismatch'], [creds[1].id, 'mismatch'], [creds[1].id, 'conflict'], [carol.id, 'policy-refused']]) {
                node_assert_1.strict.equal((await vault(admin, 'setFlag', { credentialId: id, flag, on: true })).status, 200);
            }
            const r = await viewer.request('GET', '/api/dashboard/flags');
            node_assert_1.strict.deepEqual(r.body, {
                total: { mismatch: 2, conflict: 1, 'policy-refused': 1 },
                clients: [
                    { client: 'Acme', mismatch: 2, conflict: 1, 'policy-refused': 0 },
                    { client: 'Globex', mismatch: 0, conflict: 0, 'policy-refused': 1 },
                ],
            });
            for (const [id, flag] of [[creds[0].id, 'mismatch'], [creds[1].id, 'mismatch'], [creds[1].id, 'conflict'], [carol.id, 'policy-refused']]) {
                await vault(admin, 'setFlag', { credentialId: id, flag, on: false });
            }
            node_assert_1.strict.deepEqual((await viewer.request('GET', '/api/dashboard/flags')).body.total, { mismatch: 0, conflict: 0, 'policy-refused': 0 });
        });
        it('events: the latest, the ones after an id, with filters; a long poll answers as soon as one is recorded', async () => {
            const t0 = Date.now();
            await vault(agent, 'appendEvents', { events: [
                    { time: t0, machine: 'WS01', account: 'alice', kind: 'mismatch-flagged', outcome: 'flagged', reason: 'dash-test 1' },
                    { time: t0, machine: 'WS01', account: 'bob', kind: 'password-set', outcome: 'ok', reason: 'dash-test 2' },
                ] });
            const latest = await viewer.request('GET', '/api/dashboard/events?limit=2');
            node_assert_1.strict.equal(latest.status, 200);
            node_assert_1.strict.deepEqual(latest.body.events.map((e) => e.reason), ['dash-test 1', 'dash-test 2'], 'the latest two, oldest first');
            const last = latest.body.last;
            node_assert_1.strict.equal(last, latest.body.events[1].id);
            const byAccount = await viewer.request('GET', '/api/dashboard/events?account=ALICE&machine=WS01&kind=mismatch-flagged');
            node_assert_1.strict.deepEqual(byAccount.body.events.map((e) => e.reason), ['dash-test 1']);
            const none = await viewer.request('GET', `/api/dashboard/events?after=${last}`);
            node_assert_1.strict.deepEqual(none.body, { events: [], last }, 'nothing after the last: at once, the cursor unchanged');
            // The long poll: open, then an event is recorded; the answer comes with it, well before the wait ends.
            const opened = Date.now();
            const waiting = viewer.request('GET', `/api/dashboard/events?after=${last}&waitMs=20000&kind=password-set`);
            await new Promise((r) => setTimeout(r, 400));
            await vault(agent, 'appendEvents', { events: [{ time: Date.now(), machine: 'WS01', account: 'alice', kind: 'mismatch-cleared', outcome: 'ok', reason: 'dash-test 3' }] });
            await new Promise((r) => setTimeout(r, 400));
            await vault(agent, 'appendEvents', { events: [{ time: Date.now(), machine: 'WS01', account: 'alice', kind: 'password-set', outcome: 'ok', reason: 'dash-test 4' }] });
            const woke = await waiting;
            const took = Date.now() - opened;
            node_assert_1.strict.equal(woke.status, 200);
            node_assert_1.strict.deepEqual(woke.body.events.map((e) => e.reason), ['dash-test 4'], 'only the matching event, not the one before it');
            node_assert_1.strict.ok(took < 10_000, `answered after ${took} ms`);
            node_assert_1.strict.equal(woke.body.last, woke.body.events[0].id);
            // An empty wait ends with nothing and the same cursor.
            const quiet = await viewer.request('GET', `/api/dashboard/events?after=${woke.body.last}&waitMs=600&kind=no-such-kind`);
            node_assert_1.strict.deepEqual(quiet.body, { events: [], last: woke.body.last });
        });
        it('refusals name the parameter: 400 for a bad value, an unknown or repeated parameter; 401 without a login', async () => {
            const cases = [
                ['after=-1', /^after must be an integer from 0/],
                ['after=abc', /^after must be an integer/],
                ['after=1&waitMs=999999', new RegExp(`^waitMs must be an integer from 0 to ${dashboard_api_1.EVENTS_MAX_WAIT_MS}`)],
                ['waitMs=100', /^waitMs needs after/],
                ['limit=0', /^limit must be an integer from 1 to 1000/],
                ['machine=', /^machine must be 1 to 256 characters/],
                [`kind=${'k'.repeat(300)}`, /^kind must be 1 to 256 characters/],
                ['secret=x', /^unknown query parameter "secret" \(known: after, waitMs, limit, machine, account, kind\)/],
                ['after=1&after=2', /^after is given more than once/],
            ];
            for (const [query, message] of cases) {
                const r = await viewer.request('GET', `/api/dashboard/events?${query}`);
                node_assert_1.strict.equal(r.status, 400, query);
                node_assert_1.strict.equal(r.body.error.code, 'bad-request');
                node_assert_1.strict.match(r.body.error.message, message, query);
            }
            for (const p of ['/api/dashboard/events', '/api/dashboard/flags', '/api/dashboard/machines']) {
                node_assert_1.strict.equal((await t.raw('GET', p)).status, 401, p);
                node_assert_1.strict.equal((await t.raw('POST', p, '{}', { 'Content-Type': 'application/json' })).status, 405, p);
            }
            // The hub kept serving.
            node_assert_1.strict.equal((await viewer.request('GET', '/api/dashboard/flags')).status, 200);
        });
        it('the page\'s switches: a viewer changing a mode is refused (403, recorded); an operator\'s flip is applied', async () => {
            const denied = await vault(viewer, 'updateCredential', { client: 'Acme', username: 'alice', change: { mode: 'change' } });
            node_assert_1.strict.equal(denied.status, 403);
            node_assert_1.strict.match(denied.body.error.message, /user "victor" \(viewer\) may not change credential "alice"/);
            node_assert_1.strict.ok((await t.hub.vault.queryEvents({ kind: 'access-refused', account: 'alice' })).some((e) => /victor/.test(e.reason)));
            node_assert_1.strict.equal((await t.hub.vault.findCredential('Acme', 'alice')).mode, 'report');
            const flipped = await vault(operator, 'updateCredential', { client: 'Acme', username: 'alice', change: { mode: 'change' } });
            node_assert_1.strict.equal(flipped.status, 200, JSON.stringify(flipped.body));
            node_assert_1.strict.equal(flipped.body.credential.mode, 'change');
            const bad = await vault(operator, 'updateCredential', { client: 'Acme', username: 'alice', change: { mode: 'sometimes' } });
            node_assert_1.strict.equal(bad.status, 400);
            node_assert_1.strict.match(bad.body.error.message, /mode/);
            const badType = await vault(operator, 'updateCredential', { client: 'Acme', username: 'alice', change: { windowsSync: 'yes' } });
            node_assert_1.strict.equal(badType.status, 400);
            node_assert_1.strict.match(badType.body.error.message, /^change\.windowsSync must be true or false/);
        });
    });
}
describe('the dashboard page\'s code', () => {
    const dir = (0, dashboard_static_1.dashboardDirs)().find((d) => fs.existsSync(path.join(d, 'index.html')));
    const files = fs.readdirSync(dir).filter((f) => /\.(js|html)$/.test(f));
    it('never asks for a password, never builds HTML from strings, never keeps anything in storage', () => {
        node_assert_1.strict.ok(files.includes('app.js') && files.includes('index.html'), `${dir}: ${files.join(', ')}`);
        for (const f of files) {
            const text = fs.readFileSync(path.join(dir, f), 'utf8');
            for (const bad of [/readPassword/, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, /localStorage|sessionStorage|document\.cookie/, /\beval\(|new Function/]) {
                node_assert_1.strict.doesNotMatch(text, bad, `${f}: ${bad}`);
            }
        }
    });
});
//# sourceMappingURL=dashboard-api.test.js.map