"use strict";
// `pwbridge install` on Linux: the PAM module into the security dir, the data dir and keys, pwbridge's
// line into common-password (after a backup), the systemd unit, and the service started. Everything is
// planned and checked first: a refusal changes nothing.
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
exports.SOCKET_WAIT_MS = exports.PAM_FILE = void 0;
exports.findSecurityDir = findSecurityDir;
exports.moduleSource = moduleSource;
exports.runInstall = runInstall;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const socket_listener_1 = require("../channel/socket-listener");
const errors_1 = require("../cli/errors");
const config_1 = require("../config/config");
const config_error_1 = require("../config/config-error");
const paths_1 = require("../config/paths");
const atomic_file_1 = require("../platform/linux/atomic-file");
const pam_edit_1 = require("../platform/linux/pam-edit");
const pam_stack_1 = require("../platform/linux/pam-stack");
const service_control_1 = require("../platform/linux/service-control");
const systemd_unit_1 = require("../platform/linux/systemd-unit");
const keys_1 = require("../protocol/keys");
const key_files_1 = require("../protocol/key-files");
const manifest_1 = require("./manifest");
const plan_1 = require("./plan");
const repo_1 = require("./repo");
const wait_socket_1 = require("./wait-socket");
exports.PAM_FILE = 'common-password';
exports.SOCKET_WAIT_MS = 10_000;
const isFile = (p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;
const isDir = (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
const oneLine = (pamLine) => pamLine.replace(/\t/g, ' ');
/** The directory PAM loads bare module names from: the one holding pam_unix.so. */
function findSecurityDir(given, candidates = pam_stack_1.DEFAULT_PAM_MODULE_DIRS) {
    if (given !== undefined) {
        const d = path.resolve(given);
        if (!isDir(d))
            throw new errors_1.UsageError(`--security-dir: ${d} is not a directory; name the directory that holds pam_unix.so`);
        return d;
    }
    const found = candidates.find((d) => isFile(path.join(d, 'pam_unix.so')));
    if (!found) {
        throw new config_error_1.ConfigError('PAM module directory', `no pam_unix.so in ${candidates.join(', ')}`, 'Pass --security-dir DIR naming the directory that holds pam_unix.so');
    }
    return found;
}
function moduleSource(given, builtPath = repo_1.DEFAULT_MODULE_SOURCE) {
    const source = path.resolve(given ?? builtPath);
    if (isFile(source))
        return source;
    if (given !== undefined)
        throw new errors_1.UsageError(`--module: ${source} does not exist or is not a file; give the path of the built pam_pwbridge.so`);
    throw new errors_1.UsageError(`the PAM module was not built: ${source} does not exist. Build it with \`npm run build:native\` `
        + '(it needs the libpam0g-dev, libssl-dev, libcrypt-dev and cmake packages: apt-get install libpam0g-dev libssl-dev libcrypt-dev cmake), or pass --module PATH');
}
/** The PAM file's text, refusing what install will not edit: missing (non-Debian), a symlink, not UTF-8. */
function readPamFile(pamDir, file, line) {
    const byHand = `add this line by hand to the password stack, where it runs only after pam_unix succeeded: ${oneLine(line)}`;
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!st) {
        throw new config_error_1.ConfigError(pamDir, `has no ${exports.PAM_FILE}: pwbridge install edits Debian's ${exports.PAM_FILE} (which passwd, chpasswd and the rest include), and this stack is laid out differently`, `On other systems (RHEL: system-auth and password-auth), ${byHand}`);
    }
    if (!st.isFile())
        throw new config_error_1.ConfigError(file, `is a ${st.isSymbolicLink() ? 'symbolic link' : 'special file'}, not a regular file, and install replaces files whole`, `Edit the file itself: ${byHand}`);
    const bytes = fs.readFileSync(file);
    if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) {
        throw new config_error_1.ConfigError(file, 'is not valid UTF-8, so it cannot be edited without changing other bytes', `Fix the file, or ${byHand}`);
    }
    return bytes;
}
function fileRecord(p) {
    return { path: p, ...(0, atomic_file_1.ownershipOf)(p), sha256: (0, atomic_file_1.sha256)(fs.readFileSync(p)) };
}
async function runInstall(o) {
    (0, plan_1.requireRoot)('install', o.uid, o.dryRun);
    if (process.platform !== 'linux')
        throw new errors_1.UsageError(`install: only Linux is supported so far, not ${process.platform} (Windows comes with the LSA filter, issue 4)`);
    // Everything that can refuse, before anything changes.
    const config = (0, config_1.loadConfig)(o.dataDir);
    const dataDir = config.dataDir;
    const paths = (0, paths_1.dataPaths)(dataDir);
    const files = (0, manifest_1.serviceFiles)(dataDir);
    const previous = (0, manifest_1.readManifest)(dataDir);
    const manifest = previous ? structuredClone(previous) : { version: 1, dataDir };
    const source = moduleSource(o.module);
    const securityDir = findSecurityDir(o.securityDir);
    const moduleDest = path.join(securityDir, pam_stack_1.PWBRIDGE_PAM_MODULE);
    const pamDir = path.resolve(o.pamDir ?? config.pamDir);
    const pamFile = path.join(pamDir, exports.PAM_FILE);
    const line = (0, pam_edit_1.pwbridgeLine)(dataDir, config.socketPath !== (0, config_1.defaultSocketPath)(dataDir) ? config.socketPath : undefined);
    const before = readPamFile(pamDir, pamFile, line);
    const edit = (0, pam_edit_1.insertPwbridgeLine)(before.toString('utf8'), pamFile, line);
    const unitDir = path.resolve(o.unitDir ?? systemd_unit_1.DEFAULT_UNIT_DIR);
    const unitPath = path.join(unitDir, systemd_unit_1.UNIT_NAME);
    const unitOpts = { nodePath: process.execPath, mainJs: repo_1.MAIN_JS, dataDir, socketPath: config.socketPath };
    const unitText = (0, systemd_unit_1.renderUnit)(unitOpts);
    const systemd = (0, service_control_1.systemdRunning)();
    const useSystemd = o.start && systemd && unitDir === systemd_unit_1.DEFAULT_UNIT_DIR;
    if (useSystemd) {
        const problem = (0, systemd_unit_1.sandboxProblem)(dataDir, true) ?? (0, systemd_unit_1.sandboxProblem)(config.socketPath, true) ?? (0, systemd_unit_1.sandboxProblem)(repo_1.MAIN_JS, false) ?? (0, systemd_unit_1.sandboxProblem)(process.execPath, false);
        if (problem)
            throw new config_error_1.ConfigError('pwbridge.service', problem, 'Use a data dir under /var/lib (the default), and node and the checkout outside /tmp and home directories');
    }
    const keyFiles = [key_files_1.SECRET_FILE, key_files_1.PRIVATE_FILE, key_files_1.PUBLIC_FILE].map((f) => path.join(paths.keysDir, f));
    const keysExist = keyFiles.every((f) => fs.existsSync(f));
    if (keysExist && o.uid === 0) {
        try {
            (0, keys_1.wipeKeys)((0, keys_1.loadKeys)(paths.keysDir));
        }
        catch (e) {
            throw new config_error_1.ConfigError(paths.keysDir, e.message, 'Fix the key files (or move them away to have new ones made, which re-keys the capture)');
        }
    }
    const plan = (0, plan_1.emptyPlan)();
    const served = o.start && !useSystemd ? await (0, socket_listener_1.endpointServed)(config.socketPath) : false;
    // 1. The data dir and keys: the capture reads capture.secret and bridge.pub from the first password change on.
    if (isDir(dataDir) && keysExist)
        plan.kept.push(`the data dir ${dataDir} and its keys`);
    else {
        plan.steps.push({
            say: `create the data dir ${dataDir} (0700) and what is missing of its keys: keys/${key_files_1.SECRET_FILE} and keys/${key_files_1.PRIVATE_FILE} (0600), keys/${key_files_1.PUBLIC_FILE} (0644)`,
            apply: () => {
                (0, paths_1.ensureDataDir)(paths);
                (0, keys_1.wipeKeys)((0, keys_1.ensureKeys)(paths.keysDir));
            },
        });
    }
    // A socket outside the data dir: the unit's ReadWritePaths can only open a directory that exists.
    const socketDir = (0, systemd_unit_1.writableDirs)(unitOpts)[1];
    if (socketDir && !isDir(socketDir)) {
        plan.steps.push({
            say: `create the socket's directory ${socketDir} (0700), which the unit's sandbox leaves writable`,
            apply: () => { fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 }); },
        });
    }
    // 2. The module, before any stack names it.
    const moduleBytes = fs.readFileSync(source);
    const moduleSha = (0, atomic_file_1.sha256)(moduleBytes);
    const current = isFile(moduleDest) ? fileRecord(moduleDest) : undefined;
    const moduleRecord = { path: moduleDest, source, sha256: moduleSha };
    if (current && current.sha256 === moduleSha && current.mode === 0o644) {
        plan.kept.push(`the PAM module ${moduleDest} is the same as ${source}`);
        manifest.module = moduleRecord;
    }
    else {
        plan.steps.push({
            say: current ? `replace the PAM module ${moduleDest} with ${source} (0644)` : `copy the PAM module ${source} to ${moduleDest} (0644)`,
            apply: () => {
                (0, atomic_file_1.writeFileAtomic)(moduleDest, moduleBytes, { mode: 0o644, uid: 0, gid: 0 });
                manifest.module = moduleRecord;
            },
        });
    }
    // 3. The unit (written whether or not systemd runs here: it is what a later boot with systemd uses).
    const unitChanges = !(isFile(unitPath) && fs.readFileSync(unitPath, 'utf8') === unitText);
    if (!unitChanges) {
        plan.kept.push(`the unit ${unitPath}`);
        manifest.unit = { path: unitPath, sha256: (0, atomic_file_1.sha256)(unitText) };
    }
    else {
        plan.steps.push({
            say: `${isFile(unitPath) ? 'replace' : 'write'} the unit ${unitPath} (ExecStart=${(0, systemd_unit_1.serviceArgv)(unitOpts).join(' ')}; Restart=on-failure)`,
            apply: () => {
                fs.mkdirSync(unitDir, { recursive: true, mode: 0o755 });
                (0, atomic_file_1.writeFileAtomic)(unitPath, unitText, { mode: 0o644, uid: 0, gid: 0 });
                manifest.unit = { path: unitPath, sha256: (0, atomic_file_1.sha256)(unitText) };
            },
        });
    }
    // 4. The PAM stack: the backup once (never over a pristine one), then the edited file.
    if (!edit.changed) {
        plan.kept.push(`${pamFile} already names ${pam_stack_1.PWBRIDGE_PAM_MODULE} (line ${edit.line})`);
        const existing = edit.text.split('\n')[(edit.line ?? 1) - 1] ?? '';
        if (!existing.includes(`dir=${dataDir}`))
            plan.notes.push(`${pamFile}:${edit.line} does not say dir=${dataDir}; the capture may be using another data dir`);
    }
    else {
        const backupPath = path.join(dataDir, 'backup', exports.PAM_FILE);
        const pamOwn = (0, atomic_file_1.ownershipOf)(pamFile);
        let backup = manifest.pam?.backup;
        if (isFile(backupPath)) {
            plan.kept.push(`the backup ${backupPath} (made by an earlier install; never overwritten)`);
            if (backup?.path !== backupPath)
                backup = fileRecord(backupPath);
        }
        else {
            plan.steps.push({
                say: `back up ${pamFile} to ${backupPath} (mode ${(0, atomic_file_1.octal)(pamOwn.mode)}, uid ${pamOwn.uid}, gid ${pamOwn.gid})`,
                apply: () => {
                    fs.mkdirSync(path.dirname(backupPath), { recursive: true, mode: 0o700 });
                    (0, atomic_file_1.writeFileAtomic)(backupPath, before, pamOwn);
                    backup = fileRecord(backupPath);
                    // Nothing written to the PAM file yet: "written" is what is there.
                    manifest.pam = { file: pamFile, beforeSha256: (0, atomic_file_1.sha256)(before), writtenSha256: (0, atomic_file_1.sha256)(before), backup };
                },
            });
        }
        const renumbered = edit.adjusted.length ? `; renumber the jumps on line ${edit.adjusted.map((a) => `${a.line} (${a.from} → ${a.to})`).join(', ')} so they land where they did` : '';
        plan.steps.push({
            say: `add line ${edit.line} to ${pamFile}, after ${edit.follows}: "${oneLine(line)}"${renumbered}`,
            apply: () => {
                const now = fs.readFileSync(pamFile);
                if (!now.equals(before))
                    throw new Error(`${pamFile} changed while pwbridge install ran; run install again`);
                (0, atomic_file_1.writeFileAtomic)(pamFile, edit.text, (0, atomic_file_1.ownershipOf)(pamFile));
                if (!backup)
                    throw new Error('internal: no backup record');
                manifest.pam = { file: pamFile, beforeSha256: (0, atomic_file_1.sha256)(before), writtenSha256: (0, atomic_file_1.sha256)(edit.text), backup };
            },
        });
    }
    // 5. The service.
    let pid;
    if (!o.start)
        plan.notes.push('not starting the service (--no-start)');
    else if (useSystemd) {
        const active = (0, service_control_1.systemctlYes)(['is-active', systemd_unit_1.UNIT_NAME]);
        if (!unitChanges && active && (0, service_control_1.systemctlYes)(['is-enabled', systemd_unit_1.UNIT_NAME])) {
            plan.kept.push(`${systemd_unit_1.UNIT_NAME} is enabled and running`);
            manifest.service = { how: 'systemd', unit: unitPath };
        }
        else {
            // A running service keeps its old unit until restarted; enable --now alone would not apply the new one.
            const restart = unitChanges && active;
            plan.steps.push({
                say: `start the service: systemctl daemon-reload; systemctl enable${restart ? '' : ' --now'} ${systemd_unit_1.UNIT_NAME}${restart ? `; systemctl restart ${systemd_unit_1.UNIT_NAME}` : ''}`,
                apply: () => {
                    (0, service_control_1.systemctl)(['daemon-reload']);
                    (0, service_control_1.systemctl)(restart ? ['enable', systemd_unit_1.UNIT_NAME] : ['enable', '--now', systemd_unit_1.UNIT_NAME]);
                    if (restart)
                        (0, service_control_1.systemctl)(['restart', systemd_unit_1.UNIT_NAME]);
                    manifest.service = { how: 'systemd', unit: unitPath };
                },
            });
        }
    }
    else {
        plan.notes.push(systemd
            ? `the unit goes to ${unitDir}, where systemd does not look, so the service is started detached instead`
            : 'systemd is not running here (no /run/systemd/system), so the service is started as a detached process instead');
        plan.notes.push('a detached service is NOT restarted if it fails, and NOT started at boot: start it again with this same install command');
        if (served)
            plan.kept.push(`a service already answers on ${config.socketPath}; not starting another`);
        else {
            const argv = (0, systemd_unit_1.serviceArgv)(unitOpts);
            plan.steps.push({
                say: `start the service detached: ${argv.join(' ')} (output to ${files.serviceOut}, pid in ${files.pidFile})`,
                apply: () => {
                    (0, paths_1.ensureDataDir)(paths);
                    pid = (0, service_control_1.startDetached)(argv, files.serviceOut, files.pidFile);
                    manifest.service = { how: 'detached', pidFile: files.pidFile, log: files.serviceOut };
                },
            });
        }
    }
    manifest.pamFile = pamFile;
    await (0, manifest_1.applyAndRecord)(plan, manifest, previous, files.manifest, o);
    let code = 0;
    if (o.start) {
        const log = useSystemd ? 'journalctl -u pwbridge' : files.serviceOut;
        if (o.dryRun)
            o.out(`would wait up to ${exports.SOCKET_WAIT_MS / 1000} s for the service to answer on ${config.socketPath}`);
        else {
            const started = pid;
            const answered = await (0, wait_socket_1.waitForSocket)(config.socketPath, exports.SOCKET_WAIT_MS, () => started === undefined || (0, service_control_1.processAlive)(started));
            if (answered)
                o.out(`the service answers on ${config.socketPath}`);
            else {
                o.out(`the service did NOT answer on ${config.socketPath}${started !== undefined && !(0, service_control_1.processAlive)(started) ? ' (it exited)' : ` within ${exports.SOCKET_WAIT_MS / 1000} s`}; see ${log}`);
                code = 1;
            }
        }
    }
    const filter = (0, pam_stack_1.probePamStack)({ pamDir, moduleDirs: [securityDir] });
    o.out(`filter${o.dryRun ? ' now' : ''}: ${filter.state} (${filter.reason})`);
    return code;
}
//# sourceMappingURL=install.js.map