// Import and export in the dashboard (src/hub/transfer-api.ts), against a real hub over HTTPS on SQLite and
// PostgreSQL: a dry run lists exactly what would be created, updated, left and refused (by line and field)
// and changes nothing; the real run refuses a file with any refused row and otherwise applies every row in
// one transaction (a write the vault refuses rolls all back); a bad CSV and an oversized upload are refused
// naming the line/field or the limit; an encrypted export opens with its passphrase (the hub's import and
// the CLI's `pwbridge vault import` read it back) and not with another; an export without passwords holds
// none; who may do what (viewer, operator, admin with and without a step-up, agent), each refusal recorded;
// the export's event is stored before the file leaves; and no password or passphrase is in any event or log.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STEP_UP_PATH } from '../../src/hub/api/reveal-routes';
import { check } from '../../src/hub/schema';
import { EXPORT_PATH, IMPORT_PATH, MAX_IMPORT_BODY_BYTES, MAX_IMPORT_FILE_BYTES, MAX_IMPORT_ROWS, transferRoutes } from '../../src/hub/api/transfer-routes';
import { ImportBatchError, hasBatchImport } from '../../src/vault/batch-import';
import type { HubClient } from '../../src/vault/hub-client';
import { parseCsv } from '../../src/vault/transfer/csv';
import { applyPlan, ImportRolledBackError, planImport, wipePlan } from '../../src/vault/transfer/plan';
import { open as openSealed } from '../../src/vault/transfer/sealed-file';
import { assertExit, findSecret, runCli, tempDataDir } from '../cli/cli';
import { ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { refuseInserts } from '../helpers/refuse-inserts';

const canaries: string[] = [];
const canary = (what: string) => { const c = `${what}-canary-${randomBytes(8).toString('hex')}`; canaries.push(c); return c; };
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const HEADER = 'client,username,password,windows sync,mode';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n');


for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: import and export in the dashboard (${engine})`, function () {
    this.timeout(120_000);
    const OP_PW = canary('operator');
    const VIEWER_PW = canary('viewer');
    const BOB_OLD = canary('bob-old');
    const CAROL = canary('carol');
    let t: TestHub;
    let admin: HubClient;
    let operator: HubClient;
    let opToken = '';
    let viewer: HubClient;
    let agent: HubClient;
    const importFile = (c: HubClient, file: string | Buffer, dryRun: boolean, passphrase?: string) =>
      c.request('POST', IMPORT_PATH, { file: b64(file), dryRun, ...(passphrase !== undefined ? { passphrase: b64(passphrase) } : {}) });
    const exportFile = (c: HubClient, body: Record<string, unknown>) => c.request('POST', EXPORT_PATH, body);
    const conforms = (route: string, body: unknown) => check(transferRoutes.find((r) => r.path === route)!.response!, body, 'response', []);

    /** Every credential with its version and password: what "nothing changed" compares. */
    async function snapshot(): Promise<string> {
      const out: unknown[] = [];
      for (const client of await t.hub.vault.listClients()) {
        for (const c of await t.hub.vault.listCredentials(client.name)) {
          const pw = await t.hub.vault.readPassword(c.id);
          out.push([client.name, c.username, c.version, c.mode, c.windowsSync, pw.toString()]);
          pw.fill(0);
        }
      }
      return JSON.stringify(out);
    }
    async function passwordOf(client: string, username: string): Promise<string | undefined> {
      const c = await t.hub.vault.findCredential(client, username);
      if (!c) return undefined;
      const pw = await t.hub.vault.readPassword(c.id);
      try { return pw.toString(); } finally { pw.fill(0); }
    }
    const events = (kind: string) => t.hub.vault.queryEvents({ kind, limit: 1000 });

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser('olivia', 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser('victor', 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      opToken = await t.token('olivia', OP_PW);
      operator = t.client(opToken);
      viewer = t.client(await t.token('victor', VIEWER_PW));
      await t.hub.vault.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
      await t.hub.vault.addClient({ name: 'Beta', windowsSync: false, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
      await t.hub.vault.addCredential({ client: 'Acme', username: 'HOST\\bob', password: Buffer.from(BOB_OLD), windowsSync: true, mode: 'report' });
      await t.hub.vault.addCredential({ client: 'Beta', username: 'carol', password: Buffer.from(CAROL), windowsSync: false, mode: 'change' });
      const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
    });
    after(async () => t?.close());

    const SVC = canary('svc');
    const BOB_NEW = canary('bob-new');
    const DAVE = canary('dave');
    const good = () => csv(
      `Acme,WS01\\svc,${SVC},on,change`, // create, options given
      `acme,host\\BOB,${BOB_NEW},,change`, // update: password and mode (names folded to the vault's)
      `Beta,carol,${CAROL},off,change`, // unchanged
      `Beta,dave,${DAVE},,`, // create with the client's defaults (Beta: change; windows sync on when not given)
    );

    it('a dry run lists what would be created, updated, left and refused, by line and field, and changes nothing', async () => {
      const before = await snapshot();
      const file = `${good()}\r\nNope,x,${canary('nope')},on,change\r\nAcme,eve,${canary('eve')},on,sometimes\r\nAcme,frank,${canary('f1')},${canary('f2')},on,change\r\n`;
      const r = await importFile(operator, file, true);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      conforms(IMPORT_PATH, r.body);
      assert.deepEqual(r.body.counts, { create: 2, update: 1, unchanged: 1, refused: 3 });
      assert.deepEqual(r.body.rows, [
        { line: 2, action: 'create', client: 'Acme', username: 'WS01\\svc', mode: 'change', windowsSync: true },
        { line: 3, action: 'update', client: 'Acme', username: 'HOST\\bob', changes: ['password', 'mode'] },
        { line: 4, action: 'unchanged', client: 'Beta', username: 'carol' },
        { line: 5, action: 'create', client: 'Beta', username: 'dave', mode: 'change', windowsSync: true },
        { line: 6, action: 'refused', field: 'client', why: 'names no client of the vault; add the client first' },
        { line: 7, action: 'refused', field: 'mode', why: 'is not a mode; use report or change' },
        { line: 8, action: 'refused', why: 'has 6 fields, the header has 5 (a comma in a field that is not quoted?)' },
      ]);
      assert.equal(r.body.applied, false);
      assert.equal(await snapshot(), before, 'the dry run changed the vault');
      const [ev] = await events('vault-imported');
      assert.deepEqual([ev.outcome, ev.machine], ['info', 'hub']);
      assert.match(ev.reason!, /^dry run by user "olivia" \(operator\) of a file of 7 row\(s\) \(\d+ bytes\): 2 to create, 1 to update, 1 unchanged, 3 refused; nothing was changed$/);
    });

    it('the real run with any refused row imports nothing and says which rows, and records it', async () => {
      const before = await snapshot();
      const r = await importFile(operator, `${good()}\r\nNope,x,${canary('nope')},on,change`, false);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'import-refused');
      assert.equal(r.body.error.message, '1 row(s) refused, nothing was imported (a dry run lists them all): line 6: client names no client of the vault; add the client first');
      assert.equal(await snapshot(), before);
      const refused = (await events('vault-imported')).filter((e) => e.outcome === 'refused');
      assert.equal(refused.length, 1);
      assert.match(refused[0].reason!, /^import by user "olivia" \(operator\) of a file of 5 row\(s\) .*refused: 1 row\(s\) refused \(first on line 6\); nothing was imported$/);
    });

    it('the real run creates and updates exactly the rows the dry run listed, with source import, and records it', async () => {
      const versions = new Map((await t.hub.vault.listCredentials('Beta')).map((c) => [c.username, c.version]));
      const dry = await importFile(operator, good(), true);
      const r = await importFile(operator, good(), false);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      conforms(IMPORT_PATH, r.body);
      assert.equal(r.body.applied, true);
      assert.deepEqual(r.body.rows, dry.body.rows);
      assert.deepEqual(r.body.counts, { create: 2, update: 1, unchanged: 1, refused: 0 });
      assert.equal(await passwordOf('Acme', 'WS01\\svc'), SVC);
      assert.equal(await passwordOf('Acme', 'HOST\\bob'), BOB_NEW);
      assert.equal(await passwordOf('Beta', 'dave'), DAVE);
      const svc = (await t.hub.vault.findCredential('Acme', 'WS01\\svc'))!;
      assert.deepEqual([svc.mode, svc.windowsSync], ['change', true]);
      const bob = (await t.hub.vault.findCredential('Acme', 'HOST\\bob'))!;
      assert.deepEqual([bob.mode, bob.windowsSync, bob.version], ['change', true, 2]);
      const dave = (await t.hub.vault.findCredential('Beta', 'dave'))!;
      assert.deepEqual([dave.mode, dave.windowsSync], ['change', true]);
      assert.equal((await t.hub.vault.findCredential('Beta', 'carol'))!.version, versions.get('carol'), 'the unchanged row was written');
      assert.deepEqual((await t.hub.vault.listCredentials('Acme')).map((c) => c.username).sort(), ['HOST\\bob', 'WS01\\svc']);
      assert.deepEqual((await t.hub.vault.listCredentials('Beta')).map((c) => c.username).sort(), ['carol', 'dave']);
      const history = await t.hub.vault.listPasswordHistory(bob.id);
      assert.deepEqual(history.map((h) => [h.version, h.source?.kind]), [[2, 'import'], [1, undefined]]);
      const ok = (await events('vault-imported')).filter((e) => e.outcome === 'ok');
      assert.equal(ok.length, 1);
      assert.match(ok[0].reason!, /^import by user "olivia" \(operator\) of a file of 4 row\(s\) \(\d+ bytes\): 2 created, 1 updated, 1 unchanged$/);
      const again = await importFile(operator, good(), true);
      assert.deepEqual(again.body.counts, { create: 0, update: 0, unchanged: 4, refused: 0 }, 'imported as listed');
    });

    it('the vault applies an import in one transaction: a write it refuses rolls back the writes before it', async () => {
      const v = t.hub.vault;
      assert.ok(hasBatchImport(v));
      const x = canary('batch');
      await assert.rejects(v.importBatch([
        { kind: 'create', credential: { client: 'Acme', username: 'batch-first', password: Buffer.from(x), windowsSync: true, mode: 'report' } },
        { kind: 'update', client: 'Acme', username: 'HOST\\bob', change: { password: Buffer.from(x) } },
        { kind: 'create', credential: { client: 'Acme', username: 'HOST\\bob', password: Buffer.from(x), windowsSync: true, mode: 'report' } },
      ], { kind: 'import' }), (e: unknown) => e instanceof ImportBatchError && e.index === 2 && /already exists/.test(e.message));
      assert.equal(await v.findCredential('Acme', 'batch-first'), undefined, 'the first create was kept');
      assert.equal(await passwordOf('Acme', 'HOST\\bob'), BOB_NEW, 'the update was kept');
    });

    it('a database failure mid-import rolls back the rows before it (all or nothing through the route), answers 500 and is recorded', async () => {
      const before = await snapshot();
      const restore = await refuseInserts(t, engine, { table: 'credentials', column: 'username', value: 'zz-db-refuses', message: 'the test refuses this credential' });
      try {
        const file = csv(`Acme,HOST\\bob,${canary('bob-lost')},,`, `Acme,aa-first,${canary('first')},on,report`, `Acme,zz-db-refuses,${canary('zz')},on,report`);
        assert.deepEqual((await importFile(operator, file, true)).body.counts, { create: 2, update: 1, unchanged: 0, refused: 0 });
        const r = await importFile(operator, file, false);
        assert.equal(r.status, 500, JSON.stringify(r.body));
        assert.ok(!JSON.stringify(r.body).includes('the test refuses'), 'the database\'s message went to the caller');
      } finally {
        await restore();
      }
      assert.equal(await snapshot(), before, 'a row before the failing one stayed written');
      const ev = (await events('vault-imported')).at(-1)!;
      assert.equal(ev.outcome, 'refused');
      assert.match(ev.reason!, /: the database failed at line 4; nothing was imported \(the hub's log has the detail\)$/);
    });

    it('the vault changed between the plan and the writes: the whole file is rolled back, naming the line and why', async () => {
      const before = await snapshot();
      const file = csv(`Acme,bb-first,${canary('first')},on,report`, `Acme,bb-second,${canary('second')},on,report`);
      const plan = await planImport(t.hub.vault, parseCsv(file));
      const meanwhile = await t.hub.vault.addCredential({ client: 'Acme', username: 'BB-SECOND', password: Buffer.from(canary('meanwhile')), windowsSync: true, mode: 'report' });
      try {
        await assert.rejects(applyPlan(t.hub.vault, plan, () => assert.fail('a row was reported applied')),
          (e: unknown) => e instanceof ImportRolledBackError && e.line === 3
            && /^line 3: credential "bb-second" already exists in client "Acme"; nothing was imported \(the file is applied in one transaction, which was rolled back\)$/.test(e.message));
        assert.equal(await t.hub.vault.findCredential('Acme', 'bb-first'), undefined, 'the row before was kept');
      } finally {
        wipePlan(plan);
        await t.hub.vault.deleteCredential('Acme', meanwhile.username);
      }
      assert.equal(await snapshot(), before);
    });

    it('a bad file is refused naming the line and field (or what is missing), and the hub keeps serving', async () => {
      const unclosed = await importFile(operator, csv(`Acme,ok,${canary('u')},on,change`, `Acme,bad,"${canary('open')},on,change`), true);
      assert.equal(unclosed.status, 400);
      assert.deepEqual([unclosed.body.error.code, unclosed.body.error.line, unclosed.body.error.field], ['bad-csv', 3, 3]);
      assert.equal(unclosed.body.error.message, 'the file is not valid CSV: line 3: a quoted field is not closed (field 3)');
      const stray = await importFile(operator, csv(`Acme,ok,pa"ss${canary('q')},on,change`), true);
      assert.equal(stray.status, 400);
      assert.equal(stray.body.error.message, 'the file is not valid CSV: line 2: field 3 has a quote inside an unquoted field');
      const header = await importFile(operator, 'name,secret\r\nAcme,x\r\n', true);
      assert.equal(header.status, 400);
      assert.match(header.body.error.message, /^the file cannot be imported: line 1: the header has no client, username, password column/);
      const empty = await importFile(operator, `${HEADER}\r\n`, false);
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.message, 'the file has no rows after the header');
      const notB64 = await operator.request('POST', IMPORT_PATH, { file: 'not base64!', dryRun: true });
      assert.equal(notB64.status, 400);
      assert.match(notB64.body.error.message, /^file must be a base64 string/);
      const noDry = await operator.request('POST', IMPORT_PATH, { file: b64(good()) });
      assert.equal(noDry.status, 400);
      assert.equal(noDry.body.error.message, 'dryRun is required');
      assert.equal((await importFile(operator, good(), true)).status, 200, 'the hub kept serving');
    });

    it('an upload over the limits is refused naming the limit: the file size, the body size, the rows', async () => {
      const big = Buffer.alloc(MAX_IMPORT_FILE_BYTES + 1, 'a');
      const r = await importFile(operator, big, true);
      assert.equal(r.status, 413, JSON.stringify(r.body).slice(0, 300));
      assert.equal(r.body.error.message, `the import file is ${MAX_IMPORT_FILE_BYTES + 1} bytes; the hub imports files of at most ${MAX_IMPORT_FILE_BYTES} bytes (8 MiB): split it`);
      const body = JSON.stringify({ file: 'A'.repeat(MAX_IMPORT_BODY_BYTES), dryRun: true });
      const tooBig = await t.raw('POST', IMPORT_PATH, body, { 'Content-Type': 'application/json', Authorization: `Bearer ${opToken}` });
      assert.equal(tooBig.status, 413);
      assert.match(tooBig.body.error.message, new RegExp(`^the import is larger than the hub takes: files of at most ${MAX_IMPORT_FILE_BYTES} bytes \\(8 MiB\\), sent as base64 in a body of at most ${MAX_IMPORT_BODY_BYTES} bytes$`));
      const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `Acme,u${i},pw${i},on,report`);
      const many = await importFile(operator, csv(...rows), true);
      assert.equal(many.status, 413);
      assert.equal(many.body.error.message, `the import file has ${MAX_IMPORT_ROWS + 1} rows; the hub imports at most ${MAX_IMPORT_ROWS} rows per file: split it`);
      // Another route keeps the hub's usual limit.
      const other = await t.raw('POST', '/api/vault/listClients', JSON.stringify({ pad: 'A'.repeat(2 * 1024 * 1024) }), { 'Content-Type': 'application/json', Authorization: `Bearer ${opToken}` });
      assert.equal(other.status, 413);
      assert.match(other.body.error.message, /^the body is larger than \d+ bytes$/);
    });

    it('a viewer and an agent may not import (even a dry run); each refusal is recorded', async () => {
      const before = await snapshot();
      for (const dryRun of [true, false]) {
        const r = await importFile(viewer, good(), dryRun);
        assert.equal(r.status, 403);
        assert.equal(r.body.error.message, `user "victor" (viewer) may not import credentials${dryRun ? ' (dry run)' : ''}`);
      }
      const a = await importFile(agent, good(), false);
      assert.equal(a.status, 403);
      assert.match(a.body.error.message, /^agent "WS01" \(client "Acme"\) may not import credentials$/);
      const refused = await events('access-refused');
      assert.ok(refused.some((e) => e.reason === 'user "victor" (viewer) may not import credentials (dry run)'), JSON.stringify(refused));
      assert.ok(refused.some((e) => e.reason === 'user "victor" (viewer) may not import credentials'));
      assert.ok(refused.some((e) => e.machine === 'WS01' && /may not import credentials/.test(e.reason!)));
      assert.equal(await snapshot(), before);
    });

    it('an export without passwords: for any user (a viewer too), no password in it, in the columns import reads; recorded', async () => {
      const r = await exportFile(viewer, { passwords: false });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      conforms(EXPORT_PATH, r.body);
      assert.equal(r.body.encrypted, false);
      assert.match(r.body.name, /^pwbridge-vault-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
      const file = Buffer.from(r.body.file, 'base64');
      for (const c of canaries) assert.equal(findSecret(file, c), undefined, 'a password in the export without passwords');
      const lines = file.toString().trimEnd().split('\r\n');
      assert.equal(lines[0], HEADER);
      assert.equal(r.body.count, lines.length - 1);
      assert.ok(lines.includes('Acme,HOST\\bob,,on,change'), lines.join('\n'));
      assert.ok(lines.includes('Beta,carol,,off,change'));
      assert.ok(lines.slice(1).every((l) => l.split(',')[2] === ''));
      const passphrase = await exportFile(viewer, { passwords: false, passphrase: b64(canary('pp')) });
      assert.equal(passphrase.status, 400);
      assert.match(passphrase.body.error.message, /^passphrase goes only with passwords/);
      const ev = (await events('vault-exported')).at(-1)!;
      assert.match(ev.reason!, new RegExp(`^${lines.length - 1} credential\\(s\\) exported by user "victor" \\(viewer\\) from .*, without passwords \\(pwbridge-vault-.*\\.csv\\)$`));
      const a = await exportFile(agent, { passwords: false });
      assert.equal(a.status, 403, 'an agent exports nothing');
    });

    it('an export with passwords: only an admin after a step-up (operator and viewer refused and recorded), never in the clear', async () => {
      for (const [c, who] of [[operator, 'user "olivia" \\(operator\\)'], [viewer, 'user "victor" \\(viewer\\)']] as const) {
        const r = await exportFile(c, { passwords: true, passphrase: b64(canary('pp')) });
        assert.equal(r.status, 403);
        assert.match(r.body.error.message, new RegExp(`^${who} may not export passwords \\(only an admin may, after re-entering their password\\)$`));
      }
      assert.equal((await events('access-refused')).filter((e) => /may not export passwords/.test(e.reason!)).length, 2);
      const noStep = await exportFile(admin, { passwords: true, passphrase: b64(canary('pp')) });
      assert.equal(noStep.status, 403);
      assert.equal(noStep.body.error.code, 'step-up-required');
      assert.equal((await admin.request('POST', STEP_UP_PATH, { password: b64(ADMIN_PASSWORD) })).status, 200);
      const clear = await exportFile(admin, { passwords: true });
      assert.equal(clear.status, 400);
      assert.match(clear.body.error.message, /^passphrase is required with passwords: passwords are never exported in the clear$/);
      const short = await exportFile(admin, { passwords: true, passphrase: b64('short') });
      assert.equal(short.status, 400);
      assert.match(short.body.error.message, /^passphrase must be 8 to 1024 bytes$/);
    });

    it('an encrypted export opens with its passphrase only: the hub\'s import and the CLI\'s read it back; its event is stored before it leaves', async () => {
      const PASS = canary('passphrase');
      const r = await exportFile(admin, { passwords: true, passphrase: b64(PASS) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      conforms(EXPORT_PATH, r.body);
      assert.equal(r.body.encrypted, true);
      assert.match(r.body.name, /\.sealed$/);
      const sealed = Buffer.from(r.body.file, 'base64');
      assert.match(sealed.toString(), /^pwbridge-vault-export 1\nkdf scrypt N=32768 r=8 p=1 salt=/);
      for (const c of canaries) assert.equal(findSecret(sealed, c), undefined, 'a password in the clear in the encrypted export');
      const plain = openSealed(sealed, Buffer.from(PASS));
      assert.ok(plain.toString().includes(`Acme,HOST\\bob,"${BOB_NEW}",on,change`), 'the password is in the encrypted export');
      plain.fill(0);
      const ev = (await events('vault-exported')).at(-1)!;
      assert.match(ev.reason!, /credential\(s\) exported by user "admin" \(admin\) from .*, with passwords, encrypted with a passphrase \(pwbridge-vault-.*\.sealed\)$/);

      // The hub's own import: with the passphrase every row is unchanged; without or with another, refused.
      const back = await importFile(operator, sealed, true, PASS);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.deepEqual(back.body.counts, { create: 0, update: 0, unchanged: r.body.count, refused: 0 });
      const none = await importFile(operator, sealed, true);
      assert.equal(none.status, 400);
      assert.equal(none.body.error.message, 'the file is an encrypted pwbridge export: give its passphrase');
      const plainWithPass = await importFile(operator, good(), true, PASS);
      assert.equal(plainWithPass.status, 400);
      assert.equal(plainWithPass.body.error.message, 'passphrase goes only with an encrypted export; this file is not one');
      // A crafted header asking scrypt for 4 GiB is refused before any key is derived.
      const lines = sealed.toString().split('\n');
      lines[1] = lines[1].replace('N=32768 r=8', 'N=1048576 r=32');
      const greedy = await importFile(operator, lines.join('\n'), true, PASS);
      assert.equal(greedy.status, 400);
      assert.equal(greedy.body.error.message, `the encrypted export does not open: line 2: its scrypt parameters need ${128 * 1048576 * 32} bytes of memory; this reader allows at most ${64 * 1024 * 1024}`);
      const wrong = await importFile(operator, sealed, true, canary('wrong'));
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.message, 'the encrypted export does not open: the file does not open with this passphrase (wrong passphrase, or the file was changed)');

      // The CLI: into another (embedded) vault with the passphrase from stdin, and not with another.
      const other = tempDataDir();
      try {
        const file = path.join(other.dir, r.body.name);
        fs.writeFileSync(file, sealed, { mode: 0o600 });
        for (const c of ['Acme', 'Beta']) assertExit(await runCli(['vault', 'client', 'add', c], { dataDir: other.dir }), 0, `client add ${c}`);
        const bad = await runCli(['vault', 'import', file], { dataDir: other.dir, stdin: `${canary('wrong')}\n` });
        assertExit(bad, 2, 'wrong passphrase');
        assert.match(bad.stderr, /does not open with this passphrase/);
        const ok = await runCli(['vault', 'import', file], { dataDir: other.dir, stdin: `${PASS}\n` });
        assertExit(ok, 0, 'import of the hub\'s export');
        assert.match(ok.stdout, new RegExp(`imported: ${r.body.count} created, 0 updated, 0 unchanged`));
        const list = await runCli(['vault', 'cred', 'list', '--client', 'Acme', '--json'], { dataDir: other.dir });
        assert.match(list.stdout, /"username":"HOST\\\\bob"/);
      } finally {
        other.cleanup();
      }

      // The event cannot be stored: no file leaves.
      const restore = await refuseInserts(t, engine, { table: 'events', column: 'kind', value: 'vault-exported', message: 'the test refuses this event' });
      try {
        const before = (await events('vault-exported')).length;
        const failed = await exportFile(admin, { passwords: true, passphrase: b64(PASS) });
        assert.equal(failed.status, 500);
        assert.equal(failed.body.file, undefined);
        assert.equal((await events('vault-exported')).length, before);
      } finally {
        await restore();
      }
      assert.equal((await exportFile(viewer, { passwords: false })).status, 200, 'the hub kept serving');
    });

    it('no password, passphrase or hub password is in any event or in the hub\'s log', async () => {
      const all = JSON.stringify(await t.hub.vault.queryEvents({ limit: 100000 }));
      const log = fs.readFileSync(t.logFile);
      assert.ok(canaries.length > 20);
      for (const c of canaries) {
        assert.ok(!all.includes(c), `an event holds ${c}`);
        assert.ok(!all.includes(b64(c)), `an event holds ${c} in base64`);
        assert.equal(findSecret(log, c), undefined, `the log holds ${c}`);
        assert.equal(findSecret(log, b64(c)), undefined, `the log holds ${c} in base64`);
      }
      assert.ok((await events('vault-imported')).length >= 4);
      assert.ok((await events('vault-exported')).length >= 3);
    });
  });
}
