// Who may read /metrics, as `pwbridge hub` is told: the scrape token file is checked before the hub starts
// (owner-only, long enough), its content never appears in a refusal, and the two switches exclude each other.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { metricsAccess } from '../../src/cli/commands/hub';
import { tokenHash } from '../../src/hub/passwords';
import { makeTempDir } from '../helpers/tmp';

describe('pwbridge hub --metrics-token-file / --metrics-public', () => {
  const tmp = makeTempDir('pwbridge-metrics-');
  after(() => tmp.cleanup());
  const write = (name: string, content: string, mode: number) => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, content, { mode });
    fs.chmodSync(file, mode);
    return file;
  };

  it('keeps the SHA-256 of an owner-only token file, the trailing newline not part of it', () => {
    const token = 'Tok+canary/0123456789abcdefghijklmnopqrstuv=';
    assert.deepEqual(metricsAccess(false, write('ok', `${token}\n`, 0o600)), { public: false, tokenHash: tokenHash(token) });
    assert.deepEqual(metricsAccess(false, undefined), { public: false });
    assert.deepEqual(metricsAccess(true, undefined), { public: true });
  });

  it('refuses a file others may read, a short token, a missing file and both switches, never quoting the token', () => {
    const canary = 'short-canary-token';
    const cases: [() => unknown, RegExp][] = [
      [() => metricsAccess(false, write('open', 'x'.repeat(40), 0o644)), /mode 644 lets others read it; chmod 600/],
      [() => metricsAccess(false, write('short', canary, 0o600)), /32 to 512 characters/],
      [() => metricsAccess(false, write('space', `${'a'.repeat(20)} ${'b'.repeat(20)}`, 0o600)), /characters of/],
      [() => metricsAccess(false, path.join(tmp.dir, 'missing')), /--metrics-token-file .*missing.*ENOENT/],
      [() => metricsAccess(true, write('both', 'y'.repeat(40), 0o600)), /exclude each other/],
    ];
    for (const [fn, why] of cases) {
      assert.throws(fn, (err: Error) => {
        assert.match(err.message, why);
        assert.ok(!err.message.includes(canary) && !err.message.includes('x'.repeat(32)));
        return true;
      });
    }
  });
});
