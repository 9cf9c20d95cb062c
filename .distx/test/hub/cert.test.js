"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// The hub's certificate (made with node:crypto on first start, or the admin's own) and how an agent
// trusts it: a pin that refuses any other certificate before a byte is sent, or a CA.
const node_assert_1 = require("node:assert");
const crypto = __importStar(require("node:crypto"));
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const cert_1 = require("../../src/hub/cert");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_client_1 = require("../../src/vault/hub-client");
const hub_1 = require("../helpers/hub");
const tmp_1 = require("../helpers/tmp");
describe('hub certificate', () => {
    let tmp;
    beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbridge-cert-'); });
    afterEach(() => tmp.cleanup());
    it('makes a self-signed P-256 certificate once (key 0600), then keeps it', () => {
        const first = (0, cert_1.ensureSelfSignedCertificate)(tmp.dir, ['hubhost', 'localhost', '127.0.0.1', '::1']);
        const p = (0, cert_1.certificatePaths)(tmp.dir);
        node_assert_1.strict.equal(fs.statSync(p.key).mode & 0o777, 0o600);
        const x = new crypto.X509Certificate(first.certPem);
        node_assert_1.strict.ok(x.verify(x.publicKey), 'self-signed: its own key verifies it');
        node_assert_1.strict.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
        node_assert_1.strict.equal(x.subjectAltName, 'DNS:hubhost, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
        node_assert_1.strict.ok(x.checkPrivateKey(crypto.createPrivateKey(first.keyPem)));
        node_assert_1.strict.ok(new Date(x.validTo).getTime() - Date.now() > 9 * 365 * 86_400_000);
        // OpenSSL reads it as a well-formed certificate that verifies against itself.
        fs.writeFileSync(path.join(tmp.dir, 'c.pem'), first.certPem);
        const text = (0, node_child_process_1.execFileSync)('openssl', ['x509', '-in', path.join(tmp.dir, 'c.pem'), '-noout', '-text'], { encoding: 'utf8' });
        node_assert_1.strict.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
        node_assert_1.strict.match(text, /TLS Web Server Authentication/);
        (0, node_child_process_1.execFileSync)('openssl', ['verify', '-CAfile', path.join(tmp.dir, 'c.pem'), path.join(tmp.dir, 'c.pem')]);
        const again = (0, cert_1.ensureSelfSignedCertificate)(tmp.dir);
        node_assert_1.strict.equal(again.fingerprint, first.fingerprint, 'the second start uses the same certificate');
    });
    it('refuses a pair with one half missing rather than replace what agents pinned', () => {
        (0, cert_1.ensureSelfSignedCertificate)(tmp.dir);
        fs.rmSync((0, cert_1.certificatePaths)(tmp.dir).cert);
        node_assert_1.strict.throws(() => (0, cert_1.ensureSelfSignedCertificate)(tmp.dir), /hub-tls\.key exists but .*hub\.crt does not/);
    });
    it('the admin\'s own certificate: loaded when key and certificate match; refused when not, or when the key file is not private', () => {
        const a = (0, cert_1.makeSelfSigned)(['a.example']);
        const b = (0, cert_1.makeSelfSigned)(['b.example']);
        const certFile = path.join(tmp.dir, 'a.crt');
        const keyFile = path.join(tmp.dir, 'a.key');
        const otherKey = path.join(tmp.dir, 'b.key');
        fs.writeFileSync(certFile, a.certPem);
        fs.writeFileSync(keyFile, a.keyPem, { mode: 0o600 });
        fs.writeFileSync(otherKey, b.keyPem, { mode: 0o600 });
        node_assert_1.strict.equal((0, cert_1.loadCertificate)(certFile, keyFile).fingerprint, new crypto.X509Certificate(a.certPem).fingerprint256);
        node_assert_1.strict.throws(() => (0, cert_1.loadCertificate)(certFile, otherKey), /is not the private key of --cert/);
        fs.chmodSync(keyFile, 0o644);
        node_assert_1.strict.throws(() => (0, cert_1.loadCertificate)(certFile, keyFile), /mode 0644; it must not be readable/);
    });
    it('fingerprints are accepted in any case, with or without colons', () => {
        const fp = 'ab'.repeat(32);
        node_assert_1.strict.equal((0, cert_1.normalizeFingerprint)(fp), 'AB:'.repeat(31) + 'AB');
        node_assert_1.strict.equal((0, cert_1.normalizeFingerprint)(fp.match(/../g).join(':')), 'AB:'.repeat(31) + 'AB');
        node_assert_1.strict.equal((0, cert_1.normalizeFingerprint)('abcd'), undefined);
    });
});
describe('an agent\'s trust in the hub', function () {
    this.timeout(60_000);
    let a;
    let b;
    before(async () => {
        a = await (0, hub_1.startTestHub)('sqlite');
        b = await (0, hub_1.startTestHub)('sqlite');
    });
    after(async () => {
        await a?.close();
        await b?.close();
    });
    it('a pinned fingerprint refuses another certificate before sending anything', async () => {
        node_assert_1.strict.notEqual(a.hub.certificate.fingerprint, b.hub.certificate.fingerprint);
        const token = await a.token();
        // The agent pinned hub A; something else (hub B, another certificate) now answers at the address.
        const vault = http_vault_1.HttpVault.open({ url: b.hub.url, fingerprint: a.hub.certificate.fingerprint }, token);
        node_assert_1.strict.equal((await b.raw('GET', '/healthz')).status, 200);
        const linesBefore = fs.readFileSync(b.logFile, 'utf8').split('\n').filter((l) => l.includes('"msg":"request"')).length;
        node_assert_1.strict.ok(linesBefore > 0, 'hub B logs each request (so the count below means something)');
        try {
            await node_assert_1.strict.rejects(vault.listClients(), (err) => {
                node_assert_1.strict.ok(err instanceof hub_client_1.HubCertificateError, err.stack);
                node_assert_1.strict.match(err.message, new RegExp(`presented a certificate with SHA-256 fingerprint ${b.hub.certificate.fingerprint}`));
                node_assert_1.strict.match(err.message, /not the one pinned at setup/);
                node_assert_1.strict.match(err.message, /nothing was sent/);
                return true;
            });
        }
        finally {
            await vault.close();
        }
        const linesAfter = fs.readFileSync(b.logFile, 'utf8').split('\n').filter((l) => l.includes('"msg":"request"')).length;
        node_assert_1.strict.equal(linesAfter, linesBefore, 'hub B saw no HTTP request');
        node_assert_1.strict.ok(!fs.readFileSync(b.logFile, 'utf8').includes(token), 'the token never reached hub B');
        // The right pin works.
        const good = http_vault_1.HttpVault.open({ url: a.hub.url, fingerprint: a.hub.certificate.fingerprint }, token);
        node_assert_1.strict.deepEqual(await good.listClients(), []);
        await good.close();
    });
    it('with a CA file: TLS verification and the host name; another CA is refused', async () => {
        const caA = path.join(a.dataDir, 'tls', 'hub.crt');
        const caB = path.join(b.dataDir, 'tls', 'hub.crt');
        const ok = new hub_client_1.HubClient({ url: a.hub.url, caFile: caA });
        node_assert_1.strict.equal((await ok.request('GET', '/healthz')).status, 200);
        ok.close();
        const wrong = new hub_client_1.HubClient({ url: a.hub.url, caFile: caB });
        await node_assert_1.strict.rejects(wrong.request('GET', '/healthz'), /self-signed|unable to verify|certificate/i);
        wrong.close();
    });
});
//# sourceMappingURL=cert.test.js.map