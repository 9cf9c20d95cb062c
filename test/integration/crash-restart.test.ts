import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKeys } from '../../src/protocol/keys';
import { Encoding } from '../../src/protocol/constants';
import { openVaultAt } from '../../src/service/open';
import { startHarness } from '../helpers/bridge-harness';
import { CaptureClient } from '../helpers/capture-client';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';

const bootId = () => Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex');

async function waitFor(p: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!fs.existsSync(p)) {
    if (Date.now() > until) throw new Error(`${p} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('crash and restart: nothing lost, nothing applied twice', function () {
  this.timeout(90_000);

  it('SIGKILL right after the acks; the restarted service applies every acked event exactly once', async () => {
    const tmp = makeTempDir();
    const dataDir = tmp.dir;
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({
      machine: 'TESTHOST', client: 'Acme', reconcileInterval: '1h', pamDir: path.join(dataDir, 'none'),
    }));
    const vault = await openVaultAt(dataDir);
    await vault.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
    await vault.close();

    const child = spawn(process.execPath, [path.join(repoRoot(), 'bin/pwbridge'), '--data-dir', dataDir, 'run'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const socketPath = path.join(dataDir, 'run', 'capture.sock');
    await waitFor(socketPath, 20_000);
    const keys = loadKeys(path.join(dataDir, 'keys'));
    const client = await CaptureClient.connect(socketPath, { secret: keys.secret, bridgePub: keys.publicKey, bootId: bootId(), machine: 'TESTHOST' });

    // 2,000 changes over 40 accounts; the last password sent per account is what the vault must end with.
    const last = new Map<string, string>();
    const sent: string[] = [];
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < 2000; i++) {
      const account = `user${i % 40}`;
      const password = `pass-${i}-${account}`;
      last.set(account, password);
      const s = client.send({ account, encoding: Encoding.raw, password: Buffer.from(password) });
      sent.push(s.eventIdHex);
      acks.push(s.acked);
    }
    await Promise.all(acks);
    child.kill('SIGKILL'); // mid-processing: some entries applied, others only journaled
    await exited;
    client.destroy();

    const h = await startHarness({ dir: dataDir });
    try {
      await h.bridge.drain();
      const j = h.install.state.journal;
      assert.equal(j.depth(), 0, 'nothing left pending');
      for (const id of sent) {
        const e = j.get(id);
        assert.ok(e, `event ${id} is in the journal`);
        assert.notEqual(e.state, 'pending');
      }
      for (const [account, password] of last) {
        const cred = await h.install.vault.findCredential('Acme', `TESTHOST\\${account}`);
        assert.ok(cred, `credential for ${account}`);
        assert.equal((await h.install.vault.readPassword(cred.id)).toString(), password);
      }
      await h.install.events.flush();
      const applied = [
        ...(await h.install.vault.queryEvents({ kind: 'change-synced', limit: 100_000 })),
        ...(await h.install.vault.queryEvents({ kind: 'credential-created', limit: 100_000 })),
      ];
      const perTrace = new Map<string, number>();
      for (const e of applied) perTrace.set(e.traceId!, (perTrace.get(e.traceId!) ?? 0) + 1);
      for (const [trace, n] of perTrace) assert.equal(n, 1, `event ${trace} applied ${n} times`);
      assert.equal((await h.install.vault.listCredentials('Acme')).length, 40);
    } finally {
      await h.destroy();
    }
  });
});
