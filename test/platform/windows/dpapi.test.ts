// The agent token on Windows, against the fake Windows (real memory: the DATA_BLOBs hold the real
// addresses of our Buffers, and the fake reads and writes through them as crypt32 would). The real
// CryptProtectData round trip is in real-windows.test.ts.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DPAPI_TOKEN_MAGIC, dpapiTokenStore, restrictToService } from '../../../src/platform/windows/dpapi-token';
import { protectForMachine, unprotect } from '../../../src/platform/windows/dpapi';
import { makeTempDir } from '../../helpers/tmp';
import { FakeWindows } from './fake-win32';

const newToken = () => `pwa_${randomBytes(32).toString('base64url')}`;

describe('platform/windows DPAPI (fake Windows, real memory)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => { tmp = makeTempDir('pwbt-dpapi-'); });
  afterEach(() => tmp.cleanup());
  /** The data dir as install leaves it: SYSTEM and Administrators only, inherited by what is made in it. */
  const privateDir = (win: FakeWindows) => {
    const full = { type: 0, flags: 0x3, mask: 0x1f01ff };
    win.setFileSecurity(tmp.dir, { owner: 'S-1-5-32-544', protected: true, dacl: [{ ...full, sid: 'S-1-5-18' }, { ...full, sid: 'S-1-5-32-544' }] });
    return win;
  };

  it('protect and unprotect: machine scope, no UI, the entropy passed, every LocalAlloc freed, the plaintext zeroed first', () => {
    const win = new FakeWindows();
    const plain = Buffer.from('canary-plain-7c1e');
    const entropy = Buffer.from('purpose-A');
    const blob = protectForMachine(win.win32, plain, entropy);
    assert.equal(blob.indexOf(plain), -1);
    const back = unprotect(win.win32, blob, entropy);
    assert.equal(back.toString(), 'canary-plain-7c1e');
    assert.deepEqual(win.calls.filter((c) => c.startsWith('Crypt')), ['CryptProtectData flags=5', 'CryptUnprotectData flags=1']);
    assert.equal(win.allocations.size, 0, 'both output blobs were given back with LocalFree');
    assert.equal(win.calls.filter((c) => c === 'LocalFree').length, 2);
    assert.equal(win.zeroed.length, 1, 'the decrypted block is zeroed before it is freed, the encrypted one need not be');
    assert.throws(() => unprotect(win.win32, blob, Buffer.from('purpose-B')), /CryptUnprotectData failed/);
    assert.throws(() => unprotect(new FakeWindows().win32, blob, entropy), /CryptUnprotectData failed/, 'another machine');
    assert.equal(win.allocations.size, 0);
  });

  it('setup writes the token only as a DPAPI blob, in a file whose ACL is set while it is still empty; the service reads it back', () => {
    const win = new FakeWindows();
    const file = path.join(tmp.dir, 'keys', 'agent.token');
    const restricted: Array<{ file: string; size: number }> = [];
    const store = dpapiTokenStore(() => win.win32, (f) => {
      restricted.push({ file: f, size: fs.statSync(f).size });
      restrictToService(win.win32, f);
    });
    const token = newToken();
    store.write(file, token);

    assert.equal(restricted.length, 1);
    assert.equal(restricted[0].size, 0, 'the ACL is set before a byte of the blob is written');
    assert.equal(path.dirname(restricted[0].file), path.dirname(file));
    const onDisk = fs.readFileSync(file);
    assert.ok(onDisk.subarray(0, DPAPI_TOKEN_MAGIC.length).equals(DPAPI_TOKEN_MAGIC));
    assert.equal(onDisk.indexOf(Buffer.from(token)), -1, 'no clear token (UTF-8)');
    assert.equal(onDisk.indexOf(Buffer.from(token, 'utf16le')), -1, 'no clear token (UTF-16)');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['agent.token'], 'no temp file left');
    assert.deepEqual(win.protected.map((b) => b.toString()), [token], 'what reached CryptProtectData is the token, once');
    const sec = win.fileSecurityOf(file);
    assert.deepEqual([sec.owner, sec.protected, sec.dacl!.map((a) => a.sid)], ['S-1-5-32-544', true, ['S-1-5-18', 'S-1-5-32-544']],
      'owner Administrators, a protected DACL of SYSTEM and Administrators (no ServiceSid registered here), kept through the rename');

    assert.equal(store.read(file), token);
    assert.equal(win.allocations.size, 0);
    // The clear copies this side made are wiped: every Buffer whose address went into a DATA_BLOB.
    assert.deepEqual(win.memory.holding(Buffer.from(token)), []);
  });

  it('refuses a token file others may open before reading it, naming the entry; with ServiceSid set, that account gets an entry too', () => {
    const win = privateDir(new FakeWindows());
    const file = path.join(tmp.dir, 'agent.token');
    const store = dpapiTokenStore(() => win.win32);
    win.registry.set('SOFTWARE\\pwbridge', new Map([['servicesid', { type: 1, data: Buffer.from('S-1-5-21-1-2-3-1001\0', 'utf16le') }]]));
    const token = newToken();
    store.write(file, token);
    assert.deepEqual(win.fileSecurityOf(file).dacl!.map((a) => a.sid), ['S-1-5-18', 'S-1-5-32-544', 'S-1-5-21-1-2-3-1001']);
    assert.equal(store.read(file), token);
    const sec = win.fileSecurityOf(file);
    win.setFileSecurity(file, { ...sec, dacl: [...sec.dacl!, { type: 0, flags: 0, mask: 0x120089, sid: 'S-1-1-0' }] });
    const reads = win.calls.filter((c) => c.startsWith('CryptUnprotectData')).length;
    assert.throws(() => store.read(file), /the agent token \S+agent\.token has an entry \(A;;FR;;;WD\) that gives Everyone \(S-1-1-0\) read: run pwbridge install again/);
    assert.equal(win.calls.filter((c) => c.startsWith('CryptUnprotectData')).length, reads, 'refused before it was decrypted');
    win.setFileSecurity(file, { ...sec, owner: 'S-1-5-21-9-9-9-1234' });
    assert.throws(() => store.read(file), /is owned by S-1-5-21-9-9-9-1234, not by SYSTEM, Administrators or the service account/);
  });

  it('refuses a clear token file, a blob from another machine, a missing file and a blob that is not a token', () => {
    const win = privateDir(new FakeWindows());
    const file = path.join(tmp.dir, 'agent.token');
    const store = dpapiTokenStore(() => win.win32, () => undefined);
    assert.throws(() => store.read(file), /is missing; enrol this machine with: pwbridge setup/);
    fs.writeFileSync(file, `${newToken()}\n`);
    assert.throws(() => store.read(file), /not DPAPI-protected .* run pwbridge setup again/);
    const other = privateDir(new FakeWindows());
    dpapiTokenStore(() => other.win32, () => undefined).write(file, newToken());
    assert.throws(() => store.read(file), /could not be decrypted .* opens only on the machine that set it up/);
    assert.throws(() => store.write(file, 'not-a-token'), /is not an agent token/);
    const blob = protectForMachine(win.win32, Buffer.from('something else'), Buffer.from('pwbridge/agent-token/1'));
    fs.writeFileSync(file, Buffer.concat([DPAPI_TOKEN_MAGIC, blob]));
    assert.throws(() => store.read(file), /is not an agent token/);
  });
});
