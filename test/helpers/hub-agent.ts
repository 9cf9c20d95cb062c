// One machine enrolled with a real `pwbridge hub`, the way an administrator sets it up: the hub as a child
// process (restartable on the same port, so the agent's config stays right), `pwbridge setup` against it,
// and `pwbridge run` started and stopped as a real process, plus a capture client on its socket.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataPaths } from '../../src/config/paths';
import { PUBLIC_FILE, SECRET_FILE } from '../../src/protocol/key-files';
import { HttpVault } from '../../src/vault/http.vault';
import { assertExit, runCli, startCli, type LiveCli } from '../cli/cli';
import { CaptureClient } from './capture-client';
import { loginToken, startHubProcess } from './hub-process';
import { makeTempDir } from './tmp';

export interface HubAgent {
  hubDir: string;
  agentDir: string;
  url: string;
  fingerprint: string;
  /** An admin's session on the hub (a new one after each hub start). */
  admin(): HttpVault;
  hubRunning(): boolean;
  stopHub(): Promise<void>;
  /** Start the hub again on the same port and data dir. */
  startHub(): Promise<void>;
  /** `pwbridge run` on the agent's data dir; resolves once it serves its socket. */
  startService(): Promise<LiveCli>;
  stopService(): Promise<void>;
  /** A capture (as the PAM module is) connected to the running service. */
  capture(): Promise<CaptureClient>;
  cleanup(): Promise<void>;
}

export async function startHubAgent(o: { adminPassword: string; machine: string; client: string; config?: Record<string, unknown> }): Promise<HubAgent> {
  const hubTmp = makeTempDir('pwbridge-hubagent-hub-');
  const agentTmp = makeTempDir('pwbridge-hubagent-agent-');
  const pamTmp = makeTempDir('pwbridge-hubagent-pam-');
  let hub = await startHubProcess(hubTmp.dir, o.adminPassword);
  const { url, fingerprint } = hub;
  const port = new URL(url).port;
  let admin = HttpVault.open({ url, fingerprint }, await loginToken(hub, 'admin', o.adminPassword));
  let hubUp = true;
  let service: LiveCli | undefined;

  const stopLive = async (live: LiveCli | undefined) => {
    if (!live || live.child.exitCode !== null || live.child.signalCode !== null) return;
    live.child.kill('SIGTERM');
    assertExit(await live.done, 0, 'stopped by SIGTERM');
  };
  const agent: HubAgent = {
    hubDir: hubTmp.dir,
    agentDir: agentTmp.dir,
    url,
    fingerprint,
    admin: () => admin,
    hubRunning: () => hubUp,
    async stopHub() {
      await admin.close();
      await stopLive(hub.live);
      hubUp = false;
    },
    async startHub() {
      hub = await startHubProcess(hubTmp.dir, o.adminPassword, ['--listen', `127.0.0.1:${port}`]);
      if (hub.url !== url) throw new Error(`the hub came back on ${hub.url}, not ${url}`);
      admin = HttpVault.open({ url, fingerprint }, await loginToken(hub, 'admin', o.adminPassword));
      hubUp = true;
    },
    async startService() {
      if (service && service.child.exitCode === null && service.child.signalCode === null) throw new Error('the service runs already');
      const s = startCli(['run'], agentTmp.dir);
      service = s;
      await s.waitFor('the service to serve its socket', (_o, err) => /serving .*capture\.sock/.test(err));
      return s;
    },
    async stopService() {
      await stopLive(service);
    },
    async capture() {
      const keys = dataPaths(agentTmp.dir).keysDir;
      return CaptureClient.connect(path.join(agentTmp.dir, 'run', 'capture.sock'), {
        secret: fs.readFileSync(path.join(keys, SECRET_FILE)),
        bridgePub: fs.readFileSync(path.join(keys, PUBLIC_FILE)),
        machine: o.machine,
      });
    },
    async cleanup() {
      await stopLive(service);
      await admin.close();
      if (hubUp) await stopLive(hub.live);
      for (const t of [hubTmp, agentTmp, pamTmp]) t.cleanup();
    },
  };
  try {
    fs.writeFileSync(path.join(agentTmp.dir, 'config.json'), JSON.stringify({ machine: o.machine, reconcileInterval: '1h', pamDir: pamTmp.dir, ...o.config }));
    if (!(await admin.getClient(o.client))) {
      await admin.addClient({ name: o.client, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
    }
    const r = await runCli(['setup', '--hub', url, '--insecure-fingerprint', fingerprint, '--client', o.client], { dataDir: agentTmp.dir, stdin: `admin\n${o.adminPassword}\n` });
    assertExit(r, 0, `setup ${o.machine}`);
  } catch (err) {
    await agent.cleanup();
    throw err;
  }
  return agent;
}
