// GET /metrics on a real hub, SQLite and PostgreSQL: the exposition read by a strict parser, values that
// move with events, flags, machines, captures, requests and long polls; the database-derived ones the same
// on a second hub process; who may scrape; and no secret or name in the output or the log.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { CACHE_MS } from '../../src/hub/hub-metrics';
import { tokenHash } from '../../src/hub/passwords';
import { COUNT_CHUNK_IDS, EventTally, SETTLE_MS } from '../../src/hub/event-tally';
import type { Hub } from '../../src/hub/server';
import { HttpVault } from '../../src/vault/http.vault';
import type { Credential } from '../../src/domain/types';
import { parseExposition, sumOf, valueOf, type ParsedFamily } from '../helpers/exposition';
import { ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const SCRAPE_TOKEN = 'scrape-canary-Q7w2e9r4t6y8u1i3o5p0a2s4d6f8';
const CRED_PW = 'Cred-pw-canary-31f9';
const NEW_PW = 'New-pw-canary-8c2d';
const VIEWER_PW = 'Viewer-pw-canary-55ab';
const CLIENT = 'Client-canary-7';
const ACCOUNT = 'WS01\\bob-canary';
const pw = (s: string) => Buffer.from(s);

type Families = Map<string, ParsedFamily>;

/** GET with any headers, TLS verified against the hub's certificate; status, headers and text. */
function get(hub: Hub, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: hub.port, path, method, ca: hub.certificate.certPem, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: GET /metrics on ${engine}`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let admin: HttpVault;
    let agent: HttpVault;
    let adminToken: string;
    let agentToken: string;
    let cred: Credential;
    let offset = 0;
    const now = () => Date.now() + offset;
    const outputs: string[] = [];

    /** A scrape with the scrape token, read strictly; `fresh` first moves the hub's clock past the cache. */
    async function scrape(opts: { fresh?: boolean; hub?: Hub } = {}): Promise<Families> {
      if (opts.fresh) offset += CACHE_MS + 1;
      const r = await get(opts.hub ?? t.hub, '/metrics', { Authorization: `Bearer ${SCRAPE_TOKEN}` });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      outputs.push(r.text);
      return parseExposition(r.text);
    }

    const eventsInDb = async () => Number((await t.hub.store.sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM events'))[0].n);

    before(async () => {
      t = await startTestHub(engine, { metrics: { public: false, tokenHash: tokenHash(SCRAPE_TOKEN) }, now });
      adminToken = await t.token();
      admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, adminToken);
      await admin.addClient({ name: CLIENT, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
      cred = await admin.addCredential({ client: CLIENT, username: ACCOUNT, password: pw(CRED_PW), windowsSync: true, mode: 'report' });
      const r = await t.client(adminToken).request('POST', '/api/agents', { client: CLIENT, machine: 'WS01' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      agentToken = r.body.token;
      agent = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agentToken);
    });

    after(async () => {
      await agent?.close();
      await admin?.close();
      await t?.close();
    });

    it('refuses a scraper without the scrape token or a login, a wrong token and an agent token; a viewer\'s login may', async () => {
      const none = await get(t.hub, '/metrics');
      assert.equal(none.status, 401);
      assert.match(String(none.headers['www-authenticate']), /^Bearer /);
      assert.match(none.text, /scrape token/);
      for (const auth of [`Bearer ${SCRAPE_TOKEN}x`, `Bearer ${adminToken.slice(0, -2)}zz`, `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`]) {
        assert.equal((await get(t.hub, '/metrics', { Authorization: auth })).status, 401, auth.slice(0, 12));
      }
      const asAgent = await get(t.hub, '/metrics', { Authorization: `Bearer ${agentToken}` });
      assert.equal(asAgent.status, 403);
      assert.match(asAgent.text, /agent token may not read metrics/);
      assert.equal((await get(t.hub, '/metrics', { Authorization: `Bearer ${SCRAPE_TOKEN}` }, 'POST')).status, 405);
      await t.addUser('viewer-canary', 'viewer', [], VIEWER_PW);
      const viewer = await get(t.hub, '/metrics', { Authorization: `Bearer ${await t.token('viewer-canary', VIEWER_PW)}` });
      assert.equal(viewer.status, 200);
      parseExposition(viewer.text);
      outputs.push(viewer.text);
    });

    it('counts events by kind and outcome from the database: they move, match its rows, and a second hub process shows the same', async () => {
      const before = await scrape({ fresh: true });
      const ev = (kind: string, outcome: 'ok' | 'flagged' | 'info') => ({ time: now(), machine: 'WS09', account: 'carol-canary', kind, outcome });
      await admin.appendEvents([ev('change-synced', 'ok'), ev('change-synced', 'ok'), ev('change-synced', 'ok'),
        ev('conflict', 'flagged'), ev('conflict', 'flagged'), ev('made-up-kind-canary', 'info')]);
      // Within the cache: the same database values.
      const cached = await scrape();
      assert.equal(valueOf(cached, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }),
        valueOf(before, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }));
      const after = await scrape({ fresh: true });
      const delta = (kind: string, outcome: string) => valueOf(after, 'pwbridge_events_total', { kind, outcome }) - valueOf(before, 'pwbridge_events_total', { kind, outcome });
      assert.equal(delta('change-synced', 'ok'), 3);
      assert.equal(delta('conflict', 'flagged'), 2);
      assert.equal(delta('other', 'info'), 1, 'a kind pwbridge does not record is counted as other');
      assert.equal(sumOf(after, 'pwbridge_events_total'), await eventsInDb());
      // Past the settle time the tally keeps a watermark and reads only newer ids; totals stay exact.
      offset += SETTLE_MS + 1;
      await scrape();
      await admin.appendEvents([ev('conflict', 'flagged')]);
      offset += SETTLE_MS + 1;
      await scrape();
      await admin.appendEvents([ev('change-synced', 'ok')]);
      const settled = await scrape({ fresh: true });
      assert.equal(sumOf(settled, 'pwbridge_events_total'), await eventsInDb());
      assert.equal(valueOf(settled, 'pwbridge_events_total', { kind: 'conflict', outcome: 'flagged' }) - valueOf(after, 'pwbridge_events_total', { kind: 'conflict', outcome: 'flagged' }), 1);
      // A lower id that commits after a higher one is visible (PostgreSQL's sequences allow it): missed by
      // the slice that saw the higher one, counted once that slice is recounted SETTLE_MS later.
      const sql = t.hub.store.sql;
      const top = Number((await sql.all<{ m: number }>('SELECT MAX(id) AS m FROM events'))[0].m);
      const insert = (id: number) => sql.run(`INSERT INTO events (id, time, machine, kind, outcome) VALUES ($1, $2, 'WS09', 'conflict', 'flagged')`, [id, now()]);
      await insert(top + 1000);
      assert.equal(sumOf(await scrape({ fresh: true }), 'pwbridge_events_total'), await eventsInDb());
      await insert(top + 500);
      assert.equal(sumOf(await scrape({ fresh: true }), 'pwbridge_events_total'), await eventsInDb() - 1, 'the late row is not in the provisional slice');
      offset += SETTLE_MS + 1;
      assert.equal(sumOf(await scrape(), 'pwbridge_events_total'), await eventsInDb(), 'the recount has it');
      const second = await scrape({ hub: await t.second() });
      assert.equal(sumOf(second, 'pwbridge_events_total'), await eventsInDb());
      assert.equal(valueOf(second, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }),
        valueOf(settled, 'pwbridge_events_total', { kind: 'change-synced', outcome: 'ok' }));
    });

    it('shows credentials by flag and mode, machines by filter state with journal depth, and agents', async () => {
      const before = await scrape({ fresh: true });
      assert.equal(valueOf(before, 'pwbridge_credentials_flagged', { flag: 'mismatch' }), 0);
      assert.equal(valueOf(before, 'pwbridge_credentials', { mode: 'report' }), 1);
      assert.equal(valueOf(before, 'pwbridge_machines', { filter_state: 'unknown' }), 1, 'WS01, enrolled, not yet reported');
      assert.equal(valueOf(before, 'pwbridge_agents'), 1);
      await admin.setFlag(cred.id, 'mismatch', true);
      await admin.recordMachine({ name: 'WS02-canary', client: CLIENT, filterState: 'active', journalDepth: 7 });
      await admin.recordMachine({ name: 'WS03', client: CLIENT, filterState: 'weird-state-canary', journalDepth: 1 });
      await admin.recordMachine({ name: 'WS01', client: CLIENT, filterState: 'pending-reboot', journalDepth: 2 });
      const after = await scrape({ fresh: true });
      assert.equal(valueOf(after, 'pwbridge_credentials_flagged', { flag: 'mismatch' }), 1);
      assert.equal(valueOf(after, 'pwbridge_credentials_flagged', { flag: 'conflict' }), 0);
      assert.equal(valueOf(after, 'pwbridge_machines', { filter_state: 'active' }), 1);
      assert.equal(valueOf(after, 'pwbridge_machines_journal_depth', { filter_state: 'active' }), 7);
      assert.equal(valueOf(after, 'pwbridge_machines', { filter_state: 'pending-reboot' }), 1);
      assert.equal(valueOf(after, 'pwbridge_machines', { filter_state: 'unknown' }), 0);
      assert.equal(valueOf(after, 'pwbridge_machines', { filter_state: 'other' }), 1);
      assert.equal(valueOf(after, 'pwbridge_hub_database_up'), 1);
      await admin.setFlag(cred.id, 'mismatch', false);
      assert.equal(valueOf(await scrape({ fresh: true }), 'pwbridge_credentials_flagged', { flag: 'mismatch' }), 0);
    });

    it('process-local: capture sync latency (applied captures only), requests by route template and status, open long polls', async () => {
      const before = await scrape();
      const r = await agent.setPasswordFromCapture(cred.id, pw(NEW_PW), cred.version, 'evt-canary-1', now() - 2500);
      assert.equal(r.applied, true);
      const again = await agent.setPasswordFromCapture(cred.id, pw(NEW_PW), cred.version, 'evt-canary-1', now() - 2500);
      assert.equal(again.applied, false);
      assert.equal((await get(t.hub, '/no-such-path-canary')).status, 404);
      const after = await scrape();
      assert.equal(valueOf(after, 'pwbridge_hub_capture_sync_seconds_count') - valueOf(before, 'pwbridge_hub_capture_sync_seconds_count'), 1);
      const lag = valueOf(after, 'pwbridge_hub_capture_sync_seconds_sum') - valueOf(before, 'pwbridge_hub_capture_sync_seconds_sum');
      assert.ok(lag >= 2.5 && lag < 10, `lag ${lag}`);
      assert.equal(valueOf(after, 'pwbridge_hub_capture_sync_seconds_bucket', { le: '1' }), valueOf(before, 'pwbridge_hub_capture_sync_seconds_bucket', { le: '1' }));
      const route = { route: '/api/vault/setPasswordFromCapture', method: 'POST', status: '200' };
      assert.equal(valueOf(after, 'pwbridge_hub_http_requests_total', route) - valueOf(before, 'pwbridge_hub_http_requests_total', route), 2);
      assert.ok(valueOf(after, 'pwbridge_hub_http_requests_total', { route: 'other', method: 'GET', status: '404' }) >= 1);
      assert.ok(valueOf(after, 'pwbridge_hub_http_request_duration_seconds_count', { route: '/api/vault/setPasswordFromCapture' }) >= 2);
      assert.ok(valueOf(after, 'process_resident_memory_bytes') > 10 * 1024 * 1024);

      const { cursor } = await agent.waitForChanges('', 0);
      assert.equal(valueOf(after, 'pwbridge_hub_long_polls_open'), 0);
      const polling = agent.waitForChanges(cursor, 2000);
      await new Promise((res) => setTimeout(res, 300));
      assert.equal(valueOf(await scrape(), 'pwbridge_hub_long_polls_open'), 1);
      await polling;
      assert.equal(valueOf(await scrape(), 'pwbridge_hub_long_polls_open'), 0);
    });

    it('no password, token or name in any scrape, and no password or token in the hub\'s log', async () => {
      assert.ok(outputs.length >= 10);
      const all = outputs.join('\n');
      const secrets = [ADMIN_PASSWORD, CRED_PW, NEW_PW, VIEWER_PW, SCRAPE_TOKEN, adminToken, agentToken];
      for (const s of [...secrets, 'bob-canary', 'carol-canary', CLIENT, 'WS02-canary', 'weird-state-canary', 'viewer-canary', 'made-up-kind-canary', 'no-such-path-canary']) {
        assert.ok(!all.includes(s), `the output holds ${s.slice(0, 6)}…`);
      }
      const log = fs.readFileSync(t.logFile, 'utf8');
      assert.match(log, /"path":"\/metrics"/);
      for (const s of secrets) {
        for (const form of [s, Buffer.from(s).toString('base64')]) assert.ok(!log.includes(form), `the log holds ${s.slice(0, 6)}…`);
      }
    });
  });
}

describe('hub: GET /metrics with --metrics-public', function () {
  this.timeout(30_000);
  it('answers anyone who reaches the port', async () => {
    const t = await startTestHub('sqlite', { metrics: { public: true } });
    try {
      const r = await get(t.hub, '/metrics');
      assert.equal(r.status, 200);
      const f = parseExposition(r.text);
      assert.equal(valueOf(f, 'pwbridge_hub_database_up'), 1);
      assert.ok(f.has('pwbridge_events_total') && f.has('pwbridge_hub_http_request_duration_seconds'));
    } finally {
      await t.close();
    }
  });

  it('keeps serving when the database read fails: pwbridge_hub_database_up 0, the last values kept, 1 again once it works', async () => {
    let offset = 0;
    const t = await startTestHub('sqlite', { metrics: { public: true }, now: () => Date.now() + offset });
    try {
      await t.token();
      const events = (f: Map<string, ParsedFamily>) => valueOf(f, 'pwbridge_events_total', { kind: 'login', outcome: 'ok' });
      assert.equal(events(parseExposition((await get(t.hub, '/metrics')).text)), 1);
      await t.hub.store.sql.run('ALTER TABLE credential_flags RENAME TO credential_flags_away');
      offset += CACHE_MS + 1;
      const down = await get(t.hub, '/metrics');
      assert.equal(down.status, 200);
      const f = parseExposition(down.text);
      assert.equal(valueOf(f, 'pwbridge_hub_database_up'), 0);
      assert.equal(events(f), 1);
      await t.hub.store.sql.run('ALTER TABLE credential_flags_away RENAME TO credential_flags');
      offset += CACHE_MS + 1;
      assert.equal(valueOf(parseExposition((await get(t.hub, '/metrics')).text), 'pwbridge_hub_database_up'), 1);
    } finally {
      await t.close();
    }
  });
});

describe('hub metrics: the event tally (SQLite)', function () {
  this.timeout(60_000);
  it('counts more events than one range query takes, and skips a long gap in the ids without a query per range', async () => {
    const t = await startTestHub('sqlite');
    try {
      const sql = t.hub.store.sql;
      await sql.run('DELETE FROM events');
      const n = COUNT_CHUNK_IDS * 2 + 17;
      await sql.run(`WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ${n})
        INSERT INTO events (id, time, machine, kind, outcome) SELECT x, x, 'm', CASE x % 2 WHEN 0 THEN 'conflict' ELSE 'heartbeat' END, 'info' FROM g`);
      await sql.run(`INSERT INTO events (id, time, machine, kind, outcome) VALUES (${1e12}, 1, 'm', 'conflict', 'info')`);
      let clock = 0;
      let queries = 0;
      const counted = t.hub.store.eventCounts.bind(t.hub.store);
      t.hub.store.eventCounts = (a: number, b?: number) => { queries++; return counted(a, b); };
      const tally = new EventTally(t.hub.store, () => clock);
      const byKind = (rows: { kind: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.kind, r.n]));
      assert.deepEqual(byKind(await tally.collect()), { conflict: Math.floor(n / 2) + 1, heartbeat: Math.ceil(n / 2) });
      assert.ok(queries <= 6, `${queries} range queries`);
      await sql.run(`INSERT INTO events (time, machine, kind, outcome) VALUES (1, 'm', 'heartbeat', 'info')`);
      clock += SETTLE_MS + 1;
      assert.deepEqual(byKind(await tally.collect()), { conflict: Math.floor(n / 2) + 1, heartbeat: Math.ceil(n / 2) + 1 });
    } finally {
      await t.close();
    }
  });
});
