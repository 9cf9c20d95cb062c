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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLogger = createLogger;
const fs = __importStar(require("node:fs"));
const pino_1 = __importDefault(require("pino"));
/** Log bytes held in memory while the log file cannot be written (disk full); older ones are kept, newer dropped. */
const LOG_BACKLOG_BYTES = 1 << 20;
/**
 * A full disk or an I/O error on the log file must not end the service (sonic-boom emits 'error', and
 * with no listener that is a throw out of whatever logged, in the middle of the journal stage). The
 * lines stay queued, up to LOG_BACKLOG_BYTES, and go out with the next write that succeeds; stderr
 * (the service manager's journal, usually another disk) hears once when the file fails and once when it
 * works again, with how many lines were dropped meanwhile.
 */
function keepGoingOnWriteErrors(dest, file) {
    let failing = false;
    let dropped = 0;
    dest.on('error', (err) => {
        if (failing)
            return;
        failing = true;
        process.stderr.write(`pwbridge: cannot write the log file ${file} (${err.code ?? err.message}); lines are held and written once it can be\n`);
    });
    dest.on('drop', () => { dropped++; });
    dest.on('write', () => {
        if (!failing)
            return;
        failing = false;
        process.stderr.write(`pwbridge: the log file ${file} is written again${dropped ? `; ${dropped} lines were dropped meanwhile` : ''}\n`);
        dropped = 0;
    });
    return dest;
}
/**
 * pino JSON to a file (and stdout when running in the foreground). Redaction is a second line of defence:
 * nothing pwbridge logs should hold a secret in the first place.
 */
function createLogger(opts) {
    const streams = [];
    if (opts.file) {
        // Owner-only before the first line is written; events name accounts, which is not for every user.
        fs.closeSync(fs.openSync(opts.file, 'a', 0o600));
        if (process.platform !== 'win32')
            fs.chmodSync(opts.file, 0o600);
        // Synchronous writes: each line is on disk when the call returns (an admin tailing the file sees it,
        // a crash loses none), and memory stays bounded in a burst, where an async writer would buffer without
        // limit while events come faster than the disk takes them.
        streams.push({ stream: keepGoingOnWriteErrors(pino_1.default.destination({ dest: opts.file, sync: true, maxLength: LOG_BACKLOG_BYTES }), opts.file) });
    }
    if (opts.stdout)
        streams.push({ stream: pino_1.default.destination({ fd: 1, sync: false }) });
    return (0, pino_1.default)({
        level: opts.level,
        base: { app: 'pwbridge' },
        redact: { paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'key', '*.key'], censor: '[redacted]' },
    }, pino_1.default.multistream(streams.length ? streams : [{ stream: pino_1.default.destination({ fd: 2, sync: false }) }]));
}
//# sourceMappingURL=logger.js.map