import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { dataPaths } from '../../config/paths';
import { selectKeyFileAccess } from '../../platform';
import { loadKeys, wipeKeys } from '../../protocol/keys';
import { handshake } from '../../channel/selftest-handshake';
import { UsageError } from '../errors';
import { dataDirOf } from '../options';

/**
 * `pwbridge selftest`: connect to the running service as a capture would and check that it proves it
 * holds this install's secret (its HELLO_ACK tag). Sends no password. Exit 0 when it did, 1 otherwise.
 */
export function registerSelftest(program: Command): void {
  program
    .command('selftest')
    .description('check that the running service answers on its socket and proves this install\'s secret')
    .option('--json', 'the result as one JSON object', false)
    .action(async (o: { json: boolean }, cmd: Command) => {
      const config = loadConfig(dataDirOf(cmd));
      let keys;
      try {
        keys = loadKeys(dataPaths(config.dataDir).keysDir, selectKeyFileAccess());
      } catch (err) {
        throw new UsageError(`selftest: cannot read this install's keys (${(err as Error).message}); run it as root on a data dir the service has used`);
      }
      const started = Date.now();
      const result = await handshake(config.socketPath, keys.secret, keys.publicKey, config.machine);
      wipeKeys(keys);
      const out = { ok: result.ok, socketPath: config.socketPath, ms: Date.now() - started, detail: result.detail };
      if (o.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else process.stdout.write(`${out.ok ? 'ok' : 'FAILED'}: ${out.detail} (${config.socketPath}, ${out.ms} ms)\n`);
      if (!out.ok) process.exitCode = 1;
    });
}

export { connectFailure, handshake, REFUSED_BEFORE_FIRST_BYTE } from '../../channel/selftest-handshake';
