import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { openInstall, reconcileSetup } from '../../service/install';
import { reconcileOnce } from '../../reconcile';
import { UsageError } from '../errors';
import { dataDirOf } from '../options';

/** `pwbridge reconcile --once`: one pass in this process, printing what it found and did. */
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('compare the vault with the local accounts and apply each credential\'s mode')
    .option('--once', 'one pass, then exit (the service runs it on its interval)', false)
    .option('--json', 'the report as one JSON object', false)
    .option('--client <name>', 'the vault client this machine serves')
    .action(async (o: { once: boolean; json: boolean; client?: string }, cmd: Command) => {
      if (!o.once) throw new UsageError('reconcile: give --once (the service itself reconciles on its interval)');
      const config = loadConfig(dataDirOf(cmd), { client: o.client });
      const install = await openInstall(config);
      try {
        const { deps, opts } = reconcileSetup(install);
        const report = await reconcileOnce(deps, opts);
        // A pass that could not run (inputs unreadable, another pass holding the lease) failed too.
        if (report.failed > 0 || /^(could not|another reconcile)/.test(report.reason ?? '')) process.exitCode = 1;
        if (o.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        if (report.reason) process.stdout.write(`nothing reconciled: ${report.reason}\n`);
        for (const i of report.items) process.stdout.write(`${i.action.padEnd(16)} ${i.username}${i.account ? ` (local ${i.account})` : ''}\n`);
        process.stdout.write(`${report.checked} checked, ${report.unchanged} unchanged, ${report.matched} matched, ${report.flagged} flagged, ${report.cleared} cleared, ${report.set} set, ${report.failed} failed, ${report.skipped} skipped in ${report.durationMs} ms\n`);
      } finally {
        await install.close();
      }
    });
}
