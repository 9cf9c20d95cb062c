// haproxy (Debian's package, /usr/sbin/haproxy) in front of several `pwbridge hub` processes: TLS
// passthrough (mode tcp), so each agent's TLS session ends at a hub and its certificate pin holds (the
// hubs share one certificate). Health checks are HTTPS GET /readyz on each hub (200 only while its
// database answers), every second, down after 3 failures; a connection to a hub that refuses is
// redispatched to another one at once (retries, option redispatch).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, sleep, startProc, type HubProc } from './hub-fleet';

export const HAPROXY = '/usr/sbin/haproxy';

export function haproxyMissing(): string | undefined {
  return fs.existsSync(HAPROXY) ? undefined : `${HAPROXY} is not installed (apt-get install haproxy)`;
}

export function haproxyConfig(port: number, hubs: Array<{ name: string; port: number }>): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    // Longer than a push-down long poll (25 s) and the hub's keep-alive (30 s).
    '  timeout client 65s',
    '  timeout server 65s',
    // A check answered slower than this counts as failed. Not the default (the check interval): on a
    // loaded 2-core machine both hubs missed 500 ms twice at once, haproxy had no server and closed new
    // connections before their TLS handshake (seen in CI). A killed hub refuses at once, which counts.
    '  timeout check 5s',
    '  retries 3',
    '  option redispatch',
    'frontend hubs',
    `  bind 127.0.0.1:${port}`,
    '  default_backend hubs',
    'backend hubs',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    ...hubs.map((h) => `  server ${h.name} 127.0.0.1:${h.port} check check-ssl verify none inter 1s fall 3 rise 2`),
    '',
  ].join('\n');
}

export class Haproxy {
  private constructor(readonly port: number, private readonly proc: ReturnType<typeof startProc>) {}

  /** Start haproxy in the foreground on a free port in front of `hubs`; resolves once it accepts connections. */
  static async start(dir: string, hubs: HubProc[]): Promise<Haproxy> {
    const port = await freePort();
    const cfg = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(cfg, haproxyConfig(port, hubs.map((h) => ({ name: h.name, port: h.port }))), { mode: 0o600 });
    const proc = startProc([HAPROXY, '-db', '-f', cfg]);
    const until = Date.now() + 15_000;
    for (;;) {
      if (proc.child.exitCode !== null) throw new Error(`haproxy exited (${proc.child.exitCode}): ${proc.stderr()}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
        s.on('error', () => resolve(false));
      });
      if (ok) break;
      if (Date.now() > until) throw new Error(`haproxy did not listen on ${port}: ${proc.stderr()}`);
      await sleep(100);
    }
    return new Haproxy(port, proc);
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** What haproxy printed (its own alerts: a server going DOWN and UP again). */
  stderr(): string {
    return this.proc.stderr();
  }

  async stop(): Promise<void> {
    if (this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGTERM');
    await this.proc.exited;
  }
}
