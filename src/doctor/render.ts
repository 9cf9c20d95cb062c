// doctor's text output: one block per link, its state first so the eye finds the broken one.
import type { DoctorReport } from './run-doctor';

const MARK: Record<string, string> = { ok: 'ok', warning: 'WARNING', broken: 'BROKEN', 'not-checked': 'not checked' };
const INDENT = ' '.repeat(12);

export function renderDoctor(r: DoctorReport): string {
  const out: string[] = [`pwbridge doctor: ${r.dataDir} (machine ${r.machine}, client ${r.client})`, ...r.notes.map((n) => `note: ${n}`), ''];
  for (const l of r.links) {
    out.push(`${MARK[l.state].padEnd(11)} ${l.id}: ${l.summary}`);
    for (const e of l.evidence) out.push(`${INDENT}${e}`);
    if (l.fix) out.push(`${INDENT}fix: ${l.fix}`);
  }
  const bad = r.links.filter((l) => l.state !== 'ok');
  out.push('', bad.length === 0 ? 'every link is ok' : `${bad.length} of ${r.links.length} links not ok: ${bad.map((l) => `${l.id} (${l.state})`).join(', ')}`);
  return `${out.join('\n')}\n`;
}
