// Enrolment tokens (issue 13, item 3): an admin makes a token for one client, a machine enrols with it
// through the public POST /api/agents/enrol-with-token, each use taken by one UPDATE. Against a real hub
// over HTTPS on both engines, with the hub's clock injected to expire a token.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'oscar';
const OP_PW = 'Operator-Pw-canary-7c21';
const VIEWER = 'vera';
const VIEWER_PW = 'Viewer-Pw-canary-93ad';
const HOUR = 3600_000;
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: enrolment tokens (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let admin: string;
    let offset = 0;
    /** Every token the hub answered: none may appear in an event or the log. */
    const secrets: string[] = [];
    const create = async (body: Record<string, unknown>, token = admin) => {
      const r = await t.client(token).request('POST', '/api/enrolment-tokens', body);
      if (r.status === 200) secrets.push(r.body.token);
      return r;
    };
    const enrol = async (token: string, machine: string) => {
      const r = await t.client().request('POST', '/api/agents/enrol-with-token', { token: b64(token), machine });
      if (r.status === 200) secrets.push(r.body.token);
      return r;
    };
    const events = (kind: string) => t.hub.vault.queryEvents({ kind, limit: 1000 });

    before(async () => {
      t = await startTestHub(engine, {
        now: () => Date.now() + offset,
        limits: { perUser: 5, perAddress: 40, baseDelayMs: 60_000, maxDelayMs: 120_000, windowMs: 15 * 60_000 },
      });
      admin = await t.token();
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      for (const name of ['Acme', 'Other']) {
        const r = await t.client(admin).request('POST', '/api/vault/addClient', { client: { name } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
    });
    after(async () => t?.close());

    it('an admin creates a token (defaults: 1 use, 24 h), shown once; the list has no token; bad numbers are refused naming the field', async () => {
      const before = Date.now();
      const r = await create({ client: 'acme' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match(r.body.token, /^pwe_[A-Za-z0-9_-]{43}$/);
      const made = r.body.enrolmentToken;
      assert.equal(made.client, 'Acme');
      assert.equal(made.createdBy, 'admin');
      assert.equal(made.uses, 1);
      assert.equal(made.usesLeft, 1);
      assert.equal(made.revokedAt, null);
      assert.ok(made.expiresAt >= before + 24 * HOUR && made.expiresAt <= Date.now() + 24 * HOUR, String(made.expiresAt));
      const list = await t.client(admin).request('GET', '/api/enrolment-tokens');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.enrolmentTokens.find((x: any) => x.id === made.id), made);
      assert.ok(!JSON.stringify(list.body).includes(r.body.token));
      const stored = await t.hub.store.sql.all<Record<string, unknown>>('SELECT * FROM hub_enrolment_tokens');
      assert.ok(!JSON.stringify(stored).includes(r.body.token), 'only the hash is stored');
      assert.match((await events('enrolment-token-created'))[0].reason!, new RegExp(`enrolment token #${made.id} of client "Acme" created by user "admin".*1 use`));

      for (const [body, message] of [
        [{ client: 'Acme', uses: 0 }, 'uses must be a whole number from 1 to 10000, got 0'],
        [{ client: 'Acme', uses: 10_001 }, 'uses must be a whole number from 1 to 10000, got 10001'],
        [{ client: 'Acme', expiresInHours: 721 }, 'expiresInHours must be a whole number from 1 to 720, got 721'],
      ] as const) {
        const bad = await create(body);
        assert.equal(bad.status, 400, JSON.stringify(bad.body));
        assert.equal(bad.body.error.message, message);
      }
      const none = await create({ client: 'Nowhere' });
      assert.equal(none.status, 404);
      assert.match(none.body.error.message, /client "Nowhere" does not exist/);
    });

    it('an operator (even with setup-ad-sync) or a viewer may not create, list or revoke: 403, recorded', async () => {
      for (const [name, pw] of [[OP, OP_PW], [VIEWER, VIEWER_PW]]) {
        const session = await t.token(name, pw);
        const r = await create({ client: 'Acme' }, session);
        assert.equal(r.status, 403, JSON.stringify(r.body));
        assert.match(r.body.error.message, /may not create an enrolment token for client "Acme" \(enrolment tokens are for admins\)/);
        assert.equal((await t.client(session).request('GET', '/api/enrolment-tokens')).status, 403);
        assert.equal((await t.client(session).request('POST', '/api/enrolment-tokens/revoke', { id: 1 })).status, 403);
        const refused = (await events('access-refused')).filter((e) => e.reason!.includes(`"${name}"`) && e.reason!.includes('enrolment tok'));
        assert.equal(refused.length, 3, JSON.stringify(refused));
      }
    });

    it('a machine enrols with a token: its agent token works for that client only; the event names the token, and the use is taken', async () => {
      const made = (await create({ client: 'Acme', uses: 2 })).body;
      const r = await enrol(made.token, 'WS01');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.agent, { client: 'Acme', machine: 'WS01' });
      assert.match(r.body.token, /^pwa_/);
      const agent = t.client(r.body.token);
      assert.deepEqual((await agent.request('GET', '/api/me')).body, { agent: { client: 'Acme', machine: 'WS01' } });
      assert.equal((await agent.request('POST', '/api/vault/listCredentials', { client: 'Acme' })).status, 200);
      const other = await agent.request('POST', '/api/vault/listCredentials', { client: 'Other' });
      assert.equal(other.status, 403, JSON.stringify(other.body));
      const enrolled = (await events('agent-enrolled')).find((e) => e.machine === 'WS01');
      assert.match(enrolled!.reason!, new RegExp(`machine "WS01" enrolled into client "Acme" by enrolment token #${made.enrolmentToken.id} of client "Acme" \\(created by admin; 1 of 2 use\\(s\\) left\\)`));
      const row = await t.hub.store.sql.all<{ enrolled_by: string }>('SELECT enrolled_by FROM hub_agents WHERE machine = $1', ['WS01']);
      assert.deepEqual(row.map((x) => x.enrolled_by), [`enrolment token #${made.enrolmentToken.id}`]);
      // The enrolment events are the hub's own: an agent may not forge one.
      const forged = await agent.request('POST', '/api/vault/appendEvents', {
        events: [{ time: Date.now(), machine: 'WS01', kind: 'enrolment-token-revoked', outcome: 'ok', reason: 'forged' }],
      });
      assert.equal(forged.status, 403, JSON.stringify(forged.body));
      assert.equal((await events('enrolment-token-revoked')).length, 0);
      // A reserved name is refused before a use is spent.
      const reserved = await enrol(made.token, 'hub');
      assert.equal(reserved.status, 400);
      assert.equal((await t.hub.store.enrolmentToken(made.enrolmentToken.id))!.usesLeft, 1);
    });

    it('used up, expired, revoked, unknown: 401 with a message naming which, and a refusal event each', async () => {
      const used = (await create({ client: 'Acme', uses: 1 })).body.token;
      assert.equal((await enrol(used, 'WS02')).status, 200);
      const expiring = (await create({ client: 'Acme', expiresInHours: 1 })).body.token;
      const revokedMade = (await create({ client: 'Acme', uses: 5 })).body;
      const rv = await t.client(admin).request('POST', '/api/enrolment-tokens/revoke', { id: revokedMade.enrolmentToken.id });
      assert.equal(rv.status, 200, JSON.stringify(rv.body));
      assert.equal(rv.body.changed, true);
      assert.equal(rv.body.enrolmentToken.revokedBy, 'admin');
      assert.equal((await t.client(admin).request('POST', '/api/enrolment-tokens/revoke', { id: revokedMade.enrolmentToken.id })).body.changed, false);
      assert.equal((await t.client(admin).request('POST', '/api/enrolment-tokens/revoke', { id: 999_999 })).status, 404);
      assert.equal((await events('enrolment-token-revoked')).length, 1, 'a second revocation changes nothing and records nothing');

      offset = 2 * HOUR;
      try {
        const cases: Array<[string, string, RegExp]> = [
          [used, 'used-up', /the enrolment token is used up/],
          [expiring, 'expired', /the enrolment token has expired/],
          [revokedMade.token, 'revoked', /the enrolment token was revoked/],
          ['pwe_not-a-token-at-all', 'unknown', /the enrolment token is not valid \(no such token\)/],
        ];
        for (const [token, why, message] of cases) {
          const before = (await events('enrolment-token-refused')).length;
          const r = await enrol(token, 'WS03');
          assert.equal(r.status, 401, `${why}: ${JSON.stringify(r.body)}`);
          assert.match(r.body.error.message, message);
          const after = await events('enrolment-token-refused');
          assert.equal(after.length, before + 1, why);
          assert.ok(after.some((e) => e.outcome === 'refused' && e.reason!.includes('machine "WS03"') && e.reason!.endsWith(`: ${why}`)), JSON.stringify(after));
        }
      } finally {
        offset = 0;
      }
      assert.equal((await t.hub.store.sql.all('SELECT id FROM hub_agents WHERE machine = $1', ['WS03'])).length, 0);
    });

    it('parallel enrolments never overspend: a 1-use token enrols exactly one of 8 machines, a 3-use token exactly 3 of 10', async () => {
      for (const [uses, tries] of [[1, 8], [3, 10]]) {
        const made = (await create({ client: 'Acme', uses })).body;
        const results = await Promise.all(Array.from({ length: tries }, (_, i) => enrol(made.token, `P${uses}-${i}`)));
        const ok = results.filter((r) => r.status === 200);
        assert.equal(ok.length, uses, JSON.stringify(results.map((r) => r.status)));
        const refused = results.filter((r) => r.status !== 200);
        assert.ok(refused.every((r) => r.status === 401 && /used up/.test(r.body.error.message)), JSON.stringify(refused.map((r) => r.body)));
        assert.equal((await t.hub.store.enrolmentToken(made.enrolmentToken.id))!.usesLeft, 0);
        const agents = await t.hub.store.sql.all('SELECT id FROM hub_agents WHERE enrolled_by = $1', [`enrolment token #${made.enrolmentToken.id}`]);
        assert.equal(agents.length, uses);
      }
    });

    it('guessing is slowed down per address like logins: 429 with Retry-After, recorded', async () => {
      let r: any;
      for (let i = 0; i < 60; i++) {
        r = await enrol(`pwe_guess-${i}`, 'WS04');
        if (r.status === 429) break;
        assert.equal(r.status, 401);
      }
      assert.equal(r.status, 429, 'the address was throttled');
      assert.match(r.body.error.message, /too many failed enrolment attempts from this address; try again in \d+ s/);
      assert.ok((await events('enrolment-token-refused')).some((e) => /too many failed attempts from this address/.test(e.reason!)));
      await t.hub.store.throttle.clear('ip:127.0.0.1');
    });

    it('no token (enrolment or agent) in any event or in the hub\'s log (canary)', async () => {
      assert.ok(secrets.length >= 10, String(secrets.length));
      const all = JSON.stringify(await t.hub.vault.queryEvents({ limit: 100_000 }));
      const log = fs.readFileSync(t.logFile, 'utf8');
      for (const s of secrets) {
        assert.ok(!all.includes(s), 'a token in an event');
        assert.ok(!log.includes(s), 'a token in the log');
        assert.ok(!all.includes(s.slice(4, 20)) && !log.includes(s.slice(4, 20)), 'part of a token');
      }
    });
  });
}
