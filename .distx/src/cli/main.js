#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXIT_DATA_FILE = exports.EXIT_USAGE = void 0;
exports.buildProgram = buildProgram;
exports.main = main;
const commander_1 = require("commander");
const config_error_1 = require("../config/config-error");
const config_1 = require("../config/config");
const data_file_check_1 = require("../service/data-file-check");
const errors_1 = require("./errors");
const stdio_1 = require("./stdio");
const run_1 = require("./commands/run");
const status_1 = require("./commands/status");
const events_1 = require("./commands/events");
const reconcile_1 = require("./commands/reconcile");
const vault_1 = require("./commands/vault");
const journal_1 = require("./commands/journal");
const selftest_1 = require("./commands/selftest");
const install_1 = require("./commands/install");
const uninstall_1 = require("./commands/uninstall");
const hub_1 = require("./commands/hub");
const hub_user_1 = require("./commands/hub-user");
const setup_1 = require("./commands/setup");
/** Exit statuses: 0 done, 1 the work failed, 2 the input was refused (nothing changed), 65 a data file
 * (state.db, vault.db) is damaged: a restart cannot help, so the systemd unit does not restart on 2 or 65. */
exports.EXIT_USAGE = 2;
exports.EXIT_DATA_FILE = 65;
function buildProgram() {
    const program = new commander_1.Command('pwbridge')
        .description('Keeps local account passwords in step with a credential vault')
        .addOption(new commander_1.Option('--data-dir <dir>', 'where keys, the journal and the embedded vault live').default((0, config_1.defaultDataDir)()))
        .showHelpAfterError()
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    (0, run_1.registerRun)(program);
    (0, status_1.registerStatus)(program);
    (0, events_1.registerEvents)(program);
    (0, reconcile_1.registerReconcile)(program);
    (0, vault_1.registerVault)(program);
    (0, journal_1.registerJournal)(program);
    (0, selftest_1.registerSelftest)(program);
    (0, install_1.registerInstall)(program);
    (0, uninstall_1.registerUninstall)(program);
    (0, hub_1.registerHub)(program);
    (0, hub_user_1.registerHubUser)(program);
    (0, setup_1.registerSetup)(program);
    // commander's own errors (unknown option, missing argument) are usage errors too.
    for (const cmd of allCommands(program))
        cmd.exitOverride();
    return program;
}
function allCommands(cmd) {
    return [cmd, ...cmd.commands.flatMap(allCommands)];
}
async function main(argv) {
    (0, stdio_1.repairStdio)();
    try {
        await buildProgram().parseAsync(argv);
        return process.exitCode === undefined ? 0 : Number(process.exitCode);
    }
    catch (err) {
        if (err instanceof commander_1.CommanderError) {
            // help and version print and end "with an error" in commander; they are not failures.
            if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
                return 0;
            return exports.EXIT_USAGE;
        }
        if (err instanceof errors_1.UsageError || err instanceof config_error_1.ConfigError) {
            process.stderr.write(`pwbridge: ${err.message}\n`);
            return exports.EXIT_USAGE;
        }
        if (err instanceof data_file_check_1.DataFileError) {
            process.stderr.write(`pwbridge: ${err.message}\n`);
            return exports.EXIT_DATA_FILE;
        }
        process.stderr.write(`pwbridge: ${err.message}\n`);
        return 1;
    }
}
if (require.main === module) {
    main(process.argv).then((code) => {
        process.exitCode = code;
    });
}
//# sourceMappingURL=main.js.map