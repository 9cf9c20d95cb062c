// Walk the chain in order, capture to reconcile, and judge every link whatever the others said: an
// administrator wants the whole picture, not the first fault. A link that throws is not-checked with the
// error, so one surprise never hides the links after it.
import type { DoctorContext, Link, LinkId, LinkResult } from './link';
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
  return {
    ok: links.every((l) => l.state === 'ok'),
    os: ctx.machine.os,
    dataDir: ctx.config.dataDir,
    machine: ctx.config.machine,
    client: ctx.config.client,
    at: ctx.now(),
    links,
  };
}
