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
exports.DEFAULT_MODULE_SOURCE = exports.MAIN_JS = exports.REPO_ROOT = void 0;
// Where this checkout's pieces are, computed from the running file (dist/src/setup/repo.js).
const path = __importStar(require("node:path"));
exports.REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** What the service runs: the compiled CLI. */
exports.MAIN_JS = path.join(exports.REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
/** The PAM module as `npm run build:native` leaves it (native/, issue 3). */
exports.DEFAULT_MODULE_SOURCE = path.join(exports.REPO_ROOT, 'native', 'build', 'pam', 'pam_pwbridge.so');
//# sourceMappingURL=repo.js.map