import type { Command } from 'commander';
import { realWindowsSystem } from '../../platform/windows/system';
import { runUninstall } from '../../setup/uninstall';
import { runWindowsUninstall } from '../../setup/windows-uninstall';
import { dataDirOf } from '../options';

/** `pwbridge uninstall [--dry-run]`: undo what install recorded in <data dir>/install.json; keeps the data dir. */
export function registerUninstall(program: Command): void {
  program
    .command('uninstall')
    .description('undo what install did (from <data dir>/install.json): stop the service, restore the PAM file or Notification Packages, remove the unit, module, service account; the data dir is kept')
    .option('--dry-run', 'print every change it would make, and make none', false)
    .action(async (o: { dryRun: boolean }, cmd: Command) => {
      if (process.platform === 'win32') {
        const code = await runWindowsUninstall({ dataDir: dataDirOf(cmd), dryRun: o.dryRun, out: (line) => process.stdout.write(`${line}\n`), system: realWindowsSystem() });
        if (code !== 0) process.exitCode = code;
        return;
      }
      const code = await runUninstall({
        dataDir: dataDirOf(cmd),
        dryRun: o.dryRun,
        uid: process.getuid?.(),
        out: (line) => process.stdout.write(`${line}\n`),
      });
      if (code !== 0) process.exitCode = code;
    });
}
