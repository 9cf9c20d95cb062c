// The docs check, as a function of a directory so a test can run it on a planted copy: every relative link
// and #anchor in README.md and docs/*.md resolves, every event ID in src/domain/event-ids.ts has its entry in
// docs/events.md, and no user doc names an issue number (development history stays in git and in
// docs/development.md). Each problem is one line naming the file, the line and what is wrong.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { anchorsOf } from '../../src/docs/github-anchor';

/** The docs a reader is sent to; development.md alone may tell history. */
export function docFiles(root: string): string[] {
  const docs = fs.existsSync(path.join(root, 'docs'))
    ? fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)
    : [];
  return ['README.md', ...docs];
}

const HISTORY_DOC = 'docs/development.md';

export interface Link { file: string; line: number; target: string }

/** Text outside fenced code blocks and inline code, line by line (links there are examples, not links). */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`+[^`]*`+/g, '');
  });
}

/** Inline links and images `[t](target "title")`, reference definitions `[t]: target`, and HTML href/src. */
export function linksOf(file: string, text: string): Link[] {
  const out: Link[] = [];
  proseLines(text).forEach((line, i) => {
    const add = (target: string) => out.push({ file, line: i + 1, target: target.replace(/^<|>$/g, '') });
    for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
    const ref = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (ref) add(ref[1]);
    for (const m of line.matchAll(/\b(?:href|src)="([^"]+)"/g)) add(m[1]);
  });
  return out;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

export function brokenLinks(root: string, file: string, text: string): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (rel: string) => {
    if (!anchorCache.has(rel)) anchorCache.set(rel, anchorsOf(fs.readFileSync(path.join(root, rel), 'utf8')));
    return anchorCache.get(rel)!;
  };
  for (const link of linksOf(file, text)) {
    if (EXTERNAL.test(link.target) || link.target.startsWith('//')) continue;
    const [rawPath, anchor] = link.target.split('#', 2) as [string, string | undefined];
    const where = `${link.file}:${link.line}: ${link.target}`;
    const rel = rawPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(rawPath)));
    if (rel.startsWith('..')) {
      problems.push(`${where}: leaves the repository`);
      continue;
    }
    if (!fs.existsSync(path.join(root, rel))) {
      problems.push(`${where}: no file ${rel}`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!rel.endsWith('.md')) {
      if (!/^L\d+(-L\d+)?$/.test(anchor)) problems.push(`${where}: an anchor into ${rel}, which is not Markdown`);
      continue;
    }
    if (!anchors(rel).has(decodeURIComponent(anchor))) problems.push(`${where}: no heading in ${rel} has the anchor #${anchor}`);
  }
  return problems;
}

/** "issue 12", "issues 3 and 4", "Issue 5's", "#12": outside link targets, code included (a diagram is prose too). */
export function issueMentions(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\]\([^)]*\)/g, '](…)').replace(/\bhttps?:\/\/\S+/g, '');
    const hits = [
      ...[...line.matchAll(/\b(?:issues?|PR|pull request)\s+#?\d+/gi)].map((m) => m[0]),
      ...[...line.matchAll(/(?:^|[^\w&#/])(#\d+)\b/g)].map((m) => m[1]),
    ];
    for (const hit of hits) problems.push(`${file}:${i + 1}: names an issue ("${hit}"); user docs tell no development history`);
  });
  return problems;
}

/** The IDs in the event table's source (the entries and the catch-all), read as text. */
export function eventIdsInSource(root: string): number[] {
  const src = fs.readFileSync(path.join(root, 'src/domain/event-ids.ts'), 'utf8');
  return [...src.matchAll(/\{\s*id:\s*(\d+),/g)].map((m) => Number(m[1]));
}

export function missingEventEntries(root: string): string[] {
  const doc = path.join(root, 'docs/events.md');
  const text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
  return eventIdsInSource(root)
    .filter((id) => !new RegExp(`^### ${id} `, 'm').test(text))
    .map((id) => `docs/events.md: event ID ${id} (src/domain/event-ids.ts) has no entry "### ${id} …"`);
}

export function checkDocs(root: string): string[] {
  const problems: string[] = [];
  for (const file of docFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    problems.push(...brokenLinks(root, file, text));
    if (file !== HISTORY_DOC) problems.push(...issueMentions(file, text));
  }
  problems.push(...missingEventEntries(root));
  return problems;
}
