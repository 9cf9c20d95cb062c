// The dashboard's side of the hub, against a real hub over HTTPS on SQLite and PostgreSQL: the page and its
// files with their security headers, the read routes it adds (machines, flag summary, the event log and its
// long poll), who may read them, refusals that name the parameter, and the vault's mode switch as the page
// uses it (a viewer is refused). The page's own code is checked for what it must never do.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { EVENTS_MAX_WAIT_MS } from '../../src/hub/api/dashboard-routes';
import { dashboardDirs } from '../../src/hub/dashboard-static';
import type { HubClient } from '../../src/vault/hub-client';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-3a7e';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-6c1d';
const SECRET = 'Cred-Pw-canary-d4b9';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** GET with the raw bytes and headers (the page is not JSON). */
function fetchRaw(t: TestHub, p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: t.hub.port, path: p, ca: t.hub.certificate.certPem, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject);
  });
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub dashboard API (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let admin: HubClient;
    let viewer: HubClient;
    let operator: HubClient;
    let agent: HubClient;
    const vault = (c: HubClient, method: string, body: unknown) => c.request('POST', `/api/vault/${method}`, body);

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      operator = t.client(await t.token(OP, OP_PW));
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      for (const name of ['Acme', 'Globex']) {
        const r = await vault(admin, 'addClient', { client: { name, windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      for (const [client, username] of [['Acme', 'alice'], ['Acme', 'bob'], ['Globex', 'WS09\\carol']]) {
        const r = await vault(admin, 'addCredential', { credential: { client, username, password: b64(SECRET), windowsSync: true, mode: 'report' } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
    });
    after(async () => t?.close());

    it('GET / is the page, with a strict Content-Security-Policy and no inline script; its files are served, nothing else', async () => {
      const page = await fetchRaw(t, '/');
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      for (const part of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'"]) {
        assert.ok(csp.includes(part), `${part} in ${csp}`);
      }
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['x-frame-options'], 'DENY');
      const scripts = page.text.match(/<script\b[^>]*>/g) ?? [];
      assert.ok(scripts.length > 0);
      for (const s of scripts) assert.match(s, /\bsrc="\/dashboard\/[a-z-]+\.js"/, `every script is a file: ${s}`);
      assert.doesNotMatch(page.text, /\bstyle=|<style|\bon[a-z]+=/i, 'no inline style or event handler attribute');

      for (const [file, type] of [['app.js', /^text\/javascript/], ['dashboard.css', /^text\/css/], ['icon.svg', /^image\/svg\+xml/]] as const) {
        const r = await fetchRaw(t, `/dashboard/${file}`);
        assert.equal(r.status, 200, file);
        assert.match(String(r.headers['content-type']), type);
        assert.equal(r.headers['x-content-type-options'], 'nosniff');
      }
      for (const p of ['/dashboard/nope.js', '/dashboard/../api.js', '/dashboard/%2e%2e/store.ts', '/dashboard/', '/src/hub/store.ts']) {
        const r = await fetchRaw(t, p);
        assert.equal(r.status, 404, p);
        assert.doesNotMatch(r.text, /import|export/, `${p} leaks no source`);
      }
      // The page's files are not a door around the login: the API still needs a session.
      assert.equal((await fetchRaw(t, '/api/dashboard/machines')).status, 401);
    });

    it('machines: what each agent last reported, for any user; an agent token is refused and the refusal recorded', async () => {
      const r0 = await vault(agent, 'recordMachine', { machine: { name: 'WS01', client: 'Acme', filterState: 'pending-reboot', journalDepth: 7 } });
      assert.equal(r0.status, 200, JSON.stringify(r0.body));
      const before = Date.now();
      const seen = await viewer.request('GET', '/api/dashboard/machines');
      assert.equal(seen.status, 200, JSON.stringify(seen.body));
      assert.equal(seen.body.machines.length, 1);
      const m = seen.body.machines[0];
      assert.deepEqual({ ...m, lastSeen: undefined }, { name: 'WS01', client: 'Acme', filterState: 'pending-reboot', journalDepth: 7, lastSeen: undefined });
      assert.ok(Math.abs(m.lastSeen - before) < 10_000, `lastSeen ${m.lastSeen}`);
      assert.equal(typeof seen.body.now, 'number');

      const refused = await agent.request('GET', '/api/dashboard/machines');
      assert.equal(refused.status, 403);
      assert.match(refused.body.error.message, /agent "WS01".*may not list machines/);
      const events = await t.hub.vault.queryEvents({ kind: 'access-refused', machine: 'WS01' });
      assert.ok(events.some((e) => /may not list machines/.test(e.reason!)), JSON.stringify(events));
      const unknown = await viewer.request('GET', '/api/dashboard/machines?client=Acme');
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error.message, /unknown query parameter "client"/);
    });

    it('flags: how many credentials carry each flag, in all and per client', async () => {
      const creds = (await vault(admin, 'listCredentials', { client: 'Acme' })).body.credentials as Array<{ id: number; username: string }>;
      const carol = (await vault(admin, 'listCredentials', { client: 'Globex' })).body.credentials[0] as { id: number };
      const empty = await viewer.request('GET', '/api/dashboard/flags');
      assert.deepEqual(empty.body, { total: { mismatch: 0, conflict: 0, 'policy-refused': 0 }, clients: [] });
      for (const [id, flag] of [[creds[0].id, 'mismatch'], [creds[1].id, 'mismatch'], [creds[1].id, 'conflict'], [carol.id, 'policy-refused']] as const) {
        assert.equal((await vault(admin, 'setFlag', { credentialId: id, flag, on: true })).status, 200);
      }
      const r = await viewer.request('GET', '/api/dashboard/flags');
      assert.deepEqual(r.body, {
        total: { mismatch: 2, conflict: 1, 'policy-refused': 1 },
        clients: [
          { client: 'Acme', mismatch: 2, conflict: 1, 'policy-refused': 0 },
          { client: 'Globex', mismatch: 0, conflict: 0, 'policy-refused': 1 },
        ],
      });
      for (const [id, flag] of [[creds[0].id, 'mismatch'], [creds[1].id, 'mismatch'], [creds[1].id, 'conflict'], [carol.id, 'policy-refused']] as const) {
        await vault(admin, 'setFlag', { credentialId: id, flag, on: false });
      }
      assert.deepEqual((await viewer.request('GET', '/api/dashboard/flags')).body.total, { mismatch: 0, conflict: 0, 'policy-refused': 0 });
    });

    it('events: the latest, the ones after an id, with filters; a long poll answers as soon as one is recorded', async () => {
      const t0 = Date.now();
      await vault(agent, 'appendEvents', { events: [
        { time: t0, machine: 'WS01', account: 'alice', kind: 'mismatch-flagged', outcome: 'flagged', reason: 'dash-test 1' },
        { time: t0, machine: 'WS01', account: 'bob', kind: 'password-set', outcome: 'ok', reason: 'dash-test 2' },
      ] });
      const latest = await viewer.request('GET', '/api/dashboard/events?limit=2');
      assert.equal(latest.status, 200);
      assert.deepEqual(latest.body.events.map((e: { reason: string }) => e.reason), ['dash-test 1', 'dash-test 2'], 'the latest two, oldest first');
      const last = latest.body.last as number;
      assert.equal(last, latest.body.events[1].id);

      const byAccount = await viewer.request('GET', '/api/dashboard/events?account=ALICE&machine=WS01&kind=mismatch-flagged');
      assert.deepEqual(byAccount.body.events.map((e: { reason: string }) => e.reason), ['dash-test 1']);
      const none = await viewer.request('GET', `/api/dashboard/events?after=${last}`);
      assert.deepEqual(none.body, { events: [], last }, 'nothing after the last: at once, the cursor unchanged');

      // The long poll: open, then an event is recorded; the answer comes with it, well before the wait ends.
      const opened = Date.now();
      const waiting = viewer.request('GET', `/api/dashboard/events?after=${last}&waitMs=20000&kind=password-set`);
      await new Promise((r) => setTimeout(r, 400));
      await vault(agent, 'appendEvents', { events: [{ time: Date.now(), machine: 'WS01', account: 'alice', kind: 'mismatch-cleared', outcome: 'ok', reason: 'dash-test 3' }] });
      await new Promise((r) => setTimeout(r, 400));
      await vault(agent, 'appendEvents', { events: [{ time: Date.now(), machine: 'WS01', account: 'alice', kind: 'password-set', outcome: 'ok', reason: 'dash-test 4' }] });
      const woke = await waiting;
      const took = Date.now() - opened;
      assert.equal(woke.status, 200);
      assert.deepEqual(woke.body.events.map((e: { reason: string }) => e.reason), ['dash-test 4'], 'only the matching event, not the one before it');
      assert.ok(took < 10_000, `answered after ${took} ms`);
      assert.equal(woke.body.last, woke.body.events[0].id);

      // An empty wait ends with nothing and the same cursor.
      const quiet = await viewer.request('GET', `/api/dashboard/events?after=${woke.body.last}&waitMs=600&kind=no-such-kind`);
      assert.deepEqual(quiet.body, { events: [], last: woke.body.last });
    });

    it('refusals name the parameter: 400 for a bad value, an unknown or repeated parameter; 401 without a login', async () => {
      const cases: Array<[string, RegExp]> = [
        ['after=-1', /^after must be an integer from 0/],
        ['after=abc', /^after must be an integer/],
        ['after=1&waitMs=999999', new RegExp(`^waitMs must be an integer from 0 to ${EVENTS_MAX_WAIT_MS}`)],
        ['waitMs=100', /^waitMs needs after/],
        ['limit=0', /^limit must be an integer from 1 to 1000/],
        ['machine=', /^machine must be 1 to 256 characters/],
        [`kind=${'k'.repeat(300)}`, /^kind must be 1 to 256 characters/],
        ['secret=x', /^unknown query parameter "secret" \(known: after, waitMs, limit, machine, account, kind\)/],
        ['after=1&after=2', /^after is given more than once/],
      ];
      for (const [query, message] of cases) {
        const r = await viewer.request('GET', `/api/dashboard/events?${query}`);
        assert.equal(r.status, 400, query);
        assert.equal(r.body.error.code, 'bad-request');
        assert.match(r.body.error.message, message, query);
      }
      for (const p of ['/api/dashboard/events', '/api/dashboard/flags', '/api/dashboard/machines']) {
        assert.equal((await t.raw('GET', p)).status, 401, p);
        assert.equal((await t.raw('POST', p, '{}', { 'Content-Type': 'application/json' })).status, 405, p);
      }
      // The hub kept serving.
      assert.equal((await viewer.request('GET', '/api/dashboard/flags')).status, 200);
    });

    it('the page\'s switches: a viewer changing a mode is refused (403, recorded); an operator\'s flip is applied', async () => {
      const denied = await vault(viewer, 'updateCredential', { client: 'Acme', username: 'alice', change: { mode: 'change' } });
      assert.equal(denied.status, 403);
      assert.match(denied.body.error.message, /user "victor" \(viewer\) may not change credential "alice"/);
      assert.ok((await t.hub.vault.queryEvents({ kind: 'access-refused', account: 'alice' })).some((e) => /victor/.test(e.reason!)));
      assert.equal((await t.hub.vault.findCredential('Acme', 'alice'))!.mode, 'report');

      const flipped = await vault(operator, 'updateCredential', { client: 'Acme', username: 'alice', change: { mode: 'change' } });
      assert.equal(flipped.status, 200, JSON.stringify(flipped.body));
      assert.equal(flipped.body.credential.mode, 'change');
      const bad = await vault(operator, 'updateCredential', { client: 'Acme', username: 'alice', change: { mode: 'sometimes' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /mode/);
      const badType = await vault(operator, 'updateCredential', { client: 'Acme', username: 'alice', change: { windowsSync: 'yes' } });
      assert.equal(badType.status, 400);
      assert.match(badType.body.error.message, /^change\.windowsSync must be true or false/);
    });
  });
}

describe('the dashboard page\'s code', () => {
  const dir = dashboardDirs().find((d) => fs.existsSync(path.join(d, 'index.html')))!;
  const files = fs.readdirSync(dir).filter((f) => /\.(js|html)$/.test(f));

  it('never asks for a password, never builds HTML from strings, never keeps anything in storage', () => {
    assert.ok(files.includes('app.js') && files.includes('index.html'), `${dir}: ${files.join(', ')}`);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const bad of [/readPassword/, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, /localStorage|sessionStorage|document\.cookie/, /\beval\(|new Function/]) {
        assert.doesNotMatch(text, bad, `${f}: ${bad}`);
      }
    }
  });
});
