import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { enrolMachine } from '../../setup/enrol';
import { readEnrolTokenFile } from '../../setup/enrol-token-file';
import { selectSecretFileAccess } from '../../platform';
import { UsageError } from '../errors';
import { hubTrust, parseLogin } from '../../setup/hub-trust';
import { dataDirOf, requireName } from '../options';
import { promptChoice, promptLine } from '../prompt';

/**
 * `pwbridge setup --hub URL`: enrol this machine with a hub (src/setup/enrol.ts). A user who holds Setup
 * AD Sync logs in (name and password from stdin or the terminal, never arguments) and picks the client.
 * The agent token goes to `<data dir>/keys/agent.token` (0600 on Linux; on Windows DPAPI-protected, never
 * in clear), and config.json gets `hub`, `client` and `machine`, so `pwbridge run` uses the hub from its
 * next start. With `--enrol-token-file FILE` no one logs in: the hub enrolment token an admin made for one
 * client (POST /api/enrolment-tokens) is read from the file, and the token names the client.
 */
export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('enrol this machine with a hub: log in (name and password on stdin or at the prompt) and pick the client, or use an enrolment token from a file; store the agent token')
    .requiredOption('--hub <url>', 'the hub, https://HOST:PORT')
    .option('--client <name>', 'the client this machine serves (default: choose from the hub\'s list)')
    .option('--enrol-token-file <file>', 'enrol with the hub enrolment token in this file (0600, owned by the user running setup) instead of a login; the token names the client')
    .option('--machine <name>', 'this machine\'s name at the hub (default: config.json\'s machine); written to config.json')
    .option('--ca <file>', 'trust the hub\'s certificate through this CA certificate (PEM); the host name is checked')
    .option('--insecure-fingerprint <sha256>', 'trust the hub\'s self-signed certificate with this SHA-256 fingerprint (pwbridge hub prints it); pinned from now on')
    .action(async (o: { hub: string; client?: string; ca?: string; insecureFingerprint?: string; enrolTokenFile?: string; machine?: string }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      loadConfig(dataDir); // a bad config.json is refused before anyone logs in
      const { url, fingerprint, caFile } = hubTrust(o);
      const machine = o.machine === undefined ? undefined : requireName('--machine', o.machine);
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (o.enrolTokenFile !== undefined) {
        // The token names its client: a --client beside it could only disagree, or be taken for a choice it is not.
        if (o.client !== undefined) throw new UsageError('--client and --enrol-token-file: give one; an enrolment token names its client');
        const enrolToken = readEnrolTokenFile(o.enrolTokenFile, selectSecretFileAccess());
        await enrolMachine({ dataDir, url, fingerprint, caFile, machine, auth: { enrolToken }, out });
      } else {
        const clientWanted = o.client === undefined ? undefined : requireName('--client', o.client);
        const { user, password } = await readLogin();
        await enrolMachine({
          dataDir, url, fingerprint, caFile, machine, out,
          auth: { user, password, chooseClient: (names) => chooseClient(names, clientWanted) },
        });
      }
      process.stdout.write('pwbridge run uses the hub from its next start (restart the service if it ran without a hub); '
        + 'a service already using this hub picks the new token up at its next request\n');
    });
}

/**
 * The hub user's name and password: two lines on stdin (name, then password), or asked at the terminal
 * with the password not echoed. Never from arguments or the environment.
 */
async function readLogin(): Promise<{ user: string; password: Buffer }> {
  if (process.stdin.isTTY) {
    const name = (await promptLine('hub user name: ', false)).toString('utf8').trim();
    const typed = await promptLine('password: ', true);
    const all = Buffer.concat([Buffer.from(`${name}\n`), typed, Buffer.from('\n')]);
    typed.fill(0);
    return parseLogin(all, 'setup');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  return parseLogin(all, 'setup (stdin, or a terminal to be asked)');
}

async function chooseClient(names: string[], wanted: string | undefined): Promise<string> {
  if (names.length === 0) throw new UsageError('the hub has no client yet; add one there first');
  if (wanted !== undefined) {
    const found = names.find((n) => n.toLowerCase() === wanted.toLowerCase());
    if (!found) throw new UsageError(`--client: the hub has no client "${wanted}"; it has: ${names.map((n) => `"${n}"`).join(', ')}`);
    return found;
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(`--client: name the client this machine serves; the hub has: ${names.map((n) => `"${n}"`).join(', ')}`);
  }
  return names[await promptChoice('client for this machine', names)];
}
