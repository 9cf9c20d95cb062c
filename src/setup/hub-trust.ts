// The hub's address and how this machine trusts its certificate, as `pwbridge setup` and `pwbridge install
// --hub` take them, and the hub user's login as both read it (two lines: name, then password).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { normalizeFingerprint } from '../hub/cert';
import { UsageError } from '../cli/errors';

export interface HubTrust {
  url: string;
  /** Exactly one: the pinned SHA-256 of a self-signed certificate, or a CA certificate file. */
  fingerprint?: string;
  caFile?: string;
}

/** `--hub URL` with `--insecure-fingerprint SHA256` or `--ca FILE`, checked; refusals name the option. */
export function hubTrust(o: { hub: string; ca?: string; insecureFingerprint?: string }): HubTrust {
  const url = parseHubUrl(o.hub);
  if ((o.ca === undefined) === (o.insecureFingerprint === undefined)) {
    throw new UsageError('give --insecure-fingerprint SHA256 (the fingerprint pwbridge hub prints when it starts) or --ca FILE (the CA that signed the hub\'s certificate)');
  }
  if (o.insecureFingerprint !== undefined) {
    const fingerprint = normalizeFingerprint(o.insecureFingerprint);
    if (!fingerprint) throw new UsageError('--insecure-fingerprint: not a SHA-256 fingerprint (64 hex digits, colons allowed)');
    return { url, fingerprint };
  }
  checkCaFile(o.ca!);
  return { url, caFile: o.ca };
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
 * A hub user's login from bytes: the name on the first line, the password on the second (a trailing CR is
 * dropped from each). `all` is wiped; the caller wipes the password. `what` names the source in refusals.
 */
export function parseLogin(all: Buffer, what: string): { user: string; password: Buffer } {
  const nl = all.indexOf(0x0a);
  const name = all.subarray(0, nl < 0 ? all.length : nl).toString('utf8').replace(/\r$/, '');
  let rest = nl < 0 ? Buffer.alloc(0) : all.subarray(nl + 1);
  const nl2 = rest.indexOf(0x0a);
  if (nl2 >= 0) rest = rest.subarray(0, nl2);
  if (rest.length && rest[rest.length - 1] === 0x0d) rest = rest.subarray(0, rest.length - 1);
  const password = Buffer.from(rest);
  all.fill(0);
  if (name === '' || password.length === 0) {
    password.fill(0);
    throw new UsageError(`${what}: give the hub user's name and password on two lines`);
  }
  return { user: name, password };
}
