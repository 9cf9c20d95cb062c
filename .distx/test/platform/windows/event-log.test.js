"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// The Windows Event Log: every event kind pwbridge records has an ID (README's "Event kinds" table and
// the kinds the code records), the IDs are unique, the brief's named events exist with the right level,
// ReportEventW gets the ID, type and one insertion string (real pointers, read back by the fake), and the
// generated README table and message file come from the same table.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const event_ids_1 = require("../../../src/platform/windows/event-ids");
const event_messages_1 = require("../../../src/platform/windows/event-messages");
const event_sink_1 = require("../../../src/platform/windows/event-sink");
const spool_threshold_1 = require("../../../src/service/spool-threshold");
const fake_win32_1 = require("./fake-win32");
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** The kinds in README's "Event kinds" table (`a` / `b` rows give both). */
function readmeKinds() {
    const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = text.slice(text.indexOf('### Event kinds'), text.indexOf('## Layout'));
    const kinds = [];
    for (const line of section.split('\n')) {
        const m = /^\| (`[^|]+`) \|/.exec(line);
        if (m)
            kinds.push(...[...m[1].matchAll(/`([a-z-]+)`/g)].map((x) => x[1]));
    }
    return kinds;
}
/** The kinds the code records: `kind: '…'` next to a record call, recordFor(…, '…'), skip('…'), ev('…'). */
function recordedKinds() {
    const out = new Set();
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory())
                walk(p);
            else if (e.name.endsWith('.ts')) {
                const src = fs.readFileSync(p, 'utf8');
                if (!/\.record\(|recordFor\(|\bev\(/.test(src))
                    continue;
                for (const m of src.matchAll(/\.record\(\{\s*kind: '([a-z-]+)'/g))
                    out.add(m[1]);
                for (const m of src.matchAll(/events\.record\(\{[^}]*?kind: '([a-z-]+)'/gs))
                    out.add(m[1]);
                for (const m of src.matchAll(/recordFor\(ctx, \w+, '([a-z-]+)'/g))
                    out.add(m[1]);
                for (const m of src.matchAll(/\bskip\('([a-z-]+)'/g))
                    out.add(m[1]);
                for (const m of src.matchAll(/\bev\('([a-z-]+)'/g))
                    out.add(m[1]);
            }
        }
    };
    walk(path.join(ROOT, 'src'));
    return [...out];
}
describe('platform/windows event log', () => {
    it('every event kind (README table and the code) has its own ID, never the catch-all', () => {
        const kinds = new Set([...readmeKinds(), ...recordedKinds()]);
        node_assert_1.strict.ok(kinds.size >= 25, `found ${kinds.size} kinds: the scan itself works`);
        for (const k of ['change-synced', 'reconcile-error', 'pipeline-error', 'policy-refused', 'spool-over-threshold'])
            node_assert_1.strict.ok(kinds.has(k), k);
        for (const kind of kinds) {
            for (const outcome of ['ok', 'failed', 'info', 'flagged']) {
                const reason = kind === 'filter-state' ? 'pending-reboot → active: hello' : undefined;
                node_assert_1.strict.notEqual((0, event_ids_1.windowsEventFor)({ kind, outcome, reason }).id, event_ids_1.UNKNOWN_EVENT_ID.id, `${kind} (${outcome})`);
            }
        }
    });
    it('IDs and symbols are unique; the named events exist with the right level', () => {
        const ids = event_ids_1.WINDOWS_EVENT_IDS.map((d) => d.id);
        node_assert_1.strict.equal(new Set(ids).size, ids.length);
        node_assert_1.strict.equal(new Set(event_ids_1.WINDOWS_EVENT_IDS.map((d) => d.symbol)).size, ids.length);
        const id = (kind, outcome = 'info', reason) => (0, event_ids_1.windowsEventFor)({ kind, outcome, reason });
        node_assert_1.strict.deepEqual([id('filter-state', 'info', 'pending-reboot → active: the lsa capture said hello').id, id('filter-state', 'info', 'not-installed → pending-reboot: reboot required').level], [1100, 'warning']);
        node_assert_1.strict.equal(id('filter-state', 'info', 'active → faulted: x').level, 'error');
        node_assert_1.strict.deepEqual([id('change-synced', 'ok').id, id('mismatch-flagged', 'flagged').id, id('conflict', 'flagged').id], [2000, 3000, 2007]);
        node_assert_1.strict.deepEqual([id('password-set', 'ok').id, id('password-set', 'failed').id, id('password-set', 'failed').level], [3002, 3003, 'error']);
        node_assert_1.strict.deepEqual([id('delivery-retry').id, id('delivery-retry').level], [2008, 'warning']);
        node_assert_1.strict.deepEqual([id('spool-over-threshold').id, id('spool-over-threshold').level], [1111, 'warning']);
        const other = id('a-future-kind', 'failed');
        node_assert_1.strict.deepEqual([other.id, other.level], [9000, 'error']);
    });
    it('the text names kind, outcome, account, reason and trace, with CRLF lines', () => {
        const t = (0, event_ids_1.windowsEventText)({ kind: 'conflict', outcome: 'flagged', account: 'alice', credentialId: 7, reason: 'raced', traceId: 'ab12', machine: 'HOST1' });
        node_assert_1.strict.equal(t, 'pwbridge conflict (flagged)\r\naccount: alice\r\ncredential: 7\r\nreason: raced\r\ntrace: ab12\r\nmachine: HOST1');
    });
    it('the sink registers the source once and reports each event with its ID, type and text', () => {
        const win = new fake_win32_1.FakeWindows();
        const sink = new event_sink_1.WindowsEventSink(win.win32, 'HOST1');
        sink.record({ kind: 'change-synced', outcome: 'ok', account: 'zoë', traceId: 'f00d' });
        sink.record({ kind: 'password-set', outcome: 'failed', account: 'bob', reason: 'NetUserSetInfo failed: ERROR_ACCESS_DENIED' });
        sink.flush();
        node_assert_1.strict.deepEqual(win.events.map((e) => [e.id, e.type]), [[2000, event_ids_1.EVENTLOG_TYPE.information], [3003, event_ids_1.EVENTLOG_TYPE.error]]);
        node_assert_1.strict.match(win.events[0].strings[0], /^pwbridge change-synced \(ok\)\r\naccount: zoë\r\ntrace: f00d\r\nmachine: HOST1$/);
        node_assert_1.strict.equal(win.calls.filter((c) => c === 'RegisterEventSourceW pwbridge').length, 1);
        sink.close();
        node_assert_1.strict.equal([...win.handles.values()].filter((h) => h.kind === 'event').length, 0, 'deregistered');
    });
    it('a failure to write is counted, never thrown', () => {
        const win = new fake_win32_1.FakeWindows();
        win.advapi32.RegisterEventSourceW = () => null;
        const sink = new event_sink_1.WindowsEventSink(win.win32, 'HOST1');
        node_assert_1.strict.doesNotThrow(() => sink.record({ kind: 'service-started', outcome: 'info' }));
        sink.flush();
        node_assert_1.strict.equal(sink.failed, 1);
    });
    it('the README table and the message file are generated from the table', () => {
        const md = (0, event_messages_1.renderMarkdownTable)();
        for (const d of event_ids_1.WINDOWS_EVENT_IDS)
            node_assert_1.strict.ok(md.includes(`| ${d.id} | ${d.level} |`), String(d.id));
        const mc = (0, event_messages_1.renderMessageFile)();
        node_assert_1.strict.equal((mc.match(/^MessageId=/gm) ?? []).length, event_ids_1.WINDOWS_EVENT_IDS.length + 1);
        node_assert_1.strict.match(mc, /MessageId=1101\r\nSeverity=Success\r\nSymbolicName=MSG_REBOOT_REQUIRED\r\nLanguage=English\r\nReboot required: .*%n%n%1\r\n\.\r\n/);
        node_assert_1.strict.ok(!/^\.[^\r]/m.test(mc), 'no message line starts with a dot');
    });
    it('the README\'s event ID table, once it has one, is exactly the generated one', function () {
        const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
        const head = '| ID | level | pwbridge event | meaning |';
        const at = readme.indexOf(head);
        if (at < 0)
            this.skip(); // not pasted in yet
        const table = readme.slice(at).split('\n');
        const end = table.findIndex((l) => !l.startsWith('|'));
        node_assert_1.strict.equal(table.slice(0, end).join('\n') + '\n', (0, event_messages_1.renderMarkdownTable)(), 'regenerate it: node dist/src/platform/windows/event-messages.js markdown');
    });
    it('spool over threshold: one event per crossing, again only after it fell below half', () => {
        const seen = [];
        const watch = (0, spool_threshold_1.spoolThresholdWatch)(spool_threshold_1.SPOOL_WARN_THRESHOLD, (n) => seen.push(n));
        for (const n of [0, 999, 1000, 1500, 1200, 600, 1000, 400, 1001])
            watch(n);
        node_assert_1.strict.deepEqual(seen, [1000, 1001]);
    });
});
//# sourceMappingURL=event-log.test.js.map