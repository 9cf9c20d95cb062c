"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const rxjs_1 = require("rxjs");
const vault_port_1 = require("../../src/ports/vault.port");
const fakes_1 = require("../helpers/fakes");
const world_1 = require("./world");
describe('journal processor: classify and act', () => {
    it('pushes a local change of a known account to the vault (two-way sync) and wipes the password', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'old');
        const id = w.change('alice', 'N3w-pass');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'N3w-pass');
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'done');
        node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'synced');
        node_assert_1.strict.deepEqual(w.events.forTrace(id).map((e) => [e.kind, e.outcome, e.credentialId]), [['change-synced', 'ok', c.id]]);
        node_assert_1.strict.ok(w.opener.handedOut.length === 1 && w.opener.allWiped(), 'opened password wiped');
    });
    it('matches names case-insensitively', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('host1\\Alice', 'old');
        w.change('ALICE', 'x1');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'x1');
    });
    it('prefers MACHINE\\user over the shared user, and uses the shared one when it is alone (and the client lets agents write it)', async () => {
        const w = (0, world_1.world)({ client: { agentsWriteShared: true } });
        const shared = await w.cred('bob', 'shared');
        const mine = await w.cred('HOST1\\bob', 'mine');
        const carol = await w.cred('carol', 'c0');
        w.change('bob', 'b2');
        w.change('carol', 'c2');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(mine.id), 'b2');
        node_assert_1.strict.equal(w.vault.password(shared.id), 'shared');
        node_assert_1.strict.equal(w.vault.password(carol.id), 'c2');
    });
    it('refuses a change to a shared credential when the client does not let agents write them: recorded, closed, never retried', async () => {
        const w = (0, world_1.world)();
        const shared = await w.cred('carol', 'c0');
        const mine = await w.cred('HOST1\\dave', 'd0');
        const id = w.change('carol', 'c2');
        const ok = w.change('dave', 'd2');
        const outcomes = [];
        w.proc.outcomes$.subscribe((o) => outcomes.push(`${o.account}:${o.result}`));
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(shared.id), 'c0', 'the vault keeps its password');
        node_assert_1.strict.equal(w.vault.password(mine.id), 'd2', 'the machine\'s own credential still syncs');
        const ev = w.events.forTrace(id);
        node_assert_1.strict.deepEqual(ev.map((e) => [e.kind, e.outcome, e.credentialId]), [['shared-write-refused', 'refused', shared.id]]);
        node_assert_1.strict.match(ev[0].reason, /"carol" is shared by every machine of client "acme".*does not let agents write shared credentials/);
        node_assert_1.strict.deepEqual([w.journal.get(id)?.state, w.journal.get(id)?.outcome], ['done', 'refused']);
        node_assert_1.strict.equal(w.journal.get(ok)?.state, 'done');
        node_assert_1.strict.deepEqual(outcomes.sort(), ['carol:refused', 'dave:synced']);
        // Nothing is left to retry, however long the service runs.
        node_assert_1.strict.equal(w.journal.depth(), 0);
        w.clock.advance(3_600_000);
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.calls.setPasswordFromCapture, 2);
        node_assert_1.strict.ok(w.opener.allWiped(), 'the password was wiped');
    });
    it('auto-creates MACHINE\\user with the client default mode when the client allows it', async () => {
        const w = (0, world_1.world)({ client: { autoCreate: true, defaultMode: 'change' } });
        const id = w.change('dave', 'd4ve!');
        await w.proc.drain();
        const c = w.vault.byName('HOST1\\dave');
        node_assert_1.strict.ok(c, 'credential created');
        node_assert_1.strict.equal(c.username, 'HOST1\\dave');
        node_assert_1.strict.equal(c.mode, 'change');
        node_assert_1.strict.equal(c.windowsSync, true);
        node_assert_1.strict.equal(w.vault.password(c.id), 'd4ve!');
        node_assert_1.strict.equal(w.events.forTrace(id)[0].kind, 'credential-created');
    });
    it('skips an unknown account when auto-create is off, and logs why', async () => {
        const w = (0, world_1.world)();
        const id = w.change('erin', 'e');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.creds.size, 0);
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'done');
        node_assert_1.strict.equal(w.events.forTrace(id)[0].reason, 'unknown account, auto-create off');
    });
    it('never pushes excluded accounts and never opens their passwords', async () => {
        const w = (0, world_1.world)({ client: { autoCreate: true } });
        const ids = ['WS01$', 'KRBTGT', 'krbtgt_8245', 'SVC-PWBRIDGE', 'Guest'].map((a) => w.change(a, 'pw'));
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.creds.size, 0);
        node_assert_1.strict.equal(w.opener.calls, 0);
        const reasons = ids.map((id) => w.events.forTrace(id)[0]);
        node_assert_1.strict.ok(reasons.every((e) => e.kind === 'change-ignored' && e.outcome === 'skipped'));
        node_assert_1.strict.deepEqual(reasons.map((e) => e.reason), [
            'machine account (name ends with $)', 'krbtgt account', 'krbtgt account', 'pwbridge service account', 'excluded by configuration',
        ]);
        node_assert_1.strict.ok(ids.every((id) => w.journal.get(id)?.outcome === 'excluded'));
    });
    it('suppresses the echo of a password pwbridge set itself, once', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'Vault-1');
        w.echo.remember('alice', Buffer.from('Vault-1'), w.clock.now() + 30_000);
        const first = w.change('alice', 'Vault-1');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.calls.setPasswordFromCapture, 0);
        node_assert_1.strict.equal(w.events.forTrace(first)[0].kind, 'echo-suppressed');
        node_assert_1.strict.equal(w.journal.get(first)?.outcome, 'echo');
        const second = w.change('alice', 'Vault-1');
        await w.proc.drain();
        node_assert_1.strict.equal(w.events.forTrace(second)[0].kind, 'change-synced', 'the echo record is consumed by the first report');
        node_assert_1.strict.equal(w.vault.creds.get(c.id)?.version, 2);
    });
    it('flags a conflict and does not overwrite when the vault changed after the local change', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        w.clock.advance(5);
        w.vault.changeInVault(c.id, 'vault-newer');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'vault-newer');
        node_assert_1.strict.deepEqual(w.vault.creds.get(c.id)?.flags, ['conflict']);
        const ev = w.events.forTrace(id)[0];
        node_assert_1.strict.deepEqual([ev.kind, ev.outcome], ['conflict', 'flagged']);
        node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'conflict');
        node_assert_1.strict.equal(w.vault.calls.setPasswordFromCapture, 0);
    });
    it('flags a conflict when the vault refuses the write as based on an old version', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        w.vault.failures.push(new vault_port_1.VaultConflictError(c.id, 1, 2));
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'v1');
        node_assert_1.strict.deepEqual(w.vault.creds.get(c.id)?.flags, ['conflict']);
        node_assert_1.strict.equal(w.events.forTrace(id)[0].kind, 'conflict');
    });
    it('holds nothing back silently when the filter is not active: logged with the state, entry closed', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        w.filter.active = false;
        w.filter.state = 'pending-reboot';
        const id = w.change('alice', 'local');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'v1');
        node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'filter-inactive');
        node_assert_1.strict.equal(w.events.forTrace(id)[0].reason, 'filter not active (pending-reboot)');
    });
    it('skips with a reason when the client, the credential or two-way sync is off', async () => {
        const cases = [
            [{ client: { windowsSync: false } }, true, 'client windows sync off'],
            [{ client: { twoWaySync: false } }, true, 'two-way sync off'],
            [{}, false, 'credential windows sync off'],
            [{ client: null }, true, "client 'acme' not in the vault"],
        ];
        for (const [opts, credSync, reason] of cases) {
            const w = (0, world_1.world)(opts);
            // A vault holds no credential of a client it does not have.
            const c = opts?.client === null ? undefined : await w.cred('HOST1\\alice', 'v1', { windowsSync: credSync });
            const id = w.change('alice', 'local');
            await w.proc.drain();
            if (c)
                node_assert_1.strict.equal(w.vault.password(c.id), 'v1', reason);
            else
                node_assert_1.strict.equal(w.vault.creds.size, 0, reason);
            node_assert_1.strict.equal(w.events.forTrace(id)[0].reason, reason);
            node_assert_1.strict.equal(w.journal.get(id)?.state, 'done');
        }
    });
    it('a retry whose earlier attempt landed (answer lost) ends as a duplicate, not a conflict', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        w.clock.advance(10);
        const id = w.change('alice', 'local');
        w.vault.loseNextAnswer = true;
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.attempts, 1);
        w.clock.advance(1000);
        w.vault.creds.get(c.id).flags.push('mismatch'); // a flag change meanwhile does not touch passwordSetAt
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'duplicate');
        node_assert_1.strict.deepEqual(w.vault.creds.get(c.id)?.flags, ['mismatch']);
        node_assert_1.strict.equal(w.vault.creds.get(c.id)?.version, 2);
    });
    it('a flag or mode change in the vault after the capture is not a conflict', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        w.clock.advance(5);
        await w.vault.updateCredential('acme', 'HOST1\\alice', { mode: 'change' });
        w.vault.creds.get(c.id).updatedAt = w.clock.now();
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'synced');
        node_assert_1.strict.equal(w.vault.password(c.id), 'local');
    });
    it('records the capture time as the vault password time, so a stale late capture is flagged', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        w.clock.advance(10);
        const newer = w.change('alice', 'newer');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.creds.get(c.id)?.passwordSetAt, w.journal.get(newer)?.capturedAt);
        const stale = w.change('alice', 'older', { capturedAt: w.clock.now() - 5 });
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'newer');
        node_assert_1.strict.equal(w.journal.get(stale)?.outcome, 'conflict');
    });
    it('treats an already-applied event as a duplicate (no second effect)', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        await w.vault.setPasswordFromCapture(c.id, Buffer.from('local'), 1, id); // same ms: not a race
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.creds.get(c.id)?.version, 2);
        node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'duplicate');
        node_assert_1.strict.equal(w.events.forTrace(id)[0].kind, 'change-duplicate');
    });
    it('coalesces: the latest change wins, earlier ones are superseded and logged, never opened', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const ids = [w.change('alice', 'one'), w.change('Alice', 'two'), w.change('alice', 'three')];
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'three');
        node_assert_1.strict.equal(w.vault.calls.setPasswordFromCapture, 1);
        node_assert_1.strict.equal(w.opener.calls, 1);
        for (const id of ids.slice(0, 2)) {
            node_assert_1.strict.equal(w.journal.get(id)?.state, 'superseded');
            node_assert_1.strict.equal(w.events.forTrace(id)[0].kind, 'change-superseded');
        }
        node_assert_1.strict.equal(w.journal.get(ids[2])?.outcome, 'synced');
    });
    it('coalesces by capture time, not arrival: a spooled change journaled after a newer live one never wins', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        w.clock.advance(1000);
        // The live change arrives first; the one captured 500 ms before it was spooled and drained later.
        const live = w.change('alice', 'newest', { capturedAt: w.clock.now() });
        const spooled = w.change('alice', 'older-spooled', { capturedAt: w.clock.now() - 500 });
        node_assert_1.strict.ok(w.journal.get(spooled).seq > w.journal.get(live).seq, 'the spooled one is later in the journal');
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'newest');
        node_assert_1.strict.equal(w.vault.creds.get(c.id)?.passwordSetAt, w.journal.get(live)?.capturedAt);
        node_assert_1.strict.equal(w.journal.get(live)?.outcome, 'synced');
        node_assert_1.strict.equal(w.journal.get(spooled)?.state, 'superseded');
        node_assert_1.strict.equal(w.events.forTrace(spooled)[0].kind, 'change-superseded');
        node_assert_1.strict.equal(w.vault.creds.get(c.id)?.flags.length ?? 0, 0, 'no conflict flagged');
    });
    it('a newer change waiting out a retry keeps waiting; the older one that arrived after it is superseded, not pushed', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        w.clock.advance(1000);
        const live = w.change('alice', 'newest', { capturedAt: w.clock.now() });
        w.vault.failures.push(new Error('hub unreachable'));
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(live)?.state, 'pending', 'retrying');
        const spooled = w.change('alice', 'older-spooled', { capturedAt: w.clock.now() - 500 });
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(spooled)?.state, 'superseded');
        node_assert_1.strict.equal(w.vault.password(c.id), 'v1', 'nothing pushed while the newest waits');
        w.clock.advance(10_000);
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'newest');
    });
    it('refuses passwords that cannot be stored without loss, and stores an emoji byte-exact', async () => {
        const w = (0, world_1.world)();
        const a = await w.cred('HOST1\\a', 'v'), b = await w.cred('HOST1\\b', 'v'), e = await w.cred('HOST1\\e', 'v'), r = await w.cred('HOST1\\r', 'v');
        const lone = Buffer.from([0x41, 0x00, 0x3d, 0xd8]); // "A" + lone high surrogate
        const ia = w.change('a', lone, { encoding: 2 });
        const ib = w.change('b', Buffer.from([0x70, 0xc3, 0x28]), { encoding: 1 });
        w.change('e', 'k\u{1F511}y', { encoding: 2 });
        w.change('r', Buffer.from('r\u{1F600}', 'utf8'), { encoding: 1 });
        await w.proc.drain();
        for (const [id, cr] of [[ia, a], [ib, b]]) {
            node_assert_1.strict.equal(w.vault.password(cr.id), 'v');
            const ev = w.events.forTrace(id)[0];
            node_assert_1.strict.equal(ev.outcome, 'refused');
            node_assert_1.strict.match(ev.reason ?? '', /^password-unrepresentable/);
            node_assert_1.strict.equal(w.journal.get(id)?.outcome, 'refused');
        }
        node_assert_1.strict.ok(w.vault.passwords.get(e.id)?.equals(Buffer.from('k\u{1F511}y', 'utf8')));
        node_assert_1.strict.ok(w.vault.passwords.get(r.id)?.equals(Buffer.from('r\u{1F600}', 'utf8')));
        node_assert_1.strict.ok(w.opener.allWiped());
    });
    it('retries vault errors with capped exponential backoff, then dead-letters the event', async () => {
        // Attempts at 0, 1000, 3000, 7000, 11000 s retry; the one at 15000 is past the 14 s age limit.
        const w = (0, world_1.world)({ options: { retryBaseMs: 1000, retryMaxMs: 4000, maxEventAgeMs: 14_000 } });
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        const down = () => { for (let i = 0; i < 20; i++)
            w.vault.failures.push(new Error('ECONNREFUSED')); };
        down();
        const t0 = w.clock.now();
        await w.proc.drain();
        node_assert_1.strict.deepEqual([w.journal.get(id)?.attempts, w.journal.get(id)?.nextAttemptAt], [1, t0 + 1000]);
        w.clock.advance(999);
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.attempts, 1, 'not retried before it is due');
        const delays = [];
        for (let i = 0; i < 4; i++) {
            w.clock.t = w.journal.get(id).nextAttemptAt;
            const before = w.clock.now();
            await w.proc.drain();
            delays.push(w.journal.get(id).nextAttemptAt - before);
        }
        node_assert_1.strict.deepEqual(delays, [2000, 4000, 4000, 4000]);
        node_assert_1.strict.equal(w.events.of('delivery-retry').length, 5);
        w.clock.t = w.journal.get(id).nextAttemptAt; // now past maxEventAgeMs since receipt
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'dead');
        const dead = w.events.of('dead-letter');
        node_assert_1.strict.deepEqual(dead.map((e) => [e.outcome, e.traceId]), [['failed', id]]);
        node_assert_1.strict.equal(w.vault.password(c.id), 'v1');
    });
    it('retries when looking up the client fails', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        w.vault.lookupFailures.push(new Error('ETIMEDOUT'));
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.attempts, 1);
        node_assert_1.strict.match(w.journal.get(id)?.lastError ?? '', /ETIMEDOUT/);
        w.clock.advance(1000);
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'local');
        node_assert_1.strict.ok(w.opener.allWiped());
    });
    it('succeeds on a retry once the vault answers again', async () => {
        const w = (0, world_1.world)();
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        w.vault.failures.push(new Error('timeout'));
        await w.proc.drain();
        w.clock.advance(1000);
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(c.id), 'local');
        node_assert_1.strict.deepEqual(w.events.forTrace(id).map((e) => e.kind), ['delivery-retry', 'change-synced']);
    });
    it('one broken entry does not stop the others, and drain does not spin on it', async () => {
        const w = (0, world_1.world)();
        const a = await w.cred('HOST1\\alice', 'v1');
        const b = await w.cred('HOST1\\bob', 'v1');
        await w.cred('HOST1\\broken', 'v1');
        const broken = w.change('broken', 'x');
        w.change('alice', 'A2');
        w.change('bob', 'B2');
        const markDone = w.journal.markDone.bind(w.journal);
        w.journal.markDone = (id, outcome) => { if (id === broken)
            throw new Error('SQLITE_BUSY'); markDone(id, outcome); };
        await w.proc.drain();
        node_assert_1.strict.equal(w.vault.password(a.id), 'A2');
        node_assert_1.strict.equal(w.vault.password(b.id), 'B2');
        node_assert_1.strict.equal(w.journal.get(broken)?.state, 'pending', 'left pending for the next tick');
        node_assert_1.strict.deepEqual(w.events.forTrace(broken).map((e) => [e.kind, e.outcome]), [['pipeline-error', 'failed']]);
        // The vault write was idempotent per event id: taking the entry again has no second effect.
        w.journal.markDone = markDone;
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(broken)?.outcome, 'duplicate');
    });
    it('a vault that refuses the caller (the hub no longer takes the token): held for the vault\'s wait, kept past the age limit, delivered once it takes it again', async () => {
        const w = (0, world_1.world)({ options: { retryBaseMs: 1000, retryMaxMs: 4000, maxEventAgeMs: 14_000 } });
        const c = await w.cred('HOST1\\alice', 'v1');
        const id = w.change('alice', 'local');
        for (let i = 0; i < 3; i++)
            w.vault.failures.push(new vault_port_1.VaultRefusedError(401, 'the hub refused this machine\'s agent token (401)', 300_000));
        const t0 = w.clock.now();
        await w.proc.drain();
        node_assert_1.strict.deepEqual([w.journal.get(id)?.state, w.journal.get(id)?.nextAttemptAt], ['pending', t0 + 300_000], 'the vault\'s wait, not the 1 s backoff');
        for (let i = 0; i < 2; i++) {
            w.clock.t = w.journal.get(id).nextAttemptAt; // minutes past the 14 s age limit
            await w.proc.drain();
            node_assert_1.strict.equal(w.journal.get(id)?.state, 'pending', 'never dead-lettered for age while refused');
        }
        node_assert_1.strict.equal(w.events.of('dead-letter').length, 0);
        node_assert_1.strict.equal(w.events.of('delivery-held').length, 3);
        node_assert_1.strict.match(w.events.of('delivery-held')[0].reason ?? '', /refused this machine's agent token \(401\).*kept, next in 300000 ms/);
        w.clock.t = w.journal.get(id).nextAttemptAt;
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'done');
        node_assert_1.strict.equal(w.vault.password(c.id), 'local');
    });
    it('dead-letters an entry whose sealed password cannot be opened, and goes on', async () => {
        const w = (0, world_1.world)();
        const id = w.change('alice', 'x');
        w.opener.fail = true;
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'dead');
        node_assert_1.strict.equal(w.events.forTrace(id)[0].kind, 'dead-letter');
    });
    it('never writes a password into an event or the journal, even when a port echoes it in an error', async () => {
        const w = (0, world_1.world)({ client: { autoCreate: true } });
        await w.cred('HOST1\\alice', 'v1');
        w.change('alice', 'Zebra-S3cret');
        w.vault.failures.push(new Error('policy rejected Zebra-S3cret'));
        await w.proc.drain();
        w.clock.advance(1000);
        await w.proc.drain();
        w.change('newbie', 'Zebra-S3cret');
        w.change('ws$', 'Zebra-S3cret');
        await w.proc.drain();
        const all = JSON.stringify(w.events.list) + JSON.stringify([...w.journal.entries.values()].map(({ sealed: _s, ...rest }) => rest));
        node_assert_1.strict.ok(w.events.list.length >= 4);
        node_assert_1.strict.doesNotMatch(all, /Zebra-S3cret/);
        node_assert_1.strict.match(all, /message withheld/);
    });
});
describe('journal processor: scheduling', () => {
    /** A vault whose capture writes take `ms` and that measures how many run at once, per account and overall. */
    class SlowVault extends fakes_1.FakeVault {
        ms;
        active = 0;
        maxActive = 0;
        perCred = new Map();
        maxPerCred = 0;
        constructor(clock, ms) {
            super(clock);
            this.ms = ms;
        }
        async setPasswordFromCapture(id, pw, base, eventId) {
            const copy = Buffer.from(pw); // the caller wipes pw when we return; keep our own copy across the wait
            this.active++;
            this.maxActive = Math.max(this.maxActive, this.active);
            const n = (this.perCred.get(id) ?? 0) + 1;
            this.perCred.set(id, n);
            this.maxPerCred = Math.max(this.maxPerCred, n);
            await new Promise((r) => setTimeout(r, this.ms));
            this.active--;
            this.perCred.set(id, n - 1);
            return super.setPasswordFromCapture(id, copy, base, eventId);
        }
    }
    it('works on different accounts in parallel up to the bound', async () => {
        const clock = new fakes_1.FakeClock();
        const vault = new SlowVault(clock, 20);
        const w = (0, world_1.world)({ vault, options: { concurrency: 2 } });
        for (const n of ['a', 'b', 'c', 'd', 'e']) {
            await w.cred(`HOST1\\${n}`, 'v');
            w.change(n, `${n}2`);
        }
        await w.proc.drain();
        node_assert_1.strict.equal(vault.maxActive, 2);
        node_assert_1.strict.equal(vault.calls.setPasswordFromCapture, 5);
    });
    it('never works on one account twice at once; a wake during work picks up only the new entry', async () => {
        const clock = new fakes_1.FakeClock();
        const vault = new SlowVault(clock, 30);
        const w = (0, world_1.world)({ vault });
        const c = await w.cred('HOST1\\alice', 'v');
        const wake$ = new rxjs_1.Subject();
        const collected = (0, rxjs_1.firstValueFrom)(w.proc.outcomes$.pipe((0, rxjs_1.take)(2), (0, rxjs_1.toArray)(), (0, rxjs_1.timeout)(5000)));
        const first = w.change('alice', 'one');
        const sub = w.proc.run(wake$);
        await new Promise((r) => setTimeout(r, 10)); // the first write is in flight now
        node_assert_1.strict.equal(vault.active, 1);
        wake$.next(1); // a wake with nothing new must not re-pick the in-flight entry
        const second = w.change('alice', 'two');
        wake$.next(1);
        const outcomes = (await collected).map((o) => `${o.eventId}:${o.result}`);
        await new Promise((r) => setTimeout(r, 50)); // room for a wrong third pass to show up
        sub.unsubscribe();
        node_assert_1.strict.equal(vault.maxPerCred, 1);
        node_assert_1.strict.deepEqual(outcomes, [`${first}:synced`, `${second}:synced`]);
        node_assert_1.strict.equal(w.vault.password(c.id), 'two');
        node_assert_1.strict.equal(w.events.forTrace(first).length, 1);
        node_assert_1.strict.equal(vault.calls.setPasswordFromCapture, 2);
    });
    it('run() keeps polling while a poll hits the batch limit, with no further wake', async () => {
        const w = (0, world_1.world)({ options: { batchSize: 2, concurrency: 1 } });
        for (const n of ['a', 'b', 'c', 'd', 'e']) {
            await w.cred(`HOST1\\${n}`, 'v');
            w.change(n, `${n}2`);
        }
        const all = (0, rxjs_1.firstValueFrom)(w.proc.outcomes$.pipe((0, rxjs_1.take)(5), (0, rxjs_1.toArray)(), (0, rxjs_1.timeout)(5000)));
        const sub = w.proc.run(new rxjs_1.Subject());
        const outcomes = await all;
        sub.unsubscribe();
        node_assert_1.strict.deepEqual(outcomes.map((o) => o.result), ['synced', 'synced', 'synced', 'synced', 'synced']);
        node_assert_1.strict.equal(w.journal.depth(), 0);
    });
    it('run() retries on its own timer when the backoff has passed', async () => {
        const clock = { now: () => Date.now() };
        const w = (0, world_1.world)({ options: { retryBaseMs: 40, now: clock.now } });
        // The fake clock of world() stamps receivedAt; re-stamp so the real clock and the journal agree.
        const c = await w.cred('HOST1\\alice', 'v');
        const id = w.change('alice', 'local');
        Object.assign(w.journal.get(id), { receivedAt: Date.now(), capturedAt: Date.now(), nextAttemptAt: Date.now() });
        Object.assign(w.vault.creds.get(c.id), { updatedAt: 0, passwordSetAt: 0 });
        w.vault.failures.push(new Error('timeout'));
        const seen = [];
        const t0 = Date.now();
        w.proc.outcomes$.subscribe((o) => seen.push([o.result, Date.now() - t0]));
        const synced = (0, rxjs_1.firstValueFrom)(w.proc.outcomes$.pipe((0, rxjs_1.filter)((o) => o.result === 'synced'), (0, rxjs_1.timeout)(5000)));
        const sub = w.proc.run(new rxjs_1.Subject()); // no wake at all: only the retry timer can bring the second attempt
        await synced;
        sub.unsubscribe();
        node_assert_1.strict.deepEqual(seen.map((s) => s[0]), ['retry', 'synced']);
        node_assert_1.strict.ok(seen[1][1] >= 35, `retried after ${seen[1][1]} ms`);
    });
});
//# sourceMappingURL=process-journal.test.js.map