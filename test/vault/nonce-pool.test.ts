import assert from 'node:assert/strict';
import { NoncePool } from '../../src/vault/nonce-pool';

describe('NoncePool', () => {
  it('hands out distinct nonces of the asked length, across many refills of the pool', () => {
    const pool = new NoncePool(64); // refills every 5 nonces of 12 bytes
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const n = pool.take(12);
      assert.equal(n.length, 12);
      seen.add(n.toString('hex'));
    }
    assert.equal(seen.size, 5000);
  });

  it('gives each caller a copy: a refill of the pool does not change a nonce already handed out', () => {
    const pool = new NoncePool(64);
    const first = pool.take(12);
    const before = Buffer.from(first);
    for (let i = 0; i < 20; i++) pool.take(12); // several refills over the bytes `first` came from
    assert.deepEqual(first, before);
  });

  it('refuses a size it cannot give, naming it', () => {
    const pool = new NoncePool(64);
    for (const bad of [0, -1, 1.5, 65, Number.NaN]) assert.throws(() => pool.take(bad), /a nonce is 1 to 64 bytes/);
  });
});
