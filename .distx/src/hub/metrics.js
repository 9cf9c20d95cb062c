"use strict";
/**
 * A small metrics registry and its Prometheus text exposition (format 0.0.4): counters, gauges and
 * histograms with labels, `# HELP` / `# TYPE` per family, label values escaped.
 *
 * Written here rather than taken from prom-client: the hub has no framework and keeps its dependency tree
 * small (the same package ships to every machine, the MSI included), and what the hub needs is about a
 * hundred lines. prom-client would also bring its default collectors and a global registry, where the
 * hub wants a registry per server (tests run several hubs in one process).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXPOSITION_CONTENT_TYPE = exports.MetricsRegistry = exports.Histogram = exports.Gauge = exports.Counter = exports.DURATION_BUCKETS = void 0;
exports.escapeLabelValue = escapeLabelValue;
exports.escapeHelp = escapeHelp;
exports.formatValue = formatValue;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Upper bounds (seconds) for request durations: well under the hub's 100 ms p99 target up to a long poll. */
exports.DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** `\`, `"` and newline escaped, as the format requires inside a label value. */
function escapeLabelValue(v) {
    return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
/** `\` and newline escaped, as the format requires in HELP text. */
function escapeHelp(v) {
    return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
/** A sample value as Prometheus (Go's ParseFloat) reads it. */
function formatValue(v) {
    if (Number.isNaN(v))
        return 'NaN';
    if (v === Infinity)
        return '+Inf';
    if (v === -Infinity)
        return '-Inf';
    return String(v);
}
function labelText(pairs) {
    return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}
class Family {
    name;
    help;
    type;
    labelNames;
    /** One series per label-value combination, keyed by the values joined (in labelNames order). */
    series = new Map();
    constructor(name, help, type, labelNames) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = labelNames;
        if (!METRIC_NAME.test(name))
            throw new Error(`metric name ${JSON.stringify(name)} is not valid`);
        for (const l of labelNames) {
            if (!LABEL_NAME.test(l) || l.startsWith('__') || l === 'le')
                throw new Error(`label name ${JSON.stringify(l)} of ${name} is not valid`);
        }
    }
    at(values) {
        const given = Object.keys(values);
        if (given.length !== this.labelNames.length || given.some((k) => !this.labelNames.includes(k))) {
            throw new Error(`${this.name} takes labels ${this.labelNames.join(', ') || '(none)'}, got ${given.join(', ') || '(none)'}`);
        }
        const labels = this.labelNames.map((k) => [k, String(values[k])]);
        const key = labels.map(([, v]) => v).join('\u0000');
        let s = this.series.get(key);
        if (!s) {
            s = { labels, state: this.fresh() };
            this.series.set(key, s);
        }
        return s.state;
    }
    /** Show the series at its zero value before anything happened (a gauge or histogram without labels). */
    init(labels = {}) {
        this.at(labels);
    }
    /** Drop every series (a gauge recomputed from scratch, so a value that is gone does not linger). */
    clear() {
        this.series.clear();
    }
    render() {
        const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
        for (const { labels, state } of this.series.values())
            out.push(...this.lines(this.name, labels, state));
        return out.join('\n');
    }
}
class Counter extends Family {
    constructor(name, help, labelNames = []) {
        super(name, help, 'counter', labelNames);
        if (!name.endsWith('_total'))
            throw new Error(`counter ${name} must end in _total`);
    }
    fresh() { return { v: 0 }; }
    lines(metric, labels, s) { return [`${metric}${labelText(labels)} ${formatValue(s.v)}`]; }
    inc(labels = {}, by = 1) {
        if (!(by >= 0))
            throw new Error(`counter ${this.name} cannot go down (inc by ${by})`);
        this.at(labels).v += by;
    }
    /** For a total counted elsewhere (the database), which only grows. */
    setTotal(labels, total) {
        this.at(labels).v = total;
    }
}
exports.Counter = Counter;
class Gauge extends Family {
    constructor(name, help, labelNames = []) {
        super(name, help, 'gauge', labelNames);
    }
    fresh() { return { v: 0 }; }
    lines(metric, labels, s) { return [`${metric}${labelText(labels)} ${formatValue(s.v)}`]; }
    set(labels, v) {
        this.at(labels).v = v;
    }
    inc(labels = {}, by = 1) {
        this.at(labels).v += by;
    }
    dec(labels = {}, by = 1) {
        this.at(labels).v -= by;
    }
}
exports.Gauge = Gauge;
class Histogram extends Family {
    buckets;
    constructor(name, help, labelNames, buckets) {
        super(name, help, 'histogram', labelNames);
        const sorted = [...buckets].sort((a, b) => a - b);
        if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
            throw new Error(`histogram ${name} needs distinct finite buckets`);
        }
        this.buckets = sorted;
    }
    fresh() { return { counts: this.buckets.map(() => 0), sum: 0, count: 0 }; }
    lines(metric, labels, s) {
        const out = [];
        // Stored per bucket, shown cumulative: each `le` counts every observation at or below it.
        let cumulative = 0;
        this.buckets.forEach((le, i) => {
            cumulative += s.counts[i];
            out.push(`${metric}_bucket${labelText([...labels, ['le', formatValue(le)]])} ${cumulative}`);
        });
        out.push(`${metric}_bucket${labelText([...labels, ['le', '+Inf']])} ${s.count}`);
        out.push(`${metric}_sum${labelText(labels)} ${formatValue(s.sum)}`);
        out.push(`${metric}_count${labelText(labels)} ${s.count}`);
        return out;
    }
    observe(labels, v) {
        if (!Number.isFinite(v))
            return;
        const s = this.at(labels);
        const i = this.buckets.findIndex((le) => v <= le);
        if (i >= 0)
            s.counts[i] += 1;
        s.sum += v;
        s.count += 1;
    }
}
exports.Histogram = Histogram;
/** The families of one hub, rendered in the order they were made. */
class MetricsRegistry {
    families = new Map();
    add(f) {
        if (this.families.has(f.name))
            throw new Error(`metric ${f.name} is registered twice`);
        this.families.set(f.name, f);
        return f;
    }
    counter(name, help, labelNames = []) {
        return this.add(new Counter(name, help, labelNames));
    }
    gauge(name, help, labelNames = []) {
        return this.add(new Gauge(name, help, labelNames));
    }
    histogram(name, help, labelNames, buckets) {
        return this.add(new Histogram(name, help, labelNames, buckets));
    }
    /** The text exposition, version 0.0.4, ending in a newline. */
    render() {
        return `${[...this.families.values()].map((f) => f.render()).join('\n')}\n`;
    }
}
exports.MetricsRegistry = MetricsRegistry;
exports.EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
//# sourceMappingURL=metrics.js.map