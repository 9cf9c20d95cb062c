// pwbridge doctor's hub links against a real hub: `pwbridge hub` as a child process, `pwbridge setup`
// against it, `pwbridge run` on the agent's data dir (test/helpers/hub-agent.ts). The vault link must say ok
// (reachable, pinned certificate, token accepted, clocks agree), then broken for a hub that does not answer,
// another certificate and a refused token, and warning for a skewed clock; the client link broken when the
// hub's client has Windows Sync off. The skew is this process's clock seen through doctor's `now` (the
// only stand-in: the machine's clock cannot be moved here without moving the hub's with it).
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { dataPaths } from '../../src/config/paths';
import { doctorContext } from '../../src/doctor/context';
import { thisMachine } from '../../src/doctor/machine';
import { runDoctor, type DoctorReport } from '../../src/doctor/run-doctor';
import { assertExit, runCli } from '../cli/cli';
import { startHubAgent, type HubAgent } from '../helpers/hub-agent';

const ADMIN_PW = `admin-canary-${randomBytes(8).toString('hex')}`;
const CLIENT = 'DocCo';

describe('pwbridge doctor against a real hub (hub, setup, run; real processes)', function () {
  this.timeout(120_000);
  let a: HubAgent;
  const doctor = async (): Promise<DoctorReport> => {
    const r = await runCli(['doctor', '--json'], { dataDir: a.agentDir });
    // The capture module is not installed on this agent (an empty PAM dir), so never exit 0 here.
    assertExit(r, 1, 'doctor --json');
    assert.ok(!r.stdout.includes(ADMIN_PW), 'the admin password is in doctor\'s output');
    const token = fs.readFileSync(dataPaths(a.agentDir).agentToken, 'utf8').trim();
    assert.ok(!r.stdout.includes(token), 'the agent token is in doctor\'s output');
    return JSON.parse(r.stdout) as DoctorReport;
  };
  const link = (rep: DoctorReport, id: string) => rep.links.find((l) => l.id === id)!;

  before(async () => {
    a = await startHubAgent({ adminPassword: ADMIN_PW, machine: 'DOCAGENT', client: CLIENT });
    await a.startService();
  });
  after(async () => {
    await a?.cleanup();
  });

  it('a healthy hub: vault ok (the pin, the token, the clocks in its evidence), client ok; the service proves the secret', async () => {
    const rep = await doctor();
    const v = link(rep, 'vault');
    assert.equal(v.state, 'ok', JSON.stringify(v));
    const ev = v.evidence.join('\n');
    assert.match(ev, new RegExp(`certificate pinned to SHA-256 ${a.fingerprint}`));
    assert.match(ev, /accepted the agent token/);
    assert.match(ev, /clocks agree within 1 s/);
    assert.equal(link(rep, 'client').state, 'ok', JSON.stringify(link(rep, 'client')));
    assert.equal(link(rep, 'service').state, 'ok', JSON.stringify(link(rep, 'service')));
    assert.equal(link(rep, 'capture-module').state, 'broken', 'the agent has no PAM line, and doctor must say so');
  });

  it('clock skewed: vault warning naming the skew, fix: sync the clock', async () => {
    const config = loadConfig(a.agentDir);
    const ctx = doctorContext(config, thisMachine(config), () => Date.now() - 120_000);
    let rep: DoctorReport;
    try {
      rep = await runDoctor(ctx);
    } finally {
      await ctx.close();
    }
    const v = link(rep, 'vault');
    assert.equal(v.state, 'warning', JSON.stringify(v));
    assert.match(v.summary, /^clock skew: this machine's clock is 1[12]\d s behind the hub's/);
    assert.match(v.fix ?? '', /timedatectl set-ntp true/);
    assert.equal(rep.ok, false);
  });

  it('the client\'s Windows Sync off on the hub: client broken, fix: turn it on in the dashboard', async () => {
    await a.admin().updateClient(CLIENT, { windowsSync: false });
    try {
      const c = link(await doctor(), 'client');
      assert.equal(c.state, 'broken', JSON.stringify(c));
      assert.match(c.summary, new RegExp(`Windows Sync is off for client ${CLIENT}`));
      assert.match(c.fix ?? '', new RegExp(`turn Windows Sync on for client ${CLIENT} in the hub's dashboard`));
    } finally {
      await a.admin().updateClient(CLIENT, { windowsSync: true });
    }
  });

  it('another certificate than the pinned one: vault broken, nothing sent, fix: setup again', async () => {
    const file = path.join(a.agentDir, 'config.json');
    const original = fs.readFileSync(file, 'utf8');
    const cfg = JSON.parse(original);
    cfg.hub.fingerprint = Array(32).fill('AB').join(':');
    fs.writeFileSync(file, JSON.stringify(cfg));
    try {
      const v = link(await doctor(), 'vault');
      assert.equal(v.state, 'broken', JSON.stringify(v));
      assert.match(v.summary, /another certificate than the one pinned/);
      assert.match(v.fix ?? '', new RegExp(`pwbridge --data-dir \\S+ setup --hub ${a.url.replace(/[.]/g, '\\.')} --client ${CLIENT} --insecure-fingerprint SHA256`));
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('a token the hub does not know: vault broken (token refused), fix: setup again', async () => {
    const file = dataPaths(a.agentDir).agentToken;
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, `pwa_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    try {
      const v = link(await doctor(), 'vault');
      assert.equal(v.state, 'broken', JSON.stringify(v));
      assert.match(v.summary, /refused this machine's agent token/);
      assert.match(v.fix ?? '', /setup --hub/);
    } finally {
      fs.writeFileSync(file, original, { mode: 0o600 });
    }
  });

  it('hub stopped: vault broken (does not answer), fix: start the hub; client not checked, and why', async () => {
    await a.stopHub();
    const rep = await doctor();
    const v = link(rep, 'vault');
    assert.equal(v.state, 'broken', JSON.stringify(v));
    assert.match(v.summary, new RegExp(`the hub at ${a.url.replace(/[.]/g, '\\.')} does not answer`));
    assert.match(v.fix ?? '', /start the hub/);
    const c = link(rep, 'client');
    assert.equal(c.state, 'not-checked');
    assert.match(c.summary, /see vault/);
  });
});
