/**
 * A small metrics registry and its Prometheus text exposition (format 0.0.4): counters, gauges and
 * histograms with labels, `# HELP` / `# TYPE` per family, label values escaped.
 *
 * Written here rather than taken from prom-client (15.1, the well-kept standard): what the hub needs is
 * about a hundred lines, and prom-client would add 5 packages (4.7 MB, half of it @opentelemetry/api and
 * bintrees for summaries the hub does not use) to the package that ships to every machine, the MSI
 * included. It would fit (a Registry per server works, default collectors are opt-in), so this is a
 * judgment of size, not of fitness: if the hub ever needs summaries or exemplars, take prom-client.
 */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type LabelValues = Record<string, string>;

/** Upper bounds (seconds) for request durations: well under the hub's 100 ms p99 target up to a long poll. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** `\`, `"` and newline escaped, as the format requires inside a label value. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `\` and newline escaped, as the format requires in HELP text. */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus (Go's ParseFloat) reads it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(pairs: [string, string][]): string {
  return pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

abstract class Family<S> {
  /** One series per label-value combination, keyed by the values joined (in labelNames order). */
  protected readonly series = new Map<string, { labels: [string, string][]; state: S }>();

  constructor(readonly name: string, readonly help: string, readonly type: MetricType, readonly labelNames: readonly string[]) {
    if (!METRIC_NAME.test(name)) throw new Error(`metric name ${JSON.stringify(name)} is not valid`);
    for (const l of labelNames) {
      if (!LABEL_NAME.test(l) || l.startsWith('__') || l === 'le') throw new Error(`label name ${JSON.stringify(l)} of ${name} is not valid`);
    }
  }

  protected abstract fresh(): S;
  protected abstract lines(metric: string, labels: [string, string][], state: S): string[];

  protected at(values: LabelValues): S {
    const given = Object.keys(values);
    if (given.length !== this.labelNames.length || given.some((k) => !this.labelNames.includes(k))) {
      throw new Error(`${this.name} takes labels ${this.labelNames.join(', ') || '(none)'}, got ${given.join(', ') || '(none)'}`);
    }
    const labels = this.labelNames.map((k): [string, string] => [k, String(values[k])]);
    const key = labels.map(([, v]) => v).join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { labels, state: this.fresh() };
      this.series.set(key, s);
    }
    return s.state;
  }

  /** Show the series at its zero value before anything happened (a gauge or histogram without labels). */
  init(labels: LabelValues = {}): void {
    this.at(labels);
  }

  /** Drop every series (a gauge recomputed from scratch, so a value that is gone does not linger). */
  clear(): void {
    this.series.clear();
  }

  render(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, state } of this.series.values()) out.push(...this.lines(this.name, labels, state));
    return out.join('\n');
  }
}

export class Counter extends Family<{ v: number }> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'counter', labelNames);
    if (!name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
  }

  protected fresh() { return { v: 0 }; }
  protected lines(metric: string, labels: [string, string][], s: { v: number }) { return [`${metric}${labelText(labels)} ${formatValue(s.v)}`]; }

  inc(labels: LabelValues = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`counter ${this.name} cannot go down (inc by ${by})`);
    this.at(labels).v += by;
  }

  /** For a total counted elsewhere (the database), which only grows. */
  setTotal(labels: LabelValues, total: number): void {
    this.at(labels).v = total;
  }
}

export class Gauge extends Family<{ v: number }> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'gauge', labelNames);
  }

  protected fresh() { return { v: 0 }; }
  protected lines(metric: string, labels: [string, string][], s: { v: number }) { return [`${metric}${labelText(labels)} ${formatValue(s.v)}`]; }

  set(labels: LabelValues, v: number): void {
    this.at(labels).v = v;
  }

  inc(labels: LabelValues = {}, by = 1): void {
    this.at(labels).v += by;
  }

  dec(labels: LabelValues = {}, by = 1): void {
    this.at(labels).v -= by;
  }
}

interface HistogramState { counts: number[]; sum: number; count: number }

export class Histogram extends Family<HistogramState> {
  readonly buckets: number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, 'histogram', labelNames);
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new Error(`histogram ${name} needs distinct finite buckets`);
    }
    this.buckets = sorted;
  }

  protected fresh(): HistogramState { return { counts: this.buckets.map(() => 0), sum: 0, count: 0 }; }

  protected lines(metric: string, labels: [string, string][], s: HistogramState): string[] {
    const out: string[] = [];
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

  observe(labels: LabelValues, v: number): void {
    if (!Number.isFinite(v)) return;
    const s = this.at(labels);
    const i = this.buckets.findIndex((le) => v <= le);
    if (i >= 0) s.counts[i] += 1;
    s.sum += v;
    s.count += 1;
  }
}

/** The families of one hub, rendered in the order they were made. */
export class MetricsRegistry {
  private readonly families = new Map<string, Family<unknown>>();

  private add<F extends Family<any>>(f: F): F { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (this.families.has(f.name)) throw new Error(`metric ${f.name} is registered twice`);
    this.families.set(f.name, f);
    return f;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  /** The text exposition, version 0.0.4, ending in a newline. */
  render(): string {
    return `${[...this.families.values()].map((f) => f.render()).join('\n')}\n`;
  }
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
