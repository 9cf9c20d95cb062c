import { strict as assert } from 'node:assert';
import { Encoding } from '../../src/protocol/constants';
import { startHarness, type Harness } from '../helpers/bridge-harness';

const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change' as const };

describe('capture → journal → vault, over a real socket', () => {
  let h: Harness;
  afterEach(async () => h?.destroy());

  it('two-way sync: a local change to a known MACHINE\\user credential updates the vault', async () => {
    h = await startHarness({ clients: [acme], config: { client: 'Acme' } });
    const v = h.install.vault;
    const cred = await v.addCredential({ client: 'Acme', username: 'TESTHOST\\alice', password: Buffer.from('old-pass'), windowsSync: true, mode: 'report' });
    const c = await h.connect();
    const sent = c.send({ account: 'alice', encoding: Encoding.raw, password: Buffer.from('new-pass ü') });
    const ack = await sent.acked;
    assert.equal(ack.status, 0);
    await h.bridge.drain();
    const pw = await v.readPassword(cred.id);
    assert.equal(pw.toString('utf8'), 'new-pass ü');
    const after = await v.findCredential('Acme', 'TESTHOST\\alice');
    assert.equal(after!.version, cred.version + 1);
    await h.install.events.flush();
    const evs = await v.queryEvents({ kind: 'change-synced' });
    assert.equal(evs.length, 1);
    assert.equal(evs[0].traceId, sent.eventIdHex);
    c.destroy();
  });
});
