// `pwbridge vault import` on a data dir whose config.json names a hub: the same command goes through the
// HTTP vault with that machine's agent token, so the hub's rules hold (scope, the source it records).
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertExit, findSecret, runCli } from '../cli/cli';
import { startHubAgent, type HubAgent } from '../helpers/hub-agent';

const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;

describe('pwbridge vault import through a real hub (agent data dir)', function () {
  this.timeout(180_000);
  let a: HubAgent | undefined;
  const PW = canary('import');
  const OTHER = canary('other');

  before(async () => {
    a = await startHubAgent({ adminPassword: canary('admin'), machine: 'WS01', client: 'Acme' });
  });
  after(async () => a?.cleanup());

  function importFile(rows: string[]): string {
    const p = path.join(a!.agentDir, `import-${randomBytes(4).toString('hex')}.csv`);
    fs.writeFileSync(p, ['client,username,password,windows sync,mode', ...rows].join('\r\n'), { mode: 0o600 });
    return p;
  }

  it('dry run then real run create this machine\'s credential on the hub; the hub records the agent as the source', async () => {
    const p = importFile([`Acme,WS01\\svc,${PW},on,change`]);
    const dry = await runCli(['vault', 'import', p, '--dry-run'], { dataDir: a!.agentDir });
    assertExit(dry, 0, 'dry run');
    assert.match(dry.stdout, /^line 2: create "Acme" "WS01\\svc" \(mode change, windows sync on\)$/m);
    assert.equal(await a!.admin().findCredential('Acme', 'WS01\\svc'), undefined, 'the dry run wrote to the hub');

    const real = await runCli(['vault', 'import', p], { dataDir: a!.agentDir });
    assertExit(real, 0, 'import');
    const c = await a!.admin().findCredential('Acme', 'WS01\\svc');
    assert.ok(c, 'the credential is on the hub');
    const pw = await a!.admin().readPassword(c.id);
    assert.equal(pw.toString(), PW);
    pw.fill(0);
    // The hub takes the source from the login, never from the caller: an agent's write is "captured on WS01".
    assert.deepEqual((await a!.admin().listPasswordHistory(c.id))[0].source, { kind: 'capture', machine: 'WS01' });
    for (const r of [dry, real]) {
      assert.equal(findSecret(r.stdoutBytes, PW), undefined);
      assert.equal(findSecret(r.stderrBytes, PW), undefined);
    }
  });

  it('a row outside the agent token\'s scope is refused by the hub while planning, so no row of the file is written', async () => {
    const p = importFile([`Acme,WS01\\first,${canary('first')},on,change`, `Acme,WS02\\svc,${OTHER},on,change`]);
    const r = await runCli(['vault', 'import', p], { dataDir: a!.agentDir });
    assertExit(r, 1, 'import outside the scope');
    assert.match(r.stderr, /hub refused findCredential: agent "WS01" \(client "Acme"\) may not look up credential "WS02\\svc"/);
    assert.equal(r.stdout, '');
    assert.equal(findSecret(r.stderrBytes, OTHER), undefined);
    assert.equal(findSecret(r.stdoutBytes, OTHER), undefined);
    assert.equal(await a!.admin().findCredential('Acme', 'WS02\\svc'), undefined);
    assert.equal(await a!.admin().findCredential('Acme', 'WS01\\first'), undefined, 'the row before the refused one was written');
  });

  it('a write the hub refuses while applying stops the run and says which rows went in', async () => {
    const pw = canary('shared');
    const p = importFile([`Acme,WS01\\before,${canary('before')},on,change`, `Acme,sharedacct,${pw},on,change`, `Acme,WS01\\after,${canary('after')},on,change`]);
    const r = await runCli(['vault', 'import', p], { dataDir: a!.agentDir });
    assertExit(r, 1, 'import stopped by the hub');
    assert.equal(r.stdout, 'line 2: created "Acme" "WS01\\before" (mode change, windows sync on)\n');
    assert.match(r.stderr, /stopped at line 3: hub refused addCredential: .*may not add credential "sharedacct".*; the rows listed above were imported, line 3 and the rows after it were not/);
    assert.equal(findSecret(r.stderrBytes, pw), undefined);
    assert.ok(await a!.admin().findCredential('Acme', 'WS01\\before'));
    assert.equal(await a!.admin().findCredential('Acme', 'sharedacct'), undefined);
    assert.equal(await a!.admin().findCredential('Acme', 'WS01\\after'), undefined);
  });
});
