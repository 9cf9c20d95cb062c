"use strict";
/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it throws on anything a
 * scraper could read differently. Every sample belongs to a family declared by `# HELP` and `# TYPE`
 * before it, a family's samples are together, counters end in _total, no series repeats, label values use
 * only the format's three escapes, and each histogram's buckets are cumulative, end in le="+Inf", and
 * that bucket equals _count.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseExposition = parseExposition;
exports.valueOf = valueOf;
exports.sumOf = sumOf;
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
function parseValue(text, line) {
    if (text === '+Inf')
        return Infinity;
    if (text === '-Inf')
        return -Infinity;
    if (text === 'NaN')
        return NaN;
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
        throw new Error(`not a number: ${JSON.stringify(text)} in ${line}`);
    return Number(text);
}
function unescapeHelp(text, line) {
    return text.replace(/\\(.?)/g, (_, c) => {
        if (c === '\\')
            return '\\';
        if (c === 'n')
            return '\n';
        throw new Error(`bad escape in HELP: ${line}`);
    });
}
/** `{a="x",b="y"}` at the start of `rest`; returns the labels and what follows. */
function parseLabels(rest, line) {
    const labels = {};
    let i = 1;
    if (rest[i] === '}')
        return { labels, after: rest.slice(i + 1) };
    for (;;) {
        const eq = rest.indexOf('=', i);
        if (eq < 0)
            throw new Error(`label without =: ${line}`);
        const name = rest.slice(i, eq);
        if (!LABEL.test(name))
            throw new Error(`bad label name ${JSON.stringify(name)}: ${line}`);
        if (name in labels)
            throw new Error(`label ${name} twice: ${line}`);
        if (rest[eq + 1] !== '"')
            throw new Error(`label value not quoted: ${line}`);
        let v = '';
        let j = eq + 2;
        for (;; j++) {
            const c = rest[j];
            if (c === undefined || c === '\n')
                throw new Error(`unterminated label value: ${line}`);
            if (c === '"')
                break;
            if (c === '\\') {
                const e = rest[++j];
                if (e === '\\')
                    v += '\\';
                else if (e === '"')
                    v += '"';
                else if (e === 'n')
                    v += '\n';
                else
                    throw new Error(`bad escape \\${e} in a label value: ${line}`);
            }
            else {
                v += c;
            }
        }
        labels[name] = v;
        j++;
        if (rest[j] === '}')
            return { labels, after: rest.slice(j + 1) };
        if (rest[j] !== ',')
            throw new Error(`expected , or } after a label: ${line}`);
        i = j + 1;
    }
}
function familyOf(sample, families) {
    const direct = families.get(sample);
    if (direct && direct.type !== 'histogram')
        return direct;
    const m = /^(.*)_(bucket|sum|count)$/.exec(sample);
    const h = m ? families.get(m[1]) : undefined;
    return h?.type === 'histogram' ? h : undefined;
}
const seriesKey = (s, without = []) => `${s.name}{${Object.keys(s.labels).filter((k) => !without.includes(k)).sort().map((k) => `${k}=${JSON.stringify(s.labels[k])}`).join(',')}}`;
function parseExposition(text) {
    if (!text.endsWith('\n'))
        throw new Error('the exposition must end with a newline');
    const families = new Map();
    const declared = new Map();
    const closed = new Set();
    const series = new Set();
    let current;
    for (const line of text.slice(0, -1).split('\n')) {
        if (line === '')
            throw new Error('empty line');
        const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
        if (meta) {
            const [, what, name, rest = ''] = meta;
            if (!NAME.test(name))
                throw new Error(`bad metric name: ${line}`);
            if (closed.has(name) || families.get(name)?.samples.length)
                throw new Error(`${name} declared again after its samples: ${line}`);
            const d = declared.get(name) ?? {};
            if (what === 'HELP') {
                if (d.help !== undefined)
                    throw new Error(`second HELP: ${line}`);
                d.help = unescapeHelp(rest, line);
            }
            else {
                if (d.type !== undefined)
                    throw new Error(`second TYPE: ${line}`);
                if (!['counter', 'gauge', 'histogram'].includes(rest))
                    throw new Error(`unexpected TYPE: ${line}`);
                if (rest === 'counter' && !name.endsWith('_total'))
                    throw new Error(`counter not ending in _total: ${line}`);
                d.type = rest;
            }
            declared.set(name, d);
            if (d.help !== undefined && d.type !== undefined) {
                families.set(name, { name, help: d.help, type: d.type, samples: [] });
            }
            if (current !== undefined && current !== name)
                closed.add(current);
            current = name;
            continue;
        }
        if (line.startsWith('#'))
            throw new Error(`unexpected comment: ${line}`);
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(.*)$/.exec(line);
        if (!m)
            throw new Error(`not a sample: ${line}`);
        const name = m[1];
        let rest = m[2];
        let labels = {};
        if (rest.startsWith('{'))
            ({ labels, after: rest = '' } = parseLabels(rest, line));
        const parts = rest.split(' ');
        if (parts[0] !== '' || parts.length < 2 || parts.length > 3)
            throw new Error(`expected " value [timestamp]": ${line}`);
        const value = parseValue(parts[1], line);
        const fam = familyOf(name, families);
        if (!fam)
            throw new Error(`sample of no declared family (HELP and TYPE before it): ${line}`);
        if (fam.name !== current)
            throw new Error(`samples of ${fam.name} not together: ${line}`);
        const sample = { name, labels, value };
        const key = seriesKey(sample);
        if (series.has(key))
            throw new Error(`series twice: ${line}`);
        series.add(key);
        fam.samples.push(sample);
    }
    for (const [name, d] of declared)
        if (d.help === undefined || d.type === undefined)
            throw new Error(`${name} lacks HELP or TYPE`);
    for (const f of families.values())
        if (f.type === 'histogram')
            checkHistogram(f);
    return families;
}
function checkHistogram(f) {
    const groups = new Map();
    for (const s of f.samples) {
        const key = seriesKey({ ...s, name: f.name }, ['le']);
        const g = groups.get(key) ?? { buckets: [] };
        groups.set(key, g);
        if (s.name === `${f.name}_bucket`) {
            if (!('le' in s.labels))
                throw new Error(`${f.name} bucket without le`);
            g.buckets.push({ le: parseValue(s.labels.le, s.labels.le), v: s.value });
        }
        else if ('le' in s.labels) {
            throw new Error(`${s.name} must not have le`);
        }
        else if (s.name === `${f.name}_sum`) {
            g.sum = s.value;
        }
        else {
            g.count = s.value;
        }
    }
    for (const [key, g] of groups) {
        if (g.sum === undefined || g.count === undefined)
            throw new Error(`${key}: _sum and _count both needed`);
        if (g.buckets.length === 0 || g.buckets[g.buckets.length - 1].le !== Infinity)
            throw new Error(`${key}: the last bucket must be le="+Inf"`);
        for (let i = 1; i < g.buckets.length; i++) {
            if (!(g.buckets[i].le > g.buckets[i - 1].le))
                throw new Error(`${key}: buckets not in increasing le`);
            if (g.buckets[i].v < g.buckets[i - 1].v)
                throw new Error(`${key}: buckets not cumulative`);
        }
        if (g.buckets[g.buckets.length - 1].v !== g.count)
            throw new Error(`${key}: le="+Inf" (${g.buckets[g.buckets.length - 1].v}) is not _count (${g.count})`);
    }
}
/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none. */
function valueOf(families, name, labels = {}) {
    const all = [...families.values()].flatMap((f) => f.samples)
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    if (all.length > 1)
        throw new Error(`${name} ${JSON.stringify(labels)} matches ${all.length} series`);
    return all[0]?.value ?? 0;
}
/** The sum over every series of `name` whose labels include `labels`. */
function sumOf(families, name, labels = {}) {
    return [...families.values()].flatMap((f) => f.samples)
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((a, s) => a + s.value, 0);
}
//# sourceMappingURL=exposition.js.map