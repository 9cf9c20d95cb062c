"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The exposition formatter (src/hub/metrics.ts) against the strict reader the hub tests use
// (test/helpers/exposition.ts), and the reader against broken expositions, so that a pass means something.
const node_assert_1 = require("node:assert");
const metrics_1 = require("../../src/hub/metrics");
const exposition_1 = require("../helpers/exposition");
describe('metrics exposition format', () => {
    it('renders counters, gauges and histograms that the strict reader accepts, values and escapes intact', () => {
        const r = new metrics_1.MetricsRegistry();
        const c = r.counter('t_requests_total', 'Requests.\nSecond line with a \\ backslash.', ['route']);
        const g = r.gauge('t_open', 'Open things.');
        const h = r.histogram('t_seconds', 'Durations.', ['route'], [1, 0.1, 0.5]);
        const odd = 'a "quoted" \\ back\nslash';
        c.inc({ route: odd }, 2);
        c.inc({ route: '/x' });
        g.set({}, -3);
        for (const v of [0.05, 0.1, 0.3, 0.7, 5])
            h.observe({ route: '/x' }, v);
        const text = r.render();
        const f = (0, exposition_1.parseExposition)(text);
        node_assert_1.strict.equal(f.get('t_requests_total').help, 'Requests.\nSecond line with a \\ backslash.');
        node_assert_1.strict.equal((0, exposition_1.valueOf)(f, 't_requests_total', { route: odd }), 2);
        node_assert_1.strict.equal((0, exposition_1.valueOf)(f, 't_requests_total', { route: '/x' }), 1);
        node_assert_1.strict.equal((0, exposition_1.valueOf)(f, 't_open'), -3);
        // Cumulative: le=0.1 holds 0.05 and 0.1 (inclusive bound), le=0.5 adds 0.3, le=1 adds 0.7, +Inf adds 5.
        node_assert_1.strict.deepEqual([0.1, 0.5, 1, Infinity].map((le) => (0, exposition_1.valueOf)(f, 't_seconds_bucket', { route: '/x', le: le === Infinity ? '+Inf' : String(le) })), [2, 3, 4, 5]);
        node_assert_1.strict.equal((0, exposition_1.valueOf)(f, 't_seconds_count', { route: '/x' }), 5);
        node_assert_1.strict.ok(Math.abs((0, exposition_1.valueOf)(f, 't_seconds_sum', { route: '/x' }) - 6.15) < 1e-9);
        node_assert_1.strict.ok(text.includes(`route="${(0, metrics_1.escapeLabelValue)(odd)}"`) && !text.includes(odd));
    });
    it('refuses what the format does not allow: a counter not in _total, a wrong label set, a counter going down', () => {
        const r = new metrics_1.MetricsRegistry();
        node_assert_1.strict.throws(() => r.counter('t_requests', 'x'), /must end in _total/);
        node_assert_1.strict.throws(() => r.gauge('t-bad', 'x'), /metric name/);
        node_assert_1.strict.throws(() => r.gauge('t_le', 'x', ['le']), /label name/);
        const c = r.counter('t_x_total', 'x', ['a']);
        node_assert_1.strict.throws(() => c.inc({ b: '1' }), /takes labels a/);
        node_assert_1.strict.throws(() => c.inc({ a: '1' }, -1), /cannot go down/);
        node_assert_1.strict.throws(() => r.gauge('t_x_total', 'again'), /registered twice/);
    });
    it('the strict reader refuses broken expositions', () => {
        const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total 1\n';
        (0, exposition_1.parseExposition)(ok);
        const broken = [
            ['a_total 1\n', /no declared family/],
            ['# TYPE a_total counter\na_total 1\n', /lacks HELP|no declared family/],
            ['# HELP a A.\n# TYPE a counter\na 1\n', /_total/],
            [ok.slice(0, -1), /newline/],
            [`${ok}a_total 2\n`, /twice|not together/],
            ['# HELP g G.\n# TYPE g gauge\ng{x="a\\q"} 1\n', /bad escape/],
            ['# HELP g G.\n# TYPE g gauge\ng{x="a"} one\n', /not a number/],
            ['# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', /cumulative/],
            ['# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', /\+Inf/],
            ['# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n', /is not _count/],
            ['# HELP g G.\n# TYPE g gauge\n# HELP k K.\n# TYPE k gauge\nk 1\ng 1\n', /not together/],
        ];
        for (const [text, why] of broken)
            node_assert_1.strict.throws(() => (0, exposition_1.parseExposition)(text), why, JSON.stringify(text));
    });
});
//# sourceMappingURL=metrics-format.test.js.map