import { strict as assert } from 'node:assert';
import { CsvSyntaxError, csvField, parseCsv } from '../../src/vault/transfer/csv';
import { isSealed, open, seal, SealedFileError } from '../../src/vault/transfer/sealed-file';

describe('import/export files', () => {
  describe('parseCsv', () => {
    it('reads quoted commas, doubled quotes and line breaks, drops a BOM, takes CRLF and LF, and numbers each record by its first line', () => {
      const text = '\ufeffa,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\nlast,,\n\nend,"",z';
      assert.deepEqual(parseCsv(text), [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['x,1', 'say "hi"', 'two\r\nlines'] },
        { line: 4, fields: ['last', '', ''] },
        { line: 6, fields: ['end', '', 'z'] },
      ]);
    });

    it('refuses an unclosed quote with the line it opened on, and text after a closing quote, without quoting the text', () => {
      const secret = 'canary-unclosed-7f3a';
      assert.throws(() => parseCsv(`a,b\nx,"${secret}\nmore`), (e: unknown) =>
        e instanceof CsvSyntaxError && e.line === 2 && /quoted field is not closed/.test(e.message) && !e.message.includes(secret));
      assert.throws(() => parseCsv(`a,b\n\nx,"${secret}"tail`), (e: unknown) =>
        e instanceof CsvSyntaxError && e.line === 3 && /field 2 has text after its closing quote/.test(e.message) && !e.message.includes(secret));
      assert.throws(() => parseCsv('a,b\nx,ab"c'), (e: unknown) => e instanceof CsvSyntaxError && e.line === 2 && /field 2/.test(e.message));
    });

    it('csvField round-trips through parseCsv', () => {
      const values = ['plain', 'a,b', 'q"uote', 'line\nbreak', ' lead', 'trail ', '', '=1+1'];
      const parsed = parseCsv(`${values.map(csvField).join(',')}\r\n`);
      assert.deepEqual(parsed, [{ line: 1, fields: values }]);
    });
  });

  describe('sealed export file', () => {
    const plain = Buffer.from('client,username,password,windows sync,mode\r\nAcme,bob,"s3cret,canary",on,change\r\n');
    const pass = Buffer.from('correct horse battery');

    it('opens with the passphrase it was sealed with, and names its parameters in the header', () => {
      const file = seal(plain, pass);
      assert.ok(isSealed(file));
      assert.match(file.toString(), /^pwbridge-vault-export 1\nkdf scrypt N=32768 r=8 p=1 salt=\S+\ncipher aes-256-gcm iv=\S+ tag=\S+\n/);
      assert.ok(!file.includes(Buffer.from('canary')), 'the sealed file holds the plain text');
      assert.deepEqual(open(file, pass), plain);
    });

    it('refuses the wrong passphrase, a changed body, and a changed parameter (the header is authenticated)', () => {
      const file = seal(plain, pass);
      assert.throws(() => open(file, Buffer.from('wrong horse battery')), SealedFileError);
      const lines = file.toString().split('\n');
      const body = Buffer.from(lines[3], 'base64');
      body[0] ^= 1;
      assert.throws(() => open(Buffer.from([lines[0], lines[1], lines[2], body.toString('base64'), ''].join('\n')), pass), /does not open with this passphrase/);
      // Same key (N stays), other p: scrypt gives another key anyway, but the AAD alone must reject a changed header line.
      const changed = lines[1].replace('p=1', 'p=2');
      assert.throws(() => open(Buffer.from([lines[0], changed, ...lines.slice(2)].join('\n')), pass), /does not open/);
    });

    it('refuses scrypt parameters out of bounds before deriving anything', () => {
      const lines = seal(plain, pass).toString().split('\n');
      for (const n of ['N=3', 'N=4194304']) {
        const bad = [lines[0], lines[1].replace('N=32768', n), ...lines.slice(2)].join('\n');
        assert.throws(() => open(Buffer.from(bad), pass), /line 2: scrypt parameters out of range/);
      }
    });
  });
});
