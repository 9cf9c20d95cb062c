// A small world for journal-processor tests: fakes of every port plus one processor.
import type { Client } from '../../src/domain/types';
import type { ProcessorOptions } from '../../src/pipeline/deps';
import { createJournalProcessor } from '../../src/pipeline/process-journal';
import { FakeClock, FakeEcho, FakeEvents, FakeJournal, FakeOpener, FakeVault, capture } from '../helpers/fakes';

export const ACME: Client = { name: 'acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: false };

export function world(opts: { client?: Partial<Client> | null; options?: Partial<ProcessorOptions>; vault?: FakeVault } = {}) {
  const clock = new FakeClock();
  const journal = new FakeJournal();
  const vault = opts.vault ?? new FakeVault(clock);
  const echo = new FakeEcho();
  const events = new FakeEvents();
  const opener = new FakeOpener();
  const filter = { active: true, state: 'active' };
  if (opts.client !== null) void vault.addClient({ ...ACME, ...opts.client });
  const options: ProcessorOptions = {
    machine: 'HOST1', client: 'acme', serviceAccount: 'svc-pwbridge', exclude: ['guest'], concurrency: 4,
    retryBaseMs: 1000, retryMaxMs: 8000, maxEventAgeMs: 60_000, echoTtlMs: 30_000, now: clock.now, pollMs: 0,
    ...opts.options,
  };
  const proc = createJournalProcessor(
    { journal, vault, echo, events, open: opener.open, filterActive: () => filter.active, filterState: () => filter.state },
    options,
  );
  const cred = (username: string, password: string, o: { windowsSync?: boolean; mode?: 'report' | 'change' } = {}) =>
    vault.addCredential({ client: 'acme', username, password: Buffer.from(password), windowsSync: o.windowsSync ?? true, mode: o.mode ?? 'report' });
  const change = (account: string, password: string | Buffer, o?: Parameters<typeof capture>[4]) => capture(journal, clock, account, password, o);
  return { clock, journal, vault, echo, events, opener, filter, options, proc, cred, change };
}
