"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.waitForSocket = waitForSocket;
const socket_listener_1 = require("../channel/socket-listener");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Wait until the socket accepts a connection: false after `timeoutMs`, or as soon as `alive()` says the service is gone. */
async function waitForSocket(socketPath, timeoutMs, alive = () => true) {
    const until = Date.now() + timeoutMs;
    for (;;) {
        if (await (0, socket_listener_1.endpointServed)(socketPath))
            return true;
        if (Date.now() > until || !alive())
            return false;
        await sleep(100);
    }
}
//# sourceMappingURL=wait-socket.js.map