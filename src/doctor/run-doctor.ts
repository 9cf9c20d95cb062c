// Walk the chain in order, capture to reconcile, and judge every link whatever the others said: an
// administrator wants the whole picture, not the first fault. A link that throws is not-checked with the
// error, so one surprise never hides the links after it.
import { asAdmin, lockedOut, type DoctorContext, type Link, type LinkId, type LinkResult } from './link';
import { captureModule } from './links/capture-module';
import { client } from './links/client';
import { filterLoaded } from './links/filter-loaded';
import { journal } from './links/journal';
import { keyFiles } from './links/key-files';
import { reconcile } from './links/reconcile';
import { service } from './links/service';
import { spool } from './links/spool';
import { vault } from './links/vault';

const CHAIN: ReadonlyArray<[LinkId, Link]> = [
  ['capture-module', captureModule],
  ['filter-loaded', filterLoaded],
  ['service', service],
  ['key-files', keyFiles],
  ['journal', journal],
  ['spool', spool],
  ['vault', vault],
  ['client', client],
  ['reconcile', reconcile],
];

export interface DoctorReport {
  /** True when every link is ok (the exit status is 0 then, 1 otherwise). */
  ok: boolean;
  os: 'linux' | 'win32';
  dataDir: string;
  machine: string;
  client: string;
  /** When doctor looked (ms since the epoch). */
  at: number;
  links: LinkResult[];
  /** What limits the whole report (e.g. config.json unreadable, so the defaults were used). */
  notes: string[];
}

export async function runDoctor(ctx: DoctorContext): Promise<DoctorReport> {
  const links: LinkResult[] = [];
  for (const [id, link] of CHAIN) {
    try {
      links.push({ id, ...await link(ctx) });
    } catch (e) {
      links.push({ id, state: 'not-checked', summary: `doctor could not check this link: ${(e as Error).message}`, evidence: [] });
    }
  }
  const denied = lockedOut(ctx.config.dataDir);
  const notes = denied ? [`this account may not read ${ctx.config.dataDir} (${denied.code}): config.json was not read, so doctor used the defaults; run it ${asAdmin(ctx.machine.os)} for the whole picture`] : [];
  return {
    ok: links.every((l) => l.state === 'ok'),
    os: ctx.machine.os,
    dataDir: ctx.config.dataDir,
    machine: ctx.config.machine,
    client: ctx.config.client,
    at: ctx.now(),
    links,
    notes,
  };
}
