// The enrolment file of a silent deployment (`pwbridge install --hub … --enrol-file F`, the MSI's
// PWB_ENROL_FILE): refused while others may read it, read once, then overwritten and removed. The Windows
// owner-and-DACL form of the check runs under Wine in test/windows/msi-deploy.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnrolFile, takeLogin } from '../../src/setup/install-enrolment';
import { runCli } from '../cli/cli';
import { makeTempDir } from '../helpers/tmp';

describe('setup/install-enrolment: the enrolment file', () => {
  let t: ReturnType<typeof makeTempDir>;
  beforeEach(() => { t = makeTempDir('pwbridge-enrol-'); });
  afterEach(() => t.cleanup());
  const file = (text: string, mode: number) => {
    const f = path.join(t.dir, 'enrol.txt');
    fs.writeFileSync(f, text, { mode });
    fs.chmodSync(f, mode);
    return f;
  };

  it('is refused while group or others may read it, when missing, and when it is not a plain file', () => {
    assert.throws(() => checkEnrolFile(file('rmm\npw\n', 0o644), undefined), /--enrol-file: \S+enrol\.txt has mode 0644, readable by others \(it must be 0600\)\. It holds a hub user's password/);
    assert.doesNotThrow(() => checkEnrolFile(file('rmm\npw\n', 0o600), undefined));
    assert.throws(() => checkEnrolFile(path.join(t.dir, 'nope'), undefined), /--enrol-file: \S+nope cannot be read \(ENOENT\)/);
    assert.throws(() => checkEnrolFile(t.dir, undefined), /is not a regular file/);
    assert.throws(() => checkEnrolFile(file('x', 0o600), () => 'has an entry that gives Everyone read'), /enrol\.txt has an entry that gives Everyone read\. It holds/);
  });

  it('is read once, its bytes overwritten with zeros and the file removed, also when what it holds is refused', () => {
    const f = file('rmm\r\nsecret-pw\r\n', 0o600);
    const witness = path.join(t.dir, 'witness'); // a second name for the same bytes: shows they were overwritten
    fs.linkSync(f, witness);
    const login = takeLogin(f);
    assert.equal(login.user, 'rmm');
    assert.equal(login.password.toString(), 'secret-pw');
    assert.ok(!fs.existsSync(f));
    assert.ok(fs.readFileSync(witness).every((b) => b === 0), 'the bytes were not overwritten');

    const bad = file('only-a-name\n', 0o600);
    assert.throws(() => takeLogin(bad), /--enrol-file: give the hub user's name and password on two lines/);
    assert.ok(!fs.existsSync(bad), 'a refused file is removed too: it was read');
  });

  it('install --hub is refused on Linux, naming what to do instead, and changes nothing', async () => {
    const r = await runCli(['install', '--hub', 'https://hub:8443', '--client', 'Acme', '--enrol-file', '/nonexistent'], { dataDir: t.dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--hub is for the Windows package's silent deployment; on Linux run pwbridge setup after install/);
    assert.deepEqual(fs.readdirSync(t.dir), []);
  });
});
