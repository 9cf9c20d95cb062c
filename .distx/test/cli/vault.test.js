"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const open_1 = require("../../src/service/open");
const cli_1 = require("./cli");
describe('pwbridge vault (CLI, real child process)', function () {
    this.timeout(120_000);
    let dir;
    let cleanup;
    const canary = `canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
    const canary2 = `canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
    const run = (args, stdin) => (0, cli_1.runCli)(args, { dataDir: dir, stdin });
    let firstOutput = 0;
    before(async () => {
        firstOutput = cli_1.transcript.length;
        ({ dir, cleanup } = (0, cli_1.tempDataDir)());
        (0, cli_1.assertExit)(await run(['vault', 'client', 'add', 'Acme', '--windows-sync', '--auto-create', '--default-mode', 'change']), 0, 'client add Acme');
        (0, cli_1.assertExit)(await run(['vault', 'client', 'add', 'Beta']), 0, 'client add Beta');
        const add = await run(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'HOST\\bob', '--mode', 'report'], `${canary}\n`);
        (0, cli_1.assertExit)(add, 0, 'cred add');
        node_assert_1.strict.match(add.stdout, /credential \d+ "HOST\\bob" added to "Acme" \(version 1\)/);
    });
    after(() => cleanup?.());
    /** What a refusal must leave exactly as it was. */
    async function snapshot() {
        const parts = [];
        for (const args of [['vault', 'client', 'list', '--json'], ['vault', 'cred', 'list', '--client', 'Acme', '--json'], ['vault', 'cred', 'list', '--client', 'Beta', '--json']]) {
            const r = await run(args);
            (0, cli_1.assertExit)(r, 0, args.join(' '));
            parts.push(r.stdout);
        }
        return parts.join('\n--\n');
    }
    it('client list: text shows each client with its switches', async () => {
        const r = await run(['vault', 'client', 'list']);
        (0, cli_1.assertExit)(r, 0, 'client list');
        const lines = r.stdout.trimEnd().split('\n');
        node_assert_1.strict.equal(lines.length, 2, r.stdout);
        node_assert_1.strict.match(r.stdout, /^Acme {2}windows-sync=on two-way-sync=off auto-create=on default-mode=change agents-write-shared=off$/m);
        // Beta was added with no options: the defaults, Change Password among them.
        node_assert_1.strict.match(r.stdout, /^Beta {2}windows-sync=off two-way-sync=off auto-create=off default-mode=change agents-write-shared=off$/m);
    });
    it('client list --json: one parsable object per line, with the switches given at add', async () => {
        const rows = (0, cli_1.jsonLines)(await run(['vault', 'client', 'list', '--json']));
        node_assert_1.strict.deepEqual(rows.map((r) => r.name).sort(), ['Acme', 'Beta']);
        const acme = rows.find((r) => r.name === 'Acme');
        node_assert_1.strict.deepEqual({ ...acme }, { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: true, defaultMode: 'change', agentsWriteShared: false });
    });
    it('client add keeps an explicit --default-mode report and --agents-write-shared; client delete removes an empty client', async () => {
        (0, cli_1.assertExit)(await run(['vault', 'client', 'add', 'Delta', '--default-mode', 'report', '--agents-write-shared']), 0, 'client add Delta');
        const delta = (0, cli_1.jsonLines)(await run(['vault', 'client', 'list', '--json'])).find((r) => r.name === 'Delta');
        node_assert_1.strict.deepEqual([delta?.defaultMode, delta?.agentsWriteShared], ['report', true]);
        const del = await run(['vault', 'client', 'delete', 'delta']);
        (0, cli_1.assertExit)(del, 0, 'client delete delta');
        node_assert_1.strict.match(del.stdout, /client "delta" deleted/);
        node_assert_1.strict.deepEqual((0, cli_1.jsonLines)(await run(['vault', 'client', 'list', '--json'])).map((r) => r.name).sort(), ['Acme', 'Beta']);
    });
    it('client set changes the options given and prints the client; the name stays', async () => {
        const r = await run(['vault', 'client', 'set', 'beta', '--two-way-sync', 'on', '--default-mode', 'report', '--agents-write-shared', 'on']);
        (0, cli_1.assertExit)(r, 0, 'client set beta');
        node_assert_1.strict.match(r.stdout, /^Beta {2}windows-sync=off two-way-sync=on auto-create=off default-mode=report agents-write-shared=on$/m);
        const back = await run(['vault', 'client', 'set', 'Beta', '--two-way-sync', 'off', '--default-mode', 'change', '--agents-write-shared', 'off']);
        (0, cli_1.assertExit)(back, 0, 'client set Beta back');
        node_assert_1.strict.match(back.stdout, /^Beta {2}windows-sync=off two-way-sync=off auto-create=off default-mode=change agents-write-shared=off$/m);
    });
    it('client delete of a client that has credentials is refused (exit 1), saying how many, and nothing changes', async () => {
        const before = await snapshot();
        const r = await run(['vault', 'client', 'delete', 'Acme']);
        (0, cli_1.assertExit)(r, 1, 'client delete Acme');
        node_assert_1.strict.match(r.stderr, /client "Acme" is not empty: it still has 1 credential, 0 machines; only an empty client can be deleted/);
        node_assert_1.strict.equal(await snapshot(), before);
    });
    it('a duplicate client is refused with exit 2, naming it, and nothing changes', async () => {
        const before = await snapshot();
        const r = await run(['vault', 'client', 'add', 'Acme', '--two-way-sync']);
        (0, cli_1.assertRefused)(r, 'duplicate client', /"Acme"/, /already exists/);
        node_assert_1.strict.equal(await snapshot(), before);
    });
    it('cred list --json: flags and version, and no password field', async () => {
        const r = await run(['vault', 'cred', 'list', '--client', 'Acme', '--json']);
        const rows = (0, cli_1.jsonLines)(r);
        node_assert_1.strict.equal(rows.length, 1);
        const c = rows[0];
        node_assert_1.strict.equal(c.username, 'HOST\\bob');
        node_assert_1.strict.equal(c.client, 'Acme');
        node_assert_1.strict.equal(c.mode, 'report');
        node_assert_1.strict.equal(c.windowsSync, true, 'the default --sync is on');
        node_assert_1.strict.equal(c.version, 1);
        node_assert_1.strict.deepEqual(c.flags, []);
        for (const key of Object.keys(c))
            node_assert_1.strict.doesNotMatch(key, /^(password|secret|sealed|ciphertext|key)$/i, `cred list --json has field ${key}`);
        node_assert_1.strict.equal((0, cli_1.findSecret)(r.stdoutBytes, canary), undefined);
    });
    it('cred list (text) shows flags and version', async () => {
        const r = await run(['vault', 'cred', 'list', '--client', 'Acme']);
        (0, cli_1.assertExit)(r, 0, 'cred list');
        node_assert_1.strict.match(r.stdout, /^ +\d+ {2}HOST\\bob {2}mode=report sync=on version=1 flags=-$/m);
    });
    it('cred set --mode/--sync changes them without a version bump; --password-stdin bumps the version', async () => {
        const id = (0, cli_1.jsonLines)(await run(['vault', 'cred', 'list', '--client', 'Acme', '--json']))[0].id;
        const s1 = await run(['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob', '--mode', 'change', '--sync', 'off']);
        (0, cli_1.assertExit)(s1, 0, 'cred set --mode --sync');
        node_assert_1.strict.match(s1.stdout, /mode=change sync=off version=1/);
        let c = (0, cli_1.jsonLines)(await run(['vault', 'cred', 'list', '--client', 'Acme', '--json']))[0];
        node_assert_1.strict.deepEqual([c.id, c.mode, c.windowsSync, c.version], [id, 'change', false, 1]);
        const s2 = await run(['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob', '--password-stdin'], `${canary2}\r\n`);
        (0, cli_1.assertExit)(s2, 0, 'cred set --password-stdin');
        node_assert_1.strict.match(s2.stdout, /version=2/);
        c = (0, cli_1.jsonLines)(await run(['vault', 'cred', 'list', '--client', 'Acme', '--json']))[0];
        node_assert_1.strict.deepEqual([c.id, c.mode, c.windowsSync, c.version], [id, 'change', false, 2], 'only the password changed');
        // The vault holds exactly what was piped, less the line ending.
        const v = await (0, open_1.openVaultAt)(dir);
        try {
            node_assert_1.strict.equal((await v.readPassword(id)).toString('utf8'), canary2);
        }
        finally {
            await v.close();
        }
        const s3 = await run(['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob', '--sync', 'on']);
        (0, cli_1.assertExit)(s3, 0, 'cred set --sync on');
        c = (0, cli_1.jsonLines)(await run(['vault', 'cred', 'list', '--client', 'Acme', '--json']))[0];
        node_assert_1.strict.deepEqual([c.windowsSync, c.version], [true, 2]);
    });
    describe('refusals: exit 2, a message naming the flag, and nothing changed', () => {
        const cases = [
            { name: 'cred add --mode bogus', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'carol', '--mode', 'bogus'], stdin: 'pw-x\n', patterns: [/--mode/, /"bogus"/, /report/, /change/] },
            { name: 'cred set --mode bogus', args: ['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob', '--mode', 'bogus'], patterns: [/--mode/, /"bogus"/] },
            { name: 'client add --default-mode bogus', args: ['vault', 'client', 'add', 'Gamma', '--default-mode', 'bogus'], patterns: [/--default-mode/, /"bogus"/] },
            { name: 'cred add --sync maybe', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'carol', '--mode', 'report', '--sync', 'maybe'], stdin: 'pw-x\n', patterns: [/--sync/, /"maybe"/, /on or off/] },
            { name: 'cred set --sync maybe', args: ['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob', '--sync', 'maybe'], patterns: [/--sync/, /"maybe"/] },
            { name: 'cred add without --client', args: ['vault', 'cred', 'add', '--user', 'carol', '--mode', 'report'], stdin: 'pw-x\n', patterns: [/--client/] },
            { name: 'cred list without --client', args: ['vault', 'cred', 'list', '--json'], patterns: [/--client/] },
            { name: 'cred add to an unknown client', args: ['vault', 'cred', 'add', '--client', 'Nope', '--user', 'carol', '--mode', 'report'], stdin: 'pw-x\n', patterns: [/"Nope"/, /does not exist/, /vault client add/] },
            { name: 'cred list of an unknown client', args: ['vault', 'cred', 'list', '--client', 'Nope'], patterns: [/"Nope"/, /does not exist/] },
            { name: 'cred set of an unknown credential', args: ['vault', 'cred', 'set', '--client', 'Acme', '--user', 'nobody', '--mode', 'change'], patterns: [/"nobody"/, /does not exist/] },
            { name: 'an unknown command', args: ['vault', 'frobnicate'], patterns: [/unknown command/, /frobnicate/] },
            { name: 'an unknown top-level command', args: ['frobnicate'], patterns: [/unknown command/, /frobnicate/] },
            { name: 'cred add with an empty stdin', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'carol', '--mode', 'report'], stdin: '', patterns: [/stdin held no password/] },
            { name: 'cred add with only a newline on stdin', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'carol', '--mode', 'report'], stdin: '\n', patterns: [/stdin held no password/] },
            { name: 'cred set --password-stdin with an empty stdin', args: ['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob', '--password-stdin'], stdin: '', patterns: [/stdin held no password/] },
            { name: 'cred add with a password over 1024 bytes', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'carol', '--mode', 'report'], stdin: `${'x'.repeat(1025)}\n`, patterns: [/longer than 1024 bytes/] },
            { name: 'cred add with a password that is not UTF-8', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'carol', '--mode', 'report'], stdin: Buffer.from([0x70, 0x77, 0xff, 0xfe, 0x0a]), patterns: [/not valid UTF-8/] },
            { name: 'cred add of an existing credential', args: ['vault', 'cred', 'add', '--client', 'Acme', '--user', 'HOST\\bob', '--mode', 'report'], stdin: 'pw-x\n', patterns: [/"HOST\\bob"/, /already exists/, /cred set/] },
            { name: 'cred set with nothing to change', args: ['vault', 'cred', 'set', '--client', 'Acme', '--user', 'HOST\\bob'], patterns: [/nothing to change/, /--mode/, /--sync/, /--password-stdin/] },
            { name: 'client add with an empty name', args: ['vault', 'client', 'add', ''], patterns: [/NAME/, /required/] },
            { name: 'client set with nothing to change', args: ['vault', 'client', 'set', 'Acme'], patterns: [/nothing to change/, /--default-mode/, /--agents-write-shared/] },
            { name: 'client set --two-way-sync maybe', args: ['vault', 'client', 'set', 'Acme', '--two-way-sync', 'maybe'], patterns: [/--two-way-sync/, /"maybe"/] },
            { name: 'client set --default-mode bogus', args: ['vault', 'client', 'set', 'Acme', '--default-mode', 'bogus'], patterns: [/--default-mode/, /"bogus"/] },
            { name: 'client set of an unknown client', args: ['vault', 'client', 'set', 'Nope', '--windows-sync', 'on'], patterns: [/"Nope"/, /does not exist/] },
            { name: 'client delete of an unknown client', args: ['vault', 'client', 'delete', 'Nope'], patterns: [/"Nope"/, /does not exist/] },
        ];
        for (const t of cases) {
            it(t.name, async () => {
                const before = await snapshot();
                const r = await run(t.args, t.stdin);
                (0, cli_1.assertRefused)(r, t.name, ...t.patterns);
                node_assert_1.strict.equal(await snapshot(), before, `${t.name} changed the vault`);
            });
        }
        it('a refusal before the vault is opened leaves a fresh data dir empty', async () => {
            const fresh = (0, cli_1.tempDataDir)();
            try {
                const r = await (0, cli_1.runCli)(['vault', 'cred', 'add', '--client', 'Acme', '--user', 'x', '--mode', 'bogus'], { dataDir: fresh.dir, stdin: 'pw\n' });
                (0, cli_1.assertRefused)(r, '--mode bogus on a fresh dir', /--mode/);
                node_assert_1.strict.deepEqual((0, cli_1.listing)(fresh.dir), []);
            }
            finally {
                fresh.cleanup();
            }
        });
    });
    describe('finally', () => {
        it('no command output ever held a password', () => {
            const outputs = cli_1.transcript.slice(firstOutput);
            node_assert_1.strict.ok(outputs.length > 20, `only ${outputs.length} commands ran`);
            for (const r of outputs) {
                for (const c of [canary, canary2]) {
                    node_assert_1.strict.equal((0, cli_1.findSecret)(r.stdoutBytes, c), undefined, `stdout holds the password:\n${r.stdout}`);
                    node_assert_1.strict.equal((0, cli_1.findSecret)(r.stderrBytes, c), undefined, `stderr holds the password:\n${r.stderr}`);
                }
            }
        });
    });
});
//# sourceMappingURL=vault.test.js.map