import type { Command } from 'commander';
import { UsageError } from '../errors';
import { realWindowsSystem } from '../../platform/windows/system';
import { runInstall } from '../../setup/install';
import { runWindowsInstall } from '../../setup/windows-install';
import { readExistingPassword } from '../existing-password';
import { dataDirOf } from '../options';

/**
 * `pwbridge install [--dry-run]`. Linux (root): PAM module, data dir and keys, the PAM line, the unit, the
 * service. Windows (administrator): the filter DLL and its registration, the service account, the service.
 */
export function registerInstall(program: Command): void {
  program
    .command('install')
    .description('install on this machine: Linux (root): the PAM module, keys, the line in common-password, the systemd unit, the service; '
      + 'Windows (administrator): the LSA filter in System32 and Notification Packages, the service account, the Windows service')
    .option('--dry-run', 'print every change it would make, and make none (works without root)', false)
    .option('--module <path>', 'the built capture module: pam_pwbridge.so (default: native/build/pam/) or, on Windows, pwbridge_filter.dll (default: native/build-win/)')
    .option('--event-messages <file>', 'Windows: the event source\'s message DLL (default: pwbridge_messages.dll next to the filter DLL)')
    .option('--service-account <name>', 'Windows: run the service as this existing local administrator, its password read from stdin (one line) or asked '
      + 'without echo; default: create the account "pwbridge" with a random password')
    .option('--security-dir <dir>', 'where PAM modules live (default: the directory holding pam_unix.so)')
    .option('--pam-dir <dir>', 'the pam.d directory (default: config pamDir, /etc/pam.d)')
    .option('--unit-dir <dir>', 'where the systemd unit goes (default: /etc/systemd/system)')
    .option('--no-start', 'do not start the service')
    .action(async (o: { dryRun: boolean; module?: string; eventMessages?: string; serviceAccount?: string; securityDir?: string; pamDir?: string; unitDir?: string; start: boolean }, cmd: Command) => {
      if (process.platform === 'win32') {
        const code = await runWindowsInstall({
          dataDir: dataDirOf(cmd), dryRun: o.dryRun, start: o.start, module: o.module, eventMessages: o.eventMessages,
          serviceAccount: o.serviceAccount, readPassword: (account) => readExistingPassword('--service-account', account),
          out: (line) => process.stdout.write(`${line}\n`), system: realWindowsSystem(),
        });
        if (code !== 0) process.exitCode = code;
        return;
      }
      if (o.serviceAccount !== undefined) throw new UsageError('--service-account is for Windows; on Linux the service runs as root');
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
