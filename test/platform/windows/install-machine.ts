// A Windows machine for install/uninstall tests: the fake Win32 (SAM, LSA, registry, SCM, file security)
// over a temporary folder that stands for C:\ (System32, the build folder, the data dir), and the real
// install and uninstall code run against it through realWindowsSystem.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LSA_KEY, NOTIFICATION_PACKAGES } from '../../../src/platform/windows/places';
import { REG_MULTI_SZ, Registry } from '../../../src/platform/windows/registry';
import { realWindowsSystem, type WindowsSystem } from '../../../src/platform/windows/system';
import { runWindowsInstall } from '../../../src/setup/windows-install';
import { runWindowsUninstall } from '../../../src/setup/windows-uninstall';
import { FakeWindows, fakePe } from './fake-win32';

export const NODE = 'C:\\Program Files\\pwbridge\\node.exe';
export const MAIN = 'C:\\Program Files\\pwbridge\\dist\\src\\cli\\main.js';
/** Notification Packages as a typical Windows has it, written the way Windows writes it. */
export const ORIGINAL_PACKAGES = Buffer.from('scecli\0rassfm\0', 'utf16le'); // no final empty string: as some tools leave it

/** The descriptor an administrator who made the data dir by hand, the right way, would have given it. */
export function adminsOnly(win: FakeWindows, p: string): void {
  const full = { type: 0, flags: 0x3, mask: 0x1f01ff };
  win.setFileSecurity(p, { owner: 'S-1-5-32-544', protected: true, dacl: [{ ...full, sid: 'S-1-5-18' }, { ...full, sid: 'S-1-5-32-544' }] });
}

export function machine(o: { wine?: boolean; dataDirExists?: boolean } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbt-wininst-'));
  const dataDir = path.join(root, 'data');
  const sys32 = path.join(root, 'System32');
  const build = path.join(root, 'build');
  fs.mkdirSync(sys32);
  fs.mkdirSync(build);
  const win = new FakeWindows();
  if (o.wine) win.asWine();
  if (o.dataDirExists ?? true) {
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', socketPath: '\\\\.\\pipe\\pwbridge' }));
    adminsOnly(win, dataDir);
  }
  const dll = path.join(build, 'pwbridge_filter.dll');
  fs.writeFileSync(dll, fakePe());
  win.registry.get(LSA_KEY)!.set(NOTIFICATION_PACKAGES.toLowerCase(), { type: REG_MULTI_SZ, data: Buffer.from(ORIGINAL_PACKAGES) });
  /** Each time the data dir was secured, and whether a key file existed by then. */
  const secured: Array<{ dir: string; keys: boolean }> = [];
  const real = realWindowsSystem(win.win32);
  const system: WindowsSystem = {
    ...real,
    files: { ...real.files, system32: sys32 },
    dataDir: {
      ...real.dataDir,
      secure: (d, sid, sids) => {
        secured.push({ dir: d, keys: fs.existsSync(path.join(d, 'keys', 'capture.secret')) });
        real.dataDir.secure(d, sid, sids);
      },
    },
    computerName: () => 'HOST1',
    now: () => win.now,
    bootMs: () => win.bootMs,
    waitForService: async () => true,
    eventMessageFile: () => 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\EventLogMessages.dll',
  };
  const lines: string[] = [];
  const passwordsAsked: string[] = [];
  let givenPassword: string | undefined;
  const opts = {
    dataDir, dryRun: false, start: true, module: dll, out: (l: string) => lines.push(l), system, nodePath: NODE, mainJs: MAIN,
    readPassword: async (account: string) => {
      passwordsAsked.push(account);
      if (givenPassword === undefined) throw new Error('the test gave no password');
      return Buffer.from(givenPassword);
    },
  };
  const install = (x: Partial<typeof opts & { eventMessages: string; serviceAccount: string }> = {}) => runWindowsInstall({ ...opts, ...x });
  const uninstall = (x: { dryRun?: boolean } = {}) => runWindowsUninstall({ dataDir, dryRun: x.dryRun ?? false, out: opts.out, system });
  const reg = new Registry(win.win32);
  const packages = () => reg.get(LSA_KEY, NOTIFICATION_PACKAGES)!;
  return {
    root, dataDir, sys32, dll, win, secured, lines, install, uninstall, reg, packages, passwordsAsked,
    givePassword: (pw: string) => { givenPassword = pw; },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

