#!/usr/bin/env node
// Writes the two files of the Debian package that start pwbridge, from the same source `pwbridge install`
// uses (src/platform/linux/systemd-unit.ts, compiled in dist/), so the packaged unit and the checkout's can
// not drift apart:
//
//   node packaging/debian/render-unit.js UNIT_FILE LAUNCHER_FILE
//
// UNIT_FILE: lib/systemd/system/pwbridge.service, running the package's node with the service's V8 flags on
// /usr/lib/pwbridge/dist/src/cli/main.js, data dir /var/lib/pwbridge. LAUNCHER_FILE: usr/bin/pwbridge, the
// same node and flags for every command (bin/pwbridge's shebang carries them in a checkout).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const unitModule = path.join(root, 'dist', 'src', 'platform', 'linux', 'systemd-unit.js');
const { renderUnit, serviceArgv, SERVICE_NODE_FLAGS } = require(unitModule);

/** Where the package puts things; build-deb.sh stages the same paths. */
const LIB = '/usr/lib/pwbridge';
const PACKAGED = { nodePath: `${LIB}/node`, mainJs: `${LIB}/dist/src/cli/main.js`, dataDir: '/var/lib/pwbridge' };

const HEADER = `# Installed by the pwbridge Debian package; upgrading or removing the package replaces or removes
# this file, so local edits are lost: put them in a drop-in (systemctl edit pwbridge.service) instead.
# The service runs the package's own Node.js (${PACKAGED.nodePath}), never one from PATH.`;

function shellWord(w) {
  return /^[A-Za-z0-9_./=:-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

const [unitFile, launcherFile] = process.argv.slice(2);
if (!unitFile || !launcherFile || process.argv.length > 4) {
  process.stderr.write('usage: node packaging/debian/render-unit.js UNIT_FILE LAUNCHER_FILE\n');
  process.exit(2);
}
fs.writeFileSync(unitFile, renderUnit(PACKAGED, HEADER), { mode: 0o644 });

// The launcher is the service's argv up to main.js: the same node, the same flags.
const argv = serviceArgv(PACKAGED);
const upToMain = argv.slice(0, 1 + SERVICE_NODE_FLAGS.length + 1);
if (upToMain[upToMain.length - 1] !== PACKAGED.mainJs) throw new Error(`serviceArgv changed shape: ${argv.join(' ')}`);
fs.writeFileSync(launcherFile, `#!/bin/sh
# pwbridge's command, from the Debian package: the package's own Node.js with the service's V8 flags
# (the ones the systemd unit runs the service with), on the package's compiled CLI.
exec ${upToMain.map(shellWord).join(' ')} "$@"
`, { mode: 0o755 });
