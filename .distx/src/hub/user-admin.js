"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.createUser = createUser;
exports.setPassword = setPassword;
exports.setDisabled = setDisabled;
exports.changeAccess = changeAccess;
exports.clearThrottle = clearThrottle;
/**
 * Managing hub users: create, new password, disable, enable, new role or permissions, forget failed logins. Each change is an
 * event in the vault, stored before the caller hears it is done. Used by the hub host's CLI
 * (`pwbridge hub-user`), which works on the database directly, so a hub whose only admin forgot the
 * password can be recovered by whoever holds the host (and its vault key). The checks are the API's:
 * names by checkName, roles and permissions by the store, passwords by checkUserPassword.
 */
const net = __importStar(require("node:net"));
const vault_port_1 = require("../ports/vault.port");
const errors_1 = require("../vault/errors");
const fold_1 = require("../vault/fold");
const validate_1 = require("../vault/validate");
const access_1 = require("./access");
const api_1 = require("./api");
const login_throttle_1 = require("./login-throttle");
const passwords_1 = require("./passwords");
const store_1 = require("./store");
const describeAccess = (role, permissions) => `role ${role}${permissions.length ? `, ${permissions.join(', ')}` : ', no permissions'}`;
const sessions = (n) => (n === 1 ? '1 session ended' : `${n} sessions ended`);
async function record(a, account, kind, reason) {
    const e = { time: (a.now ?? Date.now)(), machine: access_1.HUB_MACHINE, account, kind, outcome: 'ok', reason };
    await a.vault.appendEvents([e]);
}
async function found(name, result) {
    const r = await result;
    if (r === undefined)
        throw new vault_port_1.VaultNotFoundError(`user "${name}"`);
    return r;
}
async function createUser(a, name, role, permissions, password) {
    (0, validate_1.checkName)('name', name);
    const r = (0, store_1.checkRole)(role);
    const perms = (0, store_1.checkPermissions)(r, permissions);
    (0, api_1.checkUserPassword)(password);
    const user = await a.store.createUser({ name, role: r, permissions: perms }, await (0, passwords_1.hashPassword)(password));
    await record(a, user.name, 'user-created', `${describeAccess(r, perms)}; by ${a.by}`);
    return user;
}
/** A new password; the user's sessions end and its failed logins are forgotten. */
async function setPassword(a, name, password) {
    (0, api_1.checkUserPassword)(password);
    const r = await found(name, a.store.setUserPassword(name, await (0, passwords_1.hashPassword)(password)));
    await record(a, r.user.name, 'user-password-set', `password of user "${r.user.name}" set by ${a.by}; ${sessions(r.sessionsEnded)}, failed logins cleared`);
    return r;
}
/** Disable (sessions end) or enable; no event when the user already was so. */
async function setDisabled(a, name, disabled) {
    const r = await found(name, a.store.setUserDisabled(name, disabled));
    if (r.changed) {
        await record(a, r.user.name, disabled ? 'user-disabled' : 'user-enabled', `user "${r.user.name}" ${disabled ? `disabled by ${a.by}; ${sessions(r.sessionsEnded)}` : `enabled by ${a.by}`}`);
    }
    return r;
}
/** A new role and/or permissions; what is not given stays. No event when nothing changes. */
async function changeAccess(a, name, change) {
    const current = await found(name, a.store.findUser(name));
    const role = (0, store_1.checkRole)(change.role ?? current.role);
    const perms = (0, store_1.checkPermissions)(role, change.permissions ?? current.permissions);
    if (role === current.role && perms.join(',') === current.permissions.join(','))
        return { before: current, after: current, changed: false };
    const r = await found(name, a.store.setUserRole(name, role, perms));
    await record(a, r.after.name, 'user-changed', `user "${r.after.name}": ${describeAccess(r.before.role, r.before.permissions)} → ${describeAccess(r.after.role, r.after.permissions)}; by ${a.by}`);
    return { ...r, changed: true };
}
/**
 * The spellings of an address the hub may have counted failures under: a hub listening on both stacks
 * sees an IPv4 peer as `::ffff:a.b.c.d`.
 */
function addressKeys(address) {
    const kind = net.isIP(address);
    if (kind === 0)
        throw new errors_1.VaultInputError(`address must be an IPv4 or IPv6 address, got ${JSON.stringify(address)}`);
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (kind === 4)
        return [address, `::ffff:${address}`];
    return mapped ? [address, mapped] : [address];
}
/**
 * Forget the failed logins counted against a user (and an address): its next login is not slowed down.
 * The hub host's way in when someone keeps guessing an admin's password (src/hub/login-throttle.ts);
 * recorded even when nothing was counted (who cleared what, and when).
 */
async function clearThrottle(a, name, address) {
    const keys = address === undefined ? [] : addressKeys(address);
    const user = await found(name, a.store.findUser(name));
    const userRows = await a.store.throttle.clear((0, login_throttle_1.userThrottleKey)((0, fold_1.foldName)(user.name)));
    let addressRows = 0;
    for (const k of keys)
        addressRows += await a.store.throttle.clear((0, login_throttle_1.addressThrottleKey)(k));
    const what = `failed logins of user "${user.name}"${address === undefined ? '' : ` and of address ${address}`}`;
    await record(a, user.name, 'login-throttle-cleared', `${what} cleared by ${a.by}${userRows + addressRows === 0 ? ' (none were counted)' : ''}`);
    return { user, userRows, addressRows };
}
//# sourceMappingURL=user-admin.js.map