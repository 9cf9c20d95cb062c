// The selftest's handshake: connect to the service's capture endpoint as a capture would, and check that
// it proves it holds this install's secret (HELLO_ACK's tag). Sends no password. Shared by `selftest` and
// `doctor`'s service link.
import * as net from 'node:net';
import { servedThoughRefused } from './socket-listener';
import { CaptureKind } from '../protocol/constants';
import { ClientSession } from '../protocol/client-session';

/** Why the connection failed, in words an administrator can act on. */
export function connectFailure(socketPath: string, code: string | undefined, platform: NodeJS.Platform = process.platform): string {
  if (servedThoughRefused(socketPath, code, platform)) {
    return `the service is running, but its pipe does not let this account in (access denied, ${code}): only SYSTEM and the `
      + 'service account may open it. Run selftest as SYSTEM (e.g. from a scheduled task), or see pwbridge status';
  }
  return `the service is not reachable (${code ?? 'no error code'})`;
}

/** The server hung up before saying anything: it refused this process (or it is not a bridge). */
export const REFUSED_BEFORE_FIRST_BYTE = 'the server closed the connection before its first byte: the service lets in only '
  + 'root or SYSTEM and its own account, and refused this process (pwbridge events --kind frame-refused says why), '
  + 'or whatever serves the socket is not a bridge';

/** `accessDenied`: the endpoint is served, but its DACL keeps this account out (Windows: only SYSTEM and the service account). */
export interface HandshakeResult { ok: boolean; detail: string; accessDenied?: boolean }

export function handshake(socketPath: string, secret: Buffer, bridgePub: Buffer, machine: string): Promise<HandshakeResult> {
  const session = new ClientSession({ secret, bridgePub, machine, kind: CaptureKind.selftest });
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let settled = false;
    const done = (ok: boolean, detail: string, accessDenied = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.close();
      socket.destroy();
      resolve(accessDenied ? { ok, detail, accessDenied } : { ok, detail });
    };
    let received = 0;
    let connected = false;
    const timer = setTimeout(() => done(false, 'no answer within 5 s'), 5000);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // Connected, then cut off before a byte: a refusal, whatever the transport calls it.
      const cutOff = connected && received === 0 && (e.code === 'EPIPE' || e.code === 'ECONNRESET');
      const code = e.code ?? e.message;
      done(false, cutOff ? REFUSED_BEFORE_FIRST_BYTE : connectFailure(socketPath, code), !cutOff && servedThoughRefused(socketPath, code));
    });
    socket.once('connect', () => { connected = true; });
    socket.on('close', () => done(false, received === 0 ? REFUSED_BEFORE_FIRST_BYTE : 'the server closed the connection during the handshake'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      for (const ev of session.feed(chunk)) {
        if (ev.kind === 'challenge') socket.write(ev.reply);
        else if (ev.kind === 'ready') done(true, 'the service answered and proved this install\'s secret');
        else if (ev.kind === 'refused') done(false, `the server could not prove this install's secret, so it is not this install's bridge (${ev.reason}: ${ev.detail})`);
      }
    });
  });
}
