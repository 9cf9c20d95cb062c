// Writes test/vectors/frames.json. Run after building: `node dist/test/vectors/generate.js`
// (or `node /tmp/build-proto/test/vectors/generate.js`). `--check` compares instead of writing.
import * as fs from 'node:fs';
import { vectorsPath } from './repo-root';
import { buildVectors } from './vectors';

function main(): number {
  const text = `${JSON.stringify(buildVectors(), null, 2)}\n`;
  const file = vectorsPath();
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
    console.log(same ? `${file} is up to date` : `${file} differs from what the codec produces`);
    return same ? 0 : 1;
  }
  fs.writeFileSync(file, text);
  console.log(`wrote ${file}`);
  return 0;
}

if (require.main === module) process.exitCode = main();
