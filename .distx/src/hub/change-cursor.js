"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toChangeCredential = toChangeCredential;
exports.cursorFor = cursorFor;
/**
 * The push-down cursor: what an agent's reconcile depends on, as one opaque string. The client's sync
 * options and, for each credential that reaches the agent's machine (its own `MACHINE\user` or a shared
 * bare `user`), its id, version, mode and Windows Sync. Flags are left out: reconcile sets them, and they
 * must not wake it. A pure function of the database's rows, so every hub process computes the same cursor.
 */
const node_crypto_1 = require("node:crypto");
const fold_1 = require("../vault/fold");
const access_1 = require("./access");
/** The state's rows as ChangeState credentials (the machine folded once per row, not once per waiter). */
function toChangeCredential(r) {
    const m = (0, access_1.machineOf)(r.username);
    return { id: r.id, machineKey: m === undefined ? null : (0, fold_1.foldName)(m), version: r.version, mode: r.mode, windowsSync: r.windows_sync };
}
/** `undefined` state: the client does not exist. */
function cursorFor(state, machine) {
    if (!state)
        return 'none';
    const mine = (0, fold_1.foldName)(machine);
    const c = state.client;
    const h = (0, node_crypto_1.createHash)('sha256');
    h.update(`${c.windowsSync}|${c.twoWaySync}|${c.autoCreate}|${c.defaultMode}\n`);
    for (const r of state.credentials) {
        if (r.machineKey === null || r.machineKey === mine)
            h.update(`${r.id}|${r.version}|${r.mode}|${r.windowsSync}\n`);
    }
    return h.digest('base64url').slice(0, 22);
}
//# sourceMappingURL=change-cursor.js.map