// The dashboard's navigation routes (src/hub/browse-api.ts) against a real hub over HTTPS on SQLite and
// PostgreSQL: the clients with their counts, one client's page, pages of credentials (one client's and a
// search across clients, folded as the vault folds names), a client's events, the edges of keyset paging
// (empty, exactly one page, the last page, a cursor the hub never gave), who may read them, and every
// answer checked against the route's own response schema.
import { strict as assert } from 'node:assert';
import { browseRoutes, encodeCursor } from '../../src/hub/api/browse-routes';
import { prefixEnd } from '../../src/hub/browse-store';
import { check } from '../../src/hub/schema';
import type { HubClient, HubResponse } from '../../src/vault/hub-client';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-81c2';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const ACME_USERS = [...Array.from({ length: 12 }, (_, i) => `user${String(i + 1).padStart(2, '0')}`), 'WS01\\Ärger', 'Zed'];
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub dashboard navigation API: clients, a client's page, credential pages and search (${engine})`, function () {
    this.timeout(90_000);
    let t: TestHub;
    let admin: HubClient;
    let viewer: HubClient;
    let agent: HubClient;
    const ids = new Map<string, number>();
    const vault = async (method: string, body: unknown) => {
      const r = await admin.request('POST', `/api/vault/${method}`, body);
      assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    /** GET as the viewer; a 200 is checked against the route's response schema. */
    const get = async (path: string, who: HubClient = viewer): Promise<HubResponse> => {
      const r = await who.request('GET', path);
      if (r.status === 200) {
        const route = browseRoutes.find((x) => x.path === path.split('?')[0])!;
        check(route.response!, r.body, 'response', []);
      }
      return r;
    };
    const ok = async (path: string) => {
      const r = await get(path);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    /** Every page of a credentials listing, following `next`. */
    const walk = async (query: string, limit: number) => {
      const pages: string[][] = [];
      let after: string | null = null;
      do {
        const body: { credentials: Array<{ username: string; client: string }>; next: string | null } =
          await ok(`/api/dashboard/credentials?${query}${query ? '&' : ''}limit=${limit}${after ? `&after=${after}` : ''}`);
        pages.push(body.credentials.map((c) => `${c.client}/${c.username}`));
        after = body.next;
        assert.ok(pages.length < 100, 'paging ends');
      } while (after);
      return pages;
    };

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      for (const [name, windowsSync] of [['Acme', true], ['Globex', false], ['Empty', false]] as const) {
        await vault('addClient', { client: { name, windowsSync, defaultMode: 'report' } });
      }
      for (const [client, usernames] of [['Acme', ACME_USERS], ['Globex', ['USER05', 'admin']]] as const) {
        for (const username of usernames) {
          const r = await vault('addCredential', { credential: { client, username, password: b64('Cred-canary-5e'), windowsSync: false, mode: 'report' } });
          ids.set(`${client}/${username}`, r.credential.id);
        }
      }
      await vault('setFlag', { credentialId: ids.get('Acme/user03'), flag: 'mismatch', on: true });
      await vault('setFlag', { credentialId: ids.get('Acme/user03'), flag: 'conflict', on: true });
      await vault('setFlag', { credentialId: ids.get('Globex/admin'), flag: 'mismatch', on: true });
      const enrolled = await admin.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
      const g = await admin.request('POST', '/api/agents', { client: 'Globex', machine: 'GX01' });
      assert.equal(g.status, 200, JSON.stringify(g.body));
      const gAgent = t.client(g.body.token);
      const ev = (machine: string, i: number) => ({ time: Date.now(), machine, kind: 'password-set', outcome: 'ok', account: 'user01', reason: `${machine} event ${i}` });
      for (const [who, machine] of [[agent, 'WS01'], [gAgent, 'GX01']] as const) {
        const r = await who.request('POST', '/api/vault/appendEvents', { events: Array.from({ length: 7 }, (_, i) => ev(machine, i)) });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      // A hub event about an Acme credential (recorded with machine "hub"): the client's page shows it too.
      await vault('readPassword', { credentialId: ids.get('Acme/user02') });
      await vault('deleteCredential', { client: 'Acme', username: 'Zed' });
      ids.delete('Acme/Zed');
    });
    after(async () => t?.close());

    it('GET /api/dashboard/clients: every client with its options and counts, in byte order of the folded name', async () => {
      const { clients } = await ok('/api/dashboard/clients');
      assert.deepEqual(clients.map((c: { name: string }) => c.name), ['Acme', 'Empty', 'Globex']);
      const acme = clients[0];
      assert.deepEqual(acme, {
        name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report', agentsWriteShared: false,
        credentials: 13, machines: 1, flags: { mismatch: 1, conflict: 1, 'policy-refused': 0 },
      });
      assert.deepEqual([clients[1].credentials, clients[1].machines, clients[1].flags], [0, 0, { mismatch: 0, conflict: 0, 'policy-refused': 0 }]);
      assert.deepEqual([clients[2].credentials, clients[2].machines, clients[2].flags.mismatch], [2, 1, 1]);
    });

    it('GET /api/dashboard/client?name=: one client (name folded), its counts and machines; unknown 404, no name 400', async () => {
      const body = await ok('/api/dashboard/client?name=ACME');
      assert.equal(body.client.name, 'Acme');
      assert.equal(body.client.credentials, 13);
      assert.deepEqual(body.machines.map((m: { name: string; client: string }) => [m.name, m.client]), [['WS01', 'Acme']]);
      assert.equal(typeof body.now, 'number');
      const missing = await get('/api/dashboard/client?name=Nope');
      assert.deepEqual([missing.status, missing.body.error.message], [404, 'client "Nope" does not exist']);
      const none = await get('/api/dashboard/client');
      assert.equal(none.status, 400);
      assert.match(none.body.error.message, /^name is required/);
    });

    it('one client\'s credentials page by page: every one once, in order, the last page says no next', async () => {
      const expected = ACME_USERS.filter((u) => u !== 'Zed').sort((a, b) => byteOrder(a.toLowerCase(), b.toLowerCase())).map((u) => `Acme/${u}`);
      const pages = await walk('client=acme', 5);
      assert.deepEqual(pages.map((p) => p.length), [5, 5, 3], 'two full pages and the last');
      assert.deepEqual(pages.flat(), expected);
      // Exactly one page's worth: one page, no next (the hub reads one row more to know).
      const exact = await walk('client=Acme', 13);
      assert.deepEqual(exact, [expected]);
      // One short of it: a next, and a last page of one.
      assert.deepEqual((await walk('client=Acme', 12)).map((p) => p.length), [12, 1]);
      // A client without credentials: an empty page, no next.
      assert.deepEqual(await ok('/api/dashboard/credentials?client=Empty'), { credentials: [], next: null });
      // Flags ride on the rows.
      const first = await ok('/api/dashboard/credentials?client=Acme&limit=3');
      const u3 = first.credentials.find((c: { username: string }) => c.username === 'user03');
      assert.deepEqual(u3.flags, ['mismatch', 'conflict']);
      assert.equal(u3.id, ids.get('Acme/user03'));
    });

    it('a cursor the hub never gave, or other bad parameters, is a 400 naming what is wrong', async () => {
      const bad = async (query: string, message: RegExp) => {
        const r = await get(`/api/dashboard/credentials?${query}`);
        assert.equal(r.status, 400, `${query}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, message, query);
      };
      const notCursor = /^after is not a cursor this hub gave/;
      await bad('client=Acme&after=garbage!!', notCursor);
      await bad(`client=Acme&after=${Buffer.from('{"k":1}').toString('base64url')}`, notCursor);
      await bad(`client=Acme&after=${Buffer.from('["user01",-4]').toString('base64url')}`, notCursor);
      await bad(`client=Acme&after=${encodeCursor({ key: 'user01', id: 1 })}=`, notCursor);
      await bad('client=Acme&after=', notCursor);
      await bad('client=Acme&limit=0', /^limit must be an integer from 1 to 500/);
      await bad('client=Acme&limit=501', /^limit must be an integer from 1 to 500/);
      await bad('client=Acme&sort=name', /^unknown query parameter "sort"/);
      await bad('q=user&match=exact', /^match must be one of prefix, substring/);
      await bad('match=prefix', /^match needs q/);
      await bad('client=Acme&client=Globex', /^client is given more than once/);
      const missing = await get('/api/dashboard/credentials?client=Nope');
      assert.equal(missing.status, 404);
      // A well-formed cursor past the end is simply an empty last page.
      assert.deepEqual(await ok(`/api/dashboard/credentials?client=Acme&after=${encodeCursor({ key: '\u{10ffff}', id: 1 })}`), { credentials: [], next: null });
    });

    it('search by username across clients: substring or prefix, case folded as the vault folds names, paged', async () => {
      const all = (await walk('q=USER0', 4)).flat();
      assert.deepEqual(all, [...Array.from({ length: 9 }, (_, i) => `Acme/user0${i + 1}`), 'Globex/USER05'].sort((a, b) => byteOrder(a.split('/')[1].toLowerCase(), b.split('/')[1].toLowerCase()) || byteOrder(a, b)));
      // Non-ASCII folds too (SQLite's own LIKE/NOCASE would not): Ä finds ä.
      assert.deepEqual((await walk('q=%C3%A4rger', 10)).flat(), ['Acme/WS01\\Ärger']);
      assert.deepEqual((await walk(`q=${encodeURIComponent('ws01\\ä')}&match=prefix`, 10)).flat(), ['Acme/WS01\\Ärger']);
      assert.deepEqual((await walk('q=rger&match=prefix', 10)).flat(), [], 'prefix: only at the start');
      assert.deepEqual((await walk('q=ADMIN&match=prefix', 10)).flat(), ['Globex/admin']);
      // Within one client, and a pattern character taken literally.
      assert.deepEqual((await walk('client=Globex&q=user', 10)).flat(), ['Globex/USER05']);
      assert.deepEqual((await walk('q=%25', 10)).flat(), []);
      assert.deepEqual((await walk('q=_', 10)).flat(), []);
      // Without q: every credential of every client, paged the same way.
      assert.equal((await walk('', 6)).flat().length, 15);
    });

    it('GET /api/dashboard/client-events: its machines\' events and the hub\'s about its credentials, newest first, paged by before', async () => {
      const pages: number[][] = [];
      const seen: Array<{ id: number; machine: string; reason?: string; kind: string; credentialId?: number }> = [];
      let before: number | null = null;
      do {
        const body: { events: typeof seen; next: number | null } = await ok(`/api/dashboard/client-events?client=acme&limit=3${before ? `&before=${before}` : ''}`);
        pages.push(body.events.map((e) => e.id));
        seen.push(...body.events);
        before = body.next;
      } while (before !== null);
      const idsSeen = seen.map((e) => e.id);
      assert.deepEqual(idsSeen, [...idsSeen].sort((a, b) => b - a), 'newest first');
      assert.equal(new Set(idsSeen).size, idsSeen.length, 'no event twice');
      assert.ok(seen.every((e) => e.machine !== 'GX01'), 'nothing of another client\'s machine');
      assert.equal(seen.filter((e) => e.machine === 'WS01' && e.kind === 'password-set').length, 7);
      assert.ok(seen.some((e) => e.machine === 'WS01' && e.kind === 'agent-enrolled'));
      assert.ok(seen.some((e) => e.machine === 'hub' && e.kind === 'password-read' && e.credentialId === ids.get('Acme/user02')), 'the hub\'s event about its credential');
      assert.ok(!seen.some((e) => e.kind === 'client-changed'), 'nothing the hub recorded about no credential of it');
      assert.ok(pages.slice(0, -1).every((p) => p.length === 3));
      const globex = await ok('/api/dashboard/client-events?client=Globex&limit=500');
      assert.ok(globex.events.every((e: { machine: string }) => e.machine === 'GX01'), JSON.stringify(globex.events));
      assert.deepEqual(await ok('/api/dashboard/client-events?client=Empty'), { events: [], next: null });
      const noClient = await get('/api/dashboard/client-events');
      assert.equal(noClient.status, 400);
      assert.match(noClient.body.error.message, /^client is required/);
      const badBefore = await get('/api/dashboard/client-events?client=Acme&before=x');
      assert.equal(badBefore.status, 400);
      assert.match(badBefore.body.error.message, /^before must be an integer/);
    });

    it('users of every role may read; an agent token is refused with 403 and the refusal recorded', async () => {
      assert.equal((await get('/api/dashboard/clients', admin)).status, 200);
      for (const path of ['/api/dashboard/clients', '/api/dashboard/client?name=Acme', '/api/dashboard/credentials?client=Acme', '/api/dashboard/client-events?client=Acme']) {
        const r = await get(path, agent);
        assert.equal(r.status, 403, path);
        assert.match(r.body.error.message, /agent "WS01".* may not .*\(the dashboard's routes are for users\)/, path);
      }
      const refused = await admin.request('GET', '/api/dashboard/events?kind=access-refused&limit=10');
      assert.ok(refused.body.events.filter((e: { reason: string }) => /may not list credentials/.test(e.reason)).length >= 1);
      const anon = await t.client().request('GET', '/api/dashboard/clients');
      assert.equal(anon.status, 401);
    });
  });
}

describe('prefix search: the end of the index range', () => {
  it('is the prefix with its last code point plus one, past the surrogates, and none after U+10FFFF', () => {
    assert.equal(prefixEnd('ws01\\a'), 'ws01\\b');
    assert.equal(prefixEnd('\u00e4'), '\u00e5');
    assert.equal(prefixEnd('a\ud7ff'), 'a\ue000');
    assert.equal(prefixEnd('a\u{10ffff}'), 'b');
    assert.equal(prefixEnd('\u{10ffff}'), undefined);
    // Every name that starts with the prefix sorts below the end, in code point order (JS compares UTF-16,
    // which agrees with it below U+10000 and for these).
    for (const name of ['ws01\\a', 'ws01\\alice', 'ws01\\a\u{10ffff}']) assert.ok(name < prefixEnd('ws01\\a')!, name);
  });
});
