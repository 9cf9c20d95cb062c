// The capture module's version is read from the file, never by loading it: the PAM module's ELF note
// (native/pam/version_note.c) and the filter DLL's version resource (native/lsa/version.rc.in), both from
// package.json. These run the readers on the modules this checkout built, on copies changed the way a
// package build or an older build would leave them, and on files that are not modules at all.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPamModule, pamModuleVersion } from '../../src/platform/linux/capture-module';
import { readElfNotes } from '../../src/platform/linux/elf-note';
import { findFilterDll } from '../../src/platform/windows/capture-module';
import { readPeFileVersion } from '../../src/platform/windows/pe-version';
import { repoRoot } from '../vectors/repo-root';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const ROOT = repoRoot();
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PAM_MODULE = path.join(ROOT, 'native', 'build', 'pam', 'pam_pwbridge.so');
const FILTER_DLL = path.join(ROOT, 'native', 'build-win', 'pwbridge_filter.dll');
const MESSAGES_DLL = path.join(ROOT, 'native', 'build-win', 'pwbridge_messages.dll');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('capture module version: the PAM module\'s ELF note', function () {
  let tmp: ReturnType<typeof makeTempDir>;
  before(function () {
    if (!fs.existsSync(PAM_MODULE)) skipBecause(this, `${PAM_MODULE} is not built (npm run build:native)`);
    if (spawnSync('sh', ['-c', 'command -v readelf && command -v objcopy && command -v strip']).status !== 0) skipBecause(this, 'binutils (readelf, objcopy, strip) is not installed');
  });
  beforeEach(() => { tmp = makeTempDir('pwbridge-modver-'); });
  afterEach(() => tmp.cleanup());

  it('the built module carries package.json\'s version, and findPamModule finds it in the first folder that has one', () => {
    assert.deepEqual(pamModuleVersion(fs.readFileSync(PAM_MODULE)), { version: VERSION });
    const [empty, full] = ['a', 'b'].map((d) => fs.mkdirSync(path.join(tmp.dir, d)) ?? path.join(tmp.dir, d));
    fs.copyFileSync(PAM_MODULE, path.join(full, 'pam_pwbridge.so'));
    assert.deepEqual(findPamModule([empty, full]), { kind: 'pam', path: path.join(full, 'pam_pwbridge.so'), version: VERSION });
  });

  it('reads every note readelf -n lists, in this module and in a system binary with GNU notes only', () => {
    for (const file of [PAM_MODULE, '/bin/true']) {
      const owners = run('readelf', ['-n', '-W', file]).split('\n').map((l) => /^\s+(\S+)\s+0x[0-9a-f]+\s/.exec(l)?.[1]).filter((o): o is string => !!o);
      assert.ok(owners.length > 0, `readelf lists notes of ${file}`);
      assert.deepEqual(readElfNotes(fs.readFileSync(file)).map((n) => n.name), owners, file);
    }
    assert.match(pamModuleVersion(fs.readFileSync('/bin/true')).problem ?? '', /carries no version note/);
  });

  it('the Debian package\'s strip (--strip-unneeded, .comment and .note removed) keeps the version note', () => {
    const copy = path.join(tmp.dir, 'pam_pwbridge.so');
    fs.copyFileSync(PAM_MODULE, copy);
    run('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', copy]);
    assert.deepEqual(pamModuleVersion(fs.readFileSync(copy)), { version: VERSION });
  });

  it('a module without the note (an older build) is found and said to carry no version', () => {
    const dir = path.join(tmp.dir, 'security');
    fs.mkdirSync(dir);
    const copy = path.join(dir, 'pam_pwbridge.so');
    run('objcopy', ['--remove-section=.note.pwbridge.version', PAM_MODULE, copy]);
    const found = findPamModule([dir]);
    assert.equal(found.path, copy);
    assert.equal(found.version, undefined);
    assert.match(found.problem ?? '', /carries no version note/);
  });

  it('a file that is not ELF, or is cut short, is a problem naming why, not a throw', () => {
    const dir = path.join(tmp.dir, 'security');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'pam_pwbridge.so');
    fs.writeFileSync(file, '#!/bin/sh\necho not a module\n');
    assert.match(findPamModule([dir]).problem ?? '', /^not an ELF file: no ELF magic/);
    fs.writeFileSync(file, fs.readFileSync(PAM_MODULE).subarray(0, 4096));
    assert.match(findPamModule([dir]).problem ?? '', /^not an ELF file: section headers out of the file/);
  });

  it('no module in any folder: "not installed", naming the folders looked in', () => {
    const found = findPamModule([path.join(tmp.dir, 'x'), path.join(tmp.dir, 'y')]);
    assert.equal(found.path, undefined);
    assert.equal(found.problem, `not installed (no pam_pwbridge.so in ${path.join(tmp.dir, 'x')}, ${path.join(tmp.dir, 'y')})`);
  });
});

describe('capture module version: the filter DLL\'s version resource', function () {
  let tmp: ReturnType<typeof makeTempDir>;
  before(function () {
    if (!fs.existsSync(FILTER_DLL)) skipBecause(this, `${FILTER_DLL} is not built (mingw-w64; npm run build:native)`);
  });
  beforeEach(() => { tmp = makeTempDir('pwbridge-dllver-'); });
  afterEach(() => tmp.cleanup());

  it('the built DLL carries package.json\'s version, and findFilterDll reads it from System32\'s copy', () => {
    assert.equal(readPeFileVersion(fs.readFileSync(FILTER_DLL)), VERSION);
    fs.copyFileSync(FILTER_DLL, path.join(tmp.dir, 'pwbridge_filter.dll'));
    assert.deepEqual(findFilterDll(tmp.dir), { kind: 'lsa', path: path.join(tmp.dir, 'pwbridge_filter.dll'), version: VERSION });
  });

  it('the DLL\'s version strings say the same (FileVersion and ProductVersion, UTF-16 in the resource)', () => {
    const bytes = fs.readFileSync(FILTER_DLL);
    for (const key of ['FileVersion', 'ProductVersion']) {
      const at = bytes.indexOf(Buffer.from(`${key}\0`, 'utf16le'));
      assert.ok(at > 0, `${key} is in the resource`);
      const after = bytes.subarray(at + (key.length + 1) * 2);
      const start = after.findIndex((b, i) => i % 2 === 0 && b !== 0);
      const text = after.subarray(start).toString('utf16le').split('\0')[0];
      assert.equal(text, VERSION, key);
    }
  });

  it('a DLL with resources but no version (the message DLL) has none; an older filter build is said to carry none', () => {
    assert.equal(readPeFileVersion(fs.readFileSync(MESSAGES_DLL)), undefined);
    fs.copyFileSync(MESSAGES_DLL, path.join(tmp.dir, 'pwbridge_filter.dll'));
    assert.match(findFilterDll(tmp.dir).problem ?? '', /carries no version resource/);
  });

  it('a file that is not a DLL, or is cut short, is a problem naming why; no DLL is "not installed"', () => {
    assert.match(findFilterDll(tmp.dir).problem ?? '', /^not installed \(no .*pwbridge_filter\.dll\)$/);
    const file = path.join(tmp.dir, 'pwbridge_filter.dll');
    fs.writeFileSync(file, 'MZ but nothing else');
    assert.match(findFilterDll(tmp.dir).problem ?? '', /^not a Windows DLL: no MZ header/);
    const whole = fs.readFileSync(FILTER_DLL);
    fs.writeFileSync(file, whole.subarray(0, 1024)); // headers and section table, no sections
    assert.match(findFilterDll(tmp.dir).problem ?? '', /^not a Windows DLL: /);
  });
});
