// The soak's capture, in its own process: a long steady stream of changes through the real protocol, and
// its books (a million entries) kept here, so the scenario process stays small and only samples the
// service. Settles its ledger against the vault when told the service has stopped.
import { performance } from 'node:perf_hooks';
import { LedgerCapture, type CaptureIdentity } from './ledger-capture';
import { accountName, openVaultView, percentile } from './service-process';

export interface SoakSpec {
  socketPath: string;
  dataDir: string;
  /** hex, as the bench's load worker takes them: the secret crosses over IPC, never argv or env. */
  secret: string;
  bridgePub: string;
  bootId: string;
  machine: string;
  count: number;
  accounts: number;
  /** Changes per second offered; the in-flight window bounds it too. */
  rate: number;
  window: number;
}

export interface SoakLoad { sent: number; acked: number; notAcked: number; elapsedMs: number; ackP50: number; ackP99: number; ackMax: number }

async function load(spec: SoakSpec, capture: LedgerCapture): Promise<SoakLoad> {
  for (let i = 0; i < spec.accounts; i++) capture.ledger.base(accountName(i), 1);
  await capture.connection(20_000);
  const t0 = performance.now();
  let acked = 0;
  let notAcked = 0;
  let lastReport = t0;
  for (let i = 0; i < spec.count; i++) {
    const due = t0 + (i * 1000) / spec.rate;
    const wait = due - performance.now();
    if (wait > 2) await new Promise((r) => setTimeout(r, wait));
    while (capture.pending >= spec.window) await new Promise((r) => setTimeout(r, 1));
    const account = accountName(i % spec.accounts);
    void capture.send(account, `soak-${i}-${account}`).then((ok) => { if (ok) acked++; else notAcked++; }, () => { notAcked++; });
    if (i % 512 === 511) await new Promise((r) => setImmediate(r));
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      process.send!({ phase: 'progress', sent: i + 1, acked });
    }
  }
  while (capture.pending > 0) await new Promise((r) => setTimeout(r, 10));
  // Whatever got no ack is re-sent once, as a capture's queue would.
  if (capture.unackedCount > 0) await capture.resendUnacked();
  const ms = capture.ackMs;
  return {
    sent: spec.count, acked: capture.ledger.ackedCount, notAcked: capture.unackedCount, elapsedMs: performance.now() - t0,
    ackP50: percentile(ms, 50), ackP99: percentile(ms, 99), ackMax: percentile(ms, 100),
  };
}

async function settle(spec: SoakSpec, capture: LedgerCapture) {
  const view = await openVaultView(spec.dataDir);
  try {
    return await capture.ledger.settle((a) => view.read(a));
  } finally {
    await view.close();
  }
}

process.once('message', (spec: SoakSpec) => {
  const id: CaptureIdentity = { secret: Buffer.from(spec.secret, 'hex'), bridgePub: Buffer.from(spec.bridgePub, 'hex'), bootId: Buffer.from(spec.bootId, 'hex'), machine: spec.machine };
  const capture = new LedgerCapture(spec.socketPath, id);
  load(spec, capture).then(
    (result) => {
      capture.destroy();
      process.send!({ phase: 'loaded', result });
      process.once('message', () => {
        settle(spec, capture).then(
          (tally) => process.send!({ phase: 'settled', tally }, () => process.exit(0)),
          (e: Error) => process.send!({ phase: 'error', error: e.message }, () => process.exit(1)),
        );
      });
    },
    (e: Error) => process.send!({ phase: 'error', error: e.message }, () => process.exit(1)),
  );
});
