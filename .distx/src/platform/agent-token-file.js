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
exports.privateFileTokenStore = void 0;
exports.checkAgentToken = checkAgentToken;
exports.missingToken = missingToken;
/**
 * The agent token on Linux (and any POSIX system): a file only its owner may read or write (0600), written
 * whole (temp file, fsync, rename) so the service never reads half of a token that setup is replacing.
 * Windows keeps it DPAPI-protected instead (windows/dpapi-token.ts); src/platform/index.ts picks one.
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const atomic_file_1 = require("./linux/atomic-file");
const TOKEN_FORMAT = /^pwa_[A-Za-z0-9_-]{43}$/;
/** The token's own shape: a wrong file is refused before its content is sent anywhere. */
function checkAgentToken(token, file) {
    if (!TOKEN_FORMAT.test(token))
        throw new Error(`the agent token ${file} is not an agent token; run pwbridge setup again`);
    return token;
}
function missingToken(file) {
    return new Error(`the agent token ${file} is missing; enrol this machine with: pwbridge setup --hub URL`);
}
exports.privateFileTokenStore = {
    how: 'a file only its owner can read (0600)',
    read(file) {
        let st;
        try {
            st = fs.statSync(file);
        }
        catch {
            throw missingToken(file);
        }
        if ((st.mode & 0o077) !== 0) {
            const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
            throw new Error(`the agent token ${file} has mode ${mode}; it must not be readable or writable by group or others (chmod 600)`);
        }
        return checkAgentToken(fs.readFileSync(file, 'utf8').trim(), file);
    },
    write(file, token) {
        checkAgentToken(token, file);
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        (0, atomic_file_1.writeFileAtomic)(file, `${token}\n`, { mode: 0o600 });
    },
};
//# sourceMappingURL=agent-token-file.js.map