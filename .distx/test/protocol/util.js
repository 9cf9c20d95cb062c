"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rand = exports.BRIDGE = exports.SECRET = void 0;
exports.bridgeKeyPair = bridgeKeyPair;
exports.newClient = newClient;
exports.one = one;
exports.oneC = oneC;
exports.established = established;
exports.change = change;
// Shared fixtures for the protocol tests: fixed keys and pure (socket-free) sessions driven to a state.
const node_crypto_1 = require("node:crypto");
const node_assert_1 = require("node:assert");
const client_session_1 = require("../../src/protocol/client-session");
const server_session_1 = require("../../src/protocol/server-session");
exports.SECRET = Buffer.alloc(32, 0x5a);
function bridgeKeyPair() {
    const e = (0, node_crypto_1.createECDH)('prime256v1');
    e.generateKeys();
    return { privateKey: e.getPrivateKey(), publicKey: e.getPublicKey() };
}
exports.BRIDGE = bridgeKeyPair();
function newClient(secret = exports.SECRET, machine = 'testhost') {
    return new client_session_1.ClientSession({ secret, bridgePub: exports.BRIDGE.publicKey, machine });
}
function only(events) {
    node_assert_1.strict.equal(events.length, 1, `expected one event, got ${events.length}`);
    return events[0];
}
function one(server, bytes) {
    return only(server.feed(bytes));
}
function oneC(client, bytes) {
    return only(client.feed(bytes));
}
/** Server and client after a complete handshake. */
function established(secret = exports.SECRET) {
    const server = new server_session_1.ServerSession({ secret });
    const client = newClient(secret);
    const ch = oneC(client, server.start());
    node_assert_1.strict.equal(ch.kind, 'challenge');
    const helloFrame = ch.reply;
    const h = one(server, helloFrame);
    node_assert_1.strict.equal(h.kind, 'hello');
    const ready = oneC(client, h.reply);
    node_assert_1.strict.equal(ready.kind, 'ready');
    return { server, client, helloFrame };
}
function change(client, password = Buffer.from('hunter2'), account = 'alice') {
    return client.change({ account, encoding: 1, password, accountId: 1000 });
}
exports.rand = node_crypto_1.randomBytes;
//# sourceMappingURL=util.js.map