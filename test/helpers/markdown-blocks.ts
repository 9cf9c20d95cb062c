// Fenced code blocks of a Markdown document, found by the heading they stand under, so a test runs the
// commands a page shows exactly as a reader would copy them.

/** The text of the first ```lang block under the heading `heading` (any level), before the next heading of the same or a higher level. */
export function fencedBlockUnder(markdown: string, heading: string, lang: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '').trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = lines[start].match(/^#+/)![0].length;
  let inFence = false;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!inFence) {
      const h = line.match(/^(#{1,6}) /);
      if (h && h[1].length <= level) break;
      if (line.trim() === '```' + lang) inFence = true;
      continue;
    }
    if (line.trim() === '```') return body.join('\n');
    body.push(line);
  }
  throw new Error(inFence ? `the \`\`\`${lang} block under "${heading}" is not closed` : `no \`\`\`${lang} block under "${heading}"`);
}
