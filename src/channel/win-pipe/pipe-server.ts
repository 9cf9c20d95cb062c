// The capture endpoint on Windows: \\.\pipe\NAME served by pwbridge_pipe.node, with the security Node's net
// module cannot give a pipe (libuv passes no security attributes, so the default DACL lets every local user
// in, and anyone may create the name while the service is stopped):
// - every instance has a protected DACL for SYSTEM and the service's account only, rejects remote clients,
//   and the first is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so a name someone else holds stops the start
//   with an error naming the holder (pid and image);
// - before a client's first byte, its token user must be one of the allowed SIDs, else it is disconnected
//   and 'refused' says who it was (the service logs it as frame-refused, reason peer);
// - the addon's own thread does every blocking call; this file only turns its events into streams.
import { EventEmitter } from 'node:events';
import { loadPipeAddon } from './load-addon';
import type { NativeEventKind, NativePeer, NativeServerHandle, PipeAddon } from './native';
import { PipeConnection, win32Error, type ConnectionOps } from './pipe-connection';

export const SYSTEM_SID = 'S-1-5-18';
export const DEFAULT_MAX_CONNECTIONS = 64;

export interface PipeServerOptions {
  /** Who may connect (1 to 8 SIDs); default SYSTEM (lsass, where the filter runs) and this process's user. */
  allowedSids?: string[];
  /** Open connections at most (1–253); one more is accepted and refused ('busy'). Default 64. */
  maxConnections?: number;
  /** Identify clients only by the token they opened the pipe with (tests; see native/win-pipe/peer_identity.c). */
  pipeTokenOnly?: boolean;
  /** The addon (tests, bench); loaded on first use otherwise. */
  addon?: PipeAddon;
}

/** A client turned away before its first byte. */
export interface PipeRefusal {
  reason: 'peer' | 'busy';
  /** In words, for the event log. */
  detail: string;
  /** Who, as the OS said. */
  peer: NativePeer;
  /** For logs, like PipeConnection.peerLabel. */
  peerLabel: string;
}

export interface ListenError extends Error {
  code: 'EADDRINUSE' | string;
  /** The process holding the name, when it could be told. */
  holderPid?: number;
}

/**
 * Events: 'connection' (PipeConnection), 'refused' (PipeRefusal), 'error' (Error: no new instance could be
 * made; it retries), 'close'.
 */
export class PipeServer extends EventEmitter {
  readonly allowedSids: string[];
  private readonly addon: PipeAddon;
  private handle?: NativeServerHandle;
  private readonly connections = new Map<number, PipeConnection>();
  private closing?: Promise<void>;

  constructor(readonly path: string, private readonly opts: PipeServerOptions = {}) {
    super();
    this.addon = opts.addon ?? loadPipeAddon();
    this.allowedSids = opts.allowedSids ?? [...new Set([SYSTEM_SID, this.addon.processUserSid()])];
  }

  /** Resolves once the name is ours; rejects (ListenError) when it is not to be had. */
  listen(): Promise<void> {
    if (this.handle) return Promise.reject(new Error(`${this.path}: listen() was already called`));
    return new Promise((resolve, reject) => {
      let settled = false;
      const ops: ConnectionOps = {
        read: (id) => this.addon.read(this.handle!, id),
        write: (id, bytes, req) => this.addon.write(this.handle!, id, bytes, req),
        end: (id) => this.addon.end(this.handle!, id),
        destroy: (id) => {
          this.connections.delete(id);
          this.addon.destroy(this.handle!, id);
        },
      };
      const onEvent = (kind: NativeEventKind, id: number, a?: unknown, b?: unknown): void => {
        try {
          if (kind === 'listening') {
            settled = true;
            resolve();
          } else if (kind === 'listen-error') {
            const err = new Error(String(a)) as ListenError;
            err.code = 'EADDRINUSE';
            if (typeof b === 'number' && b > 0) err.holderPid = b;
            settled = true;
            reject(err);
          } else {
            this.dispatch(kind, id, a, b, ops);
          }
        } catch (err) {
          // Never let an exception unwind into the addon's callback: report it as Node would.
          process.nextTick(() => { throw err; });
        }
      };
      try {
        this.handle = this.addon.createServer(this.path, this.allowedSids, this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
          this.opts.pipeTokenOnly ?? false, onEvent);
      } catch (err) {
        if (!settled) reject(err);
      }
    });
  }

  private dispatch(kind: NativeEventKind, id: number, a: unknown, b: unknown, ops: ConnectionOps): void {
    if (kind === 'connection') {
      const c = new PipeConnection(ops, id, a as NativePeer);
      this.connections.set(id, c);
      c.once('close', () => this.connections.delete(id));
      this.emit('connection', c);
      return;
    }
    if (kind === 'refused') {
      this.emit('refused', refusalOf(a as NativePeer, b === 'busy' ? 'busy' : 'peer', this.allowedSids, this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS));
      return;
    }
    if (kind === 'server-error') {
      const err = win32Error('CreateNamedPipeW', Number(b));
      err.message = String(a);
      this.emit('error', err);
      return;
    }
    const c = this.connections.get(id);
    if (!c) return; // destroyed here already: the native side catches up
    switch (kind) {
      case 'data':
        // The addon could not make the Buffer (out of memory): the bytes are lost, so is the stream.
        if (Buffer.isBuffer(a)) c.onData(a);
        else c.destroy(new Error('pipe read: the addon could not hand the bytes over (out of memory)'));
        break;
      case 'end': c.onEnd(); break;
      case 'written': c.onWritten(Number(a), Number(b)); break;
      case 'finished': c.onFinished(); break;
      case 'error': c.onError(Number(a)); break;
      default: break;
    }
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  ref(): this {
    if (this.handle && !this.closing) this.addon.ref(this.handle);
    return this;
  }

  unref(): this {
    if (this.handle && !this.closing) this.addon.unref(this.handle);
    return this;
  }

  /** End the listener and every connection; resolves when the addon has joined its thread and freed all. */
  close(cb?: () => void): Promise<void> {
    if (!this.closing) {
      for (const c of [...this.connections.values()]) c.destroy();
      this.connections.clear();
      this.closing = this.handle ? this.addon.close(this.handle) : Promise.resolve();
      void this.closing.then(() => this.emit('close'));
    }
    if (cb) void this.closing.then(cb);
    return this.closing;
  }
}

function refusalOf(peer: NativePeer, reason: 'peer' | 'busy', allowed: string[], max: number): PipeRefusal {
  const peerLabel = `pipe client pid ${peer.pid}${peer.image ? ` (${peer.image})` : ''}`;
  let detail: string;
  if (reason === 'busy') detail = `${max} connections are open already (the most allowed)`;
  else if (!peer.sid) detail = `the OS did not say who the client is (its token could not be read: Win32 error ${peer.error})`;
  else detail = `the client runs as ${peer.sid}, which may not use this pipe (allowed: ${allowed.join(', ')})`;
  return { reason, detail, peer, peerLabel };
}
