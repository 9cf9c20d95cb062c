// npm run faults [-- NAME…]: every scenario in ./scenarios (or those named), one JSON line each on
// stdout, progress on stderr. Exits 1 when any scenario lost or doubled an acked change, stopped
// serving, or failed to run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { faultPassed, type FaultScenario } from './fault-result';

/** Every scenario module in ./scenarios, in name order; each exports `scenario`. */
export function loadScenarios(): FaultScenario[] {
  const dir = path.join(__dirname, 'scenarios');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => (require(path.join(dir, f)) as { scenario: FaultScenario }).scenario)
    .filter((s) => s !== undefined);
}

async function main(): Promise<void> {
  const all = loadScenarios();
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) {
    process.stderr.write(`faults: no scenario named ${unknown.join(', ')} (there are: ${all.map((s) => s.name).join(', ')})\n`);
    process.exit(2);
  }
  const chosen = names.length ? all.filter((s) => names.includes(s.name)) : all;
  let failed = 0;
  for (const s of chosen) {
    const why = s.missing?.();
    if (why) {
      process.stdout.write(`${JSON.stringify({ scenario: s.name, skipped: why })}\n`);
      failed++;
      continue;
    }
    const progress = (msg: string) => process.stderr.write(`faults ${s.name}: ${msg}\n`);
    progress(s.fault);
    try {
      const r = await s.run(progress);
      process.stdout.write(`${JSON.stringify(r)}\n`);
      if (!faultPassed(r)) failed++;
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ scenario: s.name, error: (err as Error).message })}\n`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) void main();
