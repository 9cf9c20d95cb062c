"use strict";
// `<data dir>/install.json`: what `pwbridge install` did, so `pwbridge uninstall` reverts exactly that.
// Written (atomically) after every step, so an install that fails half way can still be undone.
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
exports.manifestPath = manifestPath;
exports.serviceFiles = serviceFiles;
exports.readManifest = readManifest;
exports.writeManifest = writeManifest;
exports.applyAndRecord = applyAndRecord;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_error_1 = require("../config/config-error");
const atomic_file_1 = require("../platform/linux/atomic-file");
const plan_1 = require("./plan");
function manifestPath(dataDir) {
    return path.join(dataDir, 'install.json');
}
/** The files install keeps in the data dir besides the manifest. */
function serviceFiles(dataDir) {
    return {
        manifest: manifestPath(dataDir),
        /** A detached service's pid (no systemd). */
        pidFile: path.join(dataDir, 'pwbridge.pid'),
        /** A detached service's stdout and stderr. */
        serviceOut: path.join(dataDir, 'log', 'service.out'),
    };
}
/** The manifest, or undefined when there is none. A file that is not one is refused. */
function readManifest(dataDir) {
    const file = manifestPath(dataDir);
    let text;
    try {
        text = fs.readFileSync(file, 'utf8');
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return undefined;
        throw new config_error_1.ConfigError(file, `cannot be read (${e.code ?? e.message})`, 'Run pwbridge as root');
    }
    let m;
    try {
        m = JSON.parse(text);
    }
    catch (e) {
        throw new config_error_1.ConfigError(file, `is not valid JSON (${e.message})`, 'Restore it from a backup, or undo the install by hand (see README "Install")');
    }
    if (m === null || typeof m !== 'object' || m.version !== 1) {
        throw new config_error_1.ConfigError(file, 'is not a pwbridge install record (version 1)', 'Restore it from a backup, or undo the install by hand (see README "Install")');
    }
    return m;
}
function writeManifest(m) {
    (0, atomic_file_1.writeFileAtomic)(manifestPath(m.dataDir), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
}
/**
 * Apply (or, dry, print) an install plan and keep its record: the manifest is written after every step,
 * so a half-finished install can still be undone, and once more at the end if anything in it changed.
 */
async function applyAndRecord(plan, manifest, previous, where, o) {
    const changed = () => JSON.stringify(manifest) !== JSON.stringify(previous);
    await (0, plan_1.runPlan)(plan, { dryRun: o.dryRun, out: o.out, afterEach: () => writeManifest(manifest) });
    if (o.dryRun) {
        if (changed() || plan.steps.length)
            o.out(`would record what was done in ${where}`);
    }
    else if (changed()) {
        writeManifest(manifest);
        o.out(`recorded what was done in ${where} (pwbridge uninstall reverts it)`);
    }
}
//# sourceMappingURL=manifest.js.map