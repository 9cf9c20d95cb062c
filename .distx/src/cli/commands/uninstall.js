"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerUninstall = registerUninstall;
const system_1 = require("../../platform/windows/system");
const uninstall_1 = require("../../setup/uninstall");
const windows_uninstall_1 = require("../../setup/windows-uninstall");
const options_1 = require("../options");
/** `pwbridge uninstall [--dry-run]`: undo what install recorded in <data dir>/install.json; keeps the data dir. */
function registerUninstall(program) {
    program
        .command('uninstall')
        .description('undo what install did (from <data dir>/install.json): stop the service, restore the PAM file or Notification Packages, remove the unit, module, service account; the data dir is kept')
        .option('--dry-run', 'print every change it would make, and make none', false)
        .action(async (o, cmd) => {
        if (process.platform === 'win32') {
            const code = await (0, windows_uninstall_1.runWindowsUninstall)({ dataDir: (0, options_1.dataDirOf)(cmd), dryRun: o.dryRun, out: (line) => process.stdout.write(`${line}\n`), system: (0, system_1.realWindowsSystem)() });
            if (code !== 0)
                process.exitCode = code;
            return;
        }
        const code = await (0, uninstall_1.runUninstall)({
            dataDir: (0, options_1.dataDirOf)(cmd),
            dryRun: o.dryRun,
            uid: process.getuid?.(),
            out: (line) => process.stdout.write(`${line}\n`),
        });
        if (code !== 0)
            process.exitCode = code;
    });
}
//# sourceMappingURL=uninstall.js.map