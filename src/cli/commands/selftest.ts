import * as net from 'node:net';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { dataPaths } from '../../config/paths';
import { selectKeyFileAccess } from '../../platform';
import { CaptureKind } from '../../protocol/constants';
import { loadKeys, wipeKeys } from '../../protocol/keys';
import { ClientSession } from '../../protocol/client-session';
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

function handshake(socketPath: string, secret: Buffer, bridgePub: Buffer, machine: string): Promise<{ ok: boolean; detail: string }> {
  const session = new ClientSession({ secret, bridgePub, machine, kind: CaptureKind.selftest });
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let settled = false;
    const done = (ok: boolean, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.close();
      socket.destroy();
      resolve({ ok, detail });
    };
    const timer = setTimeout(() => done(false, 'no answer within 5 s'), 5000);
    socket.on('error', (e: NodeJS.ErrnoException) => done(false, `the service is not reachable (${e.code ?? e.message})`));
    socket.on('close', () => done(false, 'the server closed the connection during the handshake'));
    socket.on('data', (chunk: Buffer) => {
      for (const ev of session.feed(chunk)) {
        if (ev.kind === 'challenge') socket.write(ev.reply);
        else if (ev.kind === 'ready') done(true, 'the service answered and proved this install\'s secret');
        else if (ev.kind === 'refused') done(false, `the server could not prove this install's secret, so it is not this install's bridge (${ev.reason}: ${ev.detail})`);
      }
    });
  });
}
