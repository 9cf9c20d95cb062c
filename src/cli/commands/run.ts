import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { refuseIfServed } from '../../channel/socket-listener';
import { startBridge } from '../../service/bridge';
import { openInstall } from '../../service/install';
import { dataDirOf } from '../options';

/** `pwbridge run`: the service in the foreground until SIGINT/SIGTERM. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the service in the foreground')
    .option('--client <name>', 'the vault client this machine serves (default: config, else the embedded "local")')
    .action(async (o: { client?: string }, cmd: Command) => {
      const config = loadConfig(dataDirOf(cmd), { client: o.client });
      // Before opening anything: a second service on the same data dir is refused without side effects.
      await refuseIfServed(config.socketPath);
      const install = await openInstall(config, { stdoutLog: process.stdout.isTTY === true });
      let bridge;
      try {
        bridge = await startBridge(install);
      } catch (err) {
        await install.close();
        throw err;
      }
      const b = bridge;
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
