#!/usr/bin/env bash
# Builds the Windows installer, packaging/windows/out/pwbridge-<version>-x64.msi, from pwbridge.wxs with
# wixl (msitools): on Linux (apt-get install wixl msitools) or in MSYS2 on Windows
# (pacman -S mingw-w64-ucrt-x86_64-msitools). `npm run package:msi` runs it; run `npm run build` first.
#
#   --dll FILE        the filter DLL (default: native/build-win/pwbridge_filter.dll)
#   --messages FILE   the event messages DLL (default: native/build-win/pwbridge_messages.dll)
#   --node-exe FILE   the Windows x64 node.exe to bundle (default on Windows: the node running here)
#   --app-dir DIR     the tree whose dist/, bin/, package.json and node_modules/ are packaged (default:
#                     this checkout). Its native addons must be Windows x64 builds, installed (npm ci)
#                     with the same Node as --node-exe: on Linux, a tree installed on Windows.
#   --out DIR         where the .msi goes (default: packaging/windows/out)
#   --stand-ins       for checking the package's tables where the Windows files cannot exist (Linux CI):
#                     a missing DLL (filter or messages) or node.exe is replaced by a small text file,
#                     non-Windows addons are packaged as they are, the file is named ...-x64-standin.msi,
#                     and a launch condition makes it refuse to install.
#
# Without --stand-ins every binary it packages must be a Windows x64 PE file, or it stops and says which.
# Exit status: 0 built, 1 refused (the message says why), 2 wixl is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

die() { echo "build-msi: $*" >&2; exit 1; }
# wixl under MSYS2 is a native Windows program: give it C:/... paths there.
native_path() { if command -v cygpath >/dev/null 2>&1; then cygpath -m "$1"; else printf '%s\n' "$1"; fi; }

dll="$root/native/build-win/pwbridge_filter.dll"
messages="$root/native/build-win/pwbridge_messages.dll"
node_exe=""
app="$root"
out="$here/out"
stand_ins=0
wxs="$here/pwbridge.wxs"
service_name="pwbridge"

while [ $# -gt 0 ]; do
  case "$1" in
    --dll) dll=${2:?--dll needs a file}; shift 2 ;;
    --messages) messages=${2:?--messages needs a file}; shift 2 ;;
    --node-exe) node_exe=${2:?--node-exe needs a file}; shift 2 ;;
    --app-dir) app=${2:?--app-dir needs a directory}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --stand-ins) stand_ins=1; shift ;;
    --wxs) wxs=${2:?--wxs needs a file}; shift 2 ;;   # the tests build a deliberately broken copy with it
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

missing=""
for tool in wixl wixl-heat msibuild msiinfo; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "build-msi: cannot build the MSI: this machine lacks$missing (from msitools)." >&2
  echo "build-msi: Debian/Ubuntu: apt-get install --no-install-recommends wixl msitools" >&2
  echo "build-msi: Windows (MSYS2 UCRT64): pacman -S mingw-w64-ucrt-x86_64-msitools" >&2
  exit 2
fi

app=$(cd "$app" 2>/dev/null && pwd) || die "--app-dir: no such directory"
[ -f "$wxs" ] || die "no WiX source at $wxs"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The MSI's ProductVersion is package.json's version: major.minor.patch, each within MSI's limits.
version=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$app/package.json" | head -n 1)
echo "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' \
  || die "package.json version \"$version\" is not major.minor.patch: an MSI ProductVersion cannot carry a pre-release tag"
IFS=. read -r v_major v_minor v_patch <<EOF
$version
EOF
[ "$v_major" -le 255 ] && [ "$v_minor" -le 255 ] && [ "$v_patch" -le 65535 ] \
  || die "package.json version $version is out of MSI's range (255.255.65535)"

# is_pe_x64 FILE [dll]: a Windows x64 PE image (and, with dll, a DLL).
is_pe_x64() {
  local f=$1 off sig machine chars
  [ -f "$f" ] && [ "$(head -c 2 "$f" 2>/dev/null)" = "MZ" ] || return 1
  off=$(od -An -tu4 -j60 -N4 "$f" | tr -d ' \n')
  [ -n "$off" ] || return 1
  sig=$(od -An -tx1 -j"$off" -N4 "$f" | tr -d ' \n')
  [ "$sig" = "50450000" ] || return 1
  machine=$(od -An -tx1 -j$((off + 4)) -N2 "$f" | tr -d ' \n')
  [ "$machine" = "6486" ] || return 1          # IMAGE_FILE_MACHINE_AMD64, little-endian
  if [ "${2:-}" = dll ]; then
    chars=$(od -An -tu1 -j$((off + 23)) -N1 "$f" | tr -d ' \n')
    [ $((chars & 0x20)) -ne 0 ] || return 1    # IMAGE_FILE_DLL (0x2000), high byte
  fi
}

problems=()
standins=()
stage="$out/stage"
rm -rf "$stage" "$out/files.wxs"
mkdir -p "$stage/bin" "$stage/dist" "$stage/node_modules"

# 1. The filter DLL.
if is_pe_x64 "$dll" dll; then
  cp "$dll" "$stage/pwbridge_filter.dll"
elif [ "$stand_ins" = 1 ]; then
  printf 'stand-in for pwbridge_filter.dll (built by build-msi.sh --stand-ins; not installable)\n' > "$stage/pwbridge_filter.dll"
  standins+=("pwbridge_filter.dll")
elif [ -f "$dll" ]; then
  problems+=("$dll is not a Windows x64 DLL")
else
  problems+=("$dll does not exist: build native/lsa (mingw-w64 or MSVC) into native/build-win, or pass --dll")
fi

# 1b. The event messages (a resource-only DLL: Event Viewer loads it as data, whatever its bitness; the
#     build makes it x64 like the rest).
if is_pe_x64 "$messages" dll; then
  cp "$messages" "$stage/pwbridge_messages.dll"
elif [ "$stand_ins" = 1 ]; then
  printf 'stand-in for pwbridge_messages.dll (built by build-msi.sh --stand-ins; not installable)\n' > "$stage/pwbridge_messages.dll"
  standins+=("pwbridge_messages.dll")
elif [ -f "$messages" ]; then
  problems+=("$messages is not a Windows x64 DLL")
else
  problems+=("$messages does not exist: build native/lsa (mingw-w64 or MSVC) into native/build-win, or pass --messages")
fi

# 2. node.exe: on Windows, by default the Node that runs this build (the one npm ci installed the addons for).
if [ -z "$node_exe" ]; then
  case "$(uname -s)" in
    MINGW*|MSYS*|CYGWIN*) node_exe=$(node -p process.execPath 2>/dev/null || true) ;;
  esac
fi
if [ -n "$node_exe" ] && command -v cygpath >/dev/null 2>&1; then node_exe=$(cygpath -u "$node_exe"); fi
if [ -n "$node_exe" ] && is_pe_x64 "$node_exe"; then
  cp "$node_exe" "$stage/node.exe"
elif [ "$stand_ins" = 1 ]; then
  printf 'stand-in for node.exe (built by build-msi.sh --stand-ins; not installable)\n' > "$stage/node.exe"
  standins+=("node.exe")
elif [ -n "$node_exe" ]; then
  problems+=("--node-exe $node_exe is not a Windows x64 executable")
else
  problems+=("no node.exe to bundle: pass --node-exe with a Windows x64 node.exe (Node >= 20.19, the one --app-dir's node_modules were installed with)")
fi

# 3. The service: the launcher, package.json, the compiled service (not the tests or benchmarks).
[ -f "$app/dist/src/cli/main.js" ] || die "$app/dist/src/cli/main.js is missing: run npm run build first"
[ -f "$app/bin/pwbridge" ] || die "$app/bin/pwbridge is missing"
[ -d "$app/node_modules" ] || die "$app/node_modules is missing: run npm ci first"
cp "$app/bin/pwbridge" "$stage/bin/pwbridge"
cp "$here/pwbridge.cmd" "$stage/bin/pwbridge.cmd"
cp "$app/package.json" "$stage/package.json"
(cd "$app/dist" && find src -type f -name '*.js' | LC_ALL=C sort | tar -cf - -T -) | tar -xf - -C "$stage/dist"

# 4. Production dependencies only: the folders reachable from package.json's dependencies in
#    `npm ls --omit=dev` (not extraneous ones a checkout may have lying around; optional ones for other
#    platforms are not installed), each without its own nested node_modules (those are listed in turn).
#    Left out: source maps and type declarations, and better-sqlite3's C++ sources and build leftovers
#    (only its compiled addon is used).
deps=$(cd "$app" && { npm ls --omit=dev --all --json --long 2>/dev/null || true; } | node -e '
  let tree;
  try { tree = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { console.error("npm ls gave no JSON"); process.exit(1); }
  const paths = new Set(), walked = new Set(), missing = [];
  (function walk(deps) {
    for (const [name, d] of Object.entries(deps || {})) {
      if (d.extraneous || d.dev) continue;
      if (d.missing && !d.optional) { missing.push(name); continue; }
      if (!d.path) continue;
      paths.add(d.path);
      if (Object.keys(d.dependencies || {}).length && !walked.has(d.path)) { walked.add(d.path); walk(d.dependencies); }
    }
  })(tree.dependencies);
  if (missing.length) { console.error(`not installed: ${missing.join(", ")}`); process.exit(1); }
  process.stdout.write([...paths].sort().join("\n"));
') || die "npm ls --omit=dev in $app: node_modules is incomplete (npm ci there)"
[ -n "$deps" ] || die "npm ls --omit=dev listed no dependencies in $app"
list="$out/node_modules.list"
: > "$list"
while IFS= read -r dep; do
  dep=${dep//\\//}
  dep=${dep%$'\r'}
  rel=${dep#*/node_modules/}
  [ -d "$app/node_modules/$rel" ] || die "npm ls named $dep, which is not under $app/node_modules"
  (cd "$app/node_modules" && find "$rel" -path "$rel/node_modules" -prune -o -type f \
    ! -name '*.map' ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' -print) >> "$list"
done <<EOF
$deps
EOF
{ grep -Ev '^better-sqlite3/(deps|src|build)/' "$list" || true
  grep -Ex 'better-sqlite3/build/Release/better_sqlite3\.node' "$list" || true
} | LC_ALL=C sort -u > "$list.keep"
(cd "$app/node_modules" && tar -cf - -T "$list.keep") | tar -xf - -C "$stage/node_modules"
rm -f "$list" "$list.keep"

# 5. Native addons must be Windows x64 builds, and both of the service's must be there.
foreign=()
while IFS= read -r addon; do
  [ -n "$addon" ] || continue
  is_pe_x64 "$addon" || foreign+=("${addon#"$stage"/}")
done <<EOF
$(find "$stage/node_modules" -type f -name '*.node')
EOF
if [ ${#foreign[@]} -gt 0 ]; then
  if [ "$stand_ins" = 1 ]; then
    standins+=("non-Windows node_modules addons")
  else
    for a in "${foreign[@]}"; do problems+=("$a is not a Windows x64 addon: npm ci on Windows x64, and pass that tree as --app-dir"); done
  fi
fi
if [ "$stand_ins" != 1 ]; then
  for want in better_sqlite3.node koffi.node; do
    [ -n "$(find "$stage/node_modules" -type f -name "$want")" ] \
      || problems+=("no $want in $app/node_modules: the service cannot start without it")
  done
fi

if [ ${#problems[@]} -gt 0 ]; then
  echo "build-msi: cannot build an installable package:" >&2
  for p in "${problems[@]}"; do echo "build-msi:   - $p" >&2; done
  echo "build-msi: (--stand-ins builds one for checking its tables only; that one refuses to install)" >&2
  exit 1
fi

# 6. Harvest dist/ and node_modules/ into one component group (stable ids and GUIDs: derived from the
#    paths), then build. Everything wixl reads is named relative to $out, its working directory.
(cd "$out" && find stage/dist stage/node_modules -type f | LC_ALL=C sort |
  wixl-heat --directory-ref=INSTALLDIR --component-group=CG.payload --var=var.Stage -p stage/ --win64) \
  > "$out/files.wxs"

suffix=""
standin_list=""
if [ ${#standins[@]} -gt 0 ]; then
  suffix="-standin"
  standin_list=$(IFS=,; echo "${standins[*]}")
fi
name="pwbridge-$version-x64$suffix.msi"
rm -f "$out/$name"
(cd "$out" && wixl --arch x64 \
  -D Version="$version" -D Stage=stage -D Win64=yes \
  -D ServiceName="$service_name" -D StandIns="$standin_list" \
  -o "$name" "$(native_path "$wxs")" files.wxs) || die "wixl failed (see above)"

# 7. wixl writes Execute="rollback" actions as immediate ones: make them rollback actions run as
#    LocalSystem (type 18 exe from an installed file + 64 continue + 256 rollback + 1024 in script +
#    2048 no impersonation), then check that every Pwb* action runs inside the script as LocalSystem.
(cd "$out" && msibuild "$name" -q "UPDATE \`CustomAction\` SET \`Type\` = 3410 WHERE \`Action\` = 'PwbInstallRollback' OR \`Action\` = 'PwbUninstallRollback'") \
  || die "msibuild could not set the rollback actions' type"
bad=$(cd "$out" && msiinfo export "$name" CustomAction | tail -n +4 | tr -d '\r' |
  awk -F '\t' '$1 ~ /^Pwb/ && (int($2 / 1024) % 2 != 1 || int($2 / 2048) % 2 != 1) { print $1 " (type " $2 ")" }')
[ -z "$bad" ] || { rm -f "$out/$name"; die "custom actions not deferred as LocalSystem: $bad"; }

files=$(find "$stage" -type f | wc -l | tr -d ' ')
echo "build-msi: built $out/$name: pwbridge_filter.dll into System32, $((files - 1)) files (pwbridge_messages.dll among them) into Program Files\\pwbridge"
if [ -n "$standin_list" ]; then
  echo "build-msi: with stand-ins for: $standin_list. For checking its tables only: it refuses to install."
fi
