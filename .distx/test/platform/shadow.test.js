"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const shadow_1 = require("../../src/platform/linux/shadow");
describe('platform/linux shadow parsing', () => {
    it('parses passwd entries and skips comments, blanks and NIS lines', () => {
        const r = (0, shadow_1.parsePasswd)(['# comment', '', '   ', 'root:x:0:0:root:/root:/bin/bash', '+@netgroup', 'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\r', ''].join('\n'));
        node_assert_1.strict.equal(r.malformed, 0);
        node_assert_1.strict.deepEqual(r.entries.map((e) => [e.name, e.uid, e.gid, e.shell]), [
            ['root', 0, 0, '/bin/bash'],
            ['alice', 1000, 1000, '/bin/bash'],
        ]);
    });
    it('counts malformed passwd lines and reports their numbers', () => {
        const text = [
            'ok:x:1000:1000::/h:/s',
            'short:x:1000',
            'toolong:x:1:1:g:/h:/s:extra',
            'baduid:x:-1:1::/h:/s',
            'hexuid:x:0x10:1::/h:/s',
            'huge:x:4294967296:1::/h:/s',
            ':x:1:1::/h:/s',
            'sp ace:x:1:1::/h:/s',
        ].join('\n');
        const r = (0, shadow_1.parsePasswd)(text);
        node_assert_1.strict.deepEqual(r.entries.map((e) => e.name), ['ok']);
        node_assert_1.strict.equal(r.malformed, 7);
        node_assert_1.strict.deepEqual(r.malformedLines, [2, 3, 4, 5, 6, 7, 8]);
    });
    it('parses shadow entries: hash, lastchg in ms, empty lastchg', () => {
        const r = (0, shadow_1.parseShadow)(['alice:$6$salt$abc:19000:0:99999:7:::', 'bob:!:::::::', 'carol:*:0:::::: ', 'dave::19500::::::'].join('\n'));
        // carol has a trailing space in the reserved field: still 9 fields, reserved is free text.
        node_assert_1.strict.equal(r.malformed, 0);
        const byName = Object.fromEntries(r.entries.map((e) => [e.name, e]));
        node_assert_1.strict.equal(byName.alice.hash, '$6$salt$abc');
        node_assert_1.strict.equal(byName.alice.lastChangedMs, 19000 * 86_400_000);
        node_assert_1.strict.equal(byName.bob.lastChangedMs, undefined);
        node_assert_1.strict.equal(byName.bob.lastchgField, '');
        node_assert_1.strict.equal(byName.carol.lastChangedMs, 0);
        node_assert_1.strict.equal(byName.dave.hash, '');
    });
    it('counts malformed shadow lines without echoing their content, first duplicate wins', () => {
        const r = (0, shadow_1.parseShadow)([
            'a:$6$x$y:19000:0:99999:7:::', // ok
            'b:$6$x$y:19000', // too few fields
            'c:$6$x$y:day:0:99999:7:::', // non-numeric lastchg
            'd:$6$x$y:19000:0:99999:7::::', // too many fields
            'a:$6$other:19001:0:99999:7:::', // duplicate
            '#e:$6$x$y:19000:0:99999:7:::',
        ].join('\n'));
        node_assert_1.strict.deepEqual(r.entries.map((e) => e.name), ['a']);
        node_assert_1.strict.equal(r.entries[0].hash, '$6$x$y');
        node_assert_1.strict.equal(r.malformed, 3);
        node_assert_1.strict.deepEqual(r.malformedLines, [2, 3, 4]);
        node_assert_1.strict.deepEqual(r.duplicates, ['a']);
    });
    it('reads a generated 10,000-line shadow file in one pass', async () => {
        const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'pwbt-shadow-'));
        try {
            const lines = [];
            for (let i = 0; i < 10_000; i++)
                lines.push(`user${i}:$6$s${i}$${'x'.repeat(86)}:${19000 + (i % 500)}:0:99999:7:::`);
            lines.splice(5000, 0, 'broken line without colons');
            (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, 'shadow'), lines.join('\n') + '\n');
            const r = await (0, shadow_1.readShadow)((0, node_path_1.join)(dir, 'shadow'));
            node_assert_1.strict.equal(r.entries.length, 10_000);
            node_assert_1.strict.equal(r.malformed, 1);
            node_assert_1.strict.deepEqual(r.malformedLines, [5001]);
        }
        finally {
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=shadow.test.js.map