// CPU time of processes from /proc (Linux), for benches that split a window's CPU between the parts that
// share the machine: a process's utime+stime, a process tree's (a PostgreSQL postmaster and its backends,
// with the reaped ones through its cutime/cstime), and the whole machine's busy time from /proc/stat.
import * as fs from 'node:fs';

/** Clock ticks per second of /proc's times: USER_HZ, 100 on every Linux build this runs on. */
const TICKS_PER_S = 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone
  }
}

/** Seconds of CPU `pid` used (user + system); with `children`, plus its waited-for children's. 0 if gone. */
export function processCpuS(pid: number, children = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  // After the name: [0] state, [1] ppid, ..., [11] utime, [12] stime, [13] cutime, [14] cstime.
  const own = Number(f[11]) + Number(f[12]);
  return (children ? own + Number(f[13]) + Number(f[14]) : own) / TICKS_PER_S;
}

/** Seconds of CPU of `root` and its live children, plus the children it has reaped. */
export function treeCpuS(root: number): number {
  let sum = processCpuS(root, true);
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f && Number(f[1]) === root) sum += processCpuS(Number(name));
  }
  return sum;
}

/** Busy CPU seconds of the whole machine (all cores) so far: every /proc/stat column but idle and iowait. */
export function machineBusyS(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + (steal || 0)) / TICKS_PER_S;
}
