// Small in-memory fakes of the ports for unit tests. They keep what the real adapters promise
// (case-insensitive names, idempotency per event id, version checks) and count calls so tests can
// assert on what the code under test did. The lead's integration tests use the real adapters.
import { createHash, randomBytes } from 'node:crypto';
import type { Client, Credential, EventQuery, EventRecord, Flag } from '../../src/domain/types';
import type { AccountPort, LocalAccount } from '../../src/ports/account.port';
import type { EventSink } from '../../src/ports/event-sink.port';
import type {
  EchoStore, JournalEntry, JournalPort, NewJournalEntry, ReconcileMemo, StateStore,
} from '../../src/ports/journal.port';
import {
  VaultConflictError, VaultNotFoundError, type CredentialChange, type NewCredential, type VaultPort,
} from '../../src/ports/vault.port';

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

export class FakeVault implements VaultPort {
  readonly clients = new Map<string, Client>();
  readonly creds = new Map<number, Credential>();
  readonly passwords = new Map<number, Buffer>();
  private readonly applied = new Map<string, number>();
  private nextCred = 1;
  /** Errors thrown by the next capture writes (setPasswordFromCapture, createFromCapture), one per call. */
  readonly failures: Error[] = [];
  /** Errors thrown by the next getClient calls, one per call. */
  readonly lookupFailures: Error[] = [];
  readonly handedOut: Buffer[] = [];
  calls = { setPasswordFromCapture: 0, createFromCapture: 0, readPassword: 0, setFlag: 0, listCredentials: 0 };

  constructor(private readonly clock: FakeClock) {}

  private maybeFail() { const e = this.failures.shift(); if (e) throw e; }
  private lk(client: string, username: string) {
    return [...this.creds.values()].find((c) => c.client.toLowerCase() === client.toLowerCase() && c.username.toLowerCase() === username.toLowerCase());
  }
  password(id: number): string | undefined { return this.passwords.get(id)?.toString('utf8'); }
  byName(username: string): Credential | undefined { return [...this.creds.values()].find((c) => c.username.toLowerCase() === username.toLowerCase()); }
  /** A change made in the vault (a person edits the credential): new version, new time. */
  changeInVault(id: number, password: string): void {
    const c = this.creds.get(id)!;
    this.passwords.set(id, Buffer.from(password));
    Object.assign(c, { version: c.version + 1, updatedAt: this.clock.now(), passwordSetAt: this.clock.now() });
  }

  async addClient(client: Client) { this.clients.set(client.name.toLowerCase(), { ...client }); return client; }
  async getClient(name: string) { const f = this.lookupFailures.shift(); if (f) throw f; const c = this.clients.get(name.toLowerCase()); return c && { ...c }; }
  async listClients() { return [...this.clients.values()]; }

  async addCredential(cred: NewCredential): Promise<Credential> {
    const c: Credential = { id: this.nextCred++, client: cred.client, username: cred.username, windowsSync: cred.windowsSync, mode: cred.mode, version: 1, flags: [], updatedAt: this.clock.now(), passwordSetAt: this.clock.now() };
    this.creds.set(c.id, c);
    this.passwords.set(c.id, Buffer.from(cred.password));
    return { ...c, flags: [...c.flags] };
  }
  async updateCredential(client: string, username: string, change: CredentialChange): Promise<Credential> {
    const c = this.lk(client, username);
    if (!c) throw new VaultNotFoundError(username);
    if (change.mode) c.mode = change.mode;
    if (change.windowsSync !== undefined) c.windowsSync = change.windowsSync;
    if (change.password) this.changeInVault(c.id, change.password.toString('utf8'));
    return { ...c };
  }
  async listCredentials(client: string) {
    this.calls.listCredentials++;
    return [...this.creds.values()].filter((c) => c.client.toLowerCase() === client.toLowerCase()).map((c) => ({ ...c, flags: [...c.flags] }));
  }
  async findCredential(client: string, username: string) { const c = this.lk(client, username); return c && { ...c, flags: [...c.flags] }; }
  async readPassword(id: number) {
    this.calls.readPassword++;
    const p = this.passwords.get(id);
    if (!p) throw new VaultNotFoundError(`credential ${id}`);
    const b = Buffer.from(p);
    this.handedOut.push(b);
    return b;
  }
  /** The next capture write is applied, then its answer is lost (a hub timeout after COMMIT). */
  loseNextAnswer = false;
  async setPasswordFromCapture(id: number, password: Buffer, baseVersion: number, eventId: string, capturedAt?: number) {
    this.calls.setPasswordFromCapture++;
    this.maybeFail();
    const c = this.creds.get(id);
    if (!c) throw new VaultNotFoundError(`credential ${id}`);
    if (this.applied.has(eventId)) return { credential: { ...c }, applied: false };
    if (c.version !== baseVersion) throw new VaultConflictError(id, baseVersion, c.version);
    this.passwords.set(id, Buffer.from(password));
    Object.assign(c, { version: c.version + 1, updatedAt: this.clock.now(), passwordSetAt: capturedAt ?? this.clock.now() });
    this.applied.set(eventId, id);
    if (this.loseNextAnswer) { this.loseNextAnswer = false; throw new Error('socket hang up'); }
    return { credential: { ...c }, applied: true };
  }
  async createFromCapture(cred: NewCredential, eventId: string, capturedAt?: number) {
    this.calls.createFromCapture++;
    this.maybeFail();
    const prior = this.applied.get(eventId);
    if (prior !== undefined) return { credential: { ...this.creds.get(prior)! }, applied: false };
    const c = await this.addCredential(cred);
    if (capturedAt !== undefined) { this.creds.get(c.id)!.passwordSetAt = capturedAt; c.passwordSetAt = capturedAt; }
    this.applied.set(eventId, c.id);
    return { credential: c, applied: true };
  }
  async setFlag(id: number, flag: Flag, on: boolean) {
    this.calls.setFlag++;
    const c = this.creds.get(id);
    if (!c) throw new VaultNotFoundError(`credential ${id}`);
    c.flags = c.flags.filter((f) => f !== flag);
    if (on) c.flags.push(flag);
  }
  async recordMachine() {}
  async appendEvents(_events: EventRecord[]) {}
  async queryEvents(_q: EventQuery) { return []; }
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
