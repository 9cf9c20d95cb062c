"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const crypt_1 = require("../../src/platform/linux/crypt");
/** A sha512crypt hash made by openssl (independent of the code under test). Password via stdin. */
function opensslHash(password, salt = 'pwbtsalt') {
    return (0, node_child_process_1.execFileSync)('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: Buffer.concat([password, Buffer.from('\n')]) })
        .toString()
        .trim();
}
describe('platform/linux crypt', () => {
    const right = Buffer.from('correct horse $battery ✓', 'utf8');
    let hash;
    before(() => {
        hash = opensslHash(right);
    });
    it('loads libcrypt with crypt_r and the libxcrypt struct size', () => {
        const c = (0, crypt_1.loadCrypt)();
        node_assert_1.strict.ok(c.cryptR, 'crypt_r bound');
        node_assert_1.strict.equal(c.dataSize, 32768);
    });
    it('lists every path it tried when no libcrypt loads', () => {
        node_assert_1.strict.throws(() => (0, crypt_1.openCrypt)(['/nonexistent/libcrypt-a.so', 'libcrypt-not-here.so.9']), (e) => {
            return /nonexistent\/libcrypt-a\.so/.test(e.message) && /libcrypt-not-here\.so\.9/.test(e.message);
        });
    });
    it('verifies the right password and rejects a wrong one (sync and async)', async () => {
        node_assert_1.strict.equal((0, crypt_1.verifyCrypt)(right, hash), true);
        node_assert_1.strict.equal((0, crypt_1.verifyCrypt)(Buffer.from('correct horse $battery'), hash), false);
        node_assert_1.strict.equal(await (0, crypt_1.verifyCryptAsync)(right, hash), true);
        node_assert_1.strict.equal(await (0, crypt_1.verifyCryptAsync)(Buffer.from('nope'), hash), false);
    });
    it('does not modify the caller\'s buffer', () => {
        const copy = Buffer.from(right);
        (0, crypt_1.verifyCrypt)(right, hash);
        node_assert_1.strict.deepEqual(right, copy);
    });
    it('treats a password with a NUL byte as not matching, even if the prefix matches', async () => {
        const withNul = Buffer.concat([right, Buffer.from([0]), Buffer.from('tail')]);
        node_assert_1.strict.equal((0, crypt_1.verifyCrypt)(withNul, hash), false);
        node_assert_1.strict.equal(await (0, crypt_1.verifyCryptAsync)(withNul, hash), false);
    });
    it('rejects locked, starred, empty and garbage hashes', async () => {
        for (const h of [`!${hash}`, '!', '*', '!*', '', '$6$', 'garbage']) {
            node_assert_1.strict.equal((0, crypt_1.verifyCrypt)(right, h), false, `hash ${h.slice(0, 4)}…`);
            node_assert_1.strict.equal(await (0, crypt_1.verifyCryptAsync)(right, h), false, `async hash ${h.slice(0, 4)}…`);
        }
    });
    it('verifies the system\'s default scheme (yescrypt) via a real chpasswd-made hash when available', function () {
        // openssl cannot make yescrypt; libcrypt itself hashes a fixed setting (skip if unsupported).
        const yes = '$y$j9T$abcdefghijklmnopqrstu.$';
        const c = (0, crypt_1.loadCrypt)();
        const data = Buffer.alloc(c.dataSize);
        c.cryptR(Buffer.from('pw\0'), Buffer.from(yes + '\0'), data);
        const full = data.subarray(0, data.indexOf(0)).toString();
        if (!full.startsWith('$y$'))
            this.skip();
        node_assert_1.strict.equal((0, crypt_1.verifyCrypt)(Buffer.from('pw'), full), true);
        node_assert_1.strict.equal((0, crypt_1.verifyCrypt)(Buffer.from('pW'), full), false);
    });
    it('runs concurrent async verifications without mixing buffers', async () => {
        const other = Buffer.from('other password');
        const otherHash = opensslHash(other, 'othersal');
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? (0, crypt_1.verifyCryptAsync)(right, hash) : (0, crypt_1.verifyCryptAsync)(other, otherHash))));
        node_assert_1.strict.ok(results.every((r) => r === true));
        const crossed = await Promise.all([(0, crypt_1.verifyCryptAsync)(right, otherHash), (0, crypt_1.verifyCryptAsync)(other, hash)]);
        node_assert_1.strict.deepEqual(crossed, [false, false]);
    });
});
//# sourceMappingURL=crypt.test.js.map