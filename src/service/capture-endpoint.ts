/**
 * The capture endpoint as the service runs it: each connection admitted by the peer policy (who, how many),
 * then served (HELLO → filter state, CHANGE → the journal stage, heartbeats → their watch). Refusals are
 * `frame-refused` events in one wording whoever refused (the connection handler, the policy, the pipe
 * itself); those a local peer can cause by the thousand are rate-limited.
 */
import type pino from 'pino';
import { describePeer, serveCaptureConnection, type CaptureSocket } from '../channel/capture-connection';
import { listenCaptureEndpoint, type CaptureServer } from '../channel/socket-listener';
import type { EventSink } from '../ports/event-sink.port';
import { CaptureKind, formatVersion } from '../protocol/constants';
import type { FilterStateTracker } from './filter-state';
import type { Heartbeat } from './capture-heartbeats';
import type { Accepted } from './journal-stage';
import { createPeerPolicy, type CaptureLimits } from './capture-peer-policy';
import { rateLimitRefusals } from './refusal-rate-limit';

/**
 * Refusals a peer can cause in bulk without knowing the secret: counted, not recorded one by one. `peer`
 * and `busy` too: any local user may connect and be refused (SO_PEERCRED, a pipe's DACL or its full
 * instances), and each event would otherwise reach the service log, the OS log and the hub's event log.
 */
const BULK_REFUSALS = new Set(['peer-cap', 'handshake', 'idle', 'peer', 'busy']);
/**
 * Every other refusal comes from a peer the policy admitted (root or the service account): a broken capture
 * or a root process writing garbage. Each is worth reading, so many are recorded one by one, but not an
 * unbounded number: past this many of one reason a minute they are counted too.
 */
const FRAME_REFUSAL_BURST = 20;

export interface CaptureEndpointDeps {
  socketPath: string;
  secret: Buffer;
  /** Told to every capture in HELLO_ACK: pwbridge's own version (packVersion form). */
  bridgeVersion: number;
  events: EventSink;
  logger: pino.Logger;
  filter: Pick<FilterStateTracker, 'onHello'>;
  peerUid(fd: number): number | undefined;
  limits: CaptureLimits;
  onChange(accepted: Accepted): void;
  onHeartbeat(session: string, h: Heartbeat): void;
}

export interface CaptureEndpoint {
  /** Stop accepting, and close every connection: un-acked events stay with their captures. */
  stop(): Promise<void>;
}

export async function startCaptureEndpoint(d: CaptureEndpointDeps): Promise<CaptureEndpoint> {
  const { events } = d;
  const allowedUids = new Set([0, process.getuid?.() ?? 0]);
  const policy = createPeerPolicy({ peerUid: d.peerUid, allowedUids, limits: d.limits });
  const record = (reason: string) => events.record({ kind: 'frame-refused', outcome: 'refused', reason });
  const bulk = rateLimitRefusals(record);
  const frames = rateLimitRefusals(record, { burst: FRAME_REFUSAL_BURST });
  const onRefused = (reason: string, detail: string, peer: string) => {
    const line = `${reason}: ${detail} (${peer})`;
    if (BULK_REFUSALS.has(reason)) bulk.note(reason, line);
    else frames.note(reason, line);
  };

  const sockets = new Set<CaptureSocket>();
  const onConnection = (socket: CaptureSocket) => {
    const verdict = policy.admit(socket);
    if ('refused' in verdict) {
      // Before any byte: a process that may not talk to the bridge does not even get a CHALLENGE.
      onRefused(verdict.refused.reason, verdict.refused.detail, describePeer(socket));
      socket.destroy();
      return;
    }
    for (const why of verdict.evicted) bulk.note('peer-cap', `peer-cap: ${why}`);
    const admitted = verdict.admitted;
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      admitted.release();
    });
    let session = '';
    serveCaptureConnection(socket, {
      secret: d.secret,
      bridgeVersion: d.bridgeVersion,
      handshakeMs: d.limits.handshakeMs,
      onHello: (h) => {
        admitted.authenticated();
        if (h.kind === CaptureKind.selftest) {
          events.record({ kind: 'selftest', outcome: 'ok', reason: 'a self-test connected and the bridge proved the install secret' });
          return;
        }
        session = h.sessionId.toString('hex');
        const kind = Object.entries(CaptureKind).find(([, code]) => code === h.kind)?.[0] ?? `kind ${h.kind}`;
        d.filter.onHello({ kind, version: formatVersion(h.captureVersion), bootId: h.bootId.toString('hex'), at: Date.now() });
      },
      onChange: d.onChange,
      onRefused,
      onHeartbeat: (h) => d.onHeartbeat(session, h),
    });
  };

  let server: CaptureServer;
  try {
    server = await listenCaptureEndpoint(d.socketPath, onConnection, { onRefused });
  } catch (err) {
    bulk.stop();
    frames.stop();
    throw err;
  }
  server.on('error', (err) => d.logger.error({ err: { message: err.message } }, 'capture endpoint error'));

  return {
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy(); // un-acked events stay with their captures
      await closed;
      bulk.stop();
      frames.stop();
    },
  };
}
