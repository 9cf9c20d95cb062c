import type { HelloBody } from '../protocol/messages';
import { ServerSession, type ChangeMessage } from '../protocol/server-session';
import { journalEntryOf, type Accepted } from '../service/journal-stage';

/**
 * What a capture connection needs of its transport: a net.Socket (the Unix socket) and a PipeConnection
 * (the Windows pipe, src/channel/win-pipe) both are one.
 */
export interface CaptureSocket {
  readonly writable: boolean;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  /** Who the peer is, for logs, when there is no address (the pipe's client process). */
  readonly peerLabel?: string;
  setTimeout(ms: number, onIdle: () => void): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  write(bytes: Buffer): unknown;
  end(): unknown;
  destroy(): unknown;
}

export interface ConnectionHooks {
  secret: Buffer;
  /** pwbridge's version, told to the capture in HELLO_ACK (packVersion form). */
  bridgeVersion?: number;
  /** A valid HELLO: the capture is loaded (filter state). */
  onHello(hello: HelloBody): void;
  /** An authenticated CHANGE, to be journaled; its ack is written when the journal answers. */
  onChange(accepted: Accepted): void;
  /** A refused frame or connection, with the reason in words. Never holds secret bytes. */
  onRefused(reason: string, detail: string, peer: string): void;
  onHeartbeat?(h: { queued: number; spooled: number; dropped: number }): void;
  /** Why this peer may not talk to the bridge (OS identity), or undefined when it may. Asked first. */
  refusePeer?(socket: CaptureSocket): string | undefined;
  idleMs?: number;
  /**
   * A peer that connects and does not prove the install secret (a valid HELLO) within this long is closed,
   * however slowly it keeps sending bytes: the idle timeout alone would let a byte every 29 s hold a
   * connection forever. Default 10 s; a real capture's HELLO follows its connect within milliseconds.
   */
  handshakeMs?: number;
}

export const DEFAULT_HANDSHAKE_MS = 10_000;

/**
 * One capture connection: bytes in → ServerSession (decode + authenticate) → journal → ack out.
 * A refusal ends this connection only; the server keeps serving everyone else.
 */
export function serveCaptureConnection(socket: CaptureSocket, hooks: ConnectionHooks): void {
  const peer = describePeer(socket);
  const notAllowed = hooks.refusePeer?.(socket);
  if (notAllowed) {
    // Before any byte: a process that is not the capture's does not even get a CHALLENGE.
    hooks.onRefused('peer', notAllowed, peer);
    socket.destroy();
    return;
  }
  const session = new ServerSession({ secret: hooks.secret, bridgeVersion: hooks.bridgeVersion });
  let closed = false;
  const handshakeMs = hooks.handshakeMs ?? DEFAULT_HANDSHAKE_MS;
  let handshake: NodeJS.Timeout | undefined = setTimeout(() => {
    handshake = undefined;
    hooks.onRefused('handshake', `no HELLO within ${handshakeMs / 1000} s of connecting`, peer);
    close();
  }, handshakeMs);
  const close = () => {
    if (closed) return;
    closed = true;
    if (handshake) clearTimeout(handshake);
    session.close();
    socket.destroy();
  };
  const write = (frame: Buffer | undefined) => {
    if (frame && !closed && socket.writable) socket.write(frame);
  };

  socket.setTimeout(hooks.idleMs ?? 30_000, () => {
    hooks.onRefused('idle', `no frame for ${(hooks.idleMs ?? 30_000) / 1000} s`, peer);
    close();
  });
  socket.on('error', () => close());
  socket.on('close', () => close());
  // A capture may half-close after its last CHANGE and still wait for the ACKs: answer what is in the
  // journal's hands, then end our side.
  let ended = false;
  let awaitingAck = 0;
  socket.on('end', () => {
    ended = true;
    const ev = session.end();
    if (ev && ev.kind === 'refused') {
      hooks.onRefused(ev.reason, ev.detail, peer);
      return close();
    }
    if (awaitingAck === 0) socket.end();
  });
  socket.on('data', (chunk: Buffer) => {
    try {
      onData(chunk);
    } catch (err) {
      // A hook that throws (state.db full while the HELLO is recorded, say) ends this connection, not the
      // service: the capture gets no ack and keeps its event, as for any other failure before the journal.
      hooks.onRefused('internal', `the bridge could not handle the frame: ${(err as Error).message}`, peer);
      close();
    }
  });
  const onData = (chunk: Buffer) => {
    for (const ev of session.feed(chunk)) {
      switch (ev.kind) {
        case 'hello':
          if (handshake) clearTimeout(handshake);
          handshake = undefined;
          write(ev.reply);
          hooks.onHello(ev.hello);
          break;
        case 'change':
          awaitingAck++;
          hooks.onChange(toAccepted(ev.change, (result) => {
            awaitingAck--;
            // 'failed': not durable, so no ack; the capture keeps the event and re-sends it later.
            if (result === 'failed') return close();
            write(session.ack(ev.change.eventId, result));
            if (ended && awaitingAck === 0) socket.end();
          }));
          break;
        case 'change-refused':
          hooks.onRefused(ev.reason, `${ev.detail} (event ${ev.eventIdHex})`, peer);
          write(ev.reply);
          break;
        case 'heartbeat':
          hooks.onHeartbeat?.(ev.heartbeat);
          break;
        case 'refused':
          hooks.onRefused(ev.reason, ev.detail, peer);
          close();
          return;
      }
    }
  };
  write(session.start());
}

function toAccepted(c: ChangeMessage, ack: Accepted['ack']): Accepted {
  return { entry: journalEntryOf(c, c.machine, c.receivedAt), ack };
}

/** The socket's file descriptor (Unix sockets), for SO_PEERCRED and for logs. */
export function socketFd(socket: CaptureSocket): number | undefined {
  return (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
}

export function describePeer(socket: CaptureSocket): string {
  if (socket.peerLabel) return socket.peerLabel;
  // Unix sockets have no address; the fd identifies the connection in logs.
  const fd = socketFd(socket);
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : `unix fd ${fd ?? '?'}`;
}
