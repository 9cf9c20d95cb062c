// Webhook alerts (issue 13, item 2) through the API on both engines: a real HTTP receiver started here
// gets each alert signed, and verifies the signature itself; a receiver that is down gets the alert once it
// is back (nothing lost from the outbox); the periodic checks and the retry schedule run on the hub's
// injected clock (hub.alerts.tick() stands in for the timer: no wall-clock waits); two hub processes on one
// database deliver each alert once; the secret is never in the log, an event or the database in clear.
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GIVE_UP_AFTER_MS, RETRY_FIRST_MS } from '../../src/hub/alerts';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { WebhookReceiver, verifies } from '../helpers/webhook-receiver';

const OP = 'oscar';
const OP_PW = 'Operator-Pw-canary-51ae';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const uid = () => crypto.randomBytes(16).toString('hex');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: webhook alerts (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let admin: string;
    let agent: string;
    let offset = 0;
    let secret = '';
    const receiver = new WebhookReceiver();
    const call = async (method: 'GET' | 'POST', p: string, body?: unknown, token: string | null = admin) => t.client(token ?? undefined).request(method, p, body);
    const ok = async (method: 'GET' | 'POST', p: string, body?: unknown, token: string | null = admin) => {
      const r = await call(method, p, body, token);
      assert.equal(r.status, 200, `${method} ${p}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const configure = async (extra: Record<string, unknown> = {}) => ok('POST', '/api/alerts/settings', {
      url: receiver.url, kinds: ['mismatch', 'conflict', 'policy-refused', 'machine-silent', 'reboot-pending'], enabled: true, ...extra,
    });
    const agentEvent = (kind: string, account: string, u = uid()) => ok('POST', '/api/vault/appendEvents', {
      events: [{ time: Date.now() + offset, machine: 'WS01', account, kind, outcome: 'flagged', reason: `${kind} on ${account}`, uid: u }],
    }, agent);
    const deliveries = async () => (await ok('GET', '/api/alerts')).deliveries as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
      await receiver.up();
      t = await startTestHub(engine, { now: () => Date.now() + offset, alertEveryMs: 0 });
      admin = await t.token();
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await ok('POST', '/api/vault/addClient', { client: { name: 'Acme' } });
      agent = (await ok('POST', '/api/agents', { client: 'Acme', machine: 'WS01' })).token;
    });
    after(async () => {
      await t?.close();
      await receiver.down();
    });

    it('refuses an operator, and a URL that is not https (plain http only to loopback unless allowed), naming what is wrong', async () => {
      const op = await t.token(OP, OP_PW);
      const r = await call('POST', '/api/alerts/settings', { url: receiver.url, kinds: ['mismatch'], enabled: true }, op);
      assert.equal(r.status, 403);
      assert.match(r.body.error.message, /alerts are for admins/);
      assert.equal((await call('GET', '/api/alerts', undefined, op)).status, 403);
      const bad = async (body: Record<string, unknown>, message: RegExp) => {
        const b = await call('POST', '/api/alerts/settings', { kinds: ['mismatch'], enabled: true, ...body });
        assert.equal(b.status, 400, JSON.stringify(b.body));
        assert.match(b.body.error.message, message);
      };
      await bad({ url: 'http://alerts.example.com/hook' }, /must be https:\/\/ unless it is this host's loopback/);
      await bad({ url: 'ftp://alerts.example.com/' }, /must be https:\/\/ \(got ftp:\)/);
      await bad({ url: 'https://user:pw@alerts.example.com/' }, /must not carry a user name or password/);
      await bad({ url: 'not a url' }, /is not a URL/);
      await bad({ url: receiver.url, silentMinutes: 0 }, /silentMinutes must be a whole number from 1 to/);
      await bad({ url: receiver.url, kinds: ['everything'] }, /kinds/);
      assert.equal((await ok('GET', '/api/alerts')).settings, null, 'nothing was stored');
      // Explicitly allowed: plain http to another host is taken (and then set back to the receiver below).
      const allowed = await ok('POST', '/api/alerts/settings', { url: 'http://alerts.example.com/hook', kinds: [], enabled: false, allowHttp: true });
      assert.equal(allowed.settings.allowHttp, true);
      secret = allowed.secret;
    });

    it('the secret is made by the hub and answered once; saving again keeps it; newSecret makes another', async () => {
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      const again = await configure();
      assert.equal(again.secret, null, 'a save without newSecret answers no secret');
      const listed = await ok('GET', '/api/alerts');
      assert.equal(listed.settings.url, receiver.url);
      assert.equal(listed.settings.silentMinutes, 60);
      assert.equal(listed.settings.rebootDays, 3);
      assert.ok(!JSON.stringify(listed).includes(secret), 'GET /api/alerts never shows the secret');
      const renewed = await configure({ newSecret: true });
      assert.match(renewed.secret, /^whsec_/);
      assert.notEqual(renewed.secret, secret);
      secret = renewed.secret;
      const generated = await t.hub.vault.queryEvents({ kind: 'alert-secret-generated', limit: 10 });
      assert.equal(generated.length, 2);
    });

    it('a mismatch an agent reports reaches the receiver signed (verified here); a wrong secret does not verify; the same event again makes no second alert', async () => {
      const before = receiver.received.length;
      const u = uid();
      await agentEvent('mismatch-flagged', 'WS01\\alice', u);
      await agentEvent('capture', 'WS01\\alice'); // not an alert kind
      await t.hub.alerts.tick();
      const got = receiver.received.slice(before);
      assert.equal(got.length, 1, JSON.stringify(got.map((g) => g.json)));
      const r = got[0];
      assert.equal(r.headers['content-type'], 'application/json');
      assert.ok(verifies(r, secret), 'the signature verifies with the secret the admin was shown');
      assert.ok(!verifies(r, 'whsec_' + 'A'.repeat(43)), 'a wrong secret does not verify');
      assert.ok(!verifies({ ...r, body: r.body.replace('alice', 'mallory') }, secret), 'an altered body does not verify');
      const ts = Number(r.headers['x-pwbridge-timestamp']);
      assert.ok(Math.abs(ts - Math.floor((Date.now() + offset) / 1000)) <= 5, 'the signed timestamp is the hub\'s clock in seconds');
      assert.equal(r.json.kind, 'mismatch');
      assert.equal(r.json.machine, 'WS01');
      assert.equal(r.json.account, 'WS01\\alice');
      assert.equal(String(r.json.id), r.headers['x-pwbridge-alert-id']);
      // The agent delivers the same event again (its outbox cannot know it was stored): one alert still.
      await agentEvent('mismatch-flagged', 'WS01\\alice', u);
      await t.hub.alerts.tick();
      assert.equal(receiver.received.length, before + 1);
      const d = (await deliveries()).find((x) => x.id === r.json.id);
      assert.equal(d.status, 'delivered');
      assert.equal(d.lastStatus, 204);
    });

    it('a receiver that is down gets the alert once it is back: retried on the schedule, nothing lost', async () => {
      await receiver.down();
      await agentEvent('conflict', 'WS01\\bob');
      await t.hub.alerts.tick();
      let d = (await deliveries())[0];
      assert.equal(d.kind, 'conflict');
      assert.equal(d.status, 'pending');
      assert.equal(d.attempts, 1);
      assert.match(d.lastError, /ECONNREFUSED/);
      assert.equal(d.nextAttemptAt - (Date.now() + offset) <= RETRY_FIRST_MS, true);
      // Not due yet: another tick does not try again.
      await t.hub.alerts.tick();
      assert.equal((await deliveries())[0].attempts, 1);
      offset += RETRY_FIRST_MS;
      await t.hub.alerts.tick();
      d = (await deliveries())[0];
      assert.equal(d.attempts, 2, 'tried again once due');
      assert.ok(d.nextAttemptAt - (Date.now() + offset) > RETRY_FIRST_MS, 'the second wait is longer (backoff)');
      const before = receiver.received.length;
      await receiver.up();
      offset += 2 * RETRY_FIRST_MS;
      await t.hub.alerts.tick();
      const got = receiver.received.slice(before);
      assert.equal(got.length, 1);
      assert.equal(got[0].json.kind, 'conflict');
      assert.equal(got[0].json.id, d.id);
      assert.ok(verifies(got[0], secret));
      assert.equal((await deliveries())[0].status, 'delivered');
    });

    it('a redirect is not followed (a failed attempt naming where it pointed)', async () => {
      receiver.status = 302;
      try {
        const before = receiver.received.length;
        await agentEvent('policy-refused', 'WS01\\carol');
        await t.hub.alerts.tick();
        assert.equal(receiver.received.length, before + 1, 'one request, no follow-up to the Location');
        const d = (await deliveries())[0];
        assert.equal(d.status, 'pending');
        assert.equal(d.lastStatus, 302);
        assert.match(d.lastError, /redirect to https:\/\/elsewhere\.example\/ not followed/);
      } finally {
        receiver.status = 204;
      }
      offset += RETRY_FIRST_MS;
      await t.hub.alerts.tick();
      assert.equal((await deliveries())[0].status, 'delivered');
    });

    it('the periodic checks find a machine silent for N minutes and a filter in reboot-required for N days, once each', async () => {
      await ok('POST', '/api/vault/recordMachine', { machine: { name: 'WS01', client: 'Acme', filterState: 'pending-reboot', journalDepth: 0 } }, agent);
      await configure({ silentMinutes: 5, rebootDays: 2 });
      const before = receiver.received.length;
      await t.hub.alerts.tick();
      assert.equal(receiver.received.length, before, 'not yet: seen just now, pending-reboot since just now');
      offset += 6 * MINUTE;
      await t.hub.alerts.tick();
      await t.hub.alerts.tick();
      let got = receiver.received.slice(before).map((r) => r.json);
      assert.deepEqual(got.map((j) => j.kind), ['machine-silent'], 'one alert for one silence, however many ticks');
      assert.equal(got[0].machine, 'WS01');
      assert.equal(got[0].client, 'Acme');
      // Two days on (the machine still reports, still waiting for a reboot): the reboot alert, and no second silence.
      await ok('POST', '/api/vault/recordMachine', { machine: { name: 'WS01', client: 'Acme', filterState: 'pending-reboot', journalDepth: 0 } }, agent);
      offset += 2 * DAY;
      const agentNowSeen = receiver.received.length;
      await t.hub.alerts.tick();
      got = receiver.received.slice(agentNowSeen).map((r) => r.json);
      assert.deepEqual(got.map((j) => j.kind).sort(), ['machine-silent', 'reboot-pending'],
        'the report ended the first silence, so two days on is a new one; the filter has waited 2 days');
      assert.match(got.find((j) => j.kind === 'reboot-pending').summary, /waited for a reboot for 2 day/);
      await t.hub.alerts.tick();
      assert.equal(receiver.received.length, agentNowSeen + 2);
    });

    it('an alert that fails for 72 hours is kept as failed, shown and recorded; an admin sends it again', async () => {
      await configure({ kinds: ['mismatch'] });
      await receiver.down();
      await agentEvent('mismatch-flagged', 'WS01\\dave');
      await t.hub.alerts.tick();
      offset += GIVE_UP_AFTER_MS;
      await t.hub.alerts.tick();
      const listed = await ok('GET', '/api/alerts');
      const d = listed.deliveries[0];
      assert.equal(d.status, 'failed');
      assert.equal(listed.failed, 1);
      const undelivered = await t.hub.vault.queryEvents({ kind: 'alert-undelivered', limit: 10 });
      assert.equal(undelivered.length, 1);
      assert.match(undelivered[0].reason!, new RegExp(`alert #${d.id} \\(mismatch\\) could not be delivered`));
      offset += DAY;
      await t.hub.alerts.tick();
      assert.equal((await deliveries())[0].attempts, d.attempts, 'a failed alert is not retried by itself');
      const refused = await call('POST', '/api/alerts/requeue', { id: listed.deliveries[1].id });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /only a failed alert is sent again/);
      assert.equal((await call('POST', '/api/alerts/requeue', { id: 999_999 })).status, 404);
      await receiver.up();
      const requeued = await ok('POST', '/api/alerts/requeue', { id: d.id });
      assert.equal(requeued.delivery.status, 'pending');
      const before = receiver.received.length;
      await t.hub.alerts.tick();
      assert.equal(receiver.received.length, before + 1);
      assert.equal(receiver.received[before].json.id, d.id);
      assert.equal((await deliveries())[0].status, 'delivered');
    });

    it('the test button queues a signed test alert; refused while alerts are off', async () => {
      const before = receiver.received.length;
      const r = await ok('POST', '/api/alerts/test', {});
      assert.equal(r.delivery.kind, 'test');
      assert.equal(r.delivery.status, 'pending');
      await t.hub.alerts.tick();
      const got = receiver.received.slice(before);
      assert.equal(got.length, 1);
      assert.equal(got[0].json.test, true);
      assert.ok(verifies(got[0], secret));
      await configure({ enabled: false });
      const off = await call('POST', '/api/alerts/test', {});
      assert.equal(off.status, 400);
      assert.match(off.body.error.message, /alerts are disabled/);
      // Off: events make no alert.
      await agentEvent('mismatch-flagged', 'WS01\\erin');
      await t.hub.alerts.tick();
      assert.equal(receiver.received.length, before + 1);
      await configure();
    });

    it('two hub processes on one database deliver each alert once', async () => {
      const second = await t.second();
      const made: number[] = [];
      for (let i = 0; i < 12; i++) made.push((await ok('POST', '/api/alerts/test', {})).delivery.id);
      const before = receiver.received.length;
      // Both processes tick at once, repeatedly: every due row is claimed by exactly one of them.
      for (let round = 0; round < 3; round++) await Promise.all([t.hub.alerts.tick(), second.alerts.tick(), t.hub.alerts.tick(), second.alerts.tick()]);
      const ids = receiver.received.slice(before).map((r) => r.json.id as number).sort((a, b) => a - b);
      assert.deepEqual(ids, made, 'each alert delivered exactly once');
    });

    it('the secret is in no log line, no event, no outbox row, and not in the database in clear', async () => {
      const log = fs.readFileSync(t.logFile, 'utf8');
      assert.ok(log.length > 0);
      assert.ok(!log.includes(secret), 'not in the hub log');
      const events = await t.hub.vault.queryEvents({ limit: 10_000 });
      assert.ok(events.length > 10);
      assert.ok(!JSON.stringify(events).includes(secret), 'not in an event');
      const rows = await t.hub.store.sql.all<{ payload: string }>('SELECT payload FROM hub_alert_outbox');
      assert.ok(!JSON.stringify(rows).includes(secret), 'not in the outbox');
      const sealed = await t.hub.store.sql.all<{ secret_enc: Buffer }>('SELECT secret_enc FROM hub_alert_settings');
      assert.equal(sealed.length, 1);
      assert.ok(!Buffer.from(sealed[0].secret_enc).includes(Buffer.from(secret)), 'stored sealed');
      assert.ok(!Buffer.from(sealed[0].secret_enc).includes(Buffer.from(secret.slice(6), 'base64url')), 'not its raw bytes either');
      if (engine === 'sqlite') {
        const db = fs.readFileSync(path.join(t.dataDir, 'vault.db'));
        assert.ok(!db.includes(Buffer.from(secret)), 'not in vault.db');
      }
    });
  });
}
