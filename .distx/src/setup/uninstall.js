"use strict";
// `pwbridge uninstall`: undo what the manifest says install did. Each step looks at how things are now,
// so a run that failed half way can simply be run again. The data dir (the vault, keys, journal) stays.
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
exports.runUninstall = runUninstall;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const errors_1 = require("../cli/errors");
const atomic_file_1 = require("../platform/linux/atomic-file");
const pam_edit_1 = require("../platform/linux/pam-edit");
const pam_stack_1 = require("../platform/linux/pam-stack");
const service_control_1 = require("../platform/linux/service-control");
const systemd_unit_1 = require("../platform/linux/systemd-unit");
const manifest_1 = require("./manifest");
const plan_1 = require("./plan");
const isFile = (p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;
function planPam(m, plan) {
    const file = m.pam?.file ?? m.pamFile;
    if (!file)
        return;
    if (!isFile(file)) {
        plan.notes.push(`${file} is gone; nothing to restore there`);
        return;
    }
    const bytes = fs.readFileSync(file);
    const text = bytes.toString('utf8');
    const removal = (0, pam_edit_1.removePwbridgeLines)(text, file);
    if (!m.pam) {
        if (removal.changed)
            plan.notes.push(`${file} names ${pam_stack_1.PWBRIDGE_PAM_MODULE} on line ${removal.removed.join(', ')}, but install did not put it there, so it is left: remove it by hand`);
        return;
    }
    const { backup } = m.pam;
    const backupBytes = isFile(backup.path) ? fs.readFileSync(backup.path) : undefined;
    const pristine = backupBytes !== undefined && (0, atomic_file_1.sha256)(backupBytes) === backup.sha256 && backup.sha256 === m.pam.beforeSha256;
    if ((0, atomic_file_1.sha256)(bytes) === m.pam.writtenSha256 && pristine) {
        plan.steps.push({
            say: `restore ${file} from ${backup.path} (its bytes, mode ${(0, atomic_file_1.octal)(backup.mode)}, uid ${backup.uid}, gid ${backup.gid}), then remove the backup`,
            apply: () => {
                (0, atomic_file_1.writeFileAtomic)(file, backupBytes, { mode: backup.mode, uid: backup.uid, gid: backup.gid });
                fs.rmSync(backup.path, { force: true });
            },
        });
        return;
    }
    // The file changed since install: take out only our line, and keep the pre-install copy for the
    // administrator (moved aside, so a later install makes a fresh backup of the file as it will be then).
    const aside = `${backup.path}.before-install-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const keepBackup = isFile(backup.path)
        ? { say: `; move the pre-install backup ${backup.path} to ${aside} for comparison`, apply: () => fs.renameSync(backup.path, aside) }
        : { say: '', apply: () => undefined };
    if (!removal.changed) {
        plan.notes.push(`${file} has changed since install and no longer names ${pam_stack_1.PWBRIDGE_PAM_MODULE}; it is left as it is`);
        if (keepBackup.say)
            plan.steps.push({ say: keepBackup.say.slice(2), apply: keepBackup.apply });
        return;
    }
    plan.notes.push(`${file} has changed since install, so it is not restored from the backup: only pwbridge's line is taken out`);
    const renumbered = removal.adjusted.length ? ` and renumber the jumps on line ${removal.adjusted.map((a) => `${a.line} (${a.from} → ${a.to})`).join(', ')} back` : '';
    plan.steps.push({
        say: `remove line ${removal.removed.join(', ')} (${pam_stack_1.PWBRIDGE_PAM_MODULE}) from ${file}${renumbered}${keepBackup.say}`,
        apply: () => {
            const now = fs.readFileSync(file);
            if (!now.equals(bytes))
                throw new Error(`${file} changed while pwbridge uninstall ran; run uninstall again`);
            const st = fs.statSync(file);
            (0, atomic_file_1.writeFileAtomic)(file, removal.text, { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
            keepBackup.apply();
        },
    });
}
function planService(m, plan) {
    const files = (0, manifest_1.serviceFiles)(m.dataDir);
    if (m.service?.how === 'systemd') {
        if ((0, service_control_1.systemdRunning)()) {
            plan.steps.push({ say: `stop and disable the service: systemctl disable --now ${systemd_unit_1.UNIT_NAME}`, apply: () => (0, service_control_1.systemctl)(['disable', '--now', systemd_unit_1.UNIT_NAME]) });
        }
        else {
            plan.notes.push(`install started the service with systemd, which is not running now: ${systemd_unit_1.UNIT_NAME} cannot be stopped or disabled through it`);
        }
    }
    const pid = (0, service_control_1.readPidFile)(files.pidFile);
    if (pid !== undefined && (0, service_control_1.processAlive)(pid) && (0, service_control_1.isServiceOf)(pid, m.dataDir)) {
        plan.steps.push({
            say: `stop the service (pid ${pid}): SIGTERM, and wait for it to exit; remove ${files.pidFile}`,
            apply: async () => {
                const how = await (0, service_control_1.stopProcess)(pid);
                if (how === 'killed')
                    plan.notes.push(`pid ${pid} did not exit within 15 s of SIGTERM and was killed`);
                fs.rmSync(files.pidFile, { force: true });
            },
        });
    }
    else if (fs.existsSync(files.pidFile)) {
        plan.steps.push({ say: `remove ${files.pidFile} (no service of this data dir runs with that pid)`, apply: () => fs.rmSync(files.pidFile, { force: true }) });
    }
}
function planFiles(m, plan) {
    if (m.unit && fs.existsSync(m.unit.path)) {
        const reload = m.service?.how === 'systemd' && (0, service_control_1.systemdRunning)() && path.dirname(m.unit.path) === systemd_unit_1.DEFAULT_UNIT_DIR;
        plan.steps.push({
            say: `remove the unit ${m.unit.path}${reload ? '; systemctl daemon-reload' : ''}`,
            apply: () => {
                fs.rmSync(m.unit.path, { force: true });
                if (reload)
                    (0, service_control_1.systemctl)(['daemon-reload']);
            },
        });
    }
    // After the PAM file: the stack must never name a module that is not there.
    if (m.module && fs.existsSync(m.module.path)) {
        plan.steps.push({ say: `remove the PAM module ${m.module.path}`, apply: () => fs.rmSync(m.module.path, { force: true }) });
    }
}
async function runUninstall(o) {
    (0, plan_1.requireRoot)('uninstall', o.uid, o.dryRun);
    const dataDir = path.resolve(o.dataDir);
    const m = (0, manifest_1.readManifest)(dataDir);
    if (!m) {
        throw new errors_1.UsageError(`uninstall: nothing installed here: ${(0, manifest_1.manifestPath)(dataDir)} does not exist (pwbridge install writes it; a finished uninstall removes it). Pass --data-dir if pwbridge was installed with another`);
    }
    const plan = (0, plan_1.emptyPlan)();
    planPam(m, plan);
    planService(m, plan);
    planFiles(m, plan);
    plan.steps.push({ say: `remove the install record ${(0, manifest_1.manifestPath)(dataDir)}`, apply: () => fs.rmSync((0, manifest_1.manifestPath)(dataDir), { force: true }) });
    const notesBefore = plan.notes.length;
    await (0, plan_1.runPlan)(plan, { dryRun: o.dryRun, out: o.out });
    for (const n of plan.notes.slice(notesBefore))
        o.out(`note: ${n}`);
    o.out(`${o.dryRun ? 'would keep' : 'kept'} the data dir ${dataDir}: it holds the vault, the keys and the journal (remove it yourself once you no longer need them)`);
    const pamFile = m.pam?.file ?? m.pamFile;
    if (pamFile) {
        const filter = (0, pam_stack_1.probePamStack)({ pamDir: path.dirname(pamFile), moduleDirs: m.module ? [path.dirname(m.module.path)] : undefined });
        o.out(`filter${o.dryRun ? ' now' : ''}: ${filter.state} (${filter.reason})`);
    }
    return 0;
}
//# sourceMappingURL=uninstall.js.map