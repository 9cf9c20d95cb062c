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
exports.describeInstall = describeInstall;
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const socket_listener_1 = require("../channel/socket-listener");
const paths_1 = require("../config/paths");
const open_1 = require("./open");
const platform_1 = require("../platform");
const filter_state_1 = require("./filter-state");
const hub_access_watch_1 = require("./hub-access-watch");
/**
 * The filter state as of now (the platform probe and the last hello), not as the service last saved it:
 * the PAM stack may have changed since, or the service may not be running. Nothing is written.
 */
function freshFilterState(config, db) {
    // The platform's accounts are not used here, so no install secret is read for their fingerprint key.
    const platform = (0, platform_1.selectPlatform)(config, (0, node_crypto_1.randomBytes)(32));
    const noEvents = { record: () => undefined };
    const probe = platform.probeFilter();
    const state = new filter_state_1.FilterStateTracker(db.state, () => probe, noEvents, {
        captureEnabled: config.captureEnabled,
        bootId: () => platform.bootId(),
    }).peek();
    return { state, details: probe.details };
}
/**
 * What `status` shows, read from the data dir alone so it works whether or not the service runs.
 */
async function describeInstall(config) {
    const managed = (0, platform_1.serviceManagerSaysRunning)();
    const base = {
        dataDir: config.dataDir, machine: config.machine, client: config.client, socketPath: config.socketPath,
        serviceRunning: managed ?? await (0, socket_listener_1.endpointServed)(config.socketPath),
        serviceCheckedBy: managed === undefined ? 'socket' : 'service manager',
        spool: spoolCounts((0, paths_1.dataPaths)(config.dataDir).spoolDir),
        ...(config.hub ? { hub: { url: config.hub.url } } : {}),
    };
    const db = (0, open_1.openExistingState)(config.dataDir);
    if (!db) {
        return { ...base, filter: { state: 'not-installed', reason: 'the service has never run with this data dir', since: Date.now() }, journalDepth: 0, deadLetters: [] };
    }
    try {
        const filter = freshFilterState(config, db);
        return {
            ...base,
            filter: filter.state,
            filterDetails: filter.details,
            journalDepth: db.journal.depth(),
            deadLetters: db.journal.deadLetters(100).map((d) => ({ eventId: d.eventId, account: d.account, receivedAt: d.receivedAt, reason: d.outcome ?? d.lastError })),
            lastReconcile: db.state.getValue('lastReconcile'),
            ...(config.hub ? { hub: { url: config.hub.url, refused: db.state.getValue(hub_access_watch_1.HUB_ACCESS_KEY) ?? undefined } } : {}),
        };
    }
    finally {
        db.close();
    }
}
/** Counted by name only: status never opens a spool record. A missing or unreadable spool counts as empty. */
function spoolCounts(dir) {
    let names = [];
    try {
        names = fs.readdirSync(dir);
    }
    catch {
        /* no spool yet, or not ours to read */
    }
    return { waiting: names.filter((n) => n.endsWith('.chg')).length, refused: names.filter((n) => n.endsWith('.bad')).length };
}
//# sourceMappingURL=describe.js.map