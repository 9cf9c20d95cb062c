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
exports.sealedChange = sealedChange;
exports.spoolRecord = spoolRecord;
exports.spoolName = spoolName;
exports.writeSpoolFile = writeSpoolFile;
exports.spoolEvent = spoolEvent;
// Spool files as a capture writes them (docs/protocol.md "Spool"): a CHANGE body sealed to the bridge's
// key exactly as on the wire, in a PWBS record tagged with K_spool, written as `.<name>.tmp` and renamed.
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const constants_1 = require("../../src/protocol/constants");
const keys_1 = require("../../src/protocol/keys");
const messages_1 = require("../../src/protocol/messages");
const seal_1 = require("../../src/protocol/seal");
const spool_record_1 = require("../../src/protocol/spool-record");
/** The CHANGE body a capture builds for one event (what ClientSession.change() frames), sealed to `bridgePub`. */
function sealedChange(bridgePub, ev) {
    const eventId = ev.eventId ?? (0, node_crypto_1.randomBytes)(constants_1.ID_BYTES);
    const encoding = ev.encoding ?? constants_1.Encoding.raw;
    return {
        eventId,
        capturedAt: ev.capturedAt ?? Date.now(),
        accountId: ev.accountId ?? 0xffffffff,
        account: ev.account,
        encoding,
        sealed: (0, seal_1.seal)(ev.password, eventId, Buffer.from(ev.account, 'utf8'), encoding, bridgePub),
    };
}
/** The record bytes for one CHANGE, tagged with the K_spool of `secret`. */
function spoolRecord(secret, change, machine = 'TESTHOST', kind = 1) {
    return (0, spool_record_1.encodeSpoolRecord)({ kind, machine, body: (0, messages_1.encodeChange)(change) }, (0, keys_1.spoolKey)(secret));
}
/** The file name the capture gives an event: `<event id hex>.chg`. */
function spoolName(change) {
    return `${change.eventId.toString('hex')}.chg`;
}
/** Write `bytes` as `dir/name` the way the capture does (temp file, then rename). Returns the path. */
function writeSpoolFile(dir, name, bytes) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.${name}.tmp`);
    fs.writeFileSync(tmp, bytes, { mode: 0o600 });
    const file = path.join(dir, name);
    fs.renameSync(tmp, file);
    return file;
}
/** Seal, record and write one event under its own name. */
function spoolEvent(dir, secret, bridgePub, ev, machine) {
    const change = sealedChange(bridgePub, ev);
    const file = writeSpoolFile(dir, spoolName(change), spoolRecord(secret, change, machine));
    return { file, change, eventIdHex: change.eventId.toString('hex') };
}
//# sourceMappingURL=spool.js.map