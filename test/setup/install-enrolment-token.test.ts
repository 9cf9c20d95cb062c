// The enrolment step of a silent deployment with an enrolment token (`pwbridge install --hub …
// --enrol-token-file F`): enrolAfterInstall against a real hub (in this process, over HTTPS, on SQLite and
// PostgreSQL) with the token an admin made through the API. The install before it runs only on Windows (the
// MSI, under Wine in test/windows/msi-deploy.test.ts, which does not yet pass a token); here the step after
// it runs for real, and the service restart it asks for is the one thing recorded instead of done.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REFUSAL_MESSAGES } from '../../src/hub/api/enrolment-routes';
import { checkEnrolment, enrolAfterInstall } from '../../src/setup/install-enrolment';
import { HttpVault } from '../../src/vault/http.vault';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`install --enrol-token-file: the enrolment after the install (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let session: string;
    const dirs: Array<ReturnType<typeof makeTempDir>> = [];

    async function makeToken(uses: number): Promise<{ id: number; token: string }> {
      const c = t.client(session);
      try {
        const r = await c.request('POST', '/api/enrolment-tokens', { client: 'Acme', uses });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return { id: r.body.enrolmentToken.id, token: r.body.token };
      } finally {
        c.close();
      }
    }

    async function usesLeft(id: number): Promise<number> {
      const c = t.client(session);
      try {
        return (await c.request('GET', '/api/enrolment-tokens')).body.enrolmentTokens.find((e: { id: number }) => e.id === id).usesLeft;
      } finally {
        c.close();
      }
    }

    /** A machine's data dir as install leaves it, and the token in a 0600 file. */
    function machine(name: string, token: string, mode = 0o600) {
      const d = makeTempDir(`pwbridge-install-token-${name}-`);
      dirs.push(d);
      fs.writeFileSync(path.join(d.dir, 'config.json'), JSON.stringify({ machine: name, reconcileInterval: '1h' }));
      const file = path.join(d.dir, 'enrol.token');
      fs.writeFileSync(file, `${token}\r\n`, { mode });
      fs.chmodSync(file, mode);
      const lines: string[] = [];
      let restarts = 0;
      const run = () => enrolAfterInstall({
        dataDir: d.dir, enrol: { url: t.hub.url, fingerprint: t.hub.certificate.fingerprint, enrolTokenFile: file },
        out: (l) => lines.push(l), restartService: async () => { restarts++; },
      });
      return { dir: d.dir, file, lines, run, restarts: () => restarts };
    }

    before(async () => {
      t = await startTestHub(engine);
      session = await t.token();
      const admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, session);
      await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' });
    });
    after(async () => {
      await t?.close();
      for (const d of dirs) d.cleanup();
    });

    it('a token file others may read, or one that holds no token, is refused before install changes anything', async () => {
      const { token } = await makeToken(1);
      const loose = machine('WS50', token, 0o644);
      assert.throws(() => checkEnrolment({ url: t.hub.url, enrolTokenFile: loose.file }, undefined),
        /--enrol-token-file: \S+enrol\.token has mode 0644, readable or writable by others \(it must be 0600\)/);
      const junk = machine('WS51', 'not-a-token');
      assert.throws(() => checkEnrolment({ url: t.hub.url, enrolTokenFile: junk.file }, undefined), /does not hold an enrolment token/);
      const good = machine('WS52', token);
      assert.doesNotThrow(() => checkEnrolment({ url: t.hub.url, enrolTokenFile: good.file }, undefined));
      assert.ok(fs.existsSync(good.file), 'the check before the install leaves the file for the enrolment');
    });

    it('enrols the machine into the token\'s client with one use, removes the file, and restarts the service', async () => {
      const { id, token } = await makeToken(2);
      const m = machine('WS53', token);
      await m.run();
      const config = JSON.parse(fs.readFileSync(path.join(m.dir, 'config.json'), 'utf8'));
      assert.deepEqual([config.client, config.machine, config.hub.url], ['Acme', 'WS53', t.hub.url]);
      const agent = t.client(fs.readFileSync(path.join(m.dir, 'keys', 'agent.token'), 'utf8').trim());
      try {
        assert.deepEqual((await agent.request('GET', '/api/me')).body, { agent: { client: 'Acme', machine: 'WS53' } });
      } finally {
        agent.close();
      }
      assert.equal(await usesLeft(id), 1);
      assert.ok(!fs.existsSync(m.file), 'the token file is removed once read');
      assert.equal(m.restarts(), 1);
      assert.ok(m.lines.some((l) => l.endsWith('enrol.token was read and removed')), m.lines.join('\n'));
      assert.ok(!m.lines.join('\n').includes(token.slice(4)), 'no output holds the token');

      // Run again (a repair with the same properties): already enrolled, a new file is removed unused, no use taken.
      fs.writeFileSync(m.file, `${token}\n`, { mode: 0o600 });
      await m.run();
      assert.ok(!fs.existsSync(m.file));
      assert.equal(await usesLeft(id), 1);
      assert.equal(m.restarts(), 1);
    });

    it('a revoked token is refused with its reason, the file is removed all the same, and the service is not restarted', async () => {
      const { id, token } = await makeToken(5);
      const c = t.client(session);
      try {
        assert.equal((await c.request('POST', '/api/enrolment-tokens/revoke', { id })).status, 200);
      } finally {
        c.close();
      }
      const m = machine('WS54', token);
      await assert.rejects(m.run(), (e: Error) => e.message.includes(`the hub refused to enrol machine "WS54": ${REFUSAL_MESSAGES.revoked}`));
      assert.ok(!fs.existsSync(m.file));
      assert.equal(m.restarts(), 0);
      assert.equal(JSON.parse(fs.readFileSync(path.join(m.dir, 'config.json'), 'utf8')).hub, undefined);
    });
  });
}
