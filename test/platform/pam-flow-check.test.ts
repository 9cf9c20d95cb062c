// doctor's check of an existing PAM line (pam-flow-check.ts): install's flow rule applied to a stack that
// already has pwbridge's line, read from a real common-password file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pamFlowProblems } from '../../src/platform/linux/pam-flow-check';
import { makeTempDir } from '../helpers/tmp';

const OURS = 'password\toptional\tpam_pwbridge.so dir=/var/lib/pwbridge';

describe('platform/linux pam flow check (doctor)', () => {
  const withStack = (text: string | undefined, f: (dir: string) => void) => {
    const t = makeTempDir('pwbridge-pamflow-');
    try {
      if (text !== undefined) fs.writeFileSync(path.join(t.dir, 'common-password'), text);
      f(t.dir);
    } finally {
      t.cleanup();
    }
  };

  it('Debian\'s stack with the line after pam_permit: nothing to say', () => {
    withStack(`password\t[success=1 default=ignore]\tpam_unix.so\npassword\trequisite\tpam_deny.so\npassword\trequired\tpam_permit.so\n${OURS}\n`,
      (dir) => assert.deepEqual(pamFlowProblems(dir), []));
  });

  it('a failed pam_unix goes on (pam_deny optional): the path to the line, by physical line', () => {
    withStack(`# comment\npassword\t[success=1 default=ignore]\tpam_unix.so\npassword\toptional\tpam_deny.so\npassword\trequired\tpam_permit.so\n${OURS}\n`, (dir) => {
      const [p, ...rest] = pamFlowProblems(dir);
      assert.equal(rest.length, 0);
      assert.match(p, /common-password: when pam_unix\.so fails, the stack still goes on to pam_pwbridge\.so \(lines 2 → 3 → 4 → 5\)/);
    });
  });

  it('a jump around pam_unix: said as such', () => {
    withStack(`password\t[success=2 default=ignore]\tpam_sss.so\npassword\trequisite\tpam_unix.so\npassword\trequisite\tpam_deny.so\n${OURS}\n`, (dir) => {
      assert.match(pamFlowProblems(dir).join('\n'), /a jump goes around pam_unix\.so to pam_pwbridge\.so \(lines 1 → 4\)/);
    });
  });

  it('no file, no line of ours, or no pam_unix: nothing (the probe says those)', () => {
    withStack(undefined, (dir) => assert.deepEqual(pamFlowProblems(dir), []));
    withStack('password\trequisite\tpam_unix.so\n', (dir) => assert.deepEqual(pamFlowProblems(dir), []));
    withStack(`${OURS}\n`, (dir) => assert.deepEqual(pamFlowProblems(dir), []));
  });
});
