#!/usr/bin/env bash
# Installs pwbridge's production dependencies as a Windows x64 machine would get them, and prints the folder
# that holds the resulting node_modules (cached in packaging/cache/, keyed by what decides its contents).
#
# npm installs from package-lock.json, so every version is the locked one, with --os=win32 --cpu=x64 so
# that optional platform packages are Windows' (koffi's prebuilt @koromix/koffi-win32-x64), and
# --ignore-scripts, so nothing is built for this Linux machine. better-sqlite3 is left out: the Windows
# package runs Node 22, where the service's SQLite is node:sqlite. What the service never loads is pruned:
# rxjs's ESM, UMD and TypeScript copies (CommonJS is what Node requires), source maps, type declarations.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${PWBRIDGE_NODE_CACHE:-$root/packaging/cache}

key=$( { cat "$root/package-lock.json"; node -p 'JSON.stringify(require(process.argv[1]).dependencies)' "$root/package.json"; cat "$0"; } |
  sha256sum | cut -c1-16)
dest="$cache/win32-modules-$key"
if [ -d "$dest/node_modules" ]; then
  echo "$dest"
  exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.win32-modules-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
node -e '
  const p = require(process.argv[1]);
  const deps = { ...p.dependencies };
  delete deps["better-sqlite3"];
  require("fs").writeFileSync(process.argv[2], JSON.stringify({ name: p.name, version: p.version, private: true, dependencies: deps }, null, 2));
' "$root/package.json" "$tmp/package.json"
cp "$root/package-lock.json" "$tmp/package-lock.json"
(cd "$tmp" && npm install --os=win32 --cpu=x64 --omit=dev --ignore-scripts --no-save --no-audit --no-fund --loglevel=error >&2)

# Every locked version, exactly: a dependency npm resolved anew would be a package nobody reviewed.
node -e '
  const lock = require(process.argv[1]);
  const fs = require("fs"), path = require("path");
  const bad = [];
  for (const dir of fs.readdirSync(process.argv[2] + "/node_modules", { recursive: true })) {
    if (path.basename(dir) !== "package.json") continue;
    const rel = "node_modules/" + path.dirname(dir).split(path.sep).join("/");
    const entry = lock.packages[rel];
    if (!entry) continue; // a package.json inside a package (dist/cjs/package.json and the like)
    const got = require(path.join(process.argv[2], rel, "package.json")).version;
    if (got !== entry.version) bad.push(`${rel}: ${got}, locked ${entry.version}`);
  }
  if (bad.length) { console.error("not the locked versions:\n  " + bad.join("\n  ")); process.exit(1); }
' "$root/package-lock.json" "$tmp"

rm -rf "$tmp/node_modules/rxjs/src" "$tmp/node_modules/rxjs/dist/esm" "$tmp/node_modules/rxjs/dist/esm5" \
  "$tmp/node_modules/rxjs/dist/bundles" "$tmp/node_modules/rxjs/dist/types" "$tmp/node_modules/.package-lock.json"
find "$tmp/node_modules" -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete
rm -f "$tmp/package.json" "$tmp/package-lock.json"
mv "$tmp" "$dest"
trap - EXIT
echo "$dest"
