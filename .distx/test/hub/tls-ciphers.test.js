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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// What the hub's TLS server accepts, tried with real handshakes against a real hub: on TLS 1.2 only
// ECDHE with an AEAD cipher (a client limited to a CBC + SHA-1 suite is refused), TLS 1.3 as Node has it.
// With the self-signed ECDSA certificate and with an admin's own RSA certificate.
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const tls = __importStar(require("node:tls"));
const pino_1 = __importDefault(require("pino"));
const server_1 = require("../../src/hub/server");
const hub_1 = require("../helpers/hub");
const tmp_1 = require("../helpers/tmp");
function handshake(port, opts) {
    return new Promise((resolve) => {
        // The test asks what the server agrees to, not whether it trusts the certificate (pinning is cert.test.ts's).
        const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts }, () => {
            resolve({ ok: true, protocol: s.getProtocol() ?? '?', cipher: s.getCipher().name });
            s.end();
        });
        s.on('error', (err) => resolve({ ok: false, error: err.code ?? err.message }));
    });
}
const tls12 = (ciphers) => ({ maxVersion: 'TLSv1.2', ciphers });
describe('hub TLS: ECDHE with AEAD only on TLS 1.2', function () {
    this.timeout(60_000);
    describe('self-signed ECDSA certificate', () => {
        let t;
        before(async () => { t = await (0, hub_1.startTestHub)('sqlite'); });
        after(async () => t?.close());
        for (const cbc of ['ECDHE-ECDSA-AES256-SHA', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384']) {
            it(`refuses a TLS 1.2 client limited to ${cbc} (CBC)`, async () => {
                const r = await handshake(t.hub.port, tls12(cbc));
                node_assert_1.strict.equal(r.ok, false, JSON.stringify(r));
            });
        }
        for (const aead of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305']) {
            it(`accepts a TLS 1.2 client limited to ${aead} (AEAD)`, async () => {
                node_assert_1.strict.deepEqual(await handshake(t.hub.port, tls12(aead)), { ok: true, protocol: 'TLSv1.2', cipher: aead });
            });
        }
        it('a client offering everything gets TLS 1.3; TLS 1.1 is refused', async () => {
            const r = await handshake(t.hub.port, {});
            node_assert_1.strict.ok(r.ok && r.protocol === 'TLSv1.3', JSON.stringify(r));
            const old = await handshake(t.hub.port, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
            node_assert_1.strict.equal(old.ok, false, JSON.stringify(old));
        });
    });
    describe('an admin\'s own RSA certificate', () => {
        let tmp;
        let hub;
        before(async function () {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-tls-rsa-');
            const certFile = path.join(tmp.dir, 'hub.crt');
            const keyFile = path.join(tmp.dir, 'hub.key');
            (0, node_child_process_1.execFileSync)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
                '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
            fs.chmodSync(keyFile, 0o600);
            hub = await (0, server_1.startHub)({ dataDir: tmp.dir, host: '127.0.0.1', port: 0, logger: (0, pino_1.default)({ level: 'silent' }), cert: { certFile, keyFile } });
        });
        after(async () => { await hub?.close(); tmp?.cleanup(); });
        it('refuses ECDHE-RSA-AES128-SHA and AES128-SHA (CBC), accepts ECDHE-RSA-AES128-GCM-SHA256, refuses AES128-GCM-SHA256 (no ECDHE)', async () => {
            for (const refused of ['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA', 'AES128-SHA', 'AES128-GCM-SHA256', 'DHE-RSA-AES128-GCM-SHA256']) {
                const r = await handshake(hub.port, tls12(refused));
                node_assert_1.strict.equal(r.ok, false, `${refused}: ${JSON.stringify(r)}`);
            }
            node_assert_1.strict.deepEqual(await handshake(hub.port, tls12('ECDHE-RSA-AES128-GCM-SHA256')), { ok: true, protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
        });
    });
});
//# sourceMappingURL=tls-ciphers.test.js.map