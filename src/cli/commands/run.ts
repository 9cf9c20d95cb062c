import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { refuseIfServed } from '../../channel/socket-listener';
import { dataPaths } from '../../config/paths';
import { hardenServiceProcess } from '../../platform';
import { startBridge } from '../../service/bridge';
import { checkDataFiles } from '../../service/data-file-check';
import { openInstall } from '../../service/install';
import { UsageError } from '../errors';
import { dataDirOf } from '../options';

/** `pwbridge run`: the service in the foreground until SIGINT/SIGTERM. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the service in the foreground')
    .option('--client <name>', 'the vault client this machine serves (default: config, else the embedded "local")')
    .option('--windows-service', 'run under the Windows service control manager (what pwbridge install configures on Windows)', false)
    .action(async (o: { client?: string; windowsService: boolean }, cmd: Command) => {
      const config = loadConfig(dataDirOf(cmd), { client: o.client });
      if (o.windowsService) {
        await runWindowsService(config);
        return;
      }
      const { install, bridge: b } = await startService(config, { stdoutLog: process.stdout.isTTY === true });
      process.stderr.write(`pwbridge: serving ${b.socketPath} for client "${config.client}" (data dir ${config.dataDir}); Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
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
async function startService(config: ReturnType<typeof loadConfig>, opts: { stdoutLog?: boolean }) {
  await refuseIfServed(config.socketPath);
  // Before the install (and so any key) is opened, or any data file read.
  hardenServiceProcess();
  // A damaged state.db or vault.db stops the start here, named, rather than somewhere mid-write later.
  checkDataFiles(dataPaths(config.dataDir), !config.hub);
  const install = await openInstall(config, { ...opts, servesCapture: true });
  try {
    return { install, bridge: await startBridge(install) };
  } catch (err) {
    await install.close();
    throw err;
  }
}

/** The same service, started and stopped by the Windows service control manager instead of a console. */
async function runWindowsService(config: ReturnType<typeof loadConfig>): Promise<void> {
  if (process.platform !== 'win32') throw new UsageError('--windows-service: only on Windows');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { runAsWindowsService } = require('../../platform/windows/service-host') as typeof import('../../platform/windows/service-host');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { loadWin32 } = require('../../platform/windows/binding') as typeof import('../../platform/windows/binding');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { SERVICE_NAME } = require('../../platform/windows/places') as typeof import('../../platform/windows/places');
  let logError = (m: string): void => { process.stderr.write(`pwbridge: ${m}\n`); };
  await runAsWindowsService(loadWin32(), SERVICE_NAME, {
    onError: (m) => logError(m),
    start: async () => {
      const { install, bridge: b } = await startService(config, {});
      logError = (m) => { install.logger.error(m); };
      return { stop: async () => { await b.stop(); await install.close(); } };
    },
  });
}
