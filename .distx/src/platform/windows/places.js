"use strict";
// Where pwbridge lives on a Windows machine: registry keys and values, file names, the service. One
// place, shared with the filter DLL's native/lsa/config.h (the HKLM\SOFTWARE\pwbridge values) and the
// MSI (packaging/windows: the service name, the DLL in System32).
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
exports.SERVICE_DESCRIPTION = exports.SERVICE_DISPLAY_NAME = exports.SERVICE_NAME = exports.FILTER_DLL = exports.FILTER_PACKAGE = exports.EVENTLOG_SOURCE_KEY = exports.EVENT_SOURCE = exports.VALUE_INSTALLED_AT = exports.VALUE_DISABLED = exports.VALUE_EXCLUDE = exports.VALUE_PIPE_NAME = exports.VALUE_DATA_DIR = exports.VALUE_SERVICE_SID = exports.PWBRIDGE_KEY = exports.RUN_AS_PPL = exports.NOTIFICATION_PACKAGES = exports.LSA_KEY = void 0;
exports.system32 = system32;
const path = __importStar(require("node:path"));
/** The LSA key: `Notification Packages` (REG_MULTI_SZ) and `RunAsPPL` (REG_DWORD) live here. */
exports.LSA_KEY = 'SYSTEM\\CurrentControlSet\\Control\\Lsa';
exports.NOTIFICATION_PACKAGES = 'Notification Packages';
exports.RUN_AS_PPL = 'RunAsPPL';
/** pwbridge's own key (only administrators and SYSTEM can write HKLM\SOFTWARE). Read by the filter DLL. */
exports.PWBRIDGE_KEY = 'SOFTWARE\\pwbridge';
/** REG_SZ: the SID the service runs as; the filter sends only to a pipe served by it. */
exports.VALUE_SERVICE_SID = 'ServiceSid';
/** REG_SZ: the data dir, when not %ProgramData%\pwbridge. */
exports.VALUE_DATA_DIR = 'DataDir';
/** REG_SZ: the pipe, when not \\.\pipe\pwbridge. */
exports.VALUE_PIPE_NAME = 'PipeName';
/** REG_MULTI_SZ: accounts the filter never sends (besides *$ and krbtgt*). */
exports.VALUE_EXCLUDE = 'ExcludeAccounts';
/** REG_DWORD 1: the filter's kill switch. pwbridge install never sets it; an administrator may. */
exports.VALUE_DISABLED = 'Disabled';
/**
 * REG_QWORD, FILETIME: when install last made a change that only a reboot applies (the filter added to
 * Notification Packages, or a new DLL in System32). A boot before this is "reboot required".
 */
exports.VALUE_INSTALLED_AT = 'InstalledAt';
/** The Application event log's source registration. */
exports.EVENT_SOURCE = 'pwbridge';
exports.EVENTLOG_SOURCE_KEY = `SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${exports.EVENT_SOURCE}`;
/** The filter's name in Notification Packages (its DLL's name without .dll). */
exports.FILTER_PACKAGE = 'pwbridge_filter';
exports.FILTER_DLL = `${exports.FILTER_PACKAGE}.dll`;
/** The Windows service (the MSI's ServiceName is the same). */
exports.SERVICE_NAME = 'pwbridge';
exports.SERVICE_DISPLAY_NAME = 'pwbridge';
exports.SERVICE_DESCRIPTION = 'Keeps local account passwords in step with a credential vault (pwbridge).';
function system32(env = process.env) {
    return path.win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32');
}
//# sourceMappingURL=places.js.map