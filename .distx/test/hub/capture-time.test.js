"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A capture time from the future, against a real hub over HTTPS on both engines. An enrolled agent that
// sends a far-future capturedAt (sent raw here, as a forging agent would, past HttpVault's clock) must not
// turn the later, legitimate captures of other machines into conflicts: the hub stores its own time of
// arrival instead and records an event. Within the tolerance, and from agents whose clocks are 10 minutes
// off (HttpVault moves their times onto the hub's), the time is kept exactly as sent.
const node_assert_1 = require("node:assert");
const capture_time_1 = require("../../src/hub/capture-time");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_1 = require("../helpers/hub");
const OP = 'otto';
const OP_PW = 'Operator-Pw-canary-1c9a';
const YEAR_MS = 365 * 86_400_000;
let seq = 0;
const eventId = () => (++seq).toString(16).padStart(32, '0');
const b64 = (s) => Buffer.from(s).toString('base64');
/** The classify stage's race rule (src/pipeline/classify.ts): a capture older than the vault's password is a conflict. */
const wouldConflict = (cred, capturedAt) => cred.passwordSetAt > capturedAt;
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub: capture times from the future (${engine})`, function () {
        this.timeout(60_000);
        let t;
        let admin;
        const agents = {};
        const enrol = async (machine) => {
            const r = await t.client(await t.token(OP, OP_PW)).request('POST', '/api/agents', { client: 'Acme', machine });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            agents[machine] = { token: r.body.token, raw: t.client(r.body.token) };
        };
        const stored = async (username) => (await t.hub.vault.findCredential('Acme', username));
        const clampEvents = async () => t.hub.vault.queryEvents({ kind: 'capture-time-clamped', limit: 1000 });
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine);
            await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
            admin = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
            await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'change', agentsWriteShared: true }); // test 1 captures into the shared carol
            for (const m of ['WS01', 'WS02', 'AHEAD', 'BEHIND'])
                await enrol(m);
        });
        after(async () => {
            await admin?.close();
            await t?.close();
        });
        it('a far-future capturedAt is stored as the hub\'s time of arrival, with an event; another machine\'s later capture of the shared credential is then no conflict', async () => {
            const cred = await admin.addCredential({ client: 'Acme', username: 'carol', password: Buffer.from('initial-pw-1'), windowsSync: true, mode: 'change' });
            const forged = Date.now() + YEAR_MS;
            const before = Date.now();
            const r = await agents.WS01.raw.request('POST', '/api/vault/setPasswordFromCapture', { credentialId: cred.id, password: b64('forged-pw-1'), baseVersion: cred.version, eventId: eventId(), capturedAt: forged });
            const after = Date.now();
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            node_assert_1.strict.equal(r.body.applied, true, 'the write itself goes through');
            const setAt = (await stored('carol')).passwordSetAt;
            node_assert_1.strict.ok(setAt >= before && setAt <= after, `passwordSetAt ${setAt} is the hub's time of arrival, in [${before}, ${after}], not ${forged}`);
            const ev = await clampEvents();
            node_assert_1.strict.equal(ev.length, 1, JSON.stringify(ev));
            node_assert_1.strict.equal(ev[0].machine, 'WS01');
            node_assert_1.strict.equal(ev[0].account, 'carol');
            node_assert_1.strict.equal(ev[0].credentialId, cred.id);
            node_assert_1.strict.match(ev[0].reason, new RegExp(`^capture time ${new Date(forged).toISOString()} was \\d+ s ahead of the hub's clock \\(more than 5 s\\): stored as the hub's time of arrival ${new Date(setAt).toISOString()}; sent by agent "WS01"`));
            // WS02 captures a change of the shared credential a moment later, through the real adapter.
            const ws02 = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agents.WS02.token);
            try {
                await new Promise((res) => setTimeout(res, 20));
                const capturedAt = Date.now();
                const seen = (await ws02.findCredential('Acme', 'carol'));
                node_assert_1.strict.equal(wouldConflict(seen, capturedAt), false, `a capture at ${capturedAt} after passwordSetAt ${seen.passwordSetAt} is not a conflict`);
                const w = await ws02.setPasswordFromCapture(seen.id, Buffer.from('ws02-pw-1'), seen.version, eventId(), capturedAt);
                node_assert_1.strict.equal(w.applied, true);
                node_assert_1.strict.equal((await stored('carol')).passwordSetAt, capturedAt, 'a capture time of now is kept as sent');
            }
            finally {
                await ws02.close();
            }
            node_assert_1.strict.equal((await clampEvents()).length, 1, 'no event for a time that was kept');
        });
        it('createFromCapture too; a retry of the same event stores and records nothing more', async () => {
            const forged = Date.now() + 10 * 60_000;
            const body = { credential: { client: 'Acme', username: 'WS01\\dave', password: b64('dave-pw-1'), windowsSync: true, mode: 'change' }, eventId: eventId(), capturedAt: forged };
            const before = Date.now();
            const r = await agents.WS01.raw.request('POST', '/api/vault/createFromCapture', body);
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            node_assert_1.strict.equal(r.body.applied, true);
            const setAt = (await stored('WS01\\dave')).passwordSetAt;
            node_assert_1.strict.ok(setAt >= before && setAt <= Date.now(), `passwordSetAt ${setAt}, not ${forged}`);
            const again = await agents.WS01.raw.request('POST', '/api/vault/createFromCapture', body);
            node_assert_1.strict.equal(again.body.applied, false);
            node_assert_1.strict.deepEqual((await clampEvents()).map((e) => e.account), ['carol', 'WS01\\dave']);
        });
        it('a capturedAt within the tolerance ahead is kept exactly as sent', async () => {
            const cred = await admin.addCredential({ client: 'Acme', username: 'WS01\\erin', password: Buffer.from('erin-pw-1'), windowsSync: true, mode: 'change' });
            const events = (await clampEvents()).length;
            const ahead = Date.now() + capture_time_1.FUTURE_CAPTURE_TOLERANCE_MS - 2_000;
            const r = await agents.WS01.raw.request('POST', '/api/vault/setPasswordFromCapture', { credentialId: cred.id, password: b64('erin-pw-2'), baseVersion: cred.version, eventId: eventId(), capturedAt: ahead });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            node_assert_1.strict.equal((await stored('WS01\\erin')).passwordSetAt, ahead);
            node_assert_1.strict.equal((await clampEvents()).length, events, 'no new event');
        });
        for (const [machine, skewMs] of [['AHEAD', 10 * 60_000], ['BEHIND', -10 * 60_000]]) {
            it(`an agent whose clock is ${skewMs / 60_000} min off: its captures are kept as it stamped them (on the hub's clock), no event, and its next capture is no conflict`, async () => {
                const username = `${machine}\\frank`;
                await admin.addCredential({ client: 'Acme', username, password: Buffer.from('frank-pw-1'), windowsSync: true, mode: 'change' });
                const events = (await clampEvents()).length;
                const agentNow = () => Date.now() + skewMs;
                const v = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agents[machine].token, { now: agentNow });
                try {
                    for (let i = 2; i <= 3; i++) {
                        const seen = (await v.findCredential('Acme', username));
                        const capturedAt = agentNow();
                        node_assert_1.strict.equal(wouldConflict(seen, capturedAt), false, `capture ${i}: passwordSetAt ${seen.passwordSetAt} vs captured ${capturedAt}`);
                        const w = await v.setPasswordFromCapture(seen.id, Buffer.from(`frank-pw-${i}`), seen.version, eventId(), capturedAt);
                        node_assert_1.strict.equal(w.applied, true);
                        node_assert_1.strict.equal(w.credential.passwordSetAt, capturedAt, 'read back exactly as stamped, on the agent\'s clock');
                        await new Promise((res) => setTimeout(res, 20));
                    }
                }
                finally {
                    await v.close();
                }
                node_assert_1.strict.equal((await clampEvents()).length, events, 'no new event');
            });
        }
        it('an agent may not append a capture-time-clamped event itself (only the hub records those)', async () => {
            const r = await agents.WS01.raw.request('POST', '/api/vault/appendEvents', { events: [{ time: Date.now(), machine: 'WS01', kind: 'capture-time-clamped', outcome: 'info', reason: 'forged' }] });
            node_assert_1.strict.equal(r.status, 403, JSON.stringify(r.body));
        });
    });
}
//# sourceMappingURL=capture-time.test.js.map