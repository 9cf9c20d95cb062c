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
exports.dataPaths = dataPaths;
exports.ensureDataDir = ensureDataDir;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_error_1 = require("./config-error");
function dataPaths(dataDir) {
    const keysDir = path.join(dataDir, 'keys');
    return {
        dataDir,
        keysDir,
        vaultKey: path.join(keysDir, 'vault.key'),
        vaultDb: path.join(dataDir, 'vault.db'),
        stateDb: path.join(dataDir, 'state.db'),
        logDir: path.join(dataDir, 'log'),
        logFile: path.join(dataDir, 'log', 'pwbridge.log'),
        spoolDir: path.join(dataDir, 'spool'),
        agentToken: path.join(keysDir, 'agent.token'),
    };
}
/** The data dir holds keys and the journal: owner-only, whatever the umask says. */
function ensureDataDir(p) {
    for (const dir of [p.dataDir, p.keysDir, p.logDir, p.spoolDir]) {
        try {
            fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
            if (process.platform !== 'win32')
                fs.chmodSync(dir, 0o700);
        }
        catch (err) {
            const code = err.code;
            if (code !== 'EACCES' && code !== 'EPERM')
                throw err;
            throw new config_error_1.ConfigError('--data-dir', `cannot create or secure ${dir} (permission denied)`, 'Run pwbridge as root (the service needs it for local accounts), or give --data-dir a directory you own');
        }
    }
}
//# sourceMappingURL=paths.js.map