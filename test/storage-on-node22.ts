// `npm test`'s second run: the storage suites again, on the pinned Linux Node 22 (packaging/fetch-node.js,
// SHA-256 checked), where they run on node:sqlite, the driver the Windows package uses and the system's
// Node 20 lacks. PWBRIDGE_SQLITE_DRIVERS=node:sqlite makes each suite fail, not skip, if node:sqlite does
// not load there, so a run that fell back to better-sqlite3 (or to nothing) cannot pass. better-sqlite3's
// addon is built for Node 20's ABI and shows up as pending, with the reason.
//
//   node dist/test/storage-on-node22.js     (also: npm run test:node22)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './vectors/repo-root';

/** Compiled suites (under dist/test/) that touch SQLite through src/sqlite/. */
const SUITES = [
  'sqlite/*.test.js',
  'journal/*.test.js',
  'vault/sqlite.vault.test.js',
  'vault/group-commit.test.js',
  'hub/sqlite-sql.test.js',
  'hub/http.vault.sqlite.test.js',
];

function main(): number {
  const platform = `${process.platform}-${process.arch}`;
  if (platform !== 'linux-x64') {
    process.stderr.write(`storage-on-node22: no pinned Node 22 for ${platform} in packaging/node-runtimes.json; not run\n`);
    return 0;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fetchNode } = require(path.join(repoRoot(), 'packaging', 'fetch-node.js')) as { fetchNode(platform: string): string };
  const node = fetchNode('linux-x64');
  const mocha = require.resolve('mocha/bin/mocha.js', { paths: [repoRoot()] });
  const specs = SUITES.map((s) => path.join(__dirname, s));
  process.stdout.write(`\nThe storage suites on node:sqlite, with ${node}\n`);
  // The project's .mocharc.json would add every suite: its options are repeated here instead.
  const r = spawnSync(node, [mocha, '--no-config', '--forbid-only', '--timeout', '30000', '--enable-source-maps', '--exit', ...specs], {
    stdio: 'inherit',
    env: { ...process.env, PWBRIDGE_SQLITE_DRIVERS: 'node:sqlite' },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

process.exitCode = main();
