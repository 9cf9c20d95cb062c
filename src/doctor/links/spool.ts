// The spool: sealed changes a capture could not hand to the service (it was down or busy), which the service
// drains at start and every 30 s; and records it refused (kept as .bad). Counted by name: never opened.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixesFor } from '../fixes';
import { asAdmin, deniedAccess, verdict, type DoctorContext, type LinkVerdict } from '../link';

export function spool(ctx: DoctorContext): LinkVerdict {
  const fix = fixesFor(ctx.machine.os, ctx.config.dataDir);
  const dir = ctx.paths.spoolDir;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if (deniedAccess(e)) return verdict('not-checked', `cannot list ${dir} (${(e as NodeJS.ErrnoException).code}): run doctor ${asAdmin(ctx.machine.os)}`);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return verdict('ok', 'no spool folder yet: nothing was ever spooled', [`${dir} does not exist`]);
    throw e;
  }
  const waiting = names.filter((n) => n.endsWith('.chg')).length;
  const bad = names.filter((n) => n.endsWith('.bad')).length;
  const rejected = names.includes('rejected') ? safeCount(path.join(dir, 'rejected')) : 0;
  const evidence = [`${dir}: ${waiting} waiting (.chg), ${bad} refused by the service (.bad)${rejected ? `, ${rejected} set aside by the filter (rejected)` : ''}`];
  if (bad > 0 || rejected > 0) {
    return verdict('broken', `${bad + rejected} spooled change${bad + rejected === 1 ? '' : 's'} failed the service's checks and will not be delivered`, evidence,
      `${fix.cli('events --kind spool-refused')} says why; the local passwords of those accounts may differ from the vault until changed again`);
  }
  if (waiting > 0) {
    return verdict('warning', `${waiting} change${waiting === 1 ? '' : 's'} spooled, waiting for the service (it drains the spool every 30 s)`, evidence,
      `if the service link is not ok: ${fix.startService}`);
  }
  return verdict('ok', 'empty', evidence);
}

function safeCount(dir: string): number {
  try {
    return fs.readdirSync(dir).length;
  } catch {
    return 0;
  }
}
