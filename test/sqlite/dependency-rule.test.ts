// Dependency rule: SQLite is reached through src/sqlite/ only. Each driver package is imported by its one
// driver file and nowhere else in src/ (not even for types), so the node:sqlite build (the Windows package,
// which has no better-sqlite3) can never load the addon by way of some store. The tests and the bench keep
// to the rule too: they run each driver through the seam, and a test that opened better-sqlite3 itself
// would fail on the Node 22 run.
// Layers: what opens a SQLite file (src/sqlite/open-database.ts), the migration step both engines run
// (src/sql/) and the domain's rules (src/domain/, name folding included) sit below the stores, so the
// journal and the hub reach them without going through the vault.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../vectors/repo-root';

/** Who may import each driver package (paths under the repository root): its driver file, first. */
const ALLOWED: Record<string, string[]> = {
  // drivers.test.ts: a child that requires node:sqlite directly, to show the warning the driver hides.
  // deb.test.ts: the package's own node asked, in a child, whether it has node:sqlite (its store needs it).
  'node:sqlite': ['src/sqlite/node-sqlite.driver.ts', 'test/sqlite/drivers.test.ts', 'test/packaging/deb.test.ts'],
  'better-sqlite3': ['src/sqlite/better-sqlite3.driver.ts'],
};

/** Every way TypeScript can name a module: import … from, import '…', import type, require(), import(), import x = require(). */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (let m = re.exec(source); m; m = re.exec(source)) found.push(m[1]);
  return found;
}

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

describe('dependency rule: SQLite only through src/sqlite/', () => {
  const root = repoRoot();
  const files = ['src', 'test', 'bench'].flatMap((d) => sourcesUnder(path.join(root, d)))
    .map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('reads every source file under src/, test/ and bench/ (the rule checks something)', () => {
    assert.ok(files.filter((f) => f.startsWith('src/')).length > 50, `only ${files.length} files`);
    assert.ok(files.includes('src/vault/sqlite.vault.ts') && files.includes('src/hub/sql.ts') && files.includes('bench/run.ts'));
  });

  it('finds each driver package imported by its driver file (the scan sees imports, require() included)', () => {
    for (const [pkg, [file]] of Object.entries(ALLOWED)) {
      assert.ok(importsOf(fs.readFileSync(path.join(root, file), 'utf8')).includes(pkg), `${file} does not import ${pkg}`);
    }
    assert.deepEqual(importsOf("import type X from 'a';\nconst y = require( \"b\" );\nimport 'c';\nawait import('d');\nimport z = require('e');"),
      ['a', 'b', 'c', 'd', 'e']);
  });

  it('no other file imports node:sqlite or better-sqlite3, type-only imports included', () => {
    const offenders = files.flatMap((file) => {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      return importsOf(text)
        .filter((spec) => spec in ALLOWED && !ALLOWED[spec].includes(file))
        .map((spec) => `${file} imports ${spec}`);
    });
    assert.deepEqual(offenders, [], 'go through src/sqlite/database.ts (the interface) and drivers.ts (the choice)');
  });
});

/** Which src/ folders a folder's files may import (relative imports; packages and node: are not counted). */
const ONLY: Record<string, string[]> = {
  'src/sql': ['src/sql'],
  'src/sqlite': ['src/sqlite', 'src/sql'],
  'src/domain': ['src/domain'],
};
/** Which src/ folders a folder's files must not import: the journal opens and folds without the vault or the hub. */
const NEVER: Record<string, string[]> = {
  'src/journal': ['src/vault', 'src/hub'],
};

/** The src/ folder (two levels: 'src/vault') a relative import from `file` lands in; undefined for a package. */
function folderImported(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  return target.split('/').slice(0, 2).join('/');
}

describe('dependency rule: the layers below the stores import no store', () => {
  const root = repoRoot();
  const files = sourcesUnder(path.join(root, 'src')).map((f) => path.relative(root, f).split(path.sep).join('/'));
  const folderOf = (file: string) => file.split('/').slice(0, 2).join('/');

  it('resolves relative imports to their src/ folder (the rule checks something)', () => {
    const state = fs.readFileSync(path.join(root, 'src/journal/sqlite.state.ts'), 'utf8');
    assert.ok(importsOf(state).map((s) => folderImported('src/journal/sqlite.state.ts', s)).includes('src/sqlite'));
    assert.equal(folderImported('src/hub/api/session-routes.ts', '../../domain/fold-name'), 'src/domain');
    assert.equal(folderImported('src/sqlite/open-database.ts', 'node:fs'), undefined);
    for (const folder of [...Object.keys(ONLY), ...Object.keys(NEVER)]) {
      assert.ok(files.some((f) => folderOf(f) === folder), `no files under ${folder}`);
    }
  });

  it('src/sql/, src/sqlite/ and src/domain/ import only from below; src/journal/ nothing from src/vault/ or src/hub/', () => {
    const offenders = files.flatMap((file) => {
      const folder = folderOf(file);
      return importsOf(fs.readFileSync(path.join(root, file), 'utf8')).flatMap((spec) => {
        const to = folderImported(file, spec);
        if (to === undefined) return [];
        const bad = (ONLY[folder] && !ONLY[folder].includes(to)) || NEVER[folder]?.includes(to);
        return bad ? [`${file} imports ${spec}`] : [];
      });
    });
    assert.deepEqual(offenders, []);
  });
});
