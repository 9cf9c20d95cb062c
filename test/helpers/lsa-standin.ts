// lsa_standin.exe (native/lsa/test/lsa_standin.c) on a WineMachine: LSA at boot (it loads what Notification
// Packages names from System32) and on password changes. Its boot lines, then one answer per command.
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { BUILD_WIN, winPath } from './wine';
import type { WineMachine } from './wine-machine';

export const STANDIN_EXE = path.join(BUILD_WIN, 'test', 'lsa_standin.exe');

export interface ChangeAnswer {
  /** Every package's PasswordFilter said yes (so each was notified). */
  accepted: boolean;
  /** PasswordChangeNotify's NTSTATUS, per loaded package. */
  statuses: number[];
  /** When the notify calls were made, Unix ms (the machine's clock, the same the service reads). */
  at: number;
}

export class LsaStandIn {
  private readonly lines: string[] = [];
  private wake?: () => void;
  /** The lines it printed at boot, up to and including "ready N". */
  boot: string[] = [];

  private constructor(private readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (l) => { this.lines.push(l); this.wake?.(); });
    child.stdin!.on('error', () => undefined);
  }

  /** Start it (a boot's LSA) and wait until it has loaded the packages. */
  static async start(m: WineMachine): Promise<LsaStandIn> {
    const lsa = new LsaStandIn(m.spawn(winPath(STANDIN_EXE), []));
    for (;;) {
      const l = await lsa.next(60_000);
      lsa.boot.push(l);
      if (l.startsWith('ready ')) return lsa;
    }
  }

  private async next(timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const l = this.lines.shift();
      if (l !== undefined) return l;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`lsa_standin.exe exited (${this.child.exitCode ?? this.child.signalCode})`);
      if (Date.now() > end) throw new Error(`lsa_standin.exe did not answer in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, 200); this.wake = () => { clearTimeout(t); resolve(); }; });
    }
  }

  /** Send a change as LSA reports one (PasswordFilter, then PasswordChangeNotify) without waiting for
   * the answer; the password goes over stdin as UTF-16LE hex, never on a command line. */
  send(account: string, rid: number, password: string): void {
    this.child.stdin!.write(`change ${account} ${rid}\n${Buffer.from(password, 'utf16le').toString('hex')}\n`);
  }

  /** The next change's answer. */
  async answer(timeoutMs = 30_000): Promise<ChangeAnswer> {
    const line = await this.next(timeoutMs);
    const m = /^ok change filter=([01]) notify=([0-9a-f,]+|-) at=(\d+\.\d+)$/.exec(line);
    if (!m) throw new Error(`lsa_standin.exe: ${line}`);
    return { accepted: m[1] === '1', statuses: m[2] === '-' ? [] : m[2].split(',').map((h) => parseInt(h, 16)), at: Number(m[3]) };
  }

  async change(account: string, rid: number, password: string): Promise<ChangeAnswer> {
    this.send(account, rid, password);
    return this.answer();
  }

  /** Whether the process still runs (a reboot ends it). */
  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A shutdown: lsass ends without unloading anything. */
  exit(): void {
    this.child.stdin!.end('exit\n');
  }
}
