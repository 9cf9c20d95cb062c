"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerRun = registerRun;
const config_1 = require("../../config/config");
const socket_listener_1 = require("../../channel/socket-listener");
const paths_1 = require("../../config/paths");
const platform_1 = require("../../platform");
const bridge_1 = require("../../service/bridge");
const data_file_check_1 = require("../../service/data-file-check");
const install_1 = require("../../service/install");
const errors_1 = require("../errors");
const options_1 = require("../options");
/** `pwbridge run`: the service in the foreground until SIGINT/SIGTERM. */
function registerRun(program) {
    program
        .command('run')
        .description('run the service in the foreground')
        .option('--client <name>', 'the vault client this machine serves (default: config, else the embedded "local")')
        .option('--windows-service', 'run under the Windows service control manager (what pwbridge install configures on Windows)', false)
        .action(async (o, cmd) => {
        const config = (0, config_1.loadConfig)((0, options_1.dataDirOf)(cmd), { client: o.client });
        if (o.windowsService) {
            await runWindowsService(config);
            return;
        }
        const { install, bridge: b } = await startService(config, { stdoutLog: process.stdout.isTTY === true });
        process.stderr.write(`pwbridge: serving ${b.socketPath} for client "${config.client}" (data dir ${config.dataDir}); Ctrl-C stops\n`);
        await new Promise((resolve) => {
            const stop = () => resolve();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
        });
        await b.stop();
        await install.close();
    });
}
/**
 * Open the install and start the bridge, for the console and the Windows service alike. A second service
 * on the same data dir is refused before anything is opened; the process is made non-dumpable before any
 * key is read; a bridge that fails to start closes the install.
 */
async function startService(config, opts) {
    await (0, socket_listener_1.refuseIfServed)(config.socketPath);
    // Before the install (and so any key) is opened, or any data file read.
    (0, platform_1.hardenServiceProcess)();
    // A damaged state.db or vault.db stops the start here, named, rather than somewhere mid-write later.
    (0, data_file_check_1.checkDataFiles)((0, paths_1.dataPaths)(config.dataDir), !config.hub);
    const install = await (0, install_1.openInstall)(config, { ...opts, servesCapture: true });
    try {
        return { install, bridge: await (0, bridge_1.startBridge)(install) };
    }
    catch (err) {
        await install.close();
        throw err;
    }
}
/** The same service, started and stopped by the Windows service control manager instead of a console. */
async function runWindowsService(config) {
    if (process.platform !== 'win32')
        throw new errors_1.UsageError('--windows-service: only on Windows');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { runAsWindowsService } = require('../../platform/windows/service-host');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { loadWin32 } = require('../../platform/windows/binding');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { SERVICE_NAME } = require('../../platform/windows/places');
    let logError = (m) => { process.stderr.write(`pwbridge: ${m}\n`); };
    await runAsWindowsService(loadWin32(), SERVICE_NAME, {
        onError: (m) => logError(m),
        start: async () => {
            const { install, bridge: b } = await startService(config, {});
            logError = (m) => { install.logger.error(m); };
            return { stop: async () => { await b.stop(); await install.close(); } };
        },
    });
}
//# sourceMappingURL=run.js.map