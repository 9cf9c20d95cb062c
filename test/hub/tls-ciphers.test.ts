// What the hub's TLS server accepts, tried with real handshakes against a real hub: on TLS 1.2 only
// ECDHE with an AEAD cipher (a client limited to a CBC + SHA-1 suite is refused), TLS 1.3 as Node has it.
// With the self-signed ECDSA certificate and with an admin's own RSA certificate.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import pino from 'pino';
import { startHub, type Hub } from '../../src/hub/server';
import { startTestHub, type TestHub } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';

type Handshake = { ok: true; protocol: string; cipher: string } | { ok: false; error: string };

function handshake(port: number, opts: tls.ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    // The test asks what the server agrees to, not whether it trusts the certificate (pinning is cert.test.ts's).
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts }, () => {
      resolve({ ok: true, protocol: s.getProtocol() ?? '?', cipher: s.getCipher().name });
      s.end();
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, error: err.code ?? err.message }));
  });
}

const tls12 = (ciphers: string): tls.ConnectionOptions => ({ maxVersion: 'TLSv1.2', ciphers });

describe('hub TLS: ECDHE with AEAD only on TLS 1.2', function () {
  this.timeout(60_000);

  describe('self-signed ECDSA certificate', () => {
    let t: TestHub;
    before(async () => { t = await startTestHub('sqlite'); });
    after(async () => t?.close());

    for (const cbc of ['ECDHE-ECDSA-AES256-SHA', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384']) {
      it(`refuses a TLS 1.2 client limited to ${cbc} (CBC)`, async () => {
        const r = await handshake(t.hub.port, tls12(cbc));
        assert.equal(r.ok, false, JSON.stringify(r));
      });
    }

    for (const aead of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
      it(`accepts a TLS 1.2 client limited to ${aead} (AEAD)`, async () => {
        assert.deepEqual(await handshake(t.hub.port, tls12(aead)), { ok: true, protocol: 'TLSv1.2', cipher: aead });
      });
    }

    it('a client offering everything gets TLS 1.3; TLS 1.1 is refused', async () => {
      const r = await handshake(t.hub.port, {});
      assert.ok(r.ok && r.protocol === 'TLSv1.3', JSON.stringify(r));
      const old = await handshake(t.hub.port, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
      assert.equal(old.ok, false, JSON.stringify(old));
    });
  });

  describe('an admin\'s own RSA certificate', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let hub: Hub;
    before(async function () {
      tmp = makeTempDir('pwbridge-tls-rsa-');
      const certFile = path.join(tmp.dir, 'hub.crt');
      const keyFile = path.join(tmp.dir, 'hub.key');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      fs.chmodSync(keyFile, 0o600);
      hub = await startHub({ dataDir: tmp.dir, host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), cert: { certFile, keyFile } });
    });
    after(async () => { await hub?.close(); tmp?.cleanup(); });

    it('refuses ECDHE-RSA-AES128-SHA and AES128-SHA (CBC), accepts ECDHE-RSA-AES128-GCM-SHA256, refuses AES128-GCM-SHA256 (no ECDHE)', async () => {
      for (const refused of ['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA', 'AES128-SHA', 'AES128-GCM-SHA256', 'DHE-RSA-AES128-GCM-SHA256']) {
        const r = await handshake(hub.port, tls12(refused));
        assert.equal(r.ok, false, `${refused}: ${JSON.stringify(r)}`);
      }
      assert.deepEqual(await handshake(hub.port, tls12('ECDHE-RSA-AES128-GCM-SHA256')), { ok: true, protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
    });
  });
});
