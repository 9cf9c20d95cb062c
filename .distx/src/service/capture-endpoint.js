"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startCaptureEndpoint = startCaptureEndpoint;
const capture_connection_1 = require("../channel/capture-connection");
const socket_listener_1 = require("../channel/socket-listener");
const constants_1 = require("../protocol/constants");
const capture_peer_policy_1 = require("./capture-peer-policy");
const refusal_rate_limit_1 = require("./refusal-rate-limit");
/** Refusals a peer can cause in bulk without knowing the secret: counted, not recorded one by one. */
const BULK_REFUSALS = new Set(['peer-cap', 'handshake', 'idle']);
async function startCaptureEndpoint(d) {
    const { events } = d;
    const allowedUids = new Set([0, process.getuid?.() ?? 0]);
    const policy = (0, capture_peer_policy_1.createPeerPolicy)({ peerUid: d.peerUid, allowedUids, limits: d.limits });
    const record = (reason) => events.record({ kind: 'frame-refused', outcome: 'refused', reason });
    const bulk = (0, refusal_rate_limit_1.rateLimitRefusals)(record);
    const onRefused = (reason, detail, peer) => {
        const line = `${reason}: ${detail} (${peer})`;
        if (BULK_REFUSALS.has(reason))
            bulk.note(reason, line);
        else
            record(line);
    };
    const sockets = new Set();
    const onConnection = (socket) => {
        const verdict = policy.admit(socket);
        if ('refused' in verdict) {
            // Before any byte: a process that may not talk to the bridge does not even get a CHALLENGE.
            onRefused(verdict.refused.reason, verdict.refused.detail, (0, capture_connection_1.describePeer)(socket));
            socket.destroy();
            return;
        }
        for (const why of verdict.evicted)
            bulk.note('peer-cap', `peer-cap: ${why}`);
        const admitted = verdict.admitted;
        sockets.add(socket);
        socket.once('close', () => {
            sockets.delete(socket);
            admitted.release();
        });
        let session = '';
        (0, capture_connection_1.serveCaptureConnection)(socket, {
            secret: d.secret,
            handshakeMs: d.limits.handshakeMs,
            onHello: (h) => {
                admitted.authenticated();
                if (h.kind === constants_1.CaptureKind.selftest) {
                    events.record({ kind: 'selftest', outcome: 'ok', reason: 'a self-test connected and the bridge proved the install secret' });
                    return;
                }
                session = h.sessionId.toString('hex');
                const kind = Object.entries(constants_1.CaptureKind).find(([, code]) => code === h.kind)?.[0] ?? `kind ${h.kind}`;
                d.filter.onHello({ kind, version: (0, constants_1.formatVersion)(h.captureVersion), bootId: h.bootId.toString('hex'), at: Date.now() });
            },
            onChange: d.onChange,
            onRefused,
            onHeartbeat: (h) => d.onHeartbeat(session, h),
        });
    };
    let server;
    try {
        server = await (0, socket_listener_1.listenCaptureEndpoint)(d.socketPath, onConnection, { onRefused });
    }
    catch (err) {
        bulk.stop();
        throw err;
    }
    server.on('error', (err) => d.logger.error({ err: { message: err.message } }, 'capture endpoint error'));
    return {
        async stop() {
            const closed = new Promise((resolve) => server.close(() => resolve()));
            for (const s of sockets)
                s.destroy(); // un-acked events stay with their captures
            await closed;
            bulk.stop();
        },
    };
}
//# sourceMappingURL=capture-endpoint.js.map