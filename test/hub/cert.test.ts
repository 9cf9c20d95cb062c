// The hub's certificate (made with node:crypto on first start, or the admin's own) and how an agent
// trusts it: a pin that refuses any other certificate before a byte is sent, or a CA.
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { certificatePaths, ensureSelfSignedCertificate, loadCertificate, makeSelfSigned, normalizeFingerprint } from '../../src/hub/cert';
import { HttpVault } from '../../src/vault/http.vault';
import { HubCertificateError, HubClient } from '../../src/vault/hub-client';
import { startTestHub, type TestHub } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';

describe('hub certificate', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => { tmp = makeTempDir('pwbridge-cert-'); });
  afterEach(() => tmp.cleanup());

  it('makes a self-signed P-256 certificate once (key 0600), then keeps it', () => {
    const first = ensureSelfSignedCertificate(tmp.dir, ['hubhost', 'localhost', '127.0.0.1', '::1']);
    const p = certificatePaths(tmp.dir);
    assert.equal(fs.statSync(p.key).mode & 0o777, 0o600);
    const x = new crypto.X509Certificate(first.certPem);
    assert.ok(x.verify(x.publicKey), 'self-signed: its own key verifies it');
    assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(x.subjectAltName, 'DNS:hubhost, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.ok(x.checkPrivateKey(crypto.createPrivateKey(first.keyPem)));
    assert.ok(new Date(x.validTo).getTime() - Date.now() > 9 * 365 * 86_400_000);
    // OpenSSL reads it as a well-formed certificate that verifies against itself.
    fs.writeFileSync(path.join(tmp.dir, 'c.pem'), first.certPem);
    const text = execFileSync('openssl', ['x509', '-in', path.join(tmp.dir, 'c.pem'), '-noout', '-text'], { encoding: 'utf8' });
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /TLS Web Server Authentication/);
    execFileSync('openssl', ['verify', '-CAfile', path.join(tmp.dir, 'c.pem'), path.join(tmp.dir, 'c.pem')]);

    const again = ensureSelfSignedCertificate(tmp.dir);
    assert.equal(again.fingerprint, first.fingerprint, 'the second start uses the same certificate');
  });

  it('refuses a pair with one half missing rather than replace what agents pinned', () => {
    ensureSelfSignedCertificate(tmp.dir);
    fs.rmSync(certificatePaths(tmp.dir).cert);
    assert.throws(() => ensureSelfSignedCertificate(tmp.dir), /hub-tls\.key exists but .*hub\.crt does not/);
  });

  it('the admin\'s own certificate: loaded when key and certificate match; refused when not, or when the key file is not private', () => {
    const a = makeSelfSigned(['a.example']);
    const b = makeSelfSigned(['b.example']);
    const certFile = path.join(tmp.dir, 'a.crt');
    const keyFile = path.join(tmp.dir, 'a.key');
    const otherKey = path.join(tmp.dir, 'b.key');
    fs.writeFileSync(certFile, a.certPem);
    fs.writeFileSync(keyFile, a.keyPem, { mode: 0o600 });
    fs.writeFileSync(otherKey, b.keyPem, { mode: 0o600 });
    assert.equal(loadCertificate(certFile, keyFile).fingerprint, new crypto.X509Certificate(a.certPem).fingerprint256);
    assert.throws(() => loadCertificate(certFile, otherKey), /is not the private key of --cert/);
    fs.chmodSync(keyFile, 0o644);
    assert.throws(() => loadCertificate(certFile, keyFile), /mode 0644; it must not be readable/);
  });

  it('fingerprints are accepted in any case, with or without colons', () => {
    const fp = 'ab'.repeat(32);
    assert.equal(normalizeFingerprint(fp), 'AB:'.repeat(31) + 'AB');
    assert.equal(normalizeFingerprint(fp.match(/../g)!.join(':')), 'AB:'.repeat(31) + 'AB');
    assert.equal(normalizeFingerprint('abcd'), undefined);
  });
});

describe('an agent\'s trust in the hub', function () {
  this.timeout(60_000);
  let a: TestHub;
  let b: TestHub;
  before(async () => {
    a = await startTestHub('sqlite');
    b = await startTestHub('sqlite');
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it('a pinned fingerprint refuses another certificate before sending anything', async () => {
    assert.notEqual(a.hub.certificate.fingerprint, b.hub.certificate.fingerprint);
    const token = await a.token();
    // The agent pinned hub A; something else (hub B, another certificate) now answers at the address.
    const vault = HttpVault.open({ url: b.hub.url, fingerprint: a.hub.certificate.fingerprint }, token);
    assert.equal((await b.raw('GET', '/healthz')).status, 200);
    const linesBefore = fs.readFileSync(b.logFile, 'utf8').split('\n').filter((l) => l.includes('"msg":"request"')).length;
    assert.ok(linesBefore > 0, 'hub B logs each request (so the count below means something)');
    try {
      await assert.rejects(vault.listClients(), (err: Error) => {
        assert.ok(err instanceof HubCertificateError, err.stack);
        assert.match(err.message, new RegExp(`presented a certificate with SHA-256 fingerprint ${b.hub.certificate.fingerprint}`));
        assert.match(err.message, /not the one pinned at setup/);
        assert.match(err.message, /nothing was sent/);
        return true;
      });
    } finally {
      await vault.close();
    }
    const linesAfter = fs.readFileSync(b.logFile, 'utf8').split('\n').filter((l) => l.includes('"msg":"request"')).length;
    assert.equal(linesAfter, linesBefore, 'hub B saw no HTTP request');
    assert.ok(!fs.readFileSync(b.logFile, 'utf8').includes(token), 'the token never reached hub B');
    // The right pin works.
    const good = HttpVault.open({ url: a.hub.url, fingerprint: a.hub.certificate.fingerprint }, token);
    assert.deepEqual(await good.listClients(), []);
    await good.close();
  });

  it('with a CA file: TLS verification and the host name; another CA is refused', async () => {
    const caA = path.join(a.dataDir, 'tls', 'hub.crt');
    const caB = path.join(b.dataDir, 'tls', 'hub.crt');
    const ok = new HubClient({ url: a.hub.url, caFile: caA });
    assert.equal((await ok.request('GET', '/healthz')).status, 200);
    ok.close();
    const wrong = new HubClient({ url: a.hub.url, caFile: caB });
    await assert.rejects(wrong.request('GET', '/healthz'), /self-signed|unable to verify|certificate/i);
    wrong.close();
  });
});
