import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { doctorContext } from '../../doctor/context';
import { thisMachine } from '../../doctor/machine';
import { renderDoctor } from '../../doctor/render';
import { runDoctor } from '../../doctor/run-doctor';
import { dataDirOf } from '../options';

/**
 * `pwbridge doctor`: every link from the capture module to the last reconcile, each ok / warning / broken /
 * not checked, with its evidence and the fix. Exit 0 when every link is ok, 1 otherwise (2: bad arguments).
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check every link from the capture module to the vault and the last reconcile, and say how to fix what is not ok')
    .option('--json', 'the report as one JSON object', false)
    .action(async (o: { json: boolean }, cmd: Command) => {
      const config = loadConfig(dataDirOf(cmd));
      const ctx = doctorContext(config, thisMachine(config));
      let report;
      try {
        report = await runDoctor(ctx);
      } finally {
        await ctx.close();
      }
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : renderDoctor(report));
      if (!report.ok) process.exitCode = 1;
    });
}
