// GET /api/openapi.json against a real hub on SQLite and PostgreSQL: the document is OpenAPI 3.1 in
// shape, lists exactly the server's route table, and every route's real answer (one representative call
// each, driven here) passes that route's response schema under a JSON Schema validator (Ajv, draft 2020-12).
// A field an answer gains, or loses, that the schema does not say fails here.
import { totpAt, totpStep } from '../../src/hub/totp';
import { fromBase32 } from '../helpers/base32';
import { strict as assert } from 'node:assert';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { routes } from '../../src/hub/api/index';
import type { HubResponse } from '../../src/vault/hub-client';
import { ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = { openapi: string; info: any; paths: Record<string, Record<string, any>>; components: any; security: any[] };

const b64 = (s: string) => Buffer.from(s).toString('base64');
const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'trace'];

function newAjv() {
  // strict: a keyword Ajv does not know, or a malformed schema, is an error here, not ignored.
  return new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: GET /api/openapi.json (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let adminToken: string;
    let doc: Doc;
    const ajv = newAjv();
    const validators = new Map<string, ValidateFunction>();
    /** `METHOD path` of every route a test call got a valid 200 from. */
    const answered = new Set<string>();

    /** A schema with its references to components/schemas replaced by what they name (Ajv compiles fragments). */
    function inline(node: any): any {
      if (Array.isArray(node)) return node.map(inline);
      if (node === null || typeof node !== 'object') return node;
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/schemas/')) {
        const target = doc.components.schemas[node.$ref.slice('#/components/schemas/'.length)];
        assert.ok(target, `${node.$ref} does not resolve`);
        return inline(target);
      }
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v)]));
    }

    /** The compiled 200 schema of one operation (a missing one fails the test, naming it). */
    function responseValidator(method: string, path: string): ValidateFunction {
      const key = `${method} ${path}`;
      let v = validators.get(key);
      if (!v) {
        const op = doc.paths[path]?.[method.toLowerCase()];
        assert.ok(op, `${key} is not in the document`);
        const schema = op.responses?.['200']?.content?.['application/json']?.schema;
        assert.ok(schema, `${key} has no application/json 200 schema`);
        v = ajv.compile(inline(schema));
        validators.set(key, v);
      }
      return v;
    }

    function conforms(method: string, path: string, body: unknown): void {
      const v = responseValidator(method, path);
      assert.ok(v(body), `${method} ${path}: the answer does not match the document: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body)}`);
    }

    /** The request too must be one the document describes: its query parameters declared, their values in range. */
    function queryConforms(method: string, path: string, query: string): void {
      const declared = (doc.paths[path]?.[method.toLowerCase()]?.parameters ?? []) as Array<{ name: string; schema: any }>;
      for (const [name, value] of new URLSearchParams(query)) {
        const p = declared.find((d) => d.name === name);
        assert.ok(p, `${method} ${path}: query parameter ${name} is not in the document`);
        const typed = p.schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
        assert.ok(ajv.validate(p.schema, typed), `${method} ${path}: ${name}=${value}: ${ajv.errorsText(ajv.errors)}`);
      }
    }

    /** One call; it must answer 200, and its body must match the document. */
    async function call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown, token: string | null = adminToken): Promise<any> {
      const r: HubResponse = await t.client().request(method, pathAndQuery, body, token ?? undefined);
      const [path, query = ''] = pathAndQuery.split('?');
      queryConforms(method, path, query);
      assert.equal(r.status, 200, `${method} ${pathAndQuery}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      conforms(method, path, r.body);
      answered.add(`${method} ${path}`);
      return r.body;
    }

    before(async () => {
      t = await startTestHub(engine);
      adminToken = await t.token();
    });
    after(async () => { await t?.close(); });

    it('needs a login: anonymous is 401, a user\'s session gets the document', async () => {
      const anon = await t.raw('GET', '/api/openapi.json');
      assert.equal(anon.status, 401);
      const r = await t.client(adminToken).request('GET', '/api/openapi.json');
      assert.equal(r.status, 200);
      doc = r.body;
      assert.equal(doc.openapi, '3.1.0');
    });

    it('is OpenAPI 3.1 in shape: every route of the server\'s table with its method, well-formed schemas, resolvable references', () => {
      assert.equal(typeof doc.info?.title, 'string');
      assert.equal(typeof doc.info?.version, 'string');
      const schemes = doc.components.securitySchemes;
      assert.deepEqual(schemes.session, { type: 'apiKey', in: 'cookie', name: 'pwbridge_session', description: schemes.session.description });
      assert.equal(schemes.bearer.type, 'http');
      assert.equal(schemes.bearer.scheme, 'bearer');
      // The table and the document list the same operations (GET /metrics is served beside the table).
      const inDoc = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
      const inTable = [...routes.map((r) => `${r.method} ${r.path}`), 'GET /metrics'].sort();
      assert.deepEqual(inDoc, inTable);
      const ids = new Set<string>();
      const meta = newAjv();
      for (const [p, ops] of Object.entries(doc.paths)) {
        assert.match(p, /^\/[A-Za-z0-9/._-]*$/, `path ${p}`);
        for (const [m, op] of Object.entries(ops)) {
          const where = `${m.toUpperCase()} ${p}`;
          assert.ok(METHODS.includes(m), `${where}: not an HTTP method`);
          assert.equal(typeof op.operationId, 'string', where);
          assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is used twice`);
          ids.add(op.operationId);
          assert.ok(typeof op.summary === 'string' && op.summary.length > 10, `${where}: summary`);
          assert.ok(op.responses['200'], `${where}: no 200`);
          assert.deepEqual(op.responses['4XX'], { $ref: '#/components/responses/Error' }, `${where}: 4XX`);
          for (const req of op.security ?? doc.security) {
            for (const name of Object.keys(req)) assert.ok(schemes[name], `${where}: security scheme ${name} is not defined`);
          }
          const route = routes.find((r) => r.path === p && r.method.toLowerCase() === m);
          if (route) {
            assert.equal(op.security !== undefined && op.security.length === 0, route.public === true, `${where}: public routes, and only they, have no security`);
            assert.equal(op.requestBody !== undefined, route.method === 'POST', `${where}: a POST has a JSON body, a GET none`);
          }
          const schemas = [op.responses['200'].content?.['application/json']?.schema ?? op.responses['200'].content?.['text/plain']?.schema];
          if (op.requestBody) {
            assert.equal(op.requestBody.required, true, where);
            schemas.push(op.requestBody.content['application/json'].schema);
          }
          for (const param of op.parameters ?? []) {
            assert.equal(param.in, 'query', `${where}: ${param.name}`);
            assert.equal(typeof param.description, 'string', `${where}: ${param.name}`);
            schemas.push(param.schema);
          }
          for (const s of schemas) {
            assert.ok(s, `${where}: a schema is missing`);
            assert.ok(meta.validateSchema(s), `${where}: not a valid JSON Schema 2020-12: ${meta.errorsText(meta.errors)}`);
            meta.compile(inline(s));
          }
        }
      }
      for (const [name, s] of Object.entries(doc.components.schemas)) {
        assert.ok(meta.validateSchema(s as object), `components/schemas/${name}: ${meta.errorsText(meta.errors)}`);
      }
      // The shared shapes are named once and referred to: a credential is the same Credential everywhere.
      assert.deepEqual(doc.paths['/api/vault/findCredential'].post.responses['200'].content['application/json'].schema.properties.credential,
        { anyOf: [{ $ref: '#/components/schemas/Credential' }, { type: 'null' }] });
      // Every $ref points at something.
      const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        const target = ref.slice(8, -1).replace(/^#\//, '').split('/').reduce<any>((o, k) => o?.[k], doc);
        assert.ok(target, `${ref} does not resolve`);
      }
      // Passwords are base64 strings, said so: the login body's and readPassword's answer.
      const login = doc.paths['/api/login'].post.requestBody.content['application/json'].schema;
      assert.equal(login.properties.password.contentEncoding, 'base64');
      assert.equal(login.additionalProperties, false);
      assert.deepEqual(login.required, ['user', 'password']);
      assert.equal(doc.paths['/api/vault/readPassword'].post.responses['200'].content['application/json'].schema.properties.password.contentEncoding, 'base64');
    });

    it('every route\'s real answer matches its response schema', async () => {
      // Health and sessions.
      await call('GET', '/healthz', undefined, null);
      await call('GET', '/readyz', undefined, null);
      await call('POST', '/api/login', { user: 'admin', password: b64(ADMIN_PASSWORD) }, null);
      const session = (await call('POST', '/api/login', { user: 'admin', password: b64(ADMIN_PASSWORD), bearer: true }, null)).token as string;
      await call('GET', '/api/me');
      await call('GET', '/api/openapi.json');

      // Users.
      await call('POST', '/api/users', { name: 'oscar', role: 'operator', permissions: ['setup-ad-sync'], password: b64('Oscar-password-1') });
      await call('POST', '/api/users/passwd', { name: 'oscar', password: b64('Oscar-password-2') });
      await call('POST', '/api/users/disable', { name: 'oscar' });
      await call('POST', '/api/users/enable', { name: 'oscar' });
      await call('POST', '/api/users/set', { name: 'oscar', role: 'viewer', permissions: [] });
      await call('GET', '/api/users');
      // Users, issue 13 item 4: a generated password; a second factor enrolled by oscar, then reset by the admin.
      const generated = Buffer.from((await call('POST', '/api/users/passwd-generate', { name: 'oscar' })).password, 'base64').toString();
      const oscar = (await call('POST', '/api/login', { user: 'oscar', password: b64(generated), bearer: true }, null)).token as string;
      await call('GET', '/api/account/mfa', undefined, oscar);
      const totpSecret = fromBase32((await call('POST', '/api/account/mfa/begin', {}, oscar)).secret);
      await call('POST', '/api/account/mfa/confirm', { code: totpAt(totpSecret, totpStep(Date.now())) }, oscar);
      await call('POST', '/api/users/mfa-reset', { name: 'oscar' });

      // Clients.
      await call('POST', '/api/vault/addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true } });
      await call('POST', '/api/vault/updateClient', { name: 'Acme', change: { agentsWriteShared: true } });
      await call('POST', '/api/vault/getClient', { name: 'Acme' });
      assert.deepEqual(await call('POST', '/api/vault/getClient', { name: 'Nobody' }), { client: null });
      await call('POST', '/api/vault/listClients', {});
      await call('POST', '/api/vault/addClient', { client: { name: 'Empty' } });
      await call('POST', '/api/vault/deleteClient', { name: 'Empty' });

      // Credentials.
      const alice = (await call('POST', '/api/vault/addCredential', {
        credential: { client: 'Acme', username: 'WS01\\alice', password: b64('Alice-1'), windowsSync: true, mode: 'change' },
      })).credential;
      await call('POST', '/api/vault/updateCredential', { client: 'Acme', username: 'WS01\\alice', change: { password: b64('Alice-2') } });
      await call('POST', '/api/vault/findCredential', { client: 'Acme', username: 'ws01\\ALICE' });
      assert.deepEqual(await call('POST', '/api/vault/findCredential', { client: 'Acme', username: 'WS01\\nobody' }), { credential: null });
      await call('POST', '/api/vault/readPassword', { credentialId: alice.id });
      await call('POST', '/api/vault/setFlag', { credentialId: alice.id, flag: 'mismatch', on: true });
      await call('POST', '/api/vault/listPasswordHistory', { credentialId: alice.id });
      await call('POST', '/api/vault/restorePassword', { credentialId: alice.id, version: 1 });
      const history = (await call('POST', '/api/vault/listPasswordHistory', { credentialId: alice.id })).history;
      assert.ok(history.some((h: any) => h.source?.kind === 'restore') && history.some((h: any) => h.replacedAt !== undefined), 'the history shows the optional fields too');

      // An agent: enrolment, the long poll, its captures and reports.
      const enrolled = await call('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      const agent = enrolled.token as string;
      await call('GET', '/api/me', undefined, agent);
      // Enrolment tokens: made, listed, one machine enrolled with it (public), revoked.
      const made = await call('POST', '/api/enrolment-tokens', { client: 'Acme', expiresInHours: 2, uses: 2 });
      await call('POST', '/api/agents/enrol-with-token', { token: b64(made.token), machine: 'WS09' }, null);
      await call('GET', '/api/enrolment-tokens');
      await call('POST', '/api/enrolment-tokens/revoke', { id: made.enrolmentToken.id });
      // Webhook alerts: configured (the secret answered once), a test alert queued, listed, and a failed one sent
      // again (the 72 h give-up itself is driven in alerts-api.test.ts; here it is set in the row for the answer's shape).
      await call('POST', '/api/alerts/settings', { url: 'http://127.0.0.1:9/pwbridge-alerts', kinds: ['mismatch', 'machine-silent'], enabled: true, silentMinutes: 30 });
      const testAlert = (await call('POST', '/api/alerts/test', {})).delivery;
      await t.hub.store.sql.run('UPDATE hub_alert_outbox SET failed_at = created_at, attempts = 1, last_error = $1 WHERE id = $2', ['ECONNREFUSED', testAlert.id]);
      await call('GET', '/api/alerts');
      await call('POST', '/api/alerts/requeue', { id: testAlert.id });
      // As the agent asks (src/vault/http.vault.ts waitForChanges): an empty cursor first, then the one it got.
      const first = await call('GET', '/api/changes?after=&waitMs=0', undefined, agent);
      await call('GET', `/api/changes?${new URLSearchParams({ after: first.cursor, waitMs: '1' })}`, undefined, agent);
      const current = (await call('POST', '/api/vault/findCredential', { client: 'Acme', username: 'WS01\\alice' }, agent)).credential;
      await call('POST', '/api/vault/setPasswordFromCapture', {
        credentialId: current.id, password: b64('Alice-3'), baseVersion: current.version, eventId: 'a'.repeat(32), capturedAt: Date.now(),
      }, agent);
      await call('POST', '/api/vault/createFromCapture', {
        credential: { client: 'Acme', username: 'WS01\\bob', password: b64('Bob-1'), windowsSync: true, mode: 'report' }, eventId: 'b'.repeat(32), capturedAt: Date.now(),
      }, agent);
      await call('POST', '/api/vault/recordMachine', { machine: { name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 2 } }, agent);
      await call('POST', '/api/vault/appendEvents', {
        events: [{ time: Date.now(), machine: 'WS01', account: 'WS01\\alice', kind: 'capture', outcome: 'ok', reason: 'captured', traceId: 'ab12', uid: 'c'.repeat(32) }],
      }, agent);
      await call('POST', '/api/vault/queryEvents', { query: { limit: 10 } }, agent);
      await call('POST', '/api/vault/listCredentials', { client: 'Acme' }, agent);
      // Conflicts: the agent records its side, a person chooses, the agent carries the choice out.
      await call('POST', '/api/vault/recordConflict', { credentialId: current.id, side: { machine: 'WS01', capturedAt: Date.now() - 60_000, eventId: 'd'.repeat(32) } }, agent);
      await call('POST', '/api/vault/listConflicts', {});
      await call('POST', '/api/vault/resolveConflict', { credentialId: current.id, machine: 'WS01', choice: 'machine' });
      await call('POST', '/api/vault/takeConflictedCapture', { credentialId: current.id, password: b64('Alice-4'), eventId: 'd'.repeat(32), machine: 'WS01' }, agent);
      await call('POST', '/api/vault/recordConflict', { credentialId: current.id, side: { machine: 'WS01', capturedAt: Date.now() - 60_000, eventId: 'e'.repeat(32) } }, agent);
      await call('POST', '/api/vault/resolveConflict', { credentialId: current.id, machine: 'WS01', choice: 'vault' });
      await call('POST', '/api/vault/settleConflict', { credentialId: current.id, machine: 'WS01', how: 'vault-kept' }, agent);
      await call('POST', '/api/vault/deleteCredential', { client: 'Acme', username: 'WS01\\bob' });

      // The dashboard's reads, and reveal.
      await call('POST', '/api/vault/queryEvents', { query: { latest: true, limit: 500 } });
      await call('GET', '/api/dashboard/events?limit=1000');
      const last = (await call('GET', '/api/dashboard/events?kind=capture&machine=WS01&account=WS01%5Calice&limit=5')).last;
      await call('GET', `/api/dashboard/events?after=${last}&waitMs=1`);
      await call('GET', '/api/dashboard/flags');
      await call('GET', '/api/dashboard/machines');
      // Navigation at scale: clients, one client, a page of credentials and the next, a search, a client's events.
      await call('GET', '/api/dashboard/clients');
      await call('GET', '/api/dashboard/client?name=Acme');
      const page1 = await call('GET', '/api/dashboard/credentials?client=Acme&limit=1');
      if (page1.next) await call('GET', `/api/dashboard/credentials?${new URLSearchParams({ client: 'Acme', limit: '1', after: page1.next })}`);
      await call('GET', '/api/dashboard/credentials?q=alice&match=prefix');
      const events1 = await call('GET', '/api/dashboard/client-events?client=Acme&limit=2');
      if (events1.next) await call('GET', `/api/dashboard/client-events?client=Acme&limit=2&before=${events1.next}`);
      await call('POST', '/api/dashboard/step-up', { password: b64(ADMIN_PASSWORD) }, session);
      await call('POST', '/api/dashboard/reveal', { credentialId: alice.id }, session);

      // Import and export (the dashboard's): a dry run, the import, an export without passwords and one sealed.
      const importCsv = b64('client,username,password,windows sync,mode\r\nAcme,WS02\\carol,Carol-1,on,report\r\n');
      await call('POST', '/api/dashboard/import', { file: importCsv, dryRun: true }, session);
      await call('POST', '/api/dashboard/import', { file: importCsv, dryRun: false }, session);
      await call('POST', '/api/dashboard/export', { passwords: false }, session);
      await call('POST', '/api/dashboard/export', { passwords: true, passphrase: b64('a long export passphrase') }, session);
      // Rotation (rotation-routes.ts): a client's policy, a credential's own, Rotate now (its history entry's source too).
      await call('POST', '/api/rotation/client/set', { client: 'Acme', policy: { everyDays: 30 } });
      await call('POST', '/api/rotation/client', { client: 'Acme' });
      await call('POST', '/api/rotation/credential/set', { credentialId: alice.id, policy: { everyDays: null, afterRead: true, graceMinutes: 0, length: 16, classes: ['lower', 'digit'] } });
      await call('POST', '/api/rotation/credential', { credentialId: alice.id });
      await call('POST', '/api/rotation/rotate', { credentialId: alice.id });
      const rotated = (await call('POST', '/api/vault/listPasswordHistory', { credentialId: alice.id })).history;
      assert.equal(rotated[0].source.kind, 'rotation', 'the history shows a rotation\'s source');

      await call('POST', '/api/logout', {}, session);

      // Every route of the table was called (a route added without a call here fails this test).
      const missing = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !answered.has(k));
      assert.deepEqual(missing, [], 'routes not driven by this test');
    });

    it('the check can fail: an answer with a field the schema does not declare, or without a required one, is refused', async () => {
      const real = (await call('POST', '/api/vault/listCredentials', { client: 'Acme' })).credentials;
      assert.ok(real.length > 0);
      const v = responseValidator('POST', '/api/vault/listCredentials');
      assert.equal(v({ credentials: real }), true);
      assert.equal(v({ credentials: [{ ...real[0], password: 'c2VjcmV0' }] }), false, 'a credential that grew a field');
      const { version: _gone, ...withoutVersion } = real[0];
      assert.equal(v({ credentials: [withoutVersion] }), false, 'a credential without its version');
      assert.equal(v({ credentials: [{ ...real[0], mode: 'sometimes' }] }), false, 'a mode outside the enum');
      assert.equal(v({ credentials: real, next: 2 }), false, 'an answer that grew a field at the top');
      const me = responseValidator('GET', '/api/me');
      assert.equal(me({ user: { name: 'admin', role: 'admin', permissions: [], disabled: false, id: 1 } }), false, 'a user with its id');
      assert.equal(me({ agent: { client: 'Acme', machine: 'WS01' } }), true);
      assert.equal(me({ user: { name: 'admin', role: 'admin', permissions: [], disabled: false }, agent: { client: 'Acme', machine: 'WS01' } }), false, 'both at once');
      const history = responseValidator('POST', '/api/vault/listPasswordHistory');
      const entry = { version: 1, setAt: 1, current: true };
      assert.equal(history({ history: [{ ...entry, source: { kind: 'capture', machine: 'WS01' } }] }), true);
      assert.equal(history({ history: [{ ...entry, source: { kind: 'capture', user: 'admin' } }] }), false, 'a capture source naming a user');
    });

    it('errors match the document\'s error shape, and the declared query parameters are the ones the hub enforces', async () => {
      const error = ajv.compile(inline(doc.components.schemas.Error));
      const c = t.client(adminToken);
      for (const [method, path, body] of [
        ['POST', '/api/vault/readPassword', { credentialId: 999_999 }],
        ['POST', '/api/vault/addClient', { client: { name: 'Acme' } }],
        ['POST', '/api/vault/getClient', { name: 'Acme', extra: 1 }],
        ['GET', '/api/dashboard/events?limit=1001', undefined],
        ['GET', '/api/dashboard/events?colour=red', undefined],
        ['GET', '/no/such/route', undefined],
      ] as const) {
        const r = await c.request(method, path, body);
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${path}: HTTP ${r.status}`);
        assert.ok(error(r.body), `${method} ${path}: ${ajv.errorsText(error.errors)} ${JSON.stringify(r.body)}`);
      }
      const anon = await t.raw('GET', '/api/users');
      assert.equal(anon.status, 401);
      assert.ok(error(anon.body));
      // The dashboard's event parameters: exactly the declared ones, in the declared ranges.
      const params = doc.paths['/api/dashboard/events'].get.parameters as Array<{ name: string; schema: any }>;
      assert.deepEqual(params.map((p) => p.name), ['after', 'waitMs', 'limit', 'machine', 'account', 'kind']);
      const limit = params.find((p) => p.name === 'limit')!.schema;
      assert.equal((await c.request('GET', `/api/dashboard/events?limit=${limit.maximum}`)).status, 200);
      assert.equal((await c.request('GET', `/api/dashboard/events?limit=${limit.maximum + 1}`)).status, 400);
      assert.equal((await c.request('GET', `/api/dashboard/events?limit=${limit.minimum - 1}`)).status, 400);
      const kind = params.find((p) => p.name === 'kind')!.schema;
      assert.equal((await c.request('GET', `/api/dashboard/events?kind=${'k'.repeat(kind.maxLength)}`)).status, 200);
      assert.equal((await c.request('GET', `/api/dashboard/events?kind=${'k'.repeat(kind.maxLength + 1)}`)).status, 400);
      for (const p of ['/api/dashboard/flags', '/api/dashboard/machines']) {
        assert.equal(doc.paths[p].get.parameters, undefined, `${p} takes no parameters`);
        assert.equal((await c.request('GET', `${p}?x=1`)).status, 400, `${p} refuses an undeclared one`);
      }
    });
  });
}
