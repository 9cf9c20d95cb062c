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
exports.registerInstall = registerInstall;
const errors_1 = require("../errors");
const system_1 = require("../../platform/windows/system");
const install_1 = require("../../setup/install");
const windows_install_1 = require("../../setup/windows-install");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const platform_1 = require("../../platform");
const places_1 = require("../../platform/windows/places");
const hub_trust_1 = require("../../setup/hub-trust");
const install_enrolment_1 = require("../../setup/install-enrolment");
const windows_install_2 = require("../../setup/windows-install");
const existing_password_1 = require("../existing-password");
const options_1 = require("../options");
/**
 * `pwbridge install [--dry-run]`. Linux (root): PAM module, data dir and keys, the PAM line, the unit, the
 * service. Windows (administrator): the filter DLL and its registration, the service account, the service.
 */
function registerInstall(program) {
    program
        .command('install')
        .description('install on this machine: Linux (root): the PAM module, keys, the line in common-password, the systemd unit, the service; '
        + 'Windows (administrator): the LSA filter in System32 and Notification Packages, the service account, the Windows service')
        .option('--dry-run', 'print every change it would make, and make none (works without root)', false)
        .option('--module <path>', 'the built capture module: pam_pwbridge.so (default: native/build/pam/) or, on Windows, pwbridge_filter.dll (default: native/build-win/)')
        .option('--event-messages <file>', 'Windows: the event source\'s message DLL (default: pwbridge_messages.dll next to the filter DLL)')
        .option('--service-account <name>', 'Windows: run the service as this existing local administrator, its password read from stdin (one line) or asked '
        + 'without echo; default: create the account "pwbridge" with a random password')
        .option('--service-password-file <file>', 'Windows, with --service-account: read its password from this file (one line; only SYSTEM and '
        + 'administrators may read it), which is then overwritten and removed')
        .option('--hub <url>', 'Windows: then enrol this machine with the hub at https://HOST:PORT, as pwbridge setup does (needs --client, --enrol-file '
        + 'and --insecure-fingerprint or --ca)')
        .option('--client <name>', 'with --hub: the client this machine serves')
        .option('--insecure-fingerprint <sha256>', 'with --hub: the hub\'s self-signed certificate\'s SHA-256 fingerprint, pinned')
        .option('--ca <file>', 'with --hub: the CA certificate (PEM) that signed the hub\'s certificate')
        .option('--enrol-file <file>', 'with --hub: a file with a hub user\'s name and password on two lines (the user holds Setup AD Sync; only SYSTEM '
        + 'and administrators may read it); overwritten and removed once read')
        .option('--security-dir <dir>', 'where PAM modules live (default: the directory holding pam_unix.so)')
        .option('--pam-dir <dir>', 'the pam.d directory (default: config pamDir, /etc/pam.d)')
        .option('--unit-dir <dir>', 'where the systemd unit goes (default: /etc/systemd/system)')
        .option('--no-start', 'do not start the service')
        .action(async (o, cmd) => {
        if (process.platform === 'win32') {
            process.exitCode = await installWindows(o, (0, options_1.dataDirOf)(cmd));
            return;
        }
        if (o.serviceAccount !== undefined)
            throw new errors_1.UsageError('--service-account is for Windows; on Linux the service runs as root');
        if (o.hub !== undefined)
            throw new errors_1.UsageError('--hub is for the Windows package\'s silent deployment; on Linux run pwbridge setup after install');
        const code = await (0, install_1.runInstall)({
            dataDir: (0, options_1.dataDirOf)(cmd),
            dryRun: o.dryRun,
            start: o.start,
            module: o.module,
            securityDir: o.securityDir,
            pamDir: o.pamDir,
            unitDir: o.unitDir,
            uid: process.getuid?.(),
            out: (line) => process.stdout.write(`${line}\n`),
        });
        if (code !== 0)
            process.exitCode = code;
    });
}
/** Windows: the install, then (with --hub) the enrolment; every flag is checked before anything changes. */
async function installWindows(o, dataDir) {
    const out = (line) => {
        process.stdout.write(`${line}\n`);
        keepInLog(line);
    };
    try {
        const access = (0, platform_1.selectSecretFileAccess)();
        if (o.servicePasswordFile !== undefined) {
            if (o.serviceAccount === undefined)
                throw new errors_1.UsageError('--service-password-file goes with --service-account');
            (0, install_enrolment_1.checkEnrolFile)(o.servicePasswordFile, access);
        }
        const enrol = enrolmentOf(o);
        if (enrol)
            (0, install_enrolment_1.checkEnrolFile)(enrol.enrolFile, access);
        return await installAndEnrol(o, dataDir, enrol, out);
    }
    catch (e) {
        keepInLog(`pwbridge install stopped: ${e.message}`);
        throw e;
    }
}
/**
 * Windows Installer keeps nothing a custom action prints, so a failed MSI install would say only that its
 * install step failed: every line install prints, and the reason it stopped, also go to
 * %TEMP%\pwbridge-install.log (for the MSI's LocalSystem step, C:\Windows\Temp). Nothing install prints is
 * secret.
 */
function keepInLog(line) {
    try {
        fs.appendFileSync(path.join(os.tmpdir(), 'pwbridge-install.log'), `${new Date().toISOString()} ${line}\n`);
    }
    catch {
        /* a log that cannot be written must not stop the install */
    }
}
async function installAndEnrol(o, dataDir, enrol, out) {
    const system = (0, system_1.realWindowsSystem)();
    const code = await (0, windows_install_1.runWindowsInstall)({
        dataDir, dryRun: o.dryRun, start: o.start, module: o.module, eventMessages: o.eventMessages, serviceAccount: o.serviceAccount,
        readPassword: (account) => (o.servicePasswordFile !== undefined
            ? Promise.resolve(takePassword(o.servicePasswordFile))
            : (0, existing_password_1.readExistingPassword)('--service-account', account)),
        out, system,
    });
    if (code !== 0 || !enrol)
        return code;
    if (o.dryRun) {
        out(`would enrol this machine with ${enrol.url} into client "${enrol.client}" (${enrol.enrolFile} is read and removed then), and restart the service`);
        return 0;
    }
    await (0, install_enrolment_1.enrolAfterInstall)({
        dataDir, enrol, out,
        restartService: async () => {
            if (!o.start)
                return;
            await system.services.stop(places_1.SERVICE_NAME);
            system.services.start(places_1.SERVICE_NAME);
            if (!(await system.waitForService(places_1.SERVICE_NAME, windows_install_2.SERVICE_WAIT_MS)))
                throw new Error(`the service ${places_1.SERVICE_NAME} did not run again within ${windows_install_2.SERVICE_WAIT_MS / 1000} s after the enrolment`);
            out(`the service ${places_1.SERVICE_NAME} runs again, now with the hub`);
        },
    });
    return 0;
}
/** --hub and its companions, all or none. */
function enrolmentOf(o) {
    const companions = { '--client': o.client, '--enrol-file': o.enrolFile, '--insecure-fingerprint': o.insecureFingerprint, '--ca': o.ca };
    if (o.hub === undefined) {
        const stray = Object.entries(companions).filter(([, v]) => v !== undefined).map(([k]) => k);
        if (stray.length)
            throw new errors_1.UsageError(`${stray.join(', ')} go with --hub`);
        return undefined;
    }
    if (o.client === undefined)
        throw new errors_1.UsageError('--hub needs --client NAME: the client this machine serves (a silent install cannot ask)');
    if (o.enrolFile === undefined)
        throw new errors_1.UsageError('--hub needs --enrol-file FILE: the hub user\'s name and password, on two lines');
    return { ...(0, hub_trust_1.hubTrust)({ hub: o.hub, ca: o.ca, insecureFingerprint: o.insecureFingerprint }), client: (0, options_1.requireName)('--client', o.client), enrolFile: o.enrolFile };
}
/** The one-line password in the file, which is then overwritten and removed. */
function takePassword(file) {
    const bytes = fs.readFileSync(file);
    try {
        let end = bytes.length;
        if (end > 0 && bytes[end - 1] === 0x0a)
            end--;
        if (end > 0 && bytes[end - 1] === 0x0d)
            end--;
        const password = Buffer.from(bytes.subarray(0, end));
        if (password.length === 0 || password.includes(0x0a)) {
            password.fill(0);
            throw new errors_1.UsageError(`--service-password-file: ${file} must hold the password alone, on one line`);
        }
        return password;
    }
    finally {
        bytes.fill(0);
        (0, install_enrolment_1.removeSecretFile)(file);
    }
}
//# sourceMappingURL=install.js.map