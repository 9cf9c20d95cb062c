"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_CAPTURE_LIMITS = void 0;
exports.createPeerPolicy = createPeerPolicy;
/**
 * Who may hold a capture connection, and how many each may hold.
 *
 * Who: root (passwd, chpasswd, sshd run the PAM module as root; lsass is SYSTEM) and this service's own
 * user. The socket directory's 0700 already keeps others out; this holds if it ever did not. A named pipe
 * has no fd: the pipe addon checked the client's token before handing it over, and caps its instances.
 *
 * How many: a root tool or the service's own user opening connections by the thousand must not starve the
 * capture, nor exhaust the service's file descriptors. Connections are counted per peer uid and in total.
 * A connection that has not yet proved the install secret (no HELLO) is "pending": it is closed by the
 * handshake deadline, and when a uid (or the total) is at its cap, a new connection closes that uid's
 * oldest pending one (else the oldest pending of anyone) rather than being turned away itself. So idle
 * connections cannot keep a real capture out: its HELLO follows its connect within milliseconds. Only when
 * every counted connection has said HELLO is the new one refused.
 */
const capture_connection_1 = require("../channel/capture-connection");
/**
 * A capture opens one connection per password change (PAM) or keeps one (the LSA filter); a password
 * change on a busy host is a few at once. 32 per uid and 128 in all leave room for bursts and keep the
 * service far below its descriptor limit; 10 s is far longer than any real HELLO takes.
 */
exports.DEFAULT_CAPTURE_LIMITS = { perUid: 32, total: 128, handshakeMs: 10_000 };
function createPeerPolicy(o) {
    // Sets keep insertion order, which is connection order: the first pending one found is the oldest.
    const byKey = new Map();
    const all = new Set();
    const drop = (h) => {
        if (!all.delete(h))
            return;
        const set = byKey.get(h.key);
        set.delete(h);
        if (set.size === 0)
            byKey.delete(h.key);
    };
    const oldestPending = (held) => {
        for (const h of held)
            if (h.pending)
                return h;
        return undefined;
    };
    const evict = (h, why, evicted) => {
        drop(h);
        h.socket.destroy();
        evicted.push(why);
    };
    return {
        held: () => all.size,
        admit(socket) {
            const fd = (0, capture_connection_1.socketFd)(socket);
            let key = 'the pipe';
            if (fd !== undefined) {
                const uid = o.peerUid(fd);
                if (uid === undefined)
                    return { refused: { reason: 'peer', detail: 'the OS did not say who the peer is (SO_PEERCRED failed)' } };
                if (!o.allowedUids.has(uid))
                    return { refused: { reason: 'peer', detail: `peer uid ${uid} is neither root nor the service's user` } };
                key = `uid ${uid}`;
            }
            const { perUid, total: totalCap } = o.limits;
            const evicted = [];
            // The pipe caps its own instances (and says who is busy): only the cap in all applies to it here.
            const mine = fd === undefined ? undefined : byKey.get(key);
            if (mine && mine.size >= perUid) {
                const victim = oldestPending(mine);
                if (!victim)
                    return { refused: { reason: 'peer-cap', detail: `${key} holds ${mine.size} authenticated capture connections, the cap per uid (${perUid}); this one was closed` } };
                evict(victim, `${key} reached the cap of ${perUid} capture connections per uid; its oldest connection that had not said HELLO was closed`, evicted);
            }
            if (all.size >= totalCap) {
                const victim = oldestPending(all);
                if (!victim)
                    return { refused: { reason: 'peer-cap', detail: `${all.size} authenticated capture connections are open, the cap in all (${totalCap}); this one from ${key} was closed` } };
                evict(victim, `${all.size} capture connections reached the cap in all (${totalCap}); the oldest that had not said HELLO (${victim.key}) was closed`, evicted);
            }
            const h = { key, socket, pending: true };
            if (!byKey.has(key))
                byKey.set(key, new Set());
            byKey.get(key).add(h);
            all.add(h);
            return {
                evicted,
                admitted: {
                    authenticated: () => { h.pending = false; },
                    release: () => { drop(h); },
                },
            };
        },
    };
}
//# sourceMappingURL=capture-peer-policy.js.map