"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hubTlsOptions = exports.HUB_TLS12_CIPHERS = exports.HUB_TLS_MIN_VERSION = void 0;
/**
 * What the hub's TLS server offers. TLS 1.2 and 1.3 only; on TLS 1.2, ECDHE key exchange with AEAD
 * ciphers only (AES-GCM, ChaCha20-Poly1305): forward secrecy, and none of the CBC suites (MAC-then-encrypt,
 * the Lucky 13 family, SHA-1) that Node's default list still allows through its "HIGH" entry. Both
 * ECDSA (the self-signed certificate, P-256) and RSA (an admin's own certificate) are listed.
 * TLS 1.3's suites are left as Node has them: all AEAD, and the string names none (a name with TLS_
 * would replace Node's TLS 1.3 list).
 */
exports.HUB_TLS_MIN_VERSION = 'TLSv1.2';
exports.HUB_TLS12_CIPHERS = [
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');
exports.hubTlsOptions = { minVersion: exports.HUB_TLS_MIN_VERSION, ciphers: exports.HUB_TLS12_CIPHERS, honorCipherOrder: true };
//# sourceMappingURL=tls-policy.js.map