"use strict";
// The vault model and the events pwbridge records. Plain data: no behaviour, no I/O.
Object.defineProperty(exports, "__esModule", { value: true });
exports.EMBEDDED_CLIENT = exports.CLIENT_DEFAULTS = void 0;
/**
 * What a new client gets for an option it was not given, everywhere (port, CLI, hub API, dashboard).
 * Change Password is the default mode, as the vendor's guide has it ("set by default to update the
 * password on the system … if it is changed"); Report Mismatches is one explicit choice away.
 */
exports.CLIENT_DEFAULTS = Object.freeze({
    windowsSync: false,
    twoWaySync: false,
    autoCreate: false,
    defaultMode: 'change',
    agentsWriteShared: false,
});
/**
 * The embedded vault's own client, made on the first start with no hub: Windows Sync, Two-Way Sync and
 * Auto Create on; the rest (Change Password, no captured writes to shared credentials) as for any client.
 */
exports.EMBEDDED_CLIENT = Object.freeze({
    ...exports.CLIENT_DEFAULTS, name: 'local', windowsSync: true, twoWaySync: true, autoCreate: true,
});
//# sourceMappingURL=types.js.map