// Is the service running, and is what answers on the capture endpoint this install's bridge? The proof is
// selftest's: a capture's handshake, in which the service must show it holds the install secret.
import * as path from 'node:path';
import { endpointServed } from '../../channel/socket-listener';
import { handshake, type HandshakeResult } from '../../channel/selftest-handshake';
import { loadKeys, wipeKeys, type BridgeKeys } from '../../protocol/keys';
import { fixesFor } from '../fixes';
import { asAdmin, lockedOut, verdict, type DoctorContext, type LinkVerdict } from '../link';

export async function service(ctx: DoctorContext): Promise<LinkVerdict> {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  const socket = ctx.config.socketPath;
  const managed = ctx.machine.serviceManagerRunning();
  const denied = managed === undefined ? lockedOut(path.dirname(socket)) : undefined;
  if (denied) {
    // A socket this account may not reach does not answer it, whether or not the service runs.
    return verdict('not-checked', `cannot reach ${socket} from this account (${denied.code}): run doctor ${asAdmin(ctx.machine.os)}`);
  }
  const running = managed ?? await endpointServed(socket);
  const said = managed === undefined ? `${socket} ${running ? 'answers' : 'does not answer'}` : `the service manager says pwbridge is ${running ? 'running' : 'not running'}`;
  if (!running) return verdict('broken', 'the service is not running', [said], fix.startService);

  let keys: BridgeKeys;
  try {
    keys = loadKeys(ctx.paths.keysDir, ctx.machine.keyFileAccess);
  } catch (e) {
    // Without the install's keys there is nothing to hold the service's proof against (key-files says why).
    return verdict('not-checked', `running, but whether it holds this install's secret was not checked: the keys cannot be read (run doctor ${asAdmin(ctx.machine.os)}, and see key-files)`,
      [said, (e as Error).message]);
  }
  const started = ctx.now();
  let result: HandshakeResult;
  try {
    result = await handshake(socket, keys.secret, keys.publicKey, ctx.config.machine);
  } finally {
    wipeKeys(keys);
  }
  const evidence = [said, `${result.detail} (${ctx.now() - started} ms)`];
  if (result.ok) return verdict('ok', 'running, and it proved this install\'s secret', evidence);
  if (result.accessDenied) {
    return verdict('not-checked', 'running, but its pipe lets in only SYSTEM and the service account, so whether it holds this install\'s secret was not checked from this account', evidence,
      'run doctor as SYSTEM (e.g. from a scheduled task) to check it');
  }
  return verdict('broken', 'something answers, but it did not prove this install\'s secret', evidence,
    `${fix.cli('events --kind frame-refused')}; then ${fix.startService}`);
}
