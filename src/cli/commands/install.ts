import type { Command } from 'commander';
import { runInstall } from '../../setup/install';
import { dataDirOf } from '../options';

/** `pwbridge install [--dry-run]`: PAM module, data dir and keys, the PAM line, the unit, the service (Linux, root). */
export function registerInstall(program: Command): void {
  program
    .command('install')
    .description('install on this machine (Linux, as root): the PAM module, keys, the line in common-password, the systemd unit, and start the service')
    .option('--dry-run', 'print every change it would make, and make none (works without root)', false)
    .option('--module <path>', 'the built pam_pwbridge.so (default: native/build/pam/pam_pwbridge.so in this checkout)')
    .option('--security-dir <dir>', 'where PAM modules live (default: the directory holding pam_unix.so)')
    .option('--pam-dir <dir>', 'the pam.d directory (default: config pamDir, /etc/pam.d)')
    .option('--unit-dir <dir>', 'where the systemd unit goes (default: /etc/systemd/system)')
    .option('--no-start', 'do not start the service')
    .action(async (o: { dryRun: boolean; module?: string; securityDir?: string; pamDir?: string; unitDir?: string; start: boolean }, cmd: Command) => {
      const code = await runInstall({
        dataDir: dataDirOf(cmd),
        dryRun: o.dryRun,
        start: o.start,
        module: o.module,
        securityDir: o.securityDir,
        pamDir: o.pamDir,
        unitDir: o.unitDir,
        uid: process.getuid?.(),
        out: (line) => process.stdout.write(`${line}\n`),
      });
      if (code !== 0) process.exitCode = code;
    });
}
