import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ConfigError } from '../config/config-error';

/**
 * Opens the capture endpoint. Linux: a Unix socket at a file system path (never an abstract name, which
 * any local process could squat) inside a directory only the service's user can enter, the socket itself
 * 0600. Windows: the named pipe path as given (its DACL comes with the Windows issue).
 */
export async function listenCaptureEndpoint(socketPath: string, onConnection: (s: net.Socket) => void): Promise<net.Server> {
  const isPipe = socketPath.startsWith('\\\\.\\pipe\\');
  if (!isPipe) await prepareSocketPath(socketPath);
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  // Narrow the umask while binding so the socket never exists with looser permissions, even briefly.
  const oldMask = isPipe ? undefined : process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    if (oldMask !== undefined) process.umask(oldMask);
  }
  if (!isPipe) fs.chmodSync(socketPath, 0o600);
  return server;
}

async function prepareSocketPath(socketPath: string): Promise<void> {
  const dir = path.dirname(socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  const uid = process.getuid?.() ?? 0;
  if (st.uid !== uid) {
    throw new ConfigError('socketPath', `directory ${dir} is owned by uid ${st.uid}, not by this service (uid ${uid})`,
      'Choose a socket directory the service owns, e.g. /run/pwbridge');
  }
  fs.chmodSync(dir, 0o700);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!existing.isSocket()) {
    throw new ConfigError('socketPath', `${socketPath} exists and is not a socket`, 'Remove it or choose another socketPath');
  }
  await refuseIfServed(socketPath);
  fs.unlinkSync(socketPath); // a stale socket left by a crash
}

/** Refuse (ConfigError) when another process serves the endpoint now: one bridge per data dir. */
export async function refuseIfServed(socketPath: string): Promise<void> {
  if (await endpointServed(socketPath)) {
    throw new ConfigError('socketPath', `another process is already serving ${socketPath}`, 'Stop the other pwbridge, or use another --data-dir');
  }
}

/** True when a process accepts connections on the endpoint now. */
export function endpointServed(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socketPath);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}
