import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config-error';
import { formatDuration, parseDuration } from './duration';
import { defaultMachineName } from '../platform';

/** The validated configuration the service runs with. Every duration is in ms. */
export interface Config {
  dataDir: string;
  machine: string;
  client: string;
  socketPath: string;
  reconcileIntervalMs: number;
  maxEventAgeMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  echoTtlMs: number;
  serviceAccount: string;
  excludeAccounts: string[];
  concurrency: number;
  captureEnabled: boolean;
  pamDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** The hub this machine's vault is on (written by `pwbridge setup`); absent: the embedded vault. */
  hub?: HubConfig;
}

/** `hub` in config.json: where the hub is and how its certificate is trusted (exactly one of the two). */
export interface HubConfig {
  url: string;
  /** SHA-256 of the hub's certificate, `AB:CD:…`: pinned, checked on every connection. */
  fingerprint?: string;
  /** Or a CA certificate (PEM file) that signed the hub's certificate; the host name is then checked too. */
  caFile?: string;
}

/** setTimeout/setInterval silently fire at once for delays above this (Node clamps to 1 ms). */
export const TIMER_LIMIT_MS = 2 ** 31 - 1;
export const MIN_RECONCILE_MS = 10_000;

export function defaultDataDir(): string {
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
  excludeAccounts: [] as string[],
  concurrency: 32,
  captureEnabled: true,
  pamDir: '/etc/pam.d',
  logLevel: 'info',
  hub: undefined as unknown,
};
type RawConfig = Partial<Record<keyof typeof DEFAULTS, unknown>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export function configPath(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

/** Read `<dataDir>/config.json` (absent means all defaults) and apply overrides from the command line. */
export function loadConfig(dataDir: string, overrides: RawConfig = {}): Config {
  const file = configPath(dataDir);
  let raw: RawConfig = {};
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    try {
      raw = JSON.parse(text) as RawConfig;
    } catch (err) {
      throw new ConfigError(file, `is not valid JSON (${(err as Error).message})`, 'Fix the syntax or remove the file to use the defaults');
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ConfigError(file, 'must hold a JSON object', 'Write {"client": "NAME", …}');
    }
  }
  for (const key of Object.keys(raw)) {
    if (!(key in DEFAULTS)) {
      throw new ConfigError(`${file}: ${key}`, 'is not a known field', `Known fields: ${Object.keys(DEFAULTS).join(', ')}`);
    }
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return validate({ ...raw, ...defined }, path.resolve(dataDir), file);
}

function validate(raw: RawConfig, dataDir: string, source: string): Config {
  const get = <K extends keyof typeof DEFAULTS>(k: K): unknown => (raw[k] === undefined ? DEFAULTS[k] : raw[k]);
  const field = (k: string) => `${source}: ${k}`;

  const str = (k: keyof typeof DEFAULTS, allowEmpty = false): string => {
    const v = get(k);
    if (typeof v !== 'string' || (!allowEmpty && v.trim() === '')) {
      throw new ConfigError(field(k), `must be a non-empty string, got ${JSON.stringify(v)}`, `Set "${k}" to a string`);
    }
    return v;
  };
  const duration = (k: keyof typeof DEFAULTS, min: number): number => {
    const v = get(k);
    const ms = typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms === undefined || !Number.isFinite(ms)) {
      throw new ConfigError(field(k), `${JSON.stringify(v)} is not a duration`, 'Use a number of ms or a string like "30s", "5m", "7d"');
    }
    if (ms < min || ms > TIMER_LIMIT_MS) {
      throw new ConfigError(field(k), `${formatDuration(ms)} is out of range`,
        `Use at least ${formatDuration(min)} and at most ${TIMER_LIMIT_MS} ms (about 24.8 days, the timer limit)`);
    }
    return ms;
  };

  const exclude = get('excludeAccounts');
  if (!Array.isArray(exclude) || exclude.some((e) => typeof e !== 'string' || e === '')) {
    throw new ConfigError(field('excludeAccounts'), 'must be a list of account names', 'Write e.g. ["backup", "svc-monitor"]');
  }
  const concurrency = get('concurrency');
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new ConfigError(field('concurrency'), `${JSON.stringify(concurrency)} is not an integer from 1 to 256`, 'Set a small integer such as 8');
  }
  const captureEnabled = get('captureEnabled');
  if (typeof captureEnabled !== 'boolean') {
    throw new ConfigError(field('captureEnabled'), 'must be true or false', 'Write true or false without quotes');
  }
  const logLevel = str('logLevel');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(field('logLevel'), `"${logLevel}" is not a level`, `Use one of ${LOG_LEVELS.join(', ')}`);
  }
  const client = str('client');
  if (client.length > 200 || /[\u0000-\u001f]/.test(client)) {
    throw new ConfigError(field('client'), 'has control characters or is longer than 200 characters', 'Use the client name as the vault shows it');
  }
  const retryBaseMs = duration('retryBase', 10);
  const retryMaxMs = duration('retryMax', 10);
  if (retryMaxMs < retryBaseMs) {
    throw new ConfigError(field('retryMax'), 'is shorter than retryBase', 'Make retryMax at least retryBase');
  }
  // Not os.hostname() on Windows: MACHINE is the NetBIOS name there, as in Windows' own MACHINE\user.
  const machine = str('machine', true) || defaultMachineName();
  const hub = raw.hub === undefined ? undefined : validateHub(raw.hub, field('hub'));
  if (hub && /\\/.test(machine)) {
    throw new ConfigError(field('machine'), 'contains a backslash', 'A machine name is the MACHINE in MACHINE\\user; use the plain host name');
  }
  return {
    dataDir,
    machine,
    client,
    socketPath: str('socketPath', true) || defaultSocketPath(dataDir),
    reconcileIntervalMs: duration('reconcileInterval', MIN_RECONCILE_MS),
    maxEventAgeMs: duration('maxEventAge', 1000),
    retryBaseMs,
    retryMaxMs,
    echoTtlMs: duration('echoTtl', 1000),
    serviceAccount: str('serviceAccount'),
    excludeAccounts: exclude as string[],
    concurrency,
    captureEnabled,
    pamDir: str('pamDir'),
    logLevel: logLevel as Config['logLevel'],
    ...(hub ? { hub } : {}),
  };
}

const HUB_FIELDS = ['url', 'fingerprint', 'caFile'];

function validateHub(raw: unknown, at: string): HubConfig {
  const fix = 'Run pwbridge setup --hub URL again, or remove "hub" to use the embedded vault';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(at, 'must be an object', fix);
  const h = raw as Record<string, unknown>;
  for (const k of Object.keys(h)) {
    if (!HUB_FIELDS.includes(k)) throw new ConfigError(`${at}.${k}`, 'is not a known field', `Known fields: ${HUB_FIELDS.join(', ')}`);
  }
  let url: URL | undefined;
  try {
    url = typeof h.url === 'string' ? new URL(h.url) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ConfigError(`${at}.url`, `${JSON.stringify(h.url)} is not an https://HOST[:PORT] URL`, fix);
  }
  if ((h.fingerprint === undefined) === (h.caFile === undefined)) {
    throw new ConfigError(at, 'must have exactly one of fingerprint and caFile', fix);
  }
  if (h.fingerprint !== undefined) {
    const hex = typeof h.fingerprint === 'string' ? h.fingerprint.replace(/:/g, '') : '';
    if (!/^[0-9A-Fa-f]{64}$/.test(hex)) throw new ConfigError(`${at}.fingerprint`, 'is not a SHA-256 fingerprint (64 hex digits, colons allowed)', fix);
    return { url: url.origin, fingerprint: hex.toUpperCase().match(/../g)!.join(':') };
  }
  if (typeof h.caFile !== 'string' || h.caFile === '') throw new ConfigError(`${at}.caFile`, 'must be the path of a PEM file', fix);
  return { url: url.origin, caFile: h.caFile };
}

export function defaultSocketPath(dataDir: string): string {
  if (process.platform === 'win32') return '\\\\.\\pipe\\pwbridge';
  return path.join(dataDir, 'run', 'capture.sock');
}
