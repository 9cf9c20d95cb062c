#!/usr/bin/env bash
# Installs pwbridge's production dependencies as a machine of the given OS and CPU (npm's names: win32 x64,
# linux x64, linux arm64) would get them, and prints the folder that holds the resulting node_modules
# (cached in packaging/cache/, keyed by what decides its contents). The MSI build (win32 x64) and the
# Debian package build (linux, the host's CPU) both take their node_modules from here.
#
#   packaging/production-modules.sh OS CPU
#
# npm installs from package-lock.json, so every version is the locked one, with --os/--cpu so that
# optional platform packages are the target's (koffi's prebuilt @koromix/koffi-win32-x64 or
# @koromix/koffi-linux-x64), and --ignore-scripts, so nothing is built for this machine. better-sqlite3 is
# left out: both packages run their own Node 22, where the service's SQLite is node:sqlite. What the
# service never loads is pruned: rxjs's ESM, UMD and TypeScript copies (CommonJS is what Node requires),
# source maps, type declarations.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cache=${PWBRIDGE_NODE_CACHE:-$root/packaging/cache}

if [ $# -ne 2 ]; then
  echo "usage: packaging/production-modules.sh OS CPU   (npm's names, e.g. win32 x64, linux x64)" >&2
  exit 2
fi
os=$1 cpu=$2
case "$os/$cpu" in
  win32/x64|linux/x64|linux/arm64) ;;
  *) echo "production-modules: no packaging for os=$os cpu=$cpu (known: win32 x64, linux x64, linux arm64)" >&2; exit 2 ;;
esac

key=$( { echo "$os-$cpu"; cat "$root/package-lock.json"; node -p 'JSON.stringify(require(process.argv[1]).dependencies)' "$root/package.json"; cat "$0"; } |
  sha256sum | cut -c1-16)
dest="$cache/$os-$cpu-modules-$key"
if [ -d "$dest/node_modules" ]; then
  echo "$dest"
  exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.$os-$cpu-modules-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
node -e '
  const p = require(process.argv[1]);
  const deps = { ...p.dependencies };
  delete deps["better-sqlite3"];
  require("fs").writeFileSync(process.argv[2], JSON.stringify({ name: p.name, version: p.version, private: true, dependencies: deps }, null, 2));
' "$root/package.json" "$tmp/package.json"
cp "$root/package-lock.json" "$tmp/package-lock.json"
(cd "$tmp" && npm install --os="$os" --cpu="$cpu" --omit=dev --ignore-scripts --no-save --no-audit --no-fund --loglevel=error >&2)

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
