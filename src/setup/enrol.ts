// Enrolling this machine with a hub: what `pwbridge setup` does after it has the login, and what
// `pwbridge install --hub` does for a silent deployment (the MSI's PWB_HUB properties). A user who holds
// Setup AD Sync logs in and the client is chosen (or an admin's enrolment token names the client), the hub issues an agent token for that client and this
// machine; the token goes to the platform's token store and config.json gets hub, client and machine.
// Then the service account's credential, which install stored in the embedded vault, is carried to the
// hub (the vendor guide's step 18: the service account appears in the vault the agent uses).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configPath, loadConfig, type HubConfig } from '../config/config';
import { dataPaths, ensureDataDir } from '../config/paths';
import { selectAgentTokenStore } from '../platform';
import { writeFileAtomic } from '../fs/atomic-file';
import { HubClient, type HubResponse } from '../vault/hub-client';
import { carryServiceAccount } from './service-account-carry';

export interface EnrolOptions {
  dataDir: string;
  url: string;
  /** Exactly one of: the pinned SHA-256 of a self-signed hub certificate, or a CA certificate file. */
  fingerprint?: string;
  caFile?: string;
  /** A hub user's login, or an enrolment token (the token names the client); the secret is wiped here, whatever happens. */
  auth: LoginAuth | TokenAuth;
  /** This machine's name at the hub (default: config.json's machine); written to config.json. */
  machine?: string;
  out(line: string): void;
}

export interface LoginAuth {
  user: string;
  password: Buffer;
  /** The client to enrol into, from the hub's list (the names, as the hub spells them). */
  chooseClient(names: string[]): Promise<string>;
}

export interface TokenAuth {
  enrolToken: Buffer;
}

export interface Enrolled {
  client: string;
  machine: string;
  tokenStore: string;
}

export async function enrolMachine(o: EnrolOptions): Promise<Enrolled> {
  const config = loadConfig(o.dataDir);
  const paths = dataPaths(o.dataDir);
  const machine = o.machine ?? config.machine;
  const hub = new HubClient({ url: o.url, fingerprint: o.fingerprint, caFile: o.caFile });
  let session: string | undefined;
  try {
    let enrol: HubResponse;
    if ('enrolToken' in o.auth) {
      enrol = await hub.request('POST', '/api/agents/enrol-with-token', { token: o.auth.enrolToken.toString('base64'), machine });
      o.auth.enrolToken.fill(0);
    } else {
      const login = await hub.request('POST', '/api/login', { user: o.auth.user, password: o.auth.password.toString('base64'), bearer: true });
      o.auth.password.fill(0);
      if (login.status !== 200) throw new Error(`the hub refused the login: ${errorText(login)}`);
      session = login.body.token as string;

      const listed = await hub.request('POST', '/api/vault/listClients', {}, session);
      if (listed.status !== 200) throw new Error(`the hub did not list its clients: ${errorText(listed)}`);
      const client = await o.auth.chooseClient((listed.body.clients as Array<{ name: string }>).map((c) => c.name));
      enrol = await hub.request('POST', '/api/agents', { client, machine }, session);
    }
    if (enrol.status !== 200) throw new Error(`the hub refused to enrol machine "${machine}": ${errorText(enrol)}`);
    const token = enrol.body.token as string;

    ensureDataDir(paths); // only now: a refusal before this point leaves the data dir as it was
    const tokens = selectAgentTokenStore();
    tokens.write(paths.agentToken, token);
    let hubConfig: HubConfig;
    if (o.fingerprint) {
      hubConfig = { url: o.url, fingerprint: o.fingerprint };
    } else {
      // A copy in the data dir: the agent keeps working if the file given here moves.
      const caCopy = path.join(o.dataDir, 'tls', 'hub-ca.pem');
      fs.mkdirSync(path.dirname(caCopy), { recursive: true, mode: 0o700 });
      writePrivate(caCopy, fs.readFileSync(o.caFile!, 'utf8'));
      hubConfig = { url: o.url, caFile: caCopy };
    }
    const enrolledClient = enrol.body.agent.client as string;
    writeConfig(o.dataDir, { client: enrolledClient, machine, hub: hubConfig });
    loadConfig(o.dataDir); // what was written must be what the service accepts
    o.out(`machine "${machine}" enrolled into client "${enrolledClient}" at ${o.url}; `
      + `the agent token is in ${paths.agentToken} (${tokens.how})`);
    await carryServiceAccount(o.dataDir, o.out);
    return { client: enrolledClient, machine, tokenStore: tokens.how };
  } finally {
    if ('enrolToken' in o.auth) o.auth.enrolToken.fill(0);
    else o.auth.password.fill(0);
    if (session) await hub.request('POST', '/api/logout', {}, session).catch(() => undefined);
    hub.close();
  }
}

function errorText(r: HubResponse): string {
  const m = r.body?.error?.message;
  return typeof m === 'string' ? `${m} (HTTP ${r.status})` : `HTTP ${r.status}`;
}

/** A private file (0600) replaced whole: a reader sees the old one or the new one. */
function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, text, { mode: 0o600 });
}

/** config.json with these fields set and every other field kept as it was. */
function writeConfig(dataDir: string, fields: Record<string, unknown>): void {
  const file = configPath(dataDir);
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> : {};
  writePrivate(file, `${JSON.stringify({ ...current, ...fields }, null, 2)}\n`);
}
