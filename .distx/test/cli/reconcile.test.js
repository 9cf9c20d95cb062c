"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const tmp_1 = require("../helpers/tmp");
const cli_1 = require("./cli");
const COUNTS = ['checked', 'unchanged', 'matched', 'flagged', 'cleared', 'set', 'failed', 'skipped'];
describe('pwbridge reconcile (CLI, real child process)', function () {
    this.timeout(60_000);
    let dir;
    let cleanup;
    let pam;
    const cli = (args) => (0, cli_1.runCli)(args, { dataDir: dir });
    beforeEach(() => {
        pam = (0, tmp_1.makeTempDir)('pwbridge-cli-pam-');
        ({ dir, cleanup } = (0, cli_1.tempDataDir)({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: pam.dir }));
    });
    afterEach(() => {
        cleanup();
        pam.cleanup();
    });
    it('--once --json on a client with no credentials: exit 0, one JSON report with zero counts', async () => {
        const r = await cli(['reconcile', '--once', '--json']);
        (0, cli_1.assertExit)(r, 0, 'reconcile --once --json');
        const rows = (0, cli_1.jsonLines)(r);
        node_assert_1.strict.equal(rows.length, 1, r.stdout);
        const rep = rows[0];
        for (const k of COUNTS)
            node_assert_1.strict.equal(rep[k], 0, `${k} in ${r.stdout}`);
        node_assert_1.strict.deepEqual(rep.items, []);
        node_assert_1.strict.equal(typeof rep.durationMs, 'number');
        // The pass is remembered for `status`.
        const s = (0, cli_1.jsonLines)(await cli(['status', '--json']))[0];
        node_assert_1.strict.ok(s.lastReconcile, 'status has no lastReconcile');
        node_assert_1.strict.equal(s.lastReconcile.checked, 0);
        node_assert_1.strict.ok(Math.abs(s.lastReconcile.at - Date.now()) < 60_000);
    });
    it('--once (text) prints the summary line', async () => {
        const r = await cli(['reconcile', '--once']);
        (0, cli_1.assertExit)(r, 0, 'reconcile --once');
        node_assert_1.strict.match(r.stdout, /^0 checked, 0 unchanged, 0 matched, 0 flagged, 0 cleared, 0 set, 0 failed, 0 skipped in \d+ ms$/m);
    });
    it('--once --json --client of a client with Windows Sync off: exit 0, the report says why nothing ran', async () => {
        (0, cli_1.assertExit)(await cli(['vault', 'client', 'add', 'Quiet']), 0, 'client add');
        const r = await cli(['reconcile', '--once', '--json', '--client', 'Quiet']);
        (0, cli_1.assertExit)(r, 0, 'reconcile --client Quiet');
        const rep = (0, cli_1.jsonLines)(r)[0];
        node_assert_1.strict.equal(rep.checked, 0);
        node_assert_1.strict.match(rep.reason ?? '', /windows sync/i);
    });
    it('--once --client of an unknown client: exit 2, with the command that adds it', async () => {
        const r = await cli(['reconcile', '--once', '--json', '--client', 'Ghost']);
        (0, cli_1.assertRefused)(r, 'reconcile --client Ghost', /"Ghost" does not exist/, /vault client add "Ghost"/);
    });
    it('without --once: exit 2 naming --once, and the data dir is untouched', async () => {
        const before = (0, cli_1.listing)(dir);
        const r = await cli(['reconcile', '--json']);
        (0, cli_1.assertRefused)(r, 'reconcile without --once', /--once/);
        node_assert_1.strict.deepEqual((0, cli_1.listing)(dir), before);
    });
});
//# sourceMappingURL=reconcile.test.js.map