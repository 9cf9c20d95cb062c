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
exports.MIN_RECONCILE_MS = exports.TIMER_LIMIT_MS = void 0;
exports.defaultDataDir = defaultDataDir;
exports.configPath = configPath;
exports.loadConfig = loadConfig;
exports.defaultSocketPath = defaultSocketPath;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_error_1 = require("./config-error");
const duration_1 = require("./duration");
const platform_1 = require("../platform");
/** setTimeout/setInterval silently fire at once for delays above this (Node clamps to 1 ms). */
exports.TIMER_LIMIT_MS = 2 ** 31 - 1;
exports.MIN_RECONCILE_MS = 10_000;
function defaultDataDir() {
    if (process.platform === 'win32') {
        return path.join(process.env.ProgramData ?? 'C:\\ProgramData', 'pwbridge');
    }
    return '/var/lib/pwbridge';
}
/** The fields config.json may hold, with their defaults. Shown in errors so the fix is at hand. */
const DEFAULTS = {
    machine: '',
    client: 'local',
    socketPath: '',
    reconcileInterval: '5m',
    maxEventAge: '7d',
    retryBase: '1s',
    retryMax: '5m',
    echoTtl: '2m',
    serviceAccount: 'pwbridge',
    excludeAccounts: [],
    concurrency: 32,
    captureEnabled: true,
    pamDir: '/etc/pam.d',
    logLevel: 'info',
    hub: undefined,
};
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
function configPath(dataDir) {
    return path.join(dataDir, 'config.json');
}
/** Read `<dataDir>/config.json` (absent means all defaults) and apply overrides from the command line. */
function loadConfig(dataDir, overrides = {}) {
    const file = configPath(dataDir);
    let raw = {};
    if (fs.existsSync(file)) {
        const text = fs.readFileSync(file, 'utf8');
        try {
            raw = JSON.parse(text);
        }
        catch (err) {
            throw new config_error_1.ConfigError(file, `is not valid JSON (${err.message})`, 'Fix the syntax or remove the file to use the defaults');
        }
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
            throw new config_error_1.ConfigError(file, 'must hold a JSON object', 'Write {"client": "NAME", …}');
        }
    }
    for (const key of Object.keys(raw)) {
        if (!(key in DEFAULTS)) {
            throw new config_error_1.ConfigError(`${file}: ${key}`, 'is not a known field', `Known fields: ${Object.keys(DEFAULTS).join(', ')}`);
        }
    }
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    return validate({ ...raw, ...defined }, path.resolve(dataDir), file);
}
function validate(raw, dataDir, source) {
    const get = (k) => (raw[k] === undefined ? DEFAULTS[k] : raw[k]);
    const field = (k) => `${source}: ${k}`;
    const str = (k, allowEmpty = false) => {
        const v = get(k);
        if (typeof v !== 'string' || (!allowEmpty && v.trim() === '')) {
            throw new config_error_1.ConfigError(field(k), `must be a non-empty string, got ${JSON.stringify(v)}`, `Set "${k}" to a string`);
        }
        return v;
    };
    const duration = (k, min) => {
        const v = get(k);
        const ms = typeof v === 'number' ? v : typeof v === 'string' ? (0, duration_1.parseDuration)(v) : undefined;
        if (ms === undefined || !Number.isFinite(ms)) {
            throw new config_error_1.ConfigError(field(k), `${JSON.stringify(v)} is not a duration`, 'Use a number of ms or a string like "30s", "5m", "7d"');
        }
        if (ms < min || ms > exports.TIMER_LIMIT_MS) {
            throw new config_error_1.ConfigError(field(k), `${(0, duration_1.formatDuration)(ms)} is out of range`, `Use at least ${(0, duration_1.formatDuration)(min)} and at most ${exports.TIMER_LIMIT_MS} ms (about 24.8 days, the timer limit)`);
        }
        return ms;
    };
    const exclude = get('excludeAccounts');
    if (!Array.isArray(exclude) || exclude.some((e) => typeof e !== 'string' || e === '')) {
        throw new config_error_1.ConfigError(field('excludeAccounts'), 'must be a list of account names', 'Write e.g. ["backup", "svc-monitor"]');
    }
    const concurrency = get('concurrency');
    if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
        throw new config_error_1.ConfigError(field('concurrency'), `${JSON.stringify(concurrency)} is not an integer from 1 to 256`, 'Set a small integer such as 8');
    }
    const captureEnabled = get('captureEnabled');
    if (typeof captureEnabled !== 'boolean') {
        throw new config_error_1.ConfigError(field('captureEnabled'), 'must be true or false', 'Write true or false without quotes');
    }
    const logLevel = str('logLevel');
    if (!LOG_LEVELS.includes(logLevel)) {
        throw new config_error_1.ConfigError(field('logLevel'), `"${logLevel}" is not a level`, `Use one of ${LOG_LEVELS.join(', ')}`);
    }
    const client = str('client');
    if (client.length > 200 || /[\u0000-\u001f]/.test(client)) {
        throw new config_error_1.ConfigError(field('client'), 'has control characters or is longer than 200 characters', 'Use the client name as the vault shows it');
    }
    const retryBaseMs = duration('retryBase', 10);
    const retryMaxMs = duration('retryMax', 10);
    if (retryMaxMs < retryBaseMs) {
        throw new config_error_1.ConfigError(field('retryMax'), 'is shorter than retryBase', 'Make retryMax at least retryBase');
    }
    // Not os.hostname() on Windows: MACHINE is the NetBIOS name there, as in Windows' own MACHINE\user.
    const machine = str('machine', true) || (0, platform_1.defaultMachineName)();
    const hub = raw.hub === undefined ? undefined : validateHub(raw.hub, field('hub'));
    if (hub && /\\/.test(machine)) {
        throw new config_error_1.ConfigError(field('machine'), 'contains a backslash', 'A machine name is the MACHINE in MACHINE\\user; use the plain host name');
    }
    return {
        dataDir,
        machine,
        client,
        socketPath: str('socketPath', true) || defaultSocketPath(dataDir),
        reconcileIntervalMs: duration('reconcileInterval', exports.MIN_RECONCILE_MS),
        maxEventAgeMs: duration('maxEventAge', 1000),
        retryBaseMs,
        retryMaxMs,
        echoTtlMs: duration('echoTtl', 1000),
        serviceAccount: str('serviceAccount'),
        excludeAccounts: exclude,
        concurrency,
        captureEnabled,
        pamDir: str('pamDir'),
        logLevel: logLevel,
        ...(hub ? { hub } : {}),
    };
}
const HUB_FIELDS = ['url', 'fingerprint', 'caFile'];
function validateHub(raw, at) {
    const fix = 'Run pwbridge setup --hub URL again, or remove "hub" to use the embedded vault';
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new config_error_1.ConfigError(at, 'must be an object', fix);
    const h = raw;
    for (const k of Object.keys(h)) {
        if (!HUB_FIELDS.includes(k))
            throw new config_error_1.ConfigError(`${at}.${k}`, 'is not a known field', `Known fields: ${HUB_FIELDS.join(', ')}`);
    }
    let url;
    try {
        url = typeof h.url === 'string' ? new URL(h.url) : undefined;
    }
    catch {
        url = undefined;
    }
    if (!url || url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
        throw new config_error_1.ConfigError(`${at}.url`, `${JSON.stringify(h.url)} is not an https://HOST[:PORT] URL`, fix);
    }
    if ((h.fingerprint === undefined) === (h.caFile === undefined)) {
        throw new config_error_1.ConfigError(at, 'must have exactly one of fingerprint and caFile', fix);
    }
    if (h.fingerprint !== undefined) {
        const hex = typeof h.fingerprint === 'string' ? h.fingerprint.replace(/:/g, '') : '';
        if (!/^[0-9A-Fa-f]{64}$/.test(hex))
            throw new config_error_1.ConfigError(`${at}.fingerprint`, 'is not a SHA-256 fingerprint (64 hex digits, colons allowed)', fix);
        return { url: url.origin, fingerprint: hex.toUpperCase().match(/../g).join(':') };
    }
    if (typeof h.caFile !== 'string' || h.caFile === '')
        throw new config_error_1.ConfigError(`${at}.caFile`, 'must be the path of a PEM file', fix);
    return { url: url.origin, caFile: h.caFile };
}
function defaultSocketPath(dataDir) {
    if (process.platform === 'win32')
        return '\\\\.\\pipe\\pwbridge';
    return path.join(dataDir, 'run', 'capture.sock');
}
//# sourceMappingURL=config.js.map