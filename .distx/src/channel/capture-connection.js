"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_HANDSHAKE_MS = void 0;
exports.serveCaptureConnection = serveCaptureConnection;
exports.socketFd = socketFd;
exports.describePeer = describePeer;
const server_session_1 = require("../protocol/server-session");
const journal_stage_1 = require("../service/journal-stage");
exports.DEFAULT_HANDSHAKE_MS = 10_000;
/**
 * One capture connection: bytes in → ServerSession (decode + authenticate) → journal → ack out.
 * A refusal ends this connection only; the server keeps serving everyone else.
 */
function serveCaptureConnection(socket, hooks) {
    const peer = describePeer(socket);
    const notAllowed = hooks.refusePeer?.(socket);
    if (notAllowed) {
        // Before any byte: a process that is not the capture's does not even get a CHALLENGE.
        hooks.onRefused('peer', notAllowed, peer);
        socket.destroy();
        return;
    }
    const session = new server_session_1.ServerSession({ secret: hooks.secret });
    let closed = false;
    const handshakeMs = hooks.handshakeMs ?? exports.DEFAULT_HANDSHAKE_MS;
    let handshake = setTimeout(() => {
        handshake = undefined;
        hooks.onRefused('handshake', `no HELLO within ${handshakeMs / 1000} s of connecting`, peer);
        close();
    }, handshakeMs);
    const close = () => {
        if (closed)
            return;
        closed = true;
        if (handshake)
            clearTimeout(handshake);
        session.close();
        socket.destroy();
    };
    const write = (frame) => {
        if (frame && !closed && socket.writable)
            socket.write(frame);
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
        if (awaitingAck === 0)
            socket.end();
    });
    socket.on('data', (chunk) => {
        try {
            onData(chunk);
        }
        catch (err) {
            // A hook that throws (state.db full while the HELLO is recorded, say) ends this connection, not the
            // service: the capture gets no ack and keeps its event, as for any other failure before the journal.
            hooks.onRefused('internal', `the bridge could not handle the frame: ${err.message}`, peer);
            close();
        }
    });
    const onData = (chunk) => {
        for (const ev of session.feed(chunk)) {
            switch (ev.kind) {
                case 'hello':
                    if (handshake)
                        clearTimeout(handshake);
                    handshake = undefined;
                    write(ev.reply);
                    hooks.onHello(ev.hello);
                    break;
                case 'change':
                    awaitingAck++;
                    hooks.onChange(toAccepted(ev.change, (result) => {
                        awaitingAck--;
                        // 'failed': not durable, so no ack; the capture keeps the event and re-sends it later.
                        if (result === 'failed')
                            return close();
                        write(session.ack(ev.change.eventId, result));
                        if (ended && awaitingAck === 0)
                            socket.end();
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
function toAccepted(c, ack) {
    return { entry: (0, journal_stage_1.journalEntryOf)(c, c.machine, c.receivedAt), ack };
}
/** The socket's file descriptor (Unix sockets), for SO_PEERCRED and for logs. */
function socketFd(socket) {
    return socket._handle?.fd;
}
function describePeer(socket) {
    if (socket.peerLabel)
        return socket.peerLabel;
    // Unix sockets have no address; the fd identifies the connection in logs.
    const fd = socketFd(socket);
    return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : `unix fd ${fd ?? '?'}`;
}
//# sourceMappingURL=capture-connection.js.map