import type { Command } from 'commander';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { loadConfig } from '../../config/config';
import { normalizeFingerprint } from '../../hub/cert';
import { enrolMachine } from '../../setup/enrol';
import { UsageError } from '../errors';
import { dataDirOf, requireName } from '../options';
import { promptChoice, promptLine } from '../prompt';

/**
 * `pwbridge setup --hub URL`: enrol this machine with a hub (src/setup/enrol.ts). A user who holds Setup
 * AD Sync logs in (name and password from stdin or the terminal, never arguments) and picks the client.
 * The agent token goes to `<data dir>/keys/agent.token` (0600 on Linux; on Windows DPAPI-protected, never
 * in clear), and config.json gets `hub`, `client` and `machine`, so `pwbridge run` uses the hub from its
 * next start.
 */
export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('enrol this machine with a hub: log in (name and password on stdin or at the prompt), pick the client, store the agent token')
    .requiredOption('--hub <url>', 'the hub, https://HOST:PORT')
    .option('--client <name>', 'the client this machine serves (default: choose from the hub\'s list)')
    .option('--ca <file>', 'trust the hub\'s certificate through this CA certificate (PEM); the host name is checked')
    .option('--insecure-fingerprint <sha256>', 'trust the hub\'s self-signed certificate with this SHA-256 fingerprint (pwbridge hub prints it); pinned from now on')
    .action(async (o: { hub: string; client?: string; ca?: string; insecureFingerprint?: string }, cmd: Command) => {
      const dataDir = dataDirOf(cmd);
      loadConfig(dataDir); // a bad config.json is refused before anyone logs in
      const url = parseHubUrl(o.hub);
      const clientWanted = o.client === undefined ? undefined : requireName('--client', o.client);
      if ((o.ca === undefined) === (o.insecureFingerprint === undefined)) {
        throw new UsageError('give --insecure-fingerprint SHA256 (the fingerprint pwbridge hub prints when it starts) or --ca FILE (the CA that signed the hub\'s certificate)');
      }
      let fingerprint: string | undefined;
      if (o.insecureFingerprint !== undefined) {
        fingerprint = normalizeFingerprint(o.insecureFingerprint);
        if (!fingerprint) throw new UsageError('--insecure-fingerprint: not a SHA-256 fingerprint (64 hex digits, colons allowed)');
      }
      if (o.ca !== undefined) checkCaFile(o.ca);

      const { user, password } = await readLogin();
      await enrolMachine({
        dataDir, url, fingerprint, caFile: o.ca, user, password,
        chooseClient: (names) => chooseClient(names, clientWanted),
        out: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write('pwbridge run uses the hub from its next start (restart the service if it ran without a hub); '
        + 'a service already using this hub picks the new token up at its next request\n');
    });
}

function parseHubUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--hub: "${value}" is not a URL; use https://HOST:PORT`);
  }
  if (url.protocol !== 'https:') throw new UsageError('--hub: the hub is reached over https:// only');
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new UsageError('--hub: give only https://HOST[:PORT], with no user, path or query');
  }
  return url.origin;
}

function checkCaFile(file: string): void {
  try {
    new crypto.X509Certificate(fs.readFileSync(file));
  } catch (err) {
    throw new UsageError(`--ca: ${file} is not a readable PEM certificate (${(err as Error).message})`);
  }
}

/**
 * The hub user's name and password: two lines on stdin (name, then password), or asked at the terminal
 * with the password not echoed. Never from arguments or the environment.
 */
async function readLogin(): Promise<{ user: string; password: Buffer }> {
  if (process.stdin.isTTY) {
    const name = (await promptLine('hub user name: ', false)).toString('utf8').trim();
    const password = await promptLine('password: ', true);
    return { user: checkUser(name, password), password };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  for (const c of chunks) c.fill(0);
  const nl = all.indexOf(0x0a);
  const name = all.subarray(0, nl < 0 ? all.length : nl).toString('utf8').replace(/\r$/, '');
  let rest = nl < 0 ? Buffer.alloc(0) : all.subarray(nl + 1);
  const nl2 = rest.indexOf(0x0a);
  if (nl2 >= 0) rest = rest.subarray(0, nl2);
  if (rest.length && rest[rest.length - 1] === 0x0d) rest = rest.subarray(0, rest.length - 1);
  const password = Buffer.from(rest);
  all.fill(0);
  return { user: checkUser(name, password), password };
}

function checkUser(name: string, password: Buffer): string {
  if (name === '' || password.length === 0) {
    password.fill(0);
    throw new UsageError('setup: give the hub user\'s name and password on two lines of stdin (or run it at a terminal to be asked)');
  }
  return name;
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
