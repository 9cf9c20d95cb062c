"use strict";
// Drives the real pam_pwbridge.so through libpam: pamtester under cwrap's pam_wrapper, with service
// files in a private folder (so /etc/pam.d is never touched), or the system's own stack as root.
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
exports.PAM_MATRIX = exports.PAM_MODULE = void 0;
exports.requireModule = requireModule;
exports.pamtester = pamtester;
exports.writeMatrixService = writeMatrixService;
exports.spooled = spooled;
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const repo_root_1 = require("../vectors/repo-root");
exports.PAM_MODULE = path.join((0, repo_root_1.repoRoot)(), 'native', 'build', 'pam', 'pam_pwbridge.so');
exports.PAM_MATRIX = '/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so';
const PAM_WRAPPER = 'libpam_wrapper.so';
/** The module must have been built (npm run build does it); a missing one is a failure, not a skip. */
function requireModule() {
    if (!fs.existsSync(exports.PAM_MODULE)) {
        throw new Error(`${exports.PAM_MODULE} is missing: npm run build:native (needs libpam0g-dev, libssl-dev, cmake)`);
    }
    return exports.PAM_MODULE;
}
function pamtester(o) {
    const env = { PATH: process.env.PATH };
    if (o.serviceDir) {
        Object.assign(env, {
            PAM_WRAPPER: '1',
            PAM_WRAPPER_SERVICE_DIR: o.serviceDir,
            PAM_WRAPPER_DEBUGLEVEL: '2', // pam_syslog lines go to stderr (level 3 would also trace PAM items, the password among them)
            LD_PRELOAD: PAM_WRAPPER,
        });
    }
    return new Promise((resolve, reject) => {
        const argv = [...(o.verbose === false ? [] : ['-v']), o.service, o.user, o.op];
        const command = o.valgrind
            ? ['valgrind', '--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite', 'pamtester', ...argv]
            : ['pamtester', ...argv];
        const [exe, ...args] = [...(o.prefix ?? []), ...command];
        const child = (0, node_child_process_1.spawn)(exe, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 15_000);
        child.on('error', reject);
        child.on('close', (code) => {
            clearTimeout(timer);
            const syslog = stderr.split('\n').filter((l) => l.includes('SYSLOG(')).map((l) => l.replace(/^.*SYSLOG\(\d\): /, ''));
            resolve({ code, stdout, stderr, syslog });
        });
        child.stdin.end(o.answers.map((a) => `${a}\n`).join(''));
    });
}
/** A pam_matrix password file (user:password:service) and a service whose password stack is
 * pam_matrix (the "real" change) then our module, optional, with the given arguments. pam_matrix keeps
 * the passwords in its own file, never in /etc/shadow, so the module's check that the change really
 * happened there is off (`shadow_check=off`) unless `shadowCheck` says to keep it. */
function writeMatrixService(dir, service, users, moduleArgs, opts = {}) {
    const serviceDir = path.join(dir, 'pam-services');
    fs.mkdirSync(serviceDir, { recursive: true });
    const passdb = path.join(dir, 'passdb');
    fs.writeFileSync(passdb, Object.entries(users).map(([u, p]) => `${u}:${p}:${service}\n`).join(''));
    fs.writeFileSync(path.join(serviceDir, service), [
        `password required ${exports.PAM_MATRIX} passdb=${passdb}`,
        `password optional ${requireModule()} ${[...moduleArgs, ...(opts.shadowCheck ? [] : ['shadow_check=off'])].join(' ')}`,
        '',
    ].join('\n'));
    return { serviceDir, passdb };
}
/** The spooled event files in a data dir. */
function spooled(dataDir) {
    const dir = path.join(dataDir, 'spool');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.chg')) : [];
}
//# sourceMappingURL=pam.js.map