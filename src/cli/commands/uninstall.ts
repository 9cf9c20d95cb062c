import type { Command } from 'commander';
import { runUninstall } from '../../setup/uninstall';
import { dataDirOf } from '../options';

/** `pwbridge uninstall [--dry-run]`: undo what install recorded in <data dir>/install.json; keeps the data dir. */
export function registerUninstall(program: Command): void {
  program
    .command('uninstall')
    .description('undo what install did (from <data dir>/install.json): stop the service, restore the PAM file, remove the unit and the module; the data dir is kept')
    .option('--dry-run', 'print every change it would make, and make none', false)
    .action(async (o: { dryRun: boolean }, cmd: Command) => {
      const code = await runUninstall({
        dataDir: dataDirOf(cmd),
        dryRun: o.dryRun,
        uid: process.getuid?.(),
        out: (line) => process.stdout.write(`${line}\n`),
      });
      if (code !== 0) process.exitCode = code;
    });
}
