import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config';
import type { NewClient } from '../../src/domain/types';
import type { Platform } from '../../src/platform';
import { startBridge, type Bridge, type BridgeOptions } from '../../src/service/bridge';
import { openInstall, type Install } from '../../src/service/install';
import { openVaultAt } from '../../src/service/open';
import { CaptureClient, type CaptureClientOptions } from './capture-client';
import { makeTempDir } from './tmp';

export interface Harness {
  dir: string;
  config: Config;
  install: Install;
  bridge: Bridge;
  /** A reference capture with this install's secret and key, saying hello from this boot. */
  connect(opts?: Partial<CaptureClientOptions>): Promise<CaptureClient>;
  /** Stop the service and close the install (the data dir stays). */
  stop(): Promise<void>;
  /** Start again on the same data dir (a restart after stop or a crash). */
  restart(): Promise<Harness>;
  /** stop() and remove the data dir. */
  destroy(): Promise<void>;
}

export interface HarnessOptions {
  /** config.json fields (machine defaults to TESTHOST, reconcile interval to 1 h so only tests trigger it). */
  config?: Record<string, unknown>;
  /** Clients to create in the vault before the service starts. */
  clients?: NewClient[];
  /** Replace the platform (accounts, filter probe); the real Linux one otherwise. */
  platform?: (real: Platform) => Platform;
  /** startBridge's options (small capture limits). */
  bridge?: BridgeOptions;
  dir?: string;
}

/** A real bridge on a real Unix socket with real SQLite files in a private temp data dir. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const tmp = opts.dir ? { dir: opts.dir, cleanup: () => fs.rmSync(opts.dir!, { recursive: true, force: true }) } : makeTempDir();
  if (!opts.dir) {
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({
      machine: 'TESTHOST',
      reconcileInterval: '1h',
      pamDir: path.join(tmp.dir, 'no-pam.d'),
      ...opts.config,
    }));
    if (opts.clients?.length) {
      const vault = await openVaultAt(tmp.dir);
      for (const c of opts.clients) await vault.addClient(c);
      await vault.close();
    }
  }
  const config = loadConfig(tmp.dir);
  const install = await openInstall(config, { wrapPlatform: opts.platform });
  const bridge = await startBridge(install, opts.bridge);
  const h: Harness = {
    dir: tmp.dir,
    config,
    install,
    bridge,
    connect: (o = {}) =>
      CaptureClient.connect(config.socketPath, {
        secret: install.keys.secret,
        bridgePub: install.keys.publicKey,
        bootId: Buffer.from(install.platform.bootId(), 'hex'),
        machine: config.machine,
        ...o,
      }),
    stop: async () => {
      await bridge.stop();
      await install.close();
    },
    restart: () => startHarness({ ...opts, dir: tmp.dir }),
    destroy: async () => {
      await h.stop().catch(() => undefined);
      tmp.cleanup();
    },
  };
  return h;
}
