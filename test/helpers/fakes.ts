// Small in-memory fakes of the ports for unit tests. They keep what the real adapters promise
// (case-insensitive names, idempotency per event id, version checks) and count calls so tests can
// assert on what the code under test did. The lead's integration tests use the real adapters.
import { createHash, randomBytes } from 'node:crypto';
import type { Client, Credential, EventQuery, EventRecord, Flag, NewClient } from '../../src/domain/types';
import type { AccountPort, LocalAccount } from '../../src/ports/account.port';
import type { EventSink } from '../../src/ports/event-sink.port';
import type {
  EchoStore, JournalEntry, JournalPort, NewJournalEntry, ReconcileMemo, StateStore,
} from '../../src/ports/journal.port';
import {
  VaultConflictError, VaultNotFoundError, type ClientChange, type CredentialChange, type NewCredential, type PasswordHistoryEntry,
  type PasswordSource, type VaultPort, type Conflict, type ConflictChoice, type ConflictFilter, type ConflictSettlement, type ConflictSide,
} from '../../src/ports/vault.port';
import { checkChoice, checkFilter, checkSettlement, checkSide, noConflict, sortConflicts, takeRefusal } from '../../src/vault/conflict-records';
import { checkEmpty } from '../../src/vault/client-delete';
import { VaultInputError } from '../../src/vault/errors';
import { DEFAULT_HISTORY_KEEP, checkRestore, checkSource } from '../../src/vault/password-history';
import { checkCaptureWrite } from '../../src/vault/shared-write';
import {
  FLAGS, checkBool, checkChange, checkClientChange, checkEvent, checkEventId, checkFlag, checkId, checkName, checkNewClient,
  checkNewCredential, checkPassword,
} from '../../src/vault/validate';

export class FakeClock {
  constructor(public t = 1_700_000_000_000) {}
  now = (): number => this.t;
  advance(ms: number): void { this.t += ms; }
}

export class FakeEvents implements EventSink {
  readonly list: Array<Omit<EventRecord, 'time' | 'machine'>> = [];
  record(event: Omit<EventRecord, 'time' | 'machine'>): void { this.list.push(event); }
  kinds(): string[] { return this.list.map((e) => e.kind); }
  of(kind: string) { return this.list.filter((e) => e.kind === kind); }
  forTrace(traceId: string) { return this.list.filter((e) => e.traceId === traceId); }
}

export class FakeJournal implements JournalPort {
  readonly entries = new Map<string, JournalEntry>();
  private seq = 0;
  dueCalls = 0;

  append(entries: NewJournalEntry[]): Array<'stored' | 'duplicate'> {
    return entries.map((e) => {
      if (this.entries.has(e.eventId)) return 'duplicate';
      this.entries.set(e.eventId, { ...e, sealed: Buffer.from(e.sealed), seq: ++this.seq, state: 'pending', attempts: 0, nextAttemptAt: e.receivedAt });
      return 'stored';
    });
  }
  private pending(): JournalEntry[] {
    return [...this.entries.values()].filter((e) => e.state === 'pending').sort((a, b) => a.seq - b.seq);
  }
  due(now: number, limit: number): JournalEntry[] {
    this.dueCalls++;
    return this.pending().filter((e) => e.nextAttemptAt <= now).slice(0, limit).map((e) => ({ ...e }));
  }
  pendingFor(account: string): JournalEntry[] {
    return this.pending().filter((e) => e.account.toLowerCase() === account.toLowerCase()).map((e) => ({ ...e }));
  }
  private must(id: string): JournalEntry {
    const e = this.entries.get(id);
    if (!e) throw new Error(`no journal entry ${id}`);
    return e;
  }
  markDone(eventId: string, outcome: string): void { Object.assign(this.must(eventId), { state: 'done', outcome }); }
  markSuperseded(eventIds: string[], byEventId: string): void {
    for (const id of eventIds) Object.assign(this.must(id), { state: 'superseded', outcome: `superseded by ${byEventId}` });
  }
  markRetry(eventId: string, attempts: number, nextAttemptAt: number, error: string): void {
    Object.assign(this.must(eventId), { attempts, nextAttemptAt, lastError: error });
  }
  markDead(eventId: string, reason: string): void { Object.assign(this.must(eventId), { state: 'dead', outcome: reason }); }
  depth(): number { return this.pending().length; }
  nextDueAt(): number | undefined {
    const p = this.pending();
    return p.length ? Math.min(...p.map((e) => e.nextAttemptAt)) : undefined;
  }
  deadLetters(): JournalEntry[] { return [...this.entries.values()].filter((e) => e.state === 'dead'); }
  get(eventId: string): JournalEntry | undefined { return this.entries.get(eventId); }
  markConflicted(eventId: string, reason: string): void {
    const e = this.must(eventId);
    if (e.state === 'pending') Object.assign(e, { state: 'conflicted', outcome: reason });
  }
  conflicted(account?: string): JournalEntry[] {
    return [...this.entries.values()].filter((e) => e.state === 'conflicted' && (account === undefined || e.account.toLowerCase() === account.toLowerCase()))
      .sort((a, b) => a.seq - b.seq).map((e) => ({ ...e }));
  }
  resendConflicted(eventId: string, now: number): boolean {
    const e = this.entries.get(eventId);
    if (e?.state !== 'conflicted') return false;
    Object.assign(e, { state: 'pending', resend: true, attempts: 0, nextAttemptAt: now, outcome: undefined });
    return true;
  }
  dropConflicted(eventId: string, outcome: string): boolean {
    const e = this.entries.get(eventId);
    if (e?.state !== 'conflicted') return false;
    e.sealed.fill(0);
    Object.assign(e, { state: 'done', outcome, sealed: Buffer.alloc(0) });
    return true;
  }
}

/** Test sealing: `sealed` holds the raw password bytes; open() returns a copy and keeps it to check wiping. */
export class FakeOpener {
  readonly handedOut: Buffer[] = [];
  calls = 0;
  fail = false;
  open = (entry: JournalEntry): Buffer => {
    this.calls++;
    if (this.fail) throw new Error('Unsupported state or unable to authenticate data');
    const b = Buffer.from(entry.sealed);
    this.handedOut.push(b);
    return b;
  };
  allWiped(): boolean { return this.handedOut.every((b) => b.every((x) => x === 0)); }
}

let nextId = 1;
/** Appends one captured change and returns its event id. */
export function capture(
  journal: FakeJournal,
  clock: FakeClock,
  account: string,
  password: string | Buffer,
  o: { encoding?: number; capturedAt?: number; machine?: string } = {},
): string {
  const encoding = o.encoding ?? 1;
  const bytes = Buffer.isBuffer(password) ? password : Buffer.from(password, encoding === 2 ? 'utf16le' : 'utf8');
  const eventId = (nextId++).toString(16).padStart(32, '0');
  journal.append([{
    eventId, machine: o.machine ?? 'HOST1', account, accountId: 1000, capturedAt: o.capturedAt ?? clock.now(),
    receivedAt: clock.now(), encoding, sealed: bytes,
  }]);
  return eventId;
}

const digest = (account: string, pw: Buffer) => createHash('sha256').update(account.toLowerCase()).update('\0').update(pw).digest('hex');

export class FakeEcho implements EchoStore {
  readonly records = new Map<string, number>();
  remembered = 0;
  remember(account: string, password: Buffer, expiresAt: number): void {
    this.remembered++;
    this.records.set(digest(account, password), expiresAt);
  }
  consume(account: string, password: Buffer, now: number): boolean {
    const k = digest(account, password);
    const exp = this.records.get(k);
    if (exp === undefined) return false;
    this.records.delete(k);
    return exp >= now;
  }
}

export class FakeState implements StateStore {
  readonly memos = new Map<number, ReconcileMemo>();
  readonly values = new Map<string, unknown>();
  allMemosCalls = 0;
  getMemo(id: number) { return this.memos.get(id); }
  allMemos() { this.allMemosCalls++; return new Map(this.memos); }
  putMemo(memo: ReconcileMemo): void { this.memos.set(memo.credentialId, { ...memo }); }
  getValue<T>(key: string): T | undefined { return this.values.get(key) as T | undefined; }
  setValue<T>(key: string, value: T): void { this.values.set(key, value); }
  /** Leases as the real store keeps them (no clock: a lease lasts until released). */
  readonly leases = new Map<string, string>();
  tryLease(name: string, holder: string): boolean {
    const cur = this.leases.get(name);
    if (cur !== undefined && cur !== holder) return false;
    this.leases.set(name, holder);
    return true;
  }
  releaseLease(name: string, holder: string): void { if (this.leases.get(name) === holder) this.leases.delete(name); }
}

/**
 * The vault in memory, with hooks for failure tests. It passes the same contract suite as the real
 * engines (test/vault/fake.vault.test.ts): the same input checks, case-insensitive names, idempotency per
 * event id, version checks, the shared-write rule, events with ids, so what a unit test sees of it is
 * what a real vault would do.
 */
export class FakeVault implements VaultPort {
  readonly clients = new Map<string, Client>();
  readonly creds = new Map<number, Credential>();
  readonly passwords = new Map<number, Buffer>();
  private readonly applied = new Map<string, number>();
  private readonly machines = new Map<string, { name: string; client: string }>();
  private readonly events: EventRecord[] = [];
  private nextCred = 1;
  private nextEvent = 1;
  /** The source of each credential's current password, and its earlier passwords, newest first. */
  private readonly sources = new Map<number, PasswordSource | undefined>();
  private readonly history = new Map<number, Array<{ entry: PasswordHistoryEntry; password: Buffer }>>();
  /** Earlier passwords kept per credential, as the real engines' historyKeep option. */
  historyKeep = DEFAULT_HISTORY_KEEP;
  /** Errors thrown by the next capture writes (setPasswordFromCapture, createFromCapture), one per call. */
  readonly failures: Error[] = [];
  /** Errors thrown by the next getClient calls, one per call. */
  readonly lookupFailures: Error[] = [];
  readonly handedOut: Buffer[] = [];
  calls = { setPasswordFromCapture: 0, createFromCapture: 0, readPassword: 0, setFlag: 0, listCredentials: 0 };

  constructor(private readonly clock: FakeClock = new FakeClock()) {}

  private maybeFail() { const e = this.failures.shift(); if (e) throw e; }
  private lk(client: string, username: string) {
    return [...this.creds.values()].find((c) => c.client.toLowerCase() === client.toLowerCase() && c.username.toLowerCase() === username.toLowerCase());
  }
  private client(name: string): Client {
    const c = this.clients.get(name.toLowerCase());
    if (!c) throw new VaultNotFoundError(`client "${name}"`);
    return c;
  }
  private copy(c: Credential): Credential { return { ...c, flags: FLAGS.filter((f) => c.flags.includes(f)) }; }
  password(id: number): string | undefined { return this.passwords.get(id)?.toString('utf8'); }
  byName(username: string): Credential | undefined { return [...this.creds.values()].find((c) => c.username.toLowerCase() === username.toLowerCase()); }
  /** A change made in the vault (a person edits the credential): new version, new time. */
  changeInVault(id: number, password: string, source?: PasswordSource): void {
    this.replace(id, Buffer.from(password), this.clock.now(), source);
  }
  /** Every password write: the replaced one goes into the history, which keeps the newest historyKeep. */
  private replace(id: number, password: Buffer, setAt: number, source: PasswordSource | undefined): void {
    const c = this.creds.get(id)!;
    const now = this.clock.now();
    const kept = this.history.get(id) ?? [];
    const entry: PasswordHistoryEntry = { version: c.version, setAt: c.passwordSetAt, current: false, replacedAt: now };
    const was = this.sources.get(id);
    if (was) entry.source = was;
    kept.unshift({ entry, password: Buffer.from(this.passwords.get(id)!) });
    this.history.set(id, kept.slice(0, this.historyKeep));
    this.passwords.set(id, Buffer.from(password));
    this.sources.set(id, source);
    Object.assign(c, { version: c.version + 1, updatedAt: now, passwordSetAt: setAt });
  }

  async addClient(input: NewClient) {
    const client = checkNewClient(input);
    if (this.clients.has(client.name.toLowerCase())) throw new VaultInputError(`client "${client.name}" already exists`);
    this.clients.set(client.name.toLowerCase(), client);
    return { ...client };
  }
  async getClient(name: string) { const f = this.lookupFailures.shift(); if (f) throw f; const c = this.clients.get(name.toLowerCase()); return c && { ...c }; }
  async listClients() { return [...this.clients.values()].map((c) => ({ ...c })); }
  async updateClient(name: string, change: ClientChange) {
    checkName('client name', name);
    const options = checkClientChange(change);
    const c = Object.assign(this.client(name), options);
    return { ...c };
  }
  async deleteClient(name: string) {
    checkName('client name', name);
    const c = this.client(name);
    const mine = (client: string) => client.toLowerCase() === c.name.toLowerCase();
    checkEmpty(c.name, {
      credentials: [...this.creds.values()].filter((x) => mine(x.client)).length,
      machines: [...this.machines.values()].filter((m) => mine(m.client)).length,
      agents: 0,
    });
    this.clients.delete(c.name.toLowerCase());
  }

  async addCredential(cred: NewCredential, eventId?: string, source?: PasswordSource): Promise<Credential> {
    checkNewCredential(cred);
    const ev = eventId === undefined ? undefined : checkEventId(eventId);
    const from = checkSource(source);
    const prior = ev === undefined ? undefined : this.applied.get(ev);
    if (prior !== undefined) return this.copy(this.creds.get(prior)!);
    const c = this.insert(cred, undefined, from);
    if (ev !== undefined) this.applied.set(ev, c.id);
    return c;
  }
  private insert(cred: NewCredential, passwordSetAt?: number, source?: PasswordSource): Credential {
    const client = this.client(cred.client);
    if (this.lk(cred.client, cred.username)) throw new VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
    const now = this.clock.now();
    const c: Credential = { id: this.nextCred++, client: client.name, username: cred.username, windowsSync: cred.windowsSync, mode: cred.mode, version: 1, flags: [], updatedAt: now, passwordSetAt: passwordSetAt ?? now };
    this.creds.set(c.id, c);
    this.passwords.set(c.id, Buffer.from(cred.password));
    this.sources.set(c.id, source);
    return this.copy(c);
  }
  async updateCredential(client: string, username: string, change: CredentialChange, source?: PasswordSource): Promise<Credential> {
    checkName('client name', client);
    checkName('username', username);
    checkChange(change);
    const from = checkSource(source);
    const c = this.lk(client, username);
    if (!c) throw new VaultNotFoundError(`credential "${username}" in client "${client}"`);
    if (change.mode) c.mode = change.mode;
    if (change.windowsSync !== undefined) c.windowsSync = change.windowsSync;
    if (change.mode !== undefined || change.windowsSync !== undefined) c.updatedAt = this.clock.now();
    if (change.password) this.replace(c.id, change.password, this.clock.now(), from);
    return this.copy(c);
  }
  async deleteCredential(client: string, username: string): Promise<Credential> {
    checkName('client name', client);
    checkName('username', username);
    const c = this.lk(client, username);
    if (!c) throw new VaultNotFoundError(`credential "${username}" in client "${client}"`);
    this.creds.delete(c.id);
    this.passwords.get(c.id)?.fill(0);
    this.passwords.delete(c.id);
    for (const [ev, id] of this.applied) if (id === c.id) this.applied.delete(ev);
    for (const [key, k] of this.conflicts) if (k.credentialId === c.id) this.conflicts.delete(key);
    return this.copy(c);
  }
  async listCredentials(client: string) {
    this.calls.listCredentials++;
    return [...this.creds.values()].filter((c) => c.client.toLowerCase() === client.toLowerCase()).map((c) => this.copy(c));
  }
  async findCredential(client: string, username: string) { const c = this.lk(client, username); return c && this.copy(c); }
  async readPassword(id: number) {
    this.calls.readPassword++;
    checkId('credentialId', id);
    const p = this.passwords.get(id);
    if (!p) throw new VaultNotFoundError(`credential ${id}`);
    const b = Buffer.from(p);
    this.handedOut.push(b);
    return b;
  }
  /** The next capture write is applied, then its answer is lost (a hub timeout after COMMIT). */
  loseNextAnswer = false;
  async setPasswordFromCapture(id: number, password: Buffer, baseVersion: number, eventId: string, capturedAt?: number, source?: PasswordSource) {
    this.calls.setPasswordFromCapture++;
    this.maybeFail();
    checkId('credentialId', id);
    checkId('baseVersion', baseVersion);
    const ev = checkEventId(eventId);
    checkPassword(password);
    const from = checkSource(source);
    const prior = this.applied.get(ev);
    if (prior !== undefined) return { credential: this.copy(this.creds.get(prior)!), applied: false };
    const c = this.creds.get(id);
    if (!c) throw new VaultNotFoundError(`credential ${id}`);
    checkCaptureWrite(this.client(c.client), c.username);
    if (c.version !== baseVersion) throw new VaultConflictError(id, baseVersion, c.version);
    this.replace(id, password, capturedAt ?? this.clock.now(), from);
    this.applied.set(ev, id);
    if (this.loseNextAnswer) { this.loseNextAnswer = false; throw new Error('socket hang up'); }
    return { credential: this.copy(c), applied: true };
  }
  async createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number, source?: PasswordSource) {
    this.calls.createFromCapture++;
    this.maybeFail();
    checkNewCredential(cred);
    const ev = checkEventId(eventId);
    const from = checkSource(source);
    const prior = this.applied.get(ev);
    if (prior !== undefined) return { credential: this.copy(this.creds.get(prior)!), applied: false };
    checkCaptureWrite(this.client(cred.client), cred.username);
    const existing = this.lk(cred.client, cred.username);
    if (existing) return { credential: this.copy(existing), applied: false };
    const c = this.insert(cred, capturedAt, from);
    this.applied.set(ev, c.id);
    return { credential: c, applied: true };
  }
  async listPasswordHistory(id: number): Promise<PasswordHistoryEntry[]> {
    checkId('credentialId', id);
    const c = this.creds.get(id);
    if (!c) throw new VaultNotFoundError(`credential ${id}`);
    const current: PasswordHistoryEntry = { version: c.version, setAt: c.passwordSetAt, current: true };
    const source = this.sources.get(id);
    if (source) current.source = { ...source };
    return [current, ...(this.history.get(id) ?? []).map((h) => ({ ...h.entry, ...(h.entry.source ? { source: { ...h.entry.source } } : {}) }))];
  }
  async restorePassword(id: number, version: number, by: string): Promise<Credential> {
    const r = checkRestore(id, version, by);
    const c = this.creds.get(r.credentialId);
    if (!c) throw new VaultNotFoundError(`credential ${r.credentialId}`);
    const h = (this.history.get(r.credentialId) ?? []).find((x) => x.entry.version === r.version);
    if (!h) throw new VaultNotFoundError(`version ${r.version} in the password history of credential ${r.credentialId}`);
    this.replace(r.credentialId, h.password, this.clock.now(), { kind: 'restore', fromVersion: r.version, by: r.by });
    return this.copy(c);
  }
  async setFlag(id: number, flag: Flag, on: boolean) {
    this.calls.setFlag++;
    checkId('credentialId', id);
    checkFlag(flag);
    checkBool('on', on);
    const c = this.creds.get(id);
    if (!c) throw new VaultNotFoundError(`credential ${id}`);
    c.flags = c.flags.filter((f) => f !== flag);
    if (on) c.flags.push(flag);
  }
  /** Conflicts by `${credentialId}|${machine folded}`: the machine's side and a person's choice. */
  readonly conflicts = new Map<string, Omit<Conflict, 'client' | 'username' | 'vault'>>();
  private ck(id: number, machine: string) { return `${id}|${machine.toLowerCase()}`; }
  private full(k: Omit<Conflict, 'client' | 'username' | 'vault'>): Conflict {
    const c = this.creds.get(k.credentialId)!;
    const source = this.sources.get(c.id);
    return {
      ...k, client: c.client, username: c.username,
      vault: { version: c.version, passwordSetAt: c.passwordSetAt, ...(source ? { source: { ...source } } : {}) },
      ...(k.resolution ? { resolution: { ...k.resolution } } : {}),
    };
  }
  private syncConflictFlag(id: number) {
    const open = [...this.conflicts.values()].some((k) => k.credentialId === id && k.resolution?.choice !== 'vault');
    const c = this.creds.get(id)!;
    c.flags = c.flags.filter((f) => f !== 'conflict');
    if (open) c.flags.push('conflict');
  }
  async recordConflict(id: number, side: ConflictSide) {
    checkId('credentialId', id);
    const s = checkSide(side);
    if (!this.creds.has(id)) throw new VaultNotFoundError(`credential ${id}`);
    const key = this.ck(id, s.machine);
    if (this.conflicts.get(key)?.eventId !== s.eventId) this.conflicts.set(key, { credentialId: id, ...s, recordedAt: this.clock.now() });
    this.syncConflictFlag(id);
  }
  async listConflicts(filter?: ConflictFilter) {
    const f = checkFilter(filter);
    return sortConflicts([...this.conflicts.values()].map((k) => this.full(k)).filter((c) => (f.client === undefined || c.client.toLowerCase() === f.client.toLowerCase())
      && (f.machine === undefined || c.machine.toLowerCase() === f.machine.toLowerCase()) && (f.credentialId === undefined || c.credentialId === f.credentialId)));
  }
  async resolveConflict(id: number, machine: string, choice: ConflictChoice, by: string) {
    checkId('credentialId', id);
    checkName('machine', machine);
    const c = checkChoice(choice);
    checkName('resolved by', by);
    const k = this.conflicts.get(this.ck(id, machine));
    if (!k) throw new VaultNotFoundError(noConflict(id, machine));
    if (c === 'machine' && k.captureMissingAt !== undefined) throw new VaultInputError(`machine "${k.machine}" no longer holds the conflicted capture; only keeping the vault's can settle this conflict`);
    k.resolution = { choice: c, by, at: this.clock.now() };
    this.creds.get(id)!.updatedAt = this.clock.now();
    this.syncConflictFlag(id);
    return this.full(k);
  }
  async takeConflictedCapture(id: number, password: Buffer, eventId: string, machine: string) {
    checkId('credentialId', id);
    checkPassword(password);
    const ev = checkEventId(eventId);
    checkName('machine', machine);
    const prior = this.applied.get(ev);
    if (prior !== undefined) return { credential: this.copy(this.creds.get(prior)!), applied: false };
    const k = this.conflicts.get(this.ck(id, machine));
    const refusal = takeRefusal(k && this.full(k), id, machine, ev);
    if (refusal) throw new VaultInputError(refusal);
    this.replace(id, password, this.clock.now(), { kind: 'capture', machine: k!.machine, resolvedBy: k!.resolution!.by });
    this.applied.set(ev, id);
    this.conflicts.delete(this.ck(id, machine));
    this.syncConflictFlag(id);
    return { credential: this.copy(this.creds.get(id)!), applied: true };
  }
  async settleConflict(id: number, machine: string, how: ConflictSettlement) {
    checkId('credentialId', id);
    checkName('machine', machine);
    const h = checkSettlement(how);
    const k = this.conflicts.get(this.ck(id, machine));
    if (!k) throw new VaultNotFoundError(noConflict(id, machine));
    if (h === 'vault-kept') {
      if (k.resolution?.choice !== 'vault') throw new VaultInputError(`the conflict of machine "${machine}" on credential ${id} was not resolved as "keep the vault's"`);
      this.conflicts.delete(this.ck(id, machine));
    } else if (k.resolution?.choice === 'machine') {
      delete k.resolution;
      k.captureMissingAt = this.clock.now();
    }
    this.syncConflictFlag(id);
  }
  async recordMachine(machine: { name: string; client: string; filterState: string; journalDepth: number }) {
    checkName('machine name', machine?.name);
    checkName('client name', machine.client);
    checkName('filterState', machine.filterState);
    checkId('journalDepth', machine.journalDepth);
    const client = this.client(machine.client);
    this.machines.set(machine.name.toLowerCase(), { name: machine.name, client: client.name });
  }
  async appendEvents(events: EventRecord[]) {
    events.forEach(checkEvent);
    for (const e of events) {
      if (e.uid !== undefined && this.events.some((x) => x.uid === e.uid && x.machine === e.machine)) continue;
      const { id: _ignored, ...rest } = e;
      this.events.push({ ...rest, id: this.nextEvent++ });
    }
  }
  async queryEvents(q: EventQuery) {
    const match = this.events.filter((e) => (q.sinceMs === undefined || e.time >= q.sinceMs)
      && (q.account === undefined || e.account?.toLowerCase() === q.account.toLowerCase())
      && (q.kind === undefined || e.kind === q.kind) && (q.machine === undefined || e.machine === q.machine)
      && (q.afterId === undefined || e.id! > q.afterId));
    const limit = q.limit ?? 1000;
    return (q.latest ? match.slice(Math.max(0, match.length - limit)) : match.slice(0, limit)).map((e) => ({ ...e }));
  }
  async close() {}
}

interface FakeLocal { name: string; id: number; password: Buffer; gen: number }

export class FakeAccounts implements AccountPort {
  private readonly users = new Map<string, FakeLocal>();
  calls = { listAccounts: 0, verifyPassword: 0, setPassword: 0, getAccount: 0 };
  /** Names whose verification failed, in order (a failed logon on Windows). */
  readonly failedVerifications: string[] = [];
  failSet: Error | undefined;
  private salt = randomBytes(8).toString('hex');

  constructor(readonly machine = 'HOST1') {}

  add(name: string, password: string): this {
    this.users.set(name.toLowerCase(), { name, id: 1000 + this.users.size, password: Buffer.from(password), gen: 1 });
    return this;
  }
  /** A local change made outside pwbridge. */
  change(name: string, password: string): void {
    const u = this.users.get(name.toLowerCase())!;
    u.password = Buffer.from(password);
    u.gen++;
  }
  password(name: string): string | undefined { return this.users.get(name.toLowerCase())?.password.toString('utf8'); }
  private view(u: FakeLocal): LocalAccount {
    return { name: u.name, id: u.id, fingerprint: `${this.salt}:${u.gen}` };
  }
  async listAccounts() { this.calls.listAccounts++; return [...this.users.values()].map((u) => this.view(u)); }
  async getAccount(name: string) { this.calls.getAccount++; const u = this.users.get(name.toLowerCase()); return u && this.view(u); }
  async verifyPassword(name: string, password: Buffer) {
    this.calls.verifyPassword++;
    const u = this.users.get(name.toLowerCase());
    const ok = !!u && u.password.equals(password);
    if (!ok) this.failedVerifications.push(name);
    return ok;
  }
  async setPassword(name: string, password: Buffer) {
    this.calls.setPassword++;
    if (this.failSet) throw this.failSet;
    const u = this.users.get(name.toLowerCase());
    if (!u) throw new Error(`no user ${name}`);
    u.password = Buffer.from(password);
    u.gen++;
  }
}
