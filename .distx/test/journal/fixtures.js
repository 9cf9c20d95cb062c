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
exports.ECHO_KEY = exports.eventId = void 0;
exports.entry = entry;
/** Shared fixtures for the state.db tests: journal entries and the echo key. */
const crypto = __importStar(require("node:crypto"));
const eventId = (n) => n.toString(16).padStart(32, '0');
exports.eventId = eventId;
/** An entry whose sealed part is random bytes of the size a short password gives (65+12+2+ct+16). */
function entry(n, over = {}) {
    return {
        eventId: (0, exports.eventId)(n), machine: 'WS01', account: 'alice', accountId: 1000, capturedAt: 1_000 + n, receivedAt: 2_000 + n,
        encoding: 1, sealed: crypto.randomBytes(65 + 12 + 2 + 12 + 16), ...over,
    };
}
exports.ECHO_KEY = Buffer.alloc(32, 7);
//# sourceMappingURL=fixtures.js.map