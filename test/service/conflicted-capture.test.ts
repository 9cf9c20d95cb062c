/**
 * The agent keeps a conflicted capture: the real journal processor (classify → act), the real journal in a
 * real state.db, the real embedded vault, real sealing (Sealer → Opener) and the real reconcile pass that
 * carries out the hub's choices. Only the local accounts are the fake (FakeAccounts): the browser test
 * (test/hub/conflicts.browser.test.ts) does it with a real local account.
 */
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { createJournalProcessor } from '../../src/pipeline/process-journal';
import type { ProcessorOptions } from '../../src/pipeline/deps';
import { Opener, Sealer } from '../../src/protocol/seal';
import { reconcileOnce } from '../../src/reconcile';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { FakeAccounts, FakeEvents } from '../helpers/fakes';
import { makeTempDir } from '../helpers/tmp';

const MACHINE = 'HOST1';
const CLIENT = 'acme';

describe('the agent keeps a conflicted capture until the conflict is resolved', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let state: StateDb;
  let vault: SqliteVault;
  let opener: Opener;
  let sealer: Sealer;
  let events: FakeEvents;
  let accounts: FakeAccounts;
  let wakes: number;
  const statePath = () => path.join(tmp.dir, 'state.db');

  const openState = (keepFinished?: number) => openStateDb(statePath(), { echoKey: Buffer.alloc(32, 7), keepFinished });
  const processor = () => createJournalProcessor(
    {
      journal: state.journal, vault, echo: state.echo, events,
      open: (e) => opener.open(e.sealed, Buffer.from(e.eventId, 'hex'), Buffer.from(e.account, 'utf8'), e.encoding as 1 | 2),
      filterActive: () => true,
    },
    {
      machine: MACHINE, client: CLIENT, serviceAccount: 'svc-pwbridge', exclude: [], concurrency: 2, retryBaseMs: 1000, retryMaxMs: 8000,
      maxEventAgeMs: 3_600_000, echoTtlMs: 30_000, now: Date.now, pollMs: 0,
    } satisfies ProcessorOptions,
  );
  const reconcile = () => reconcileOnce(
    { vault, accounts, state: state.state, echo: state.echo, events, journal: state.journal, wakeJournal: () => { wakes++; } },
    { machine: MACHINE, client: CLIENT, echoTtlMs: 30_000, now: Date.now },
  );
  /** A capture as the PAM module or the LSA filter sends it: sealed to the bridge key, journaled. */
  const capture = (account: string, password: string, capturedAt: number): string => {
    const id = randomBytes(16);
    const eventId = id.toString('hex');
    state.journal.append([{
      eventId, machine: MACHINE, account, accountId: 1001, capturedAt, receivedAt: Date.now(), encoding: 1,
      sealed: sealer.seal(Buffer.from(password), id, Buffer.from(account, 'utf8'), 1),
    }]);
    return eventId;
  };
  const password = async (id: number) => { const b = await vault.readPassword(id); const s = b.toString(); b.fill(0); return s; };

  beforeEach(async () => {
    tmp = makeTempDir();
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    opener = new Opener(ecdh.getPrivateKey());
    sealer = new Sealer(ecdh.getPublicKey());
    state = openState();
    vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: randomBytes(32) });
    await vault.addClient({ name: CLIENT, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
    events = new FakeEvents();
    accounts = new FakeAccounts(MACHINE);
    wakes = 0;
  });
  afterEach(async () => {
    state.close();
    await vault.close();
    sealer.close();
    tmp.cleanup();
  });

  /** alice's capture made before the vault's newer password: flagged, kept. Returns the credential id and the capture's event id. */
  async function conflicted(mode: 'report' | 'change' = 'report') {
    accounts.add('alice', 'Local-Older-1');
    const before = Date.now() - 60_000;
    const c = await vault.addCredential({ client: CLIENT, username: `${MACHINE}\\alice`, password: Buffer.from('Vault-Newer-1'), windowsSync: true, mode },
      undefined, { kind: 'user', user: 'bob' });
    const eventId = capture('alice', 'Local-Older-1', before);
    await processor().drain();
    return { id: c.id, eventId };
  }

  it('keeps the capture sealed in state conflicted and records the machine\'s side (never the password) in the vault', async () => {
    const { id, eventId } = await conflicted();
    const entry = state.journal.get(eventId)!;
    assert.equal(entry.state, 'conflicted');
    assert.ok(entry.sealed.length > 0, 'the sealed password is kept');
    assert.deepEqual(state.journal.conflicted('ALICE').map((e) => e.eventId), [eventId]);
    assert.equal(state.journal.depth(), 0, 'not pending work');
    const [k] = await vault.listConflicts();
    assert.equal(k.credentialId, id);
    assert.equal(k.machine, MACHINE);
    assert.equal(k.eventId, eventId);
    assert.deepEqual(k.vault.source, { kind: 'user', user: 'bob' });
    assert.deepEqual((await vault.findCredential(CLIENT, `${MACHINE}\\alice`))!.flags, ['conflict']);
    assert.equal(events.of('conflict').length, 1);
    assert.equal(await password(id), 'Vault-Newer-1', 'the vault was not written');
  });

  it('survives the finished-row cap and a restart', async () => {
    state.close();
    state = openState(5);
    const { eventId } = await conflicted();
    // Far more finished rows than the cap keeps: each capture of bob syncs and finishes.
    await vault.addCredential({ client: CLIENT, username: `${MACHINE}\\bob`, password: Buffer.from('b0'), windowsSync: true, mode: 'report' });
    for (let i = 0; i < 40; i++) {
      capture('bob', `b${i + 1}`, Date.now());
      await processor().drain();
    }
    state.journal.flushMarks();
    const rows = state.db.prepare(`SELECT count(*) FROM journal WHERE state IN ('done', 'superseded')`).pluck().get() as number;
    assert.ok(rows <= 5 + 5, `the cap held the finished rows (${rows})`);
    state.close();
    state = openState(5);
    const kept = state.journal.get(eventId)!;
    assert.equal(kept.state, 'conflicted');
    assert.ok(kept.sealed.length > 0);
  });

  it('"take the machine\'s": the reconcile pass makes it pending, the processor sends it over the conflict, the flag clears', async () => {
    const { id, eventId } = await conflicted();
    await vault.resolveConflict(id, MACHINE, 'machine', 'carol');
    await reconcile();
    assert.equal(wakes, 1, 'the processor was woken');
    assert.equal(state.journal.get(eventId)!.state, 'pending');
    await processor().drain();
    const entry = state.journal.get(eventId)!;
    assert.equal(entry.state, 'done');
    assert.equal(entry.sealed.length, 0, 'wiped once sent');
    assert.equal(await password(id), 'Local-Older-1');
    const cred = (await vault.findCredential(CLIENT, `${MACHINE}\\alice`))!;
    assert.deepEqual(cred.flags, []);
    assert.equal(cred.version, 2);
    assert.deepEqual((await vault.listPasswordHistory(id))[0].source, { kind: 'capture', machine: MACHINE, resolvedBy: 'carol' });
    assert.deepEqual(await vault.listConflicts(), []);
    assert.equal(events.of('conflict-capture-sent')[0]?.outcome, 'ok');
    // The next pass: the local password is the vault's now, nothing to set.
    const r = await reconcile();
    assert.equal(r.set, 0);
    assert.equal(accounts.password('alice'), 'Local-Older-1');
  });

  it('"keep the vault\'s" in Report Mismatches mode: the vault\'s password is set locally once, the capture wiped, the conflict settled', async () => {
    const { id, eventId } = await conflicted('report');
    await vault.resolveConflict(id, MACHINE, 'vault', 'carol');
    assert.deepEqual((await vault.findCredential(CLIENT, `${MACHINE}\\alice`))!.flags, [], 'the flag clears with the choice');
    const r = await reconcile();
    assert.equal(accounts.password('alice'), 'Vault-Newer-1', 'pushed down once, in report mode');
    assert.equal(r.set, 1);
    const entry = state.journal.get(eventId)!;
    assert.equal(entry.state, 'done');
    assert.equal(entry.sealed.length, 0, 'the conflicted capture is wiped');
    assert.deepEqual(await vault.listConflicts(), []);
    assert.equal(events.of('conflict-vault-kept').length, 1);
    // Report mode again afterwards: a later local change is only flagged, never set back.
    accounts.change('alice', 'Local-Later-2');
    await reconcile();
    assert.equal(accounts.password('alice'), 'Local-Later-2');
    assert.deepEqual((await vault.findCredential(CLIENT, `${MACHINE}\\alice`))!.flags, ['mismatch']);
  });

  it('"take the machine\'s" for a capture the journal no longer holds: says so, undoes the choice, the flag stays', async () => {
    const { id, eventId } = await conflicted();
    await vault.resolveConflict(id, MACHINE, 'machine', 'carol');
    // The machine was reinstalled: a new, empty state.db.
    state.close();
    const { rmSync } = await import('node:fs');
    for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) rmSync(path.join(tmp.dir, f), { force: true });
    state = openState();
    assert.equal(state.journal.get(eventId), undefined);
    await reconcile();
    const missing = events.of('conflict-capture-missing');
    assert.equal(missing.length, 1);
    assert.match(missing[0].reason!, /no longer holds it/);
    const [k] = await vault.listConflicts();
    assert.equal(k.resolution, undefined);
    assert.ok(k.captureMissingAt !== undefined);
    assert.ok((await vault.findCredential(CLIENT, `${MACHINE}\\alice`))!.flags.includes('conflict'));
    assert.equal(await password(id), 'Vault-Newer-1');
  });

  it('a newer conflict of the same account replaces the older conflicted capture (wiped)', async () => {
    const { eventId } = await conflicted();
    const second = capture('alice', 'Local-Older-2', Date.now() - 30_000);
    await processor().drain();
    assert.equal(state.journal.get(second)!.state, 'conflicted');
    const old = state.journal.get(eventId)!;
    assert.equal(old.state, 'done');
    assert.equal(old.sealed.length, 0);
    assert.deepEqual((await vault.listConflicts()).map((k) => k.eventId), [second]);
  });
});
