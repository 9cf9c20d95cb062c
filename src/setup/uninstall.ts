// `pwbridge uninstall`: undo what the manifest says install did. Each step looks at how things are now,
// so a run that failed half way can simply be run again. The data dir (the vault, keys, journal) stays.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../cli/errors';
import { octal, sha256, writeFileAtomic } from '../fs/atomic-file';
import { removePwbridgeLines } from '../platform/linux/pam-edit';
import { probePamStack, PWBRIDGE_PAM_MODULE } from '../platform/linux/pam-stack';
import { isServiceOf, processAlive, readPidFile, stopProcess, systemctl, systemdRunning } from '../platform/linux/service-control';
import { DEFAULT_UNIT_DIR, UNIT_NAME } from '../platform/linux/systemd-unit';
import { manifestPath, readManifest, serviceFiles, type InstallManifest } from './manifest';
import { emptyPlan, requireRoot, runPlan, type Plan } from './plan';

export interface UninstallOptions {
  dataDir: string;
  dryRun: boolean;
  uid: number | undefined;
  out: (line: string) => void;
}

const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;

function planPam(m: InstallManifest, plan: Plan): void {
  const file = m.pam?.file ?? m.pamFile;
  if (!file) return;
  if (!isFile(file)) {
    plan.notes.push(`${file} is gone; nothing to restore there`);
    return;
  }
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('utf8');
  const removal = removePwbridgeLines(text, file);
  if (!m.pam) {
    if (removal.changed) plan.notes.push(`${file} names ${PWBRIDGE_PAM_MODULE} on line ${removal.removed.join(', ')}, but install did not put it there, so it is left: remove it by hand`);
    return;
  }
  const { backup } = m.pam;
  const backupBytes = isFile(backup.path) ? fs.readFileSync(backup.path) : undefined;
  const pristine = backupBytes !== undefined && sha256(backupBytes) === backup.sha256 && backup.sha256 === m.pam.beforeSha256;
  if (sha256(bytes) === m.pam.writtenSha256 && pristine) {
    plan.steps.push({
      say: `restore ${file} from ${backup.path} (its bytes, mode ${octal(backup.mode)}, uid ${backup.uid}, gid ${backup.gid}), then remove the backup`,
      apply: () => {
        writeFileAtomic(file, backupBytes, { mode: backup.mode, uid: backup.uid, gid: backup.gid });
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
    plan.notes.push(`${file} has changed since install and no longer names ${PWBRIDGE_PAM_MODULE}; it is left as it is`);
    if (keepBackup.say) plan.steps.push({ say: keepBackup.say.slice(2), apply: keepBackup.apply });
    return;
  }
  plan.notes.push(`${file} has changed since install, so it is not restored from the backup: only pwbridge's line is taken out`);
  const renumbered = removal.adjusted.length ? ` and renumber the jumps on line ${removal.adjusted.map((a) => `${a.line} (${a.from} → ${a.to})`).join(', ')} back` : '';
  plan.steps.push({
    say: `remove line ${removal.removed.join(', ')} (${PWBRIDGE_PAM_MODULE}) from ${file}${renumbered}${keepBackup.say}`,
    apply: () => {
      const now = fs.readFileSync(file);
      if (!now.equals(bytes)) throw new Error(`${file} changed while pwbridge uninstall ran; run uninstall again`);
      const st = fs.statSync(file);
      writeFileAtomic(file, removal.text, { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
      keepBackup.apply();
    },
  });
}

function planService(m: InstallManifest, plan: Plan): void {
  const files = serviceFiles(m.dataDir);
  if (m.service?.how === 'systemd') {
    if (systemdRunning()) {
      plan.steps.push({ say: `stop and disable the service: systemctl disable --now ${UNIT_NAME}`, apply: () => systemctl(['disable', '--now', UNIT_NAME]) });
    } else {
      plan.notes.push(`install started the service with systemd, which is not running now: ${UNIT_NAME} cannot be stopped or disabled through it`);
    }
  }
  const pid = readPidFile(files.pidFile);
  if (pid !== undefined && processAlive(pid) && isServiceOf(pid, m.dataDir)) {
    plan.steps.push({
      say: `stop the service (pid ${pid}): SIGTERM, and wait for it to exit; remove ${files.pidFile}`,
      apply: async () => {
        const how = await stopProcess(pid);
        if (how === 'killed') plan.notes.push(`pid ${pid} did not exit within 15 s of SIGTERM and was killed`);
        fs.rmSync(files.pidFile, { force: true });
      },
    });
  } else if (fs.existsSync(files.pidFile)) {
    plan.steps.push({ say: `remove ${files.pidFile} (no service of this data dir runs with that pid)`, apply: () => fs.rmSync(files.pidFile, { force: true }) });
  }
}

function planFiles(m: InstallManifest, plan: Plan): void {
  if (m.unit && fs.existsSync(m.unit.path)) {
    const reload = m.service?.how === 'systemd' && systemdRunning() && path.dirname(m.unit.path) === DEFAULT_UNIT_DIR;
    plan.steps.push({
      say: `remove the unit ${m.unit.path}${reload ? '; systemctl daemon-reload' : ''}`,
      apply: () => {
        fs.rmSync(m.unit!.path, { force: true });
        if (reload) systemctl(['daemon-reload']);
      },
    });
  }
  // After the PAM file: the stack must never name a module that is not there.
  if (m.module && fs.existsSync(m.module.path)) {
    plan.steps.push({ say: `remove the PAM module ${m.module.path}`, apply: () => fs.rmSync(m.module!.path, { force: true }) });
  }
}

export async function runUninstall(o: UninstallOptions): Promise<number> {
  requireRoot('uninstall', o.uid, o.dryRun);
  const dataDir = path.resolve(o.dataDir);
  const m = readManifest(dataDir);
  if (!m) {
    throw new UsageError(`uninstall: nothing installed here: ${manifestPath(dataDir)} does not exist (pwbridge install writes it; a finished uninstall removes it). Pass --data-dir if pwbridge was installed with another`);
  }
  const plan = emptyPlan();
  planPam(m, plan);
  planService(m, plan);
  planFiles(m, plan);
  plan.steps.push({ say: `remove the install record ${manifestPath(dataDir)}`, apply: () => fs.rmSync(manifestPath(dataDir), { force: true }) });
  const notesBefore = plan.notes.length;
  await runPlan(plan, { dryRun: o.dryRun, out: o.out });
  for (const n of plan.notes.slice(notesBefore)) o.out(`note: ${n}`);
  o.out(`${o.dryRun ? 'would keep' : 'kept'} the data dir ${dataDir}: it holds the vault, the keys and the journal (remove it yourself once you no longer need them)`);
  const pamFile = m.pam?.file ?? m.pamFile;
  if (pamFile) {
    const filter = probePamStack({ pamDir: path.dirname(pamFile), moduleDirs: m.module ? [path.dirname(m.module.path)] : undefined });
    o.out(`filter${o.dryRun ? ' now' : ''}: ${filter.state} (${filter.reason})`);
  }
  return 0;
}
