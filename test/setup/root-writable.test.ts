// `pwbridge install` from a checkout refuses to point a root service at files a non-root user could change
// (issue 14, item 2): node, main.js, anything under dist/ or node_modules/, or any folder above them. The
// checker on real files with real owners and modes (root: chown), and the real CLI refusing with a node
// that a non-root uid owns.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstNonRootWritable } from '../../src/setup/root-writable';
import { BIN, REPO } from '../cli/cli';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const NOBODY = 65534;

/** A root-owned 0755 scratch folder whose ancestors only root can write (/tmp cannot be one: it is 1777). */
function rootScratch(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync('/run/pwbridge-rw-');
  fs.chmodSync(dir, 0o755);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('install refuses a root service on files a non-root user can write (root)', function () {
  this.timeout(60_000);
  let s: { dir: string; cleanup(): void };
  let checkout = '';
  let node = '';
  before(function () {
    if (process.getuid?.() !== 0 || process.platform !== 'linux') skipBecause(this, 'needs root on Linux (files owned by other users)');
  });
  beforeEach(() => {
    s = rootScratch();
    checkout = path.join(s.dir, 'checkout');
    fs.mkdirSync(path.join(checkout, 'dist', 'src', 'cli'), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(checkout, 'node_modules', 'rxjs', 'dist'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(checkout, 'dist', 'src', 'cli', 'main.js'), '', { mode: 0o644 });
    fs.writeFileSync(path.join(checkout, 'node_modules', 'rxjs', 'dist', 'index.js'), '', { mode: 0o644 });
    node = path.join(s.dir, 'node');
    fs.writeFileSync(node, '', { mode: 0o755 });
  });
  afterEach(() => s.cleanup());
  const check = () => firstNonRootWritable([node, path.join(checkout, 'dist', 'src', 'cli', 'main.js')],
    [path.join(checkout, 'dist'), path.join(checkout, 'node_modules')]);

  it('passes a tree that only root can write', () => {
    assert.equal(check(), undefined);
  });

  it('names a file deep in node_modules owned by another user', () => {
    const f = path.join(checkout, 'node_modules', 'rxjs', 'dist', 'index.js');
    fs.chownSync(f, NOBODY, NOBODY);
    assert.deepEqual(check(), { path: f, who: `its owner (uid ${NOBODY})` });
  });

  it('names a folder above the checkout that is group-writable by a group other than root\'s', () => {
    fs.chownSync(s.dir, 0, NOBODY);
    fs.chmodSync(s.dir, 0o775);
    assert.deepEqual(check(), { path: s.dir, who: `the members of group ${NOBODY}` });
  });

  it('passes a folder group-writable by root\'s own group, and names one writable by everyone', () => {
    fs.chmodSync(path.join(checkout, 'dist'), 0o775);
    assert.equal(check(), undefined, 'group root: root only');
    fs.chmodSync(path.join(checkout, 'dist', 'src'), 0o757);
    assert.deepEqual(check(), { path: path.join(checkout, 'dist', 'src'), who: 'everyone' });
  });

  it('follows a symbolic link in the tree to where its target lives', () => {
    const elsewhere = path.join(s.dir, 'elsewhere');
    fs.mkdirSync(elsewhere, { mode: 0o755 });
    fs.writeFileSync(path.join(elsewhere, 'pg.js'), '', { mode: 0o644 });
    fs.symlinkSync(elsewhere, path.join(checkout, 'node_modules', 'pg'));
    assert.equal(check(), undefined);
    fs.chownSync(elsewhere, NOBODY, NOBODY);
    assert.deepEqual(check(), { path: elsewhere, who: `its owner (uid ${NOBODY})` });
  });

  it('passes a root-owned checkout under root\'s sticky /tmp (others can add beside it, not replace it), and names a sticky folder inside the tree', () => {
    const t = makeTempDir('pwbridge-rw-tmp-');
    try {
      assert.ok((fs.statSync('/tmp').mode & 0o1777) === 0o1777, '/tmp is 1777 here');
      fs.chmodSync(t.dir, 0o755);
      fs.mkdirSync(path.join(t.dir, 'dist'), { mode: 0o755 });
      fs.writeFileSync(path.join(t.dir, 'dist', 'main.js'), '');
      assert.equal(firstNonRootWritable([path.join(t.dir, 'dist', 'main.js')], [path.join(t.dir, 'dist')]), undefined);
      // Sticky, but where the service loads from: a file someone adds there could be loaded.
      fs.mkdirSync(path.join(t.dir, 'dist', 'plugins'));
      fs.chmodSync(path.join(t.dir, 'dist', 'plugins'), 0o1777);
      assert.deepEqual(firstNonRootWritable([path.join(t.dir, 'dist', 'main.js')], [path.join(t.dir, 'dist')]), { path: path.join(t.dir, 'dist', 'plugins'), who: 'everyone' });
      // A sticky folder that is not root's is no exception.
      fs.chmodSync(path.join(t.dir, 'dist', 'plugins'), 0o755);
      fs.chmodSync(t.dir, 0o1777);
      fs.chownSync(t.dir, 65534, 65534);
      assert.deepEqual(firstNonRootWritable([path.join(t.dir, 'dist', 'main.js')], []), { path: t.dir, who: 'its owner (uid 65534)' });
    } finally {
      fs.chownSync(t.dir, 0, 0);
      t.cleanup();
    }
  });

  it('the CLI: install --dry-run run by a node that uid 65534 owns is refused (exit 2), naming that node and the Debian package, and changes nothing', () => {
    const ownNode = path.join(s.dir, 'node-copy');
    fs.copyFileSync(process.execPath, ownNode);
    fs.chmodSync(ownNode, 0o755);
    fs.chownSync(ownNode, NOBODY, NOBODY);
    const data = path.join(s.dir, 'data');
    const r = spawnSync(ownNode, [BIN, '--data-dir', data, 'install', '--dry-run', '--pam-dir', path.join(s.dir, 'pam.d'), '--unit-dir', path.join(s.dir, 'units')],
      { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${ownNode.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: is writable by its owner \\(uid ${NOBODY}\\)`));
    assert.match(r.stderr, /Debian package/);
    assert.match(r.stderr, /apt install \.\/packaging\/debian\/out\/pwbridge_<version>_<arch>\.deb/);
    assert.ok(!fs.existsSync(data) && !fs.existsSync(path.join(s.dir, 'units')), 'nothing made');
  });
});
