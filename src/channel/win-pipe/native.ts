// What crosses into pwbridge_pipe.node (native/win-pipe/addon.c), typed: the only file that says what the
// addon takes and gives. Types only, so importing it loads nothing.

/** An opaque server handle (a napi_external). */
export type NativeServerHandle = { readonly __pwbridgePipeServer: unique symbol };

/** Who is at the other end of a connection: from the OS, never from the client's bytes. */
export interface NativePeer {
  /** The client process id (GetNamedPipeClientProcessId); 0 when the OS did not say. */
  pid: number;
  /** Its token user as a string SID; '' when the token could not be read. */
  sid: string;
  /** Its image path (QueryFullProcessImageNameW); '' when the process could not be opened. */
  image: string;
  /**
   * Where the SID came from: 'process and pipe token' (both read, the same user), 'process token' or 'pipe token'
   * (the token it opened the pipe with) when only one could be read, 'process and pipe token differ' (then the
   * SID is the pipe token's, and the client was refused), or '' when neither could be read.
   */
  source: string;
  /** Why sid is '' (a Win32 error), else 0. */
  error: number;
}

/**
 * The addon's events, in the order its I/O thread produced them, all on the JS thread:
 * - `listening`: the first instance exists (the name is ours);
 * - `listen-error` (a: message naming the holder when there is one, b: its pid or 0): the thread has ended;
 * - `connection` (id, a: peer): an allowed client, nothing read or written yet;
 * - `refused` (a: peer, b: 'peer' | 'busy'): a client disconnected before its first byte;
 * - `data` (id, a: bytes; the native copy is already wiped);
 * - `end` (id): the client closed its end, nothing more will be read;
 * - `written` (id, a: request number, b: 0 or the Win32 error);
 * - `finished` (id): after end(), everything was written and our end is closed;
 * - `error` (id, a: Win32 error): a read failed;
 * - `server-error` (a: message, b: Win32 error): no new instance could be made (it retries every second).
 */
export type NativeEventKind =
  | 'listening' | 'listen-error' | 'connection' | 'refused' | 'data' | 'end' | 'written' | 'finished' | 'error' | 'server-error';

export type NativeEventHandler = (kind: NativeEventKind, id: number, a?: unknown, b?: unknown) => void;

/** The addon's live objects and this process's counts (processHandles is 0 under Wine, which stubs it). */
export interface NativeDiagnostics {
  servers: number;
  instances: number;
  ioThreads: number;
  processHandles: number;
  processThreads: number;
}

export interface PipeAddon {
  /**
   * Start a server on `name` (\\.\pipe\NAME): its I/O thread creates the first instance with
   * FILE_FLAG_FIRST_PIPE_INSTANCE and a protected DACL for the server's own SID and `allowedSids` (1 to 8),
   * then reports `listening` or `listen-error`. At most `maxConnections` (1–253) are open at once.
   * `pipeTokenOnly`: identify clients by the token they opened the pipe with only, not also by their process
   * token (tests: the path a service account takes when lsass.exe's process token is out of its reach).
   */
  createServer(name: string, allowedSids: string[], maxConnections: number, pipeTokenOnly: boolean, onEvent: NativeEventHandler): NativeServerHandle;
  /** Ask for the next chunk of connection `id` (one read in flight at most; `data` answers). */
  read(server: NativeServerHandle, id: number): void;
  /** Queue bytes (copied now) for connection `id`; `written` with `req` answers. */
  write(server: NativeServerHandle, id: number, bytes: Buffer, req: number): void;
  /** Close our end once every queued byte is written; `finished` answers. */
  end(server: NativeServerHandle, id: number): void;
  /** Close connection `id` now; bytes the client has not read are discarded. */
  destroy(server: NativeServerHandle, id: number): void;
  /** End the listener and every connection, join the thread, free everything. Once per server. */
  close(server: NativeServerHandle): Promise<void>;
  /** Whether the server keeps the event loop alive (it does from the start, as a net.Server does). */
  ref(server: NativeServerHandle): void;
  unref(server: NativeServerHandle): void;
  /** The SID this process runs as (its token user). */
  processUserSid(): string;
  diagnostics(): NativeDiagnostics;
}
