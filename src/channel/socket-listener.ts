import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ConfigError } from '../config/config-error';
import type { CaptureSocket } from './capture-connection';
import type { PipeServerOptions } from './win-pipe/pipe-server';

/** What listenCaptureEndpoint gives back: a net.Server, or on Windows the pipe addon's server. */
export interface CaptureServer {
  close(cb?: (err?: Error) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface CaptureEndpointOptions {
  /** A client the endpoint itself turned away before its first byte (the Windows pipe's token check). */
  onRefused?(reason: string, detail: string, peer: string): void;
  /** The Windows pipe's settings (tests): allowed SIDs, connection cap. */
  pipe?: PipeServerOptions;
}

const PIPE_PREFIX = '\\\\.\\pipe\\';

function isPipePath(p: string): boolean {
  return p.toLowerCase().startsWith(PIPE_PREFIX);
}

/**
 * Opens the capture endpoint. Linux: a Unix socket at a file system path (never an abstract name, which
 * any local process could squat) inside a directory only the service's user can enter, the socket itself
 * 0600. Windows: the named pipe through pwbridge_pipe.node (src/channel/win-pipe), which gives it the DACL,
 * first-instance and client-token checks that net cannot.
 */
export async function listenCaptureEndpoint(socketPath: string, onConnection: (s: CaptureSocket) => void,
  opts: CaptureEndpointOptions = {}): Promise<CaptureServer> {
  const isPipe = isPipePath(socketPath);
  if (isPipe && process.platform === 'win32') return listenWindowsPipe(socketPath, onConnection, opts);
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

async function listenWindowsPipe(pipePath: string, onConnection: (s: CaptureSocket) => void, opts: CaptureEndpointOptions): Promise<CaptureServer> {
  // Required here and only here: on Linux neither the loader nor the addon is ever loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PipeServer } = require('./win-pipe/pipe-server') as typeof import('./win-pipe/pipe-server');
  const server = new PipeServer(pipePath, opts.pipe);
  server.on('connection', onConnection);
  server.on('refused', (r) => opts.onRefused?.(r.reason, r.detail, r.peerLabel));
  await server.listen();
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
    c.once('error', (err: NodeJS.ErrnoException) => resolve(servedThoughRefused(socketPath, err.code)));
  });
}

/**
 * A connect that failed but still shows a server: on Windows the pipe's DACL admits only SYSTEM and the
 * service account, so an administrator who is neither is refused access (libuv: EPERM) by a running service.
 * A pipe that does not exist is ENOENT.
 */
export function servedThoughRefused(socketPath: string, code: string | undefined, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32' && isPipePath(socketPath) && (code === 'EPERM' || code === 'EACCES');
}
