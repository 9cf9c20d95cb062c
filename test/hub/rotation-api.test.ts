// Password rotation through the hub's API (src/hub/api/rotation-routes.ts, src/hub/rotation/), against a real
// hub over HTTPS on SQLite and PostgreSQL, on the test's clock: policies set and refused (bad fields named,
// viewers and agents refused and recorded, a Report Mismatches credential refused), a rotation due on the
// test's clock done by the scheduler's own timer and not a day early, the new password generated to the
// policy and the old one kept in the history, two hub processes on one database rotating a due credential
// once, the rotation event stored before the password changes (the database made to refuse it: nothing
// changes), rotate-after-read after a reveal and its grace (and never after an agent's read), Rotate now.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { CHARACTER_CLASSES } from '../../src/domain/password-policy';
import { REVEAL_PATH, STEP_UP_PATH } from '../../src/hub/api/reveal-routes';
import { DAY_MS } from '../../src/hub/rotation/policy';
import { RotationStore } from '../../src/hub/rotation/rotation-store';
import { ROTATION_PASS_MS } from '../../src/hub/rotation/scheduler';
import type { Hub } from '../../src/hub/server';
import type { HubClient } from '../../src/vault/hub-client';
import { pollUntil } from '../cli/cli';
import { ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { ManualTimers } from '../helpers/manual-timers';
import { refuseInserts } from '../helpers/refuse-inserts';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-3a7c';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-9d21';
const FIRST = 'First-Pw-canary-51e0';
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: password rotation through the API (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    let second: Hub;
    let offset = 0;
    const timers = new ManualTimers();
    let admin: HubClient;
    let operator: HubClient;
    let viewer: HubClient;
    let agent: HubClient;
    const seen: string[] = [FIRST];
    const post = (c: HubClient, path: string, body: unknown) => c.request('POST', path, body);
    const vault = (c: HubClient, method: string, body: unknown) => post(c, `/api/vault/${method}`, body);
    const addCredential = async (username: string, mode: 'change' | 'report') => {
      const r = await vault(admin, 'addCredential', { credential: { client: 'Acme', username, password: b64(FIRST), windowsSync: true, mode } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.credential as { id: number; version: number };
    };
    const current = async (id: number) => {
      const pw = await t.hub.vault.readPassword(id);
      const s = pw.toString('utf8');
      pw.fill(0);
      seen.push(s);
      return s;
    };
    const history = async (id: number) => (await t.hub.vault.listPasswordHistory(id)).map((e) => [e.version, e.source]);
    const events = async (kind: string) => t.hub.vault.queryEvents({ kind, limit: 1000 });

    before(async () => {
      t = await startTestHub(engine, { now: () => Date.now() + offset, rotation: { timers } });
      await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      operator = t.client(await t.token(OP, OP_PW));
      viewer = t.client(await t.token(VIEWER, VIEWER_PW));
      assert.equal((await vault(admin, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' } })).status, 200);
      const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      agent = t.client(enrolled.body.token);
      // A second hub process on the same database, its scheduler on timers no one advances.
      second = await t.second();
      await second.rotation.stop();
    });
    after(async () => t?.close());

    it('a client policy: fields not given get the defaults; bad fields are refused naming them; viewers and agents are refused and recorded', async () => {
      const none = await post(viewer, '/api/rotation/client', { client: 'acme' });
      assert.equal(none.status, 200, JSON.stringify(none.body));
      assert.deepEqual(none.body, { client: 'Acme', policy: null });
      for (const [policy, message] of [
        [{ length: 5 }, /length must be a whole number from 8 to 256, got 5/],
        [{ everyDays: 0 }, /everyDays must be a whole number from 1 to 3650/],
        [{ everyDays: null, afterRead: false }, /needs everyDays or afterRead/],
        [{ graceMinutes: -1 }, /graceMinutes must be a whole number from 0/],
        [{ classes: [] }, /classes must name at least one/],
        [{ classes: ['upper', 'upper'] }, /names a class twice/],
      ] as const) {
        const r = await post(operator, '/api/rotation/client/set', { client: 'Acme', policy });
        assert.equal(r.status, 400, JSON.stringify(policy));
        assert.match(r.body.error.message, message);
      }
      const unknownClass = await post(operator, '/api/rotation/client/set', { client: 'Acme', policy: { classes: ['emoji'] } });
      assert.equal(unknownClass.status, 400);
      assert.match(unknownClass.body.error.message, /classes/);
      const noClient = await post(operator, '/api/rotation/client/set', { client: 'Nobody', policy: {} });
      assert.equal(noClient.status, 404);
      assert.match(noClient.body.error.message, /client "Nobody" does not exist/);

      const byViewer = await post(viewer, '/api/rotation/client/set', { client: 'Acme', policy: {} });
      assert.equal(byViewer.status, 403);
      const byAgent = await post(agent, '/api/rotation/client', { client: 'Acme' });
      assert.equal(byAgent.status, 403);
      const refused = (await events('access-refused')).map((e) => e.reason);
      assert.ok(refused.some((r) => /victor.* may not set the rotation policy of client "Acme"/.test(r ?? '')), refused.join('\n'));
      assert.ok(refused.some((r) => /WS01.* may not read the rotation policy of client "Acme"/.test(r ?? '')), refused.join('\n'));

      const set = await post(operator, '/api/rotation/client/set', { client: 'acme', policy: {} });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual(set.body.policy.policy, { everyDays: 30, afterRead: true, graceMinutes: 60, length: 20, classes: ['upper', 'lower', 'digit', 'symbol'] });
      assert.equal(set.body.policy.changedBy, OP);
      const changed = await events('rotation-policy-changed');
      assert.match(changed.at(-1)!.reason!, /rotation policy of client "Acme" set to every 30 day\(s\) and after each read \(grace 60 min\); 20 characters of upper, lower, digit, symbol by user "olivia"/);
    });

    it('a rotation due on the test\'s clock is done by the scheduler\'s timer, not a day early: a new password to the policy, the old one in the history', async () => {
      const c = await addCredential('WS01\\alice', 'change');
      await post(operator, '/api/rotation/client/set', { client: 'Acme', policy: { everyDays: 30, afterRead: false, length: 24, classes: ['upper', 'digit'] } });
      const before = await post(viewer, '/api/rotation/credential', { credentialId: c.id });
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.equal(before.body.applies, 'client');
      assert.equal(before.body.blocked, null);
      const setAt = (await t.hub.vault.findCredential('Acme', 'WS01\\alice'))!.passwordSetAt;
      assert.equal(before.body.nextRotationAt, setAt + 30 * DAY_MS);

      offset = 29 * DAY_MS;
      assert.equal(await t.hub.rotation.runDue(), 0, 'not due on day 29');
      assert.equal(await current(c.id), FIRST);

      offset = 30 * DAY_MS + 60_000;
      await timers.advance(ROTATION_PASS_MS);
      const after = await pollUntil('the timer\'s pass to rotate', async () => {
        const now = await t.hub.vault.findCredential('Acme', 'WS01\\alice');
        return now!.version > c.version ? now : undefined;
      });
      assert.equal(after!.version, c.version + 1);
      const pw = await current(c.id);
      assert.notEqual(pw, FIRST);
      assert.equal(pw.length, 24);
      assert.match(pw, new RegExp(`^[${CHARACTER_CLASSES.upper}${CHARACTER_CLASSES.digit}]+$`));
      assert.match(pw, /[A-Z]/);
      assert.match(pw, /[0-9]/);
      assert.deepEqual(await history(c.id), [[2, { kind: 'rotation', trigger: 'schedule' }], [1, { kind: 'user', user: 'admin' }]]);
      const rotation = (await events('rotation')).filter((e) => e.credentialId === c.id);
      assert.equal(rotation.length, 1);
      assert.equal(rotation[0].outcome, 'info');
      assert.match(rotation[0].reason!, /rotating credential "WS01\\alice" \(id \d+\) of client "Acme" from version 1 \(rotated on schedule; asked by the hub's scheduler\); the new password: 24 characters of upper, digit/);

      const next = await post(viewer, '/api/rotation/credential', { credentialId: c.id });
      assert.ok(next.body.nextRotationAt >= Date.now() + 29 * DAY_MS, 'the next one is 30 days from the rotation');
      assert.equal(await t.hub.rotation.runDue(), 0, 'rotated once');
    });

    it('two hub processes passing at once on one database rotate a due credential once', async () => {
      const c = await addCredential('WS01\\bob', 'change');
      offset += 31 * DAY_MS;
      const [a, b] = await Promise.all([t.hub.rotation.runDue(), second.rotation.runDue()]);
      const found = await t.hub.vault.findCredential('Acme', 'WS01\\bob');
      assert.equal(found!.version, c.version + 1, `rotated once (passes rotated ${a} and ${b} credentials in all)`);
      assert.equal((await events('rotation')).filter((e) => e.credentialId === c.id).length, 1);
      assert.equal((await history(c.id)).length, 2);

      // The claim itself, raced from both processes' connections at once: exactly one taker.
      const v = found!.version;
      const now = Date.now() + offset;
      const takers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        new RotationStore((i % 2 ? second : t.hub).store.sql).claim(c.id, v, now, now + 60_000)));
      assert.equal(takers.filter(Boolean).length, 1, `claims taken: ${takers.join(', ')}`);
      assert.equal(await new RotationStore(t.hub.store.sql).claim(c.id, v - 1, now, now + 60_000), false, 'an old version is not claimed');
      await new RotationStore(second.store.sql).release(c.id, null);
    });

    it('the rotation event is stored before anything: when the database refuses it, the password stays and the next pass rotates', async () => {
      const c = await addCredential('WS01\\carol', 'change');
      offset += 31 * DAY_MS;
      const undo = await refuseInserts(t, engine, { table: 'events', column: 'kind', value: 'rotation', message: 'the test refuses rotation events' });
      try {
        await t.hub.rotation.runDue();
        assert.equal((await t.hub.vault.findCredential('Acme', 'WS01\\carol'))!.version, c.version, 'not rotated');
        assert.equal(await current(c.id), FIRST);
      } finally {
        await undo();
      }
      assert.ok(fs.readFileSync(t.logFile, 'utf8').includes('rotation failed'), 'the failure is logged');
      await t.hub.rotation.runDue();
      assert.equal((await t.hub.vault.findCredential('Acme', 'WS01\\carol'))!.version, c.version + 1, 'the claim was given back');
    });

    it('a credential\'s own policy overrides its client\'s; Report Mismatches credentials are refused a policy and Rotate now, and never rotated', async () => {
      const report = await addCredential('WS01\\dave', 'report');
      const refused = await post(operator, '/api/rotation/credential/set', { credentialId: report.id, policy: {} });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /Report Mismatches mode: rotation needs Change Password mode .*switch it to Change Password first/);
      const shown = await post(viewer, '/api/rotation/credential', { credentialId: report.id });
      assert.equal(shown.body.applies, 'client');
      assert.match(shown.body.blocked, /Report Mismatches/);
      assert.equal(shown.body.nextRotationAt, null);
      offset += 31 * DAY_MS;
      await t.hub.rotation.runDue();
      assert.equal((await t.hub.vault.findCredential('Acme', 'WS01\\dave'))!.version, report.version, 'never rotated');
      const now = await post(operator, '/api/rotation/rotate', { credentialId: report.id });
      assert.equal(now.status, 400);
      assert.ok((await events('rotation')).some((e) => e.outcome === 'refused' && e.credentialId === report.id && /olivia.* asked to rotate/.test(e.reason ?? '')));

      const own = await addCredential('WS01\\erin', 'change');
      const set = await post(operator, '/api/rotation/credential/set', { credentialId: own.id, policy: { everyDays: null, afterRead: true, graceMinutes: 0, length: 12 } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.applies, 'own');
      assert.equal(set.body.own.policy.length, 12);
      assert.equal(set.body.nextRotationAt, null, 'no schedule and no read yet');
      offset += 31 * DAY_MS;
      await t.hub.rotation.runDue();
      assert.equal((await t.hub.vault.findCredential('Acme', 'WS01\\erin'))!.version, own.version, 'its own policy has no schedule');
      const back = await post(operator, '/api/rotation/credential/set', { credentialId: own.id, policy: null });
      assert.equal(back.body.applies, 'client');
      assert.equal((await post(viewer, '/api/rotation/credential', { credentialId: 999_999 })).status, 404);
    });

    it('rotate-after-read: a reveal asks for a rotation after the grace; an agent\'s read never does', async () => {
      const c = await addCredential('WS01\\frank', 'change');
      await post(operator, '/api/rotation/credential/set', { credentialId: c.id, policy: { everyDays: null, afterRead: true, graceMinutes: 60 } });
      const agentRead = await vault(agent, 'readPassword', { credentialId: c.id });
      assert.equal(agentRead.status, 200);
      assert.equal((await post(viewer, '/api/rotation/credential', { credentialId: c.id })).body.nextRotationAt, null, 'an agent\'s read asks for nothing');

      assert.equal((await post(operator, STEP_UP_PATH, { password: b64(OP_PW) })).status, 200);
      const revealed = await post(operator, REVEAL_PATH, { credentialId: c.id });
      assert.equal(revealed.status, 200);
      assert.equal(Buffer.from(revealed.body.password, 'base64').toString(), FIRST);
      const readAt = Date.now() + offset;
      const due = (await post(viewer, '/api/rotation/credential', { credentialId: c.id })).body.nextRotationAt;
      assert.ok(Math.abs(due - (readAt + 60 * 60_000)) < 5_000, `due an hour after the reveal (${due - readAt} ms)`);

      offset += 59 * 60_000;
      await t.hub.rotation.runDue();
      assert.equal((await t.hub.vault.findCredential('Acme', 'WS01\\frank'))!.version, c.version, 'not within the grace');
      offset += 2 * 60_000;
      await t.hub.rotation.runDue();
      assert.equal((await t.hub.vault.findCredential('Acme', 'WS01\\frank'))!.version, c.version + 1, 'rotated after the grace');
      assert.notEqual(await current(c.id), FIRST);
      assert.deepEqual((await history(c.id))[0], [2, { kind: 'rotation', trigger: 'after-read' }]);
      assert.equal((await post(viewer, '/api/rotation/credential', { credentialId: c.id })).body.nextRotationAt, null, 'the read is settled');
    });

    it('Rotate now: an operator rotates at once with the source naming them; a viewer and an agent are refused', async () => {
      const c = await addCredential('WS01\\grace', 'change');
      assert.equal((await post(viewer, '/api/rotation/rotate', { credentialId: c.id })).status, 403);
      assert.equal((await post(agent, '/api/rotation/rotate', { credentialId: c.id })).status, 403);
      const r = await post(operator, '/api/rotation/rotate', { credentialId: c.id });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.credential.version, c.version + 1);
      assert.deepEqual(await history(c.id), [[2, { kind: 'rotation', trigger: 'manual', by: OP }], [1, { kind: 'user', user: 'admin' }]]);
      assert.notEqual(await current(c.id), FIRST);
    });

    it('no password in any event or log line', async () => {
      const all = JSON.stringify(await t.hub.vault.queryEvents({ limit: 10_000 })) + fs.readFileSync(t.logFile, 'utf8');
      for (const s of [...seen, OP_PW, VIEWER_PW, ADMIN_PASSWORD]) assert.ok(!all.includes(s), 'a password leaked');
    });
  });
}
