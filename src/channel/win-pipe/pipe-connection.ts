// One accepted client of the pipe server as a Duplex stream, so serveCaptureConnection serves it as it serves
// a net.Socket: data / end / close / error, write (with the native write's completion as its callback, so
// backpressure follows the kernel), end, destroy, setTimeout (idle, as net's).
//
// A pipe has no half-close: end() closes our handle once everything is written (the client still reads it),
// and with it the reading side; the client closing its end is 'end' here.
import { Duplex } from 'node:stream';
import type { NativePeer } from './native';

/** What a connection may ask of the server's native side (bound to its handle by PipeServer). */
export interface ConnectionOps {
  read(id: number): void;
  write(id: number, bytes: Buffer, req: number): void;
  end(id: number): void;
  destroy(id: number): void;
}

const BROKEN = new Set([109, 232, 233]); // ERROR_BROKEN_PIPE, ERROR_NO_DATA, ERROR_PIPE_NOT_CONNECTED

export function win32Error(op: string, code: number): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${op} failed: ${BROKEN.has(code) ? 'the client closed the pipe' : 'Win32 error'} (${code})`);
  err.code = BROKEN.has(code) ? 'EPIPE' : `WIN32_${code}`;
  err.errno = code;
  err.syscall = op;
  return err;
}

export class PipeConnection extends Duplex {
  /** For logs: who the client is, as the OS says. */
  readonly peerLabel: string;
  /** A pipe has no address (net.Socket's is undefined for local sockets too). */
  readonly remoteAddress = undefined;
  readonly remotePort = undefined;
  private reading = false;
  private nativeGone = false;
  private nextReq = 1;
  private readonly writeCallbacks = new Map<number, (err?: Error | null) => void>();
  private finalCallback?: (err?: Error | null) => void;
  private idle?: NodeJS.Timeout;

  constructor(private readonly ops: ConnectionOps, readonly id: number, readonly peer: NativePeer) {
    super({ allowHalfOpen: true });
    this.peerLabel = `pipe client pid ${peer.pid}${peer.image ? ` (${peer.image})` : ''}, ${peer.sid}`;
  }

  /** Idle timeout as net.Socket's: 'timeout' after `ms` without bytes in or out; 0 turns it off. */
  setTimeout(ms: number, onTimeout?: () => void): this {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    if (onTimeout) this.once('timeout', onTimeout);
    if (ms > 0) {
      this.idle = setTimeout(() => this.emit('timeout'), ms);
      this.idle.unref?.();
    }
    return this;
  }

  private touch(): void {
    this.idle?.refresh();
  }

  override _read(): void {
    if (this.reading || this.nativeGone) return;
    this.reading = true;
    this.call(() => this.ops.read(this.id));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const req = this.nextReq++;
    this.writeCallbacks.set(req, cb);
    this.call(() => this.ops.write(this.id, chunk, req));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.finalCallback = cb;
    this.call(() => this.ops.end(this.id));
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.idle) clearTimeout(this.idle);
    if (!this.nativeGone) {
      this.nativeGone = true;
      try {
        this.ops.destroy(this.id);
      } catch {
        // the server is closed already: so is this connection
      }
    }
    this.writeCallbacks.clear();
    cb(err);
  }

  // ---- from the server's native events ----

  onData(bytes: Buffer): void {
    this.reading = false;
    this.touch();
    this.push(bytes); // Duplex calls _read again when it wants more
  }

  onEnd(): void {
    this.reading = false;
    this.push(null);
  }

  onWritten(req: number, code: number): void {
    const cb = this.writeCallbacks.get(req);
    this.writeCallbacks.delete(req);
    this.touch();
    cb?.(code ? win32Error('write', code) : null);
  }

  onFinished(): void {
    this.nativeGone = true;
    const cb = this.finalCallback;
    this.finalCallback = undefined;
    cb?.();
  }

  onError(code: number): void {
    this.destroy(win32Error('read', code));
  }

  /** A native call on a closed server throws: the connection is then over. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.nativeGone = true;
      this.destroy(err as Error);
    }
  }
}
