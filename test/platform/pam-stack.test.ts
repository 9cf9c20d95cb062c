import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probePamStack, readBootId } from '../../src/platform/linux/pam-stack';

const DEBIAN_COMMON = [
  '# /etc/pam.d/common-password',
  'password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt',
  'password\trequisite\t\t\tpam_deny.so',
  'password\trequired\t\t\tpam_permit.so',
];

describe('platform/linux pam stack probe', () => {
  let root: string;
  let pamDir: string;
  let modDir: string;
  const probe = () => probePamStack({ pamDir, moduleDirs: [modDir] });
  const write = (name: string, lines: string[]) => writeFileSync(join(pamDir, name), lines.join('\n') + '\n');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pwbt-pam-'));
    pamDir = join(root, 'pam.d');
    modDir = join(root, 'security');
    mkdirSync(pamDir);
    mkdirSync(modDir);
    write('passwd', ['@include common-password']);
    write('chpasswd', ['@include common-password']);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('not installed: module absent', () => {
    write('common-password', DEBIAN_COMMON);
    assert.equal(probe().state, 'not-installed');
  });

  it('not installed: only on a commented line or on a non-password line', () => {
    write('common-password', [...DEBIAN_COMMON, '# password optional pam_pwbridge.so', 'auth optional pam_pwbridge.so', 'password optional pam_unix.so # pam_pwbridge.so']);
    writeFileSync(join(modDir, 'pam_pwbridge.so'), '');
    assert.equal(probe().state, 'not-installed');
  });

  it('not installed: empty pam.d', () => {
    rmSync(pamDir, { recursive: true });
    mkdirSync(pamDir);
    assert.equal(probe().state, 'not-installed');
  });

  it('active: optional after pam_unix with the module file present', () => {
    write('common-password', [...DEBIAN_COMMON, 'password\toptional\tpam_pwbridge.so']);
    writeFileSync(join(modDir, 'pam_pwbridge.so'), '');
    const p = probe();
    assert.equal(p.state, 'active');
    assert.match(p.reason, /common-password:5/);
  });

  it('active: found through a nested include from chpasswd, absolute module path', () => {
    write('common-password', DEBIAN_COMMON);
    write('chpasswd', ['@include common-password', 'password include pwbridge-extra']);
    const so = join(modDir, 'pam_pwbridge.so');
    writeFileSync(so, '');
    write('pwbridge-extra', [`-password optional ${so} socket=/run/pwbridge.sock`]);
    const p = probe();
    assert.equal(p.state, 'active');
    assert.match(p.reason, /pwbridge-extra:1/);
  });

  it('include loops terminate', () => {
    write('common-password', ['@include loop-a']);
    write('loop-a', ['@include loop-b']);
    write('loop-b', ['@include loop-a', 'password optional pam_pwbridge.so']);
    writeFileSync(join(modDir, 'pam_pwbridge.so'), '');
    assert.equal(probe().state, 'active');
  });

  it('faulted: module in the stack but the .so is missing', () => {
    write('common-password', [...DEBIAN_COMMON, 'password optional pam_pwbridge.so']);
    const p = probe();
    assert.equal(p.state, 'faulted');
    assert.match(p.reason, /missing/);
    assert.ok(p.reason.includes(modDir));
  });

  for (const control of ['required', 'requisite', '[success=ok default=bad]', 'sufficient']) {
    it(`faulted: placed as ${control}, reason says it must be optional`, () => {
      write('common-password', [...DEBIAN_COMMON.slice(0, 2), `password ${control} pam_pwbridge.so`, ...DEBIAN_COMMON.slice(2)]);
      writeFileSync(join(modDir, 'pam_pwbridge.so'), '');
      const p = probe();
      assert.equal(p.state, 'faulted');
      assert.match(p.reason, /must be 'optional'/);
      assert.ok(p.reason.includes(control));
    });
  }

  it('handles line continuations', () => {
    write('common-password', [...DEBIAN_COMMON, 'password \\', '  optional pam_pwbridge.so']);
    writeFileSync(join(modDir, 'pam_pwbridge.so'), '');
    assert.equal(probe().state, 'active');
  });

  it('reads this boot\'s id, and refuses a file that does not hold one', () => {
    const id = readBootId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(readBootId(), id);
    const bad = join(root, 'boot_id');
    writeFileSync(bad, 'not an id\n');
    assert.throws(() => readBootId(bad), /does not hold a boot id/);
  });
});
