/**
 * CSV (RFC 4180, as spreadsheets write it): quoted fields may hold commas, quotes ("") and line breaks;
 * records end in LF or CRLF; a UTF-8 BOM at the start is dropped. Each record carries the line it starts on,
 * so a refusal can name it. A parse error names the line and never quotes the text (it may be a password).
 */
export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  /** `field`: the 1-based column (field of the record) where the problem is. */
  constructor(readonly line: number, readonly field: number, problem: string) {
    super(`line ${line}: ${problem}`);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= s.length) throw new CsvSyntaxError(opened, fields.length + 1, `a quoted field is not closed (field ${fields.length + 1})`);
          const c = s[i];
          if (c === '"') {
            if (s[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && !(s[i] === '\r' && s[i + 1] === '\n')) {
          throw new CsvSyntaxError(line, fields.length + 1, `field ${fields.length + 1} has text after its closing quote`);
        }
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && !(s[i] === '\r' && s[i + 1] === '\n')) {
          if (s[i] === '"') throw new CsvSyntaxError(line, fields.length + 1, `field ${fields.length + 1} has a quote inside an unquoted field`);
          field += s[i];
          i++;
        }
      }
      fields.push(field);
      if (s[i] === ',') { i++; continue; }
      break;
    }
    if (s[i] === '\r') i++;
    if (s[i] === '\n') { i++; line++; }
    // A blank line (one empty field) is no record: spreadsheets leave them at the end.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}

/** One field for a CSV file: quoted when it holds a comma, quote, line break or leading/trailing space. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
