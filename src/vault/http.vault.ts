/**
 * The vault on a hub: every VaultPort method as `POST /api/vault/<method>` over HTTPS, authenticated
 * with the agent token that `pwbridge setup` stored. It answers as the embedded vault does (the contract
 * suite runs against it): the hub's refusals come back as the same VaultInputError, VaultNotFoundError
 * and VaultConflictError with the same messages. Passwords travel as base64 inside TLS, and every Buffer
 * that held one here (the request's bytes, the response's bytes, the decoded password the caller gets
 * and wipes) is wiped after use.
 */
import type { Client, Credential, EventQuery, EventRecord, Flag, NewClient } from '../domain/types';
import {
  VaultConflictError, VaultNotFoundError, VaultPolicyError,
  type ClientChange, type Conflict, type ConflictChoice, type ConflictFilter, type ConflictSettlement, type ConflictSide,
  type CredentialChange, type NewCredential, type PasswordHistoryEntry, type VaultPort,
} from '../ports/vault.port';
import { checkChoice, checkFilter, checkSettlement, checkSide } from './conflict-records';
import { VaultInputError } from './errors';
import { HubAccessError, HubAccessGate, HUB_REFUSED_RETRY_MS } from './hub-access';
import { HubClient, type HubEndpoint, type HubResponse } from './hub-client';
import { HUB_TIME_HEADER, HubClock } from './hub-clock';
import { checkRestore } from './password-history';
import { checkChange, checkEvent, checkNewCredential, checkPassword } from './validate';

export { HubAccessError, HUB_REFUSED_RETRY_MS, type HubRefusal } from './hub-access';

/** The agent token, or how to read it again (after a refusal, to see whether setup replaced it). */
export type TokenSource = string | (() => string);

/**
 * While the hub does not answer (or answers 502–504), how often GET /readyz asks whether it is back: the journal's entries
 * wait out their own backoff (up to retryMax, minutes), and the hub's return makes them due at once.
 */
export const RETURN_PROBE_MS = 5_000;

/** Events per request: the hub takes at most 2,000, and a batch is checked whole before any is sent. */
const EVENTS_PER_REQUEST = 1000;

export class HttpVault implements VaultPort {
  private closed = false;
  /** Holds requests back for a while after the hub refused the token (see hub-access.ts). */
  readonly access: HubAccessGate;
  /** The hub's clock against this machine's (hub-clock.ts): credential times and capture times cross it. */
  readonly clock: HubClock;
  private probe?: NodeJS.Timeout;
  private readonly probeMs: number;

  constructor(private readonly client: HubClient, private readonly tokenSource?: () => string, opts: { refusedRetryMs?: number; now?: () => number; returnProbeMs?: number } = {}) {
    this.access = new HubAccessGate(client.origin, opts.refusedRetryMs ?? HUB_REFUSED_RETRY_MS);
    this.clock = new HubClock(opts.now);
    this.probeMs = opts.returnProbeMs ?? RETURN_PROBE_MS;
  }

  /**
   * `token` is the agent token (or, in tests and tools, a user's session token); given as a function, it
   * is read again while the hub refuses the current one, so a new `pwbridge setup` takes effect at once.
   */
  static open(endpoint: HubEndpoint, token: TokenSource, opts: { refusedRetryMs?: number; returnProbeMs?: number; now?: () => number } = {}): HttpVault {
    const source = typeof token === 'function' ? token : undefined;
    return new HttpVault(new HubClient(endpoint, source ? source() : token as string), source, opts);
  }

  async addClient(client: NewClient): Promise<Client> {
    return (await this.call('addClient', { client })).client;
  }

  async updateClient(name: string, change: ClientChange): Promise<Client> {
    return (await this.call('updateClient', { name, change })).client;
  }

  async deleteClient(name: string): Promise<void> {
    await this.call('deleteClient', { name });
  }

  async getClient(name: string): Promise<Client | undefined> {
    return (await this.call('getClient', { name })).client ?? undefined;
  }

  async listClients(): Promise<Client[]> {
    return (await this.call('listClients', {})).clients;
  }

  async addCredential(cred: NewCredential, eventId?: string): Promise<Credential> {
    checkNewCredential(cred);
    return this.local((await this.call('addCredential', { credential: wireCred(cred), eventId })).credential);
  }

  async updateCredential(client: string, username: string, change: CredentialChange): Promise<Credential> {
    checkChange(change);
    const wire = { ...change, password: change.password?.toString('base64') };
    return this.local((await this.call('updateCredential', { client, username, change: wire })).credential);
  }

  async deleteCredential(client: string, username: string): Promise<Credential> {
    return this.local((await this.call('deleteCredential', { client, username })).credential);
  }

  async listCredentials(client: string): Promise<Credential[]> {
    return ((await this.call('listCredentials', { client })).credentials as Credential[]).map((c) => this.local(c));
  }

  async findCredential(client: string, username: string): Promise<Credential | undefined> {
    const found = (await this.call('findCredential', { client, username })).credential;
    return found ? this.local(found) : undefined;
  }

  async readPassword(credentialId: number): Promise<Buffer> {
    const { password } = await this.call('readPassword', { credentialId });
    return Buffer.from(password as string, 'base64');
  }

  async setPasswordFromCapture(credentialId: number, password: Buffer, baseVersion: number, eventId: string, capturedAt?: number):
    Promise<{ credential: Credential; applied: boolean }> {
    checkPassword(password);
    return this.localResult(await this.call('setPasswordFromCapture',
      { credentialId, password: password.toString('base64'), baseVersion, eventId, capturedAt: this.hubTime(capturedAt) }));
  }

  async createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number): Promise<{ credential: Credential; applied: boolean }> {
    checkNewCredential(cred);
    return this.localResult(await this.call('createFromCapture', { credential: wireCred(cred), eventId, capturedAt: this.hubTime(capturedAt) }));
  }

  /** Metadata only; the times in this machine's clock, as the credentials' are. */
  async listPasswordHistory(credentialId: number): Promise<PasswordHistoryEntry[]> {
    const { history } = await this.call('listPasswordHistory', { credentialId });
    return (history as PasswordHistoryEntry[]).map((e) => ({
      ...e, setAt: this.clock.toLocal(e.setAt), ...(e.replacedAt === undefined ? {} : { replacedAt: this.clock.toLocal(e.replacedAt) }),
    }));
  }

  /** `by` is not sent: the hub records the restore as its logged-in user's (src/hub/api/history-routes.ts). */
  async restorePassword(credentialId: number, version: number, by: string): Promise<Credential> {
    checkRestore(credentialId, version, by);
    return this.local((await this.call('restorePassword', { credentialId, version })).credential);
  }

  async setFlag(credentialId: number, flag: Flag, on: boolean): Promise<void> {
    await this.call('setFlag', { credentialId, flag, on });
  }

  /** The capture time crosses the clock like a capture write's (hub-clock.ts). */
  async recordConflict(credentialId: number, side: ConflictSide): Promise<void> {
    const s = checkSide(side);
    await this.call('recordConflict', { credentialId, side: { ...s, capturedAt: this.hubTime(s.capturedAt) } });
  }

  /** The times in this machine's clock. */
  async listConflicts(filter?: ConflictFilter): Promise<Conflict[]> {
    const { conflicts } = await this.call('listConflicts', filter === undefined ? {} : { filter: checkFilter(filter) });
    return (conflicts as Conflict[]).map((c) => this.localConflict(c));
  }

  /** `by` is not sent: the hub records the choice as its logged-in user's (src/hub/conflict-api.ts). */
  async resolveConflict(credentialId: number, machine: string, choice: ConflictChoice, by: string): Promise<Conflict> {
    checkChoice(choice);
    if (typeof by !== 'string' || by === '') throw new VaultInputError('resolved by must be a non-empty string');
    return this.localConflict((await this.call('resolveConflict', { credentialId, machine, choice })).conflict);
  }

  async takeConflictedCapture(credentialId: number, password: Buffer, eventId: string, machine: string): Promise<{ credential: Credential; applied: boolean }> {
    checkPassword(password);
    return this.localResult(await this.call('takeConflictedCapture', { credentialId, password: password.toString('base64'), eventId, machine }));
  }

  async settleConflict(credentialId: number, machine: string, how: ConflictSettlement): Promise<void> {
    await this.call('settleConflict', { credentialId, machine, how: checkSettlement(how) });
  }

  async recordMachine(machine: { name: string; client: string; filterState: string; journalDepth: number }): Promise<void> {
    await this.call('recordMachine', { machine });
  }

  /**
   * The whole batch is checked here first, as the embedded vault checks it before storing any: a bad
   * event refuses the batch. A batch larger than one request goes in several, each stored whole.
   */
  async appendEvents(events: EventRecord[]): Promise<void> {
    events.forEach(checkEvent);
    for (let i = 0; i < events.length; i += EVENTS_PER_REQUEST) {
      await this.call('appendEvents', { events: events.slice(i, i + EVENTS_PER_REQUEST) });
    }
  }

  async queryEvents(q: EventQuery): Promise<EventRecord[]> {
    return (await this.call('queryEvents', { query: q })).events;
  }

  /**
   * Push-down: wait (at most `waitMs`, the hub caps it at 25 s) until what this agent's reconcile depends
   * on differs from `after` (a cursor from an earlier answer; '' answers at once). Rejects on no answer
   * or any status but 200 (the caller backs off).
   */
  async waitForChanges(after: string, waitMs: number, signal?: AbortSignal): Promise<{ cursor: string; changed: boolean }> {
    const q = new URLSearchParams({ after, waitMs: String(waitMs) });
    const res = await this.send('GET /api/changes', () => this.client.request('GET', `/api/changes?${q.toString()}`, undefined, undefined, signal));
    if (res.status !== 200 || typeof res.body?.cursor !== 'string') {
      throw new Error(`the hub answered GET /api/changes with HTTP ${res.status}${res.body?.error?.message ? `: ${res.body.error.message}` : ''}`);
    }
    return { cursor: res.body.cursor, changed: res.body.changed === true };
  }

  private localConflict(c: Conflict): Conflict {
    const t = (v: number) => this.clock.toLocal(v);
    return {
      ...c, capturedAt: t(c.capturedAt), recordedAt: t(c.recordedAt), vault: { ...c.vault, passwordSetAt: t(c.vault.passwordSetAt) },
      ...(c.resolution ? { resolution: { ...c.resolution, at: t(c.resolution.at) } } : {}),
      ...(c.captureMissingAt === undefined ? {} : { captureMissingAt: t(c.captureMissingAt) }),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopProbe();
    this.client.close();
  }

  // ---- the wire ------------------------------------------------------------------------------------

  private async call(method: string, args: Record<string, unknown>): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await this.send(method, () => this.client.request('POST', `/api/vault/${method}`, args));
    if (res.status === 200) return res.body;
    throw toVaultError(method, res);
  }

  /** Every request passes the access gate: held back (thrown at once) while the hub refuses the token. */
  private async send(what: string, request: () => Promise<HubResponse>): Promise<HubResponse> {
    this.access.check(what, this.access.current() !== undefined && this.tokenReplaced());
    let res: HubResponse;
    const sentAt = this.clock.localNow();
    try {
      res = await request();
    } catch (err) {
      this.unanswered();
      throw err;
    }
    this.clock.observe(res.headers?.[HUB_TIME_HEADER.toLowerCase()], sentAt);
    if (res.status >= 502 && res.status <= 504) this.unanswered();
    else this.answered();
    if (res.status === 401) {
      const m = res.body?.error?.message;
      throw this.access.refused(401, typeof m === 'string' ? m : '');
    }
    if (res.status >= 200 && res.status < 300) this.access.accepted();
    return res;
  }

  private unanswered(): void {
    this.access.unanswered();
    if (this.probe || this.closed) return;
    this.probe = setInterval(() => {
      // Public, and 200 only when the hub's database answers too (a hub without it answers 503): what
      // the journal waits for.
      this.client.request('GET', '/readyz').then((r) => { if (r.status === 200) this.answered(); }, () => undefined);
    }, this.probeMs);
    this.probe.unref();
  }

  private answered(): void {
    this.stopProbe();
    this.access.answered();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }

  /** A credential as the hub sent it, with its times on this machine's clock. */
  private local(c: Credential): Credential {
    return { ...c, updatedAt: this.clock.toLocal(c.updatedAt), passwordSetAt: this.clock.toLocal(c.passwordSetAt) };
  }

  private localResult(r: { credential: Credential; applied: boolean }): { credential: Credential; applied: boolean } {
    return { ...r, credential: this.local(r.credential) };
  }

  private hubTime(local: number | undefined): number | undefined {
    return local === undefined ? undefined : this.clock.toHub(local);
  }

  /** The token source holds another token than the one in use (setup ran again): use it from now on. */
  private tokenReplaced(): boolean {
    if (!this.tokenSource) return false;
    let token: string;
    try {
      token = this.tokenSource();
    } catch {
      return false; // missing or unreadable: keep the refusal, its message says what to do
    }
    if (this.client.hasToken(token)) return false;
    this.client.setToken(token);
    return true;
  }
}

function wireCred(c: NewCredential): Record<string, unknown> {
  return { client: c.client, username: c.username, password: c.password.toString('base64'), windowsSync: c.windowsSync, mode: c.mode };
}

/** The hub's error body back into the error the embedded vault would have thrown. */
function toVaultError(method: string, res: HubResponse): Error {
  const e = (res.body?.error ?? {}) as { code?: string; message?: string; what?: string; credentialId?: number; expected?: number; actual?: number };
  const message = typeof e.message === 'string' ? e.message : `HTTP ${res.status}`;
  switch (res.status) {
    case 400:
      return new VaultInputError(message);
    case 404:
      if (e.code === 'not-found' && typeof e.what === 'string') return new VaultNotFoundError(e.what);
      break;
    case 409:
      if (e.code === 'conflict') return new VaultConflictError(Number(e.credentialId), Number(e.expected), Number(e.actual));
      break;
    case 403:
      // The client's options refuse this write (final), as opposed to a token or role refusal (held, retried later).
      if (e.code === 'policy') return new VaultPolicyError(message);
      return new HubAccessError(res.status, `hub refused ${method}: ${message}`);
    default:
      break;
  }
  return new Error(`hub: ${method} failed with HTTP ${res.status}: ${message}`);
}
