"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerReconcile = registerReconcile;
const config_1 = require("../../config/config");
const install_1 = require("../../service/install");
const reconcile_1 = require("../../reconcile");
const errors_1 = require("../errors");
const options_1 = require("../options");
/** `pwbridge reconcile --once`: one pass in this process, printing what it found and did. */
function registerReconcile(program) {
    program
        .command('reconcile')
        .description('compare the vault with the local accounts and apply each credential\'s mode')
        .option('--once', 'one pass, then exit (the service runs it on its interval)', false)
        .option('--json', 'the report as one JSON object', false)
        .option('--client <name>', 'the vault client this machine serves')
        .action(async (o, cmd) => {
        if (!o.once)
            throw new errors_1.UsageError('reconcile: give --once (the service itself reconciles on its interval)');
        const config = (0, config_1.loadConfig)((0, options_1.dataDirOf)(cmd), { client: o.client });
        const install = await (0, install_1.openInstall)(config);
        try {
            const { deps, opts } = (0, install_1.reconcileSetup)(install);
            const report = await (0, reconcile_1.reconcileOnce)(deps, opts);
            // A pass that could not run (inputs unreadable, another pass holding the lease) failed too.
            if (report.failed > 0 || /^(could not|another reconcile)/.test(report.reason ?? ''))
                process.exitCode = 1;
            if (o.json) {
                process.stdout.write(`${JSON.stringify(report)}\n`);
                return;
            }
            if (report.reason)
                process.stdout.write(`nothing reconciled: ${report.reason}\n`);
            for (const i of report.items)
                process.stdout.write(`${i.action.padEnd(16)} ${i.username}${i.account ? ` (local ${i.account})` : ''}\n`);
            process.stdout.write(`${report.checked} checked, ${report.unchanged} unchanged, ${report.matched} matched, ${report.flagged} flagged, ${report.cleared} cleared, ${report.set} set, ${report.failed} failed, ${report.skipped} skipped in ${report.durationMs} ms\n`);
        }
        finally {
            await install.close();
        }
    });
}
//# sourceMappingURL=reconcile.js.map