// config.json's `hub` field (written by pwbridge setup): checked like every other field.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { ConfigError } from '../../src/config/config-error';
import { makeTempDir } from '../helpers/tmp';

const FP = 'ab'.repeat(32);

describe('config.json: hub', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => { tmp = makeTempDir('pwbridge-config-hub-'); });
  afterEach(() => tmp.cleanup());
  const load = (config: unknown) => {
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify(config));
    return loadConfig(tmp.dir);
  };

  it('absent: the embedded vault; present: URL origin and the fingerprint in one spelling', () => {
    assert.equal(load({}).hub, undefined);
    assert.deepEqual(load({ machine: 'WS01', hub: { url: 'https://hub.example:8443/', fingerprint: FP } }).hub,
      { url: 'https://hub.example:8443', fingerprint: 'AB:'.repeat(31) + 'AB' });
    assert.deepEqual(load({ hub: { url: 'https://hub.example', caFile: '/etc/pwbridge/ca.pem' } }).hub,
      { url: 'https://hub.example', caFile: '/etc/pwbridge/ca.pem' });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', 'https://hub', /hub: must be an object/],
    ['http', { url: 'http://hub.example', fingerprint: FP }, /hub\.url: "http:\/\/hub\.example" is not an https:\/\/HOST\[:PORT\] URL/],
    ['a path', { url: 'https://hub.example/api', fingerprint: FP }, /hub\.url/],
    ['a password in the URL', { url: 'https://u:p@hub.example', fingerprint: FP }, /hub\.url/],
    ['neither trust', { url: 'https://hub.example' }, /exactly one of fingerprint and caFile/],
    ['both trusts', { url: 'https://hub.example', fingerprint: FP, caFile: '/x' }, /exactly one of fingerprint and caFile/],
    ['a short fingerprint', { url: 'https://hub.example', fingerprint: 'abcd' }, /hub\.fingerprint: is not a SHA-256 fingerprint/],
    ['an unknown field', { url: 'https://hub.example', fingerprint: FP, token: 'x' }, /hub\.token: is not a known field/],
  ];
  for (const [name, hub, pattern] of bad) {
    it(`refuses ${name}, naming the field and the fix`, () => {
      assert.throws(() => load({ hub }), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, pattern);
        assert.match(err.message, /pwbridge setup|Known fields/);
        return true;
      });
    });
  }

  it('refuses a machine name with a backslash when a hub is used (it is the MACHINE of MACHINE\\user)', () => {
    assert.throws(() => load({ machine: 'A\\B', hub: { url: 'https://hub.example', fingerprint: FP } }), /machine: contains a backslash/);
  });
});
