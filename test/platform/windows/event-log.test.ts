// The Windows Event Log: every event kind the code records has an ID, the IDs are unique, the brief's named
// events exist with the right level, ReportEventW gets the ID, type and one insertion string (real pointers,
// read back by the fake), and docs/events.md and the message file are generated from the same table.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UNKNOWN_EVENT_ID, WINDOWS_EVENT_IDS, windowsEventFor, windowsEventText } from '../../../src/domain/event-ids';
import { EVENTLOG_TYPE } from '../../../src/platform/windows/event-sink';
import { renderMessageFile } from '../../../src/platform/windows/event-messages';
import { entryHeading, renderEventsDoc } from '../../../src/docs/events-doc';
import { githubAnchor } from '../../../src/docs/github-anchor';
import { WindowsEventSink } from '../../../src/platform/windows/event-sink';
import { SPOOL_WARN_THRESHOLD, spoolThresholdWatch } from '../../../src/service/spool-threshold';
import { FakeWindows } from './fake-win32';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The kinds the code records: `kind: '…'` next to a record call, recordFor(…, '…'), skip('…'), ev('…'). */
function recordedKinds(): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const src = fs.readFileSync(p, 'utf8');
        if (!/\.record\(|recordFor\(|\bev\(/.test(src)) continue;
        for (const m of src.matchAll(/\.record\(\{\s*kind: '([a-z-]+)'/g)) out.add(m[1]);
        for (const m of src.matchAll(/events\.record\(\{[^}]*?kind: '([a-z-]+)'/gs)) out.add(m[1]);
        for (const m of src.matchAll(/recordFor\(ctx, \w+, '([a-z-]+)'/g)) out.add(m[1]);
        for (const m of src.matchAll(/\bskip\('([a-z-]+)'/g)) out.add(m[1]);
        for (const m of src.matchAll(/\bev\('([a-z-]+)'/g)) out.add(m[1]);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return [...out];
}

describe('platform/windows event log', () => {
  it('every event kind the code records has its own ID, never the catch-all', () => {
    const kinds = new Set(recordedKinds());
    assert.ok(kinds.size >= 25, `found ${kinds.size} kinds: the scan itself works`);
    for (const k of ['change-synced', 'reconcile-error', 'pipeline-error', 'policy-refused', 'spool-over-threshold']) assert.ok(kinds.has(k), k);
    for (const kind of kinds) {
      for (const outcome of ['ok', 'failed', 'info', 'flagged'] as const) {
        const reason = kind === 'filter-state' ? 'pending-reboot → active: hello' : undefined;
        assert.notEqual(windowsEventFor({ kind, outcome, reason }).id, UNKNOWN_EVENT_ID.id, `${kind} (${outcome})`);
      }
    }
  });

  it('IDs and symbols are unique; the named events exist with the right level', () => {
    const ids = WINDOWS_EVENT_IDS.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(new Set(WINDOWS_EVENT_IDS.map((d) => d.symbol)).size, ids.length);
    const id = (kind: string, outcome: 'ok' | 'failed' | 'info' | 'flagged' | 'refused' = 'info', reason?: string) => windowsEventFor({ kind, outcome, reason });
    assert.deepEqual([id('filter-state', 'info', 'pending-reboot → active: the lsa capture said hello').id, id('filter-state', 'info', 'not-installed → pending-reboot: reboot required').level], [1100, 'warning']);
    assert.equal(id('filter-state', 'info', 'active → faulted: x').level, 'error');
    assert.deepEqual([id('change-synced', 'ok').id, id('mismatch-flagged', 'flagged').id, id('conflict', 'flagged').id], [2000, 3000, 2007]);
    assert.deepEqual([id('password-set', 'ok').id, id('password-set', 'failed').id, id('password-set', 'failed').level], [3002, 3003, 'error']);
    assert.deepEqual([id('delivery-retry').id, id('delivery-retry').level], [2008, 'warning']);
    assert.deepEqual([id('spool-over-threshold').id, id('spool-over-threshold').level], [1111, 'warning']);
    const other = id('a-future-kind', 'failed');
    assert.deepEqual([other.id, other.level], [9000, 'error']);
  });

  it('the text names kind, outcome, account, reason and trace, with CRLF lines', () => {
    const t = windowsEventText({ kind: 'conflict', outcome: 'flagged', account: 'alice', credentialId: 7, reason: 'raced', traceId: 'ab12', machine: 'HOST1' });
    assert.equal(t, 'pwbridge conflict (flagged)\r\naccount: alice\r\ncredential: 7\r\nreason: raced\r\ntrace: ab12\r\nmachine: HOST1');
  });

  it('the sink registers the source once and reports each event with its ID, type and text', () => {
    const win = new FakeWindows();
    const sink = new WindowsEventSink(win.win32, 'HOST1');
    sink.record({ kind: 'change-synced', outcome: 'ok', account: 'zoë', traceId: 'f00d' });
    sink.record({ kind: 'password-set', outcome: 'failed', account: 'bob', reason: 'NetUserSetInfo failed: ERROR_ACCESS_DENIED' });
    sink.flush();
    assert.deepEqual(win.events.map((e) => [e.id, e.type]), [[2000, EVENTLOG_TYPE.information], [3003, EVENTLOG_TYPE.error]]);
    assert.match(win.events[0].strings[0], /^pwbridge change-synced \(ok\)\r\naccount: zoë\r\ntrace: f00d\r\nmachine: HOST1$/);
    assert.equal(win.calls.filter((c) => c === 'RegisterEventSourceW pwbridge').length, 1);
    sink.close();
    assert.equal([...win.handles.values()].filter((h) => h.kind === 'event').length, 0, 'deregistered');
  });

  it('a failure to write is counted, never thrown', () => {
    const win = new FakeWindows();
    win.advapi32.RegisterEventSourceW = () => null;
    const sink = new WindowsEventSink(win.win32, 'HOST1');
    assert.doesNotThrow(() => sink.record({ kind: 'service-started', outcome: 'info' }));
    sink.flush();
    assert.equal(sink.failed, 1);
  });

  it('docs/events.md and the message file are generated from the table, each entry with its causes and action', () => {
    const md = renderEventsDoc();
    for (const d of [...WINDOWS_EVENT_IDS, UNKNOWN_EVENT_ID]) {
      assert.ok(d.causes.trim().length > 10 && d.action.trim().length > 3, `${d.id}: causes and action are written`);
      const at = md.indexOf(`\n### ${entryHeading(d)}\n`);
      assert.ok(at >= 0, `${d.id} has its entry`);
      const body = md.slice(at, md.indexOf('\n### ', at + 1) >>> 0);
      assert.ok(body.includes(d.text) && body.includes(`**Likely causes.** ${d.causes}`) && body.includes(`**What to do.** ${d.action}`), String(d.id));
      assert.ok(md.includes(`| [${d.id}](#${githubAnchor(entryHeading(d))}) | ${d.level} |`), `${d.id} in the index`);
    }
    assert.equal(githubAnchor(entryHeading(WINDOWS_EVENT_IDS.find((d) => d.id === 2009)!)), '2009-dead_letter');
    const mc = renderMessageFile();
    assert.equal((mc.match(/^MessageId=/gm) ?? []).length, WINDOWS_EVENT_IDS.length + 1);
    assert.match(mc, /MessageId=1101\r\nSeverity=Success\r\nSymbolicName=MSG_REBOOT_REQUIRED\r\nLanguage=English\r\nReboot required: .*%n%n%1\r\n\.\r\n/);
    assert.ok(!/^\.[^\r]/m.test(mc), 'no message line starts with a dot');
  });

  it('docs/events.md is exactly the generated one', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'events.md'), 'utf8');
    assert.ok(doc === renderEventsDoc(), 'docs/events.md differs from the table: regenerate it with node dist/src/platform/windows/event-messages.js events-md > docs/events.md');
  });

  it('spool over threshold: one event per crossing, again only after it fell below half', () => {
    const seen: number[] = [];
    const watch = spoolThresholdWatch(SPOOL_WARN_THRESHOLD, (n) => seen.push(n));
    for (const n of [0, 999, 1000, 1500, 1200, 600, 1000, 400, 1001]) watch(n);
    assert.deepEqual(seen, [1000, 1001]);
  });
});
