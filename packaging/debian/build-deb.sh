#!/usr/bin/env bash
# Builds the Debian package, packaging/debian/out/pwbridge_<version>_<arch>.deb, for this machine's
# architecture (dpkg-architecture). `npm run package:deb` runs it after `npm run build`. Root-owned files:
#
#   /usr/lib/pwbridge/node          the pinned Node 22 LTS from the registry package node-linux-<cpu> (version
#                                   and SHA-256 in packaging/node-runtimes.json; packaging/fetch-node.js)
#   /usr/lib/pwbridge/dist/src/**   the compiled service and CLI
#   /usr/lib/pwbridge/node_modules  the production dependencies for linux-<cpu> from package-lock.json
#                                   (packaging/production-modules.sh; koffi's prebuilt glibc binary is the one
#                                   compiled module; no better-sqlite3: on Node 22 the service uses node:sqlite)
#   /usr/bin/pwbridge               the command: that node, the service's V8 flags, the CLI
#   /usr/lib/<multiarch>/security/pam_pwbridge.so   the capture module (native/build/pam)
#   /lib/systemd/system/pwbridge.service            rendered by the same code as `pwbridge install`'s unit
#   /usr/share/pam-configs/pwbridge the pam-auth-update profile (password, Additional, optional)
#   /usr/share/man/man8/pwbridge.8.gz  from the CLI's own help
#   /usr/share/bash-completion/completions/pwbridge  bash completion, from the CLI's own tables (pwbridge completion bash)
# The maintainer scripts create /var/lib/pwbridge (0700), enable the profile and the unit; see postinst.
#
#   --version V     the package version (default: package.json's; the tests build a lower one to upgrade from)
#   --module FILE   the PAM module (default: native/build/pam/pam_pwbridge.so)
#   --out DIR       where the .deb goes (default: packaging/debian/out)
#   --compression xz|gzip   dpkg-deb's (default xz; gzip is level 1, seconds where xz takes minutes on a busy
#                   machine: the tests use it)
#
# Exit status: 0 built, 1 refused (the message says why), 2 a build tool is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
die() { echo "build-deb: $*" >&2; exit 1; }

version=""
module="$root/native/build/pam/pam_pwbridge.so"
out="$here/out"
compression=xz
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:?--version needs a version}; shift 2 ;;
    --module) module=${2:?--module needs a file}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --compression) compression=${2:?--compression needs xz or gzip}; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

case "$compression" in xz) level=6 ;; gzip) level=1 ;; *) die "--compression must be xz or gzip, not \"$compression\"" ;; esac

missing=""
for tool in dpkg-deb dpkg-architecture dpkg-shlibdeps node npm tar gzip strip objdump; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "build-deb: cannot build the package: this machine lacks$missing." >&2
  echo "build-deb: Debian: apt-get install --no-install-recommends dpkg-dev binutils (and Node.js with npm)" >&2
  exit 2
fi

[ -f "$root/dist/src/cli/main.js" ] || die "$root/dist/src/cli/main.js is missing: run npm run build first"
[ -n "$version" ] || version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
# Debian's version syntax without an epoch or a revision: this is a native package.
echo "$version" | grep -Eq '^[0-9][A-Za-z0-9.+~]*$' || die "version \"$version\" is not a Debian native version (digits first; letters, digits, . + ~)"

# The machine's architecture decides the module folder and which Node and koffi go in.
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
case "$arch" in
  amd64) cpu=x64 ;;
  arm64) cpu=arm64 ;;
  *) die "no Node.js runtime is packaged for Debian architecture $arch (amd64 and arm64 are)" ;;
esac

[ -f "$module" ] || die "no PAM module at $module: npm run build:native builds it (libpam0g-dev nettle-dev libcrypt-dev cmake)"
objdump -p "$module" | grep -q 'NEEDED.*libpam\.so' || die "$module is not a PAM module linked against libpam"

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage="$out/stage"
rm -rf "$stage"
lib="$stage/usr/lib/pwbridge"
mkdir -p "$lib/dist" "$stage/usr/bin" "$stage/usr/lib/$multiarch/security" "$stage/lib/systemd/system" \
  "$stage/usr/share/pam-configs" "$stage/usr/share/man/man8" "$stage/usr/share/doc/pwbridge" "$stage/DEBIAN" \
  "$stage/usr/share/bash-completion/completions"

# 1. Node.js: the pinned one for this CPU.
node_bin=$(node "$root/packaging/fetch-node.js" "linux-$cpu") || die "could not fetch the pinned Node.js for linux-$cpu (see above)"
install -m 0755 "$node_bin" "$lib/node"
# Upstream ships it with its symbol table; the dynamic symbols addons link against (napi_*) stay.
strip --strip-unneeded --remove-section=.comment "$lib/node"

# 2. The compiled code (no tests, benchmarks, source maps or declarations) and a package.json saying what it is.
(cd "$root/dist" && find src -type f ! -name '*.map' ! -name '*.d.ts' | LC_ALL=C sort | tar -cf - -T -) | tar -xf - -C "$lib/dist"
# main.js's `#!/usr/bin/env node` would run it on the system's Node: /usr/bin/pwbridge is the way in. The
# line becomes a comment, so line numbers in stack traces stay right.
sed -i '1s|^#!.*|// Run by /usr/bin/pwbridge and pwbridge.service with /usr/lib/pwbridge/node.|' "$lib/dist/src/cli/main.js"
node -e '
  const [src, dest, version] = process.argv.slice(1);
  const p = require(src);
  const deps = { ...p.dependencies };
  delete deps["better-sqlite3"];
  const out = { name: p.name, version, description: p.description, license: p.license, private: true, dependencies: deps };
  require("fs").writeFileSync(dest, JSON.stringify(out, null, 2) + "\n");
' "$root/package.json" "$lib/package.json" "$version"

# 3. Production dependencies for linux-<cpu>, from the lock file, cached by what decides them. koffi carries
#    a musl build beside the glibc one: Debian is glibc, so only that one goes in.
modules=$("$root/packaging/production-modules.sh" linux "$cpu") || die "could not install the production dependencies (see above)"
cp -a "$modules/node_modules" "$lib/node_modules"
rm -rf "$lib/node_modules/@koromix/koffi-linux-$cpu/musl_$cpu"
# What no running service loads: each package's tests, benchmarks, docs and repository files; koffi's C++
# sources, headers and build tool (its prebuilt binary is what runs); pino's command-line tool and web page.
mapfile -t pkgs < <(cd "$lib/node_modules" && ls -d */package.json @*/*/package.json 2>/dev/null | sed 's|/package.json$||')
for pkg in "${pkgs[@]}"; do
  pkg="$lib/node_modules/$pkg"
  rm -rf "$pkg"/test "$pkg"/tests "$pkg"/benchmarks "$pkg"/docs "$pkg"/doc "$pkg"/.husky "$pkg"/.github
  find "$pkg" -maxdepth 1 -type f -name '.*' -delete
done
koffi="$lib/node_modules/koffi"
rm -rf "$koffi/cnoke.cjs" "$koffi/vendor" "$koffi/src/koffi/CMakeLists.txt" "$koffi/src/koffi/src/abi" "$koffi/src/koffi/src/trampolines.cjs"
find "$koffi/src" -type f \( -name '*.cc' -o -name '*.hh' -o -name '*.inc' -o -name '*.def' \) -delete
rm -f "$lib/node_modules/pino/bin.js" "$lib/node_modules/pino/index.html" "$lib/node_modules/pino/favicon.ico" \
  "$lib/node_modules/pino/inc-version.sh" "$lib/node_modules/pino/pretty-demo.png"
[ -f "$lib/node_modules/@koromix/koffi-linux-$cpu/linux_$cpu/koffi.node" ] || die "koffi's linux-$cpu binary is missing from the staged node_modules"
[ ! -e "$lib/node_modules/better-sqlite3" ] || die "better-sqlite3 was staged: the packaged service uses node:sqlite"

# 4. The command and the unit, from src/platform/linux/systemd-unit.ts; the PAM module and its profile.
node "$here/render-unit.js" "$stage/lib/systemd/system/pwbridge.service" "$stage/usr/bin/pwbridge"
install -m 0644 "$module" "$stage/usr/lib/$multiarch/security/pam_pwbridge.so"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/lib/$multiarch/security/pam_pwbridge.so"
install -m 0644 "$here/pam-config" "$stage/usr/share/pam-configs/pwbridge"

# 5. Documentation: the manual page and the bash completion from the CLI, the changelog, the copyright of everything shipped.
node "$here/render-man.js" "$version" | gzip -9n > "$stage/usr/share/man/man8/pwbridge.8.gz"
node "$root/dist/src/cli/main.js" completion bash > "$stage/usr/share/bash-completion/completions/pwbridge" \
  || die "pwbridge completion bash failed (see above)"
date_r=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")
maintainer=${PWBRIDGE_DEB_MAINTAINER:-pwbridge maintainers <pwbridge@example.org>}
printf 'pwbridge (%s) unstable; urgency=medium\n\n  * Built from the pwbridge source tree (see its git history).\n\n -- %s  %s\n' \
  "$version" "$maintainer" "$date_r" | gzip -9n > "$stage/usr/share/doc/pwbridge/changelog.gz"
node "$here/render-copyright.js" "$lib/node_modules" > "$stage/usr/share/doc/pwbridge/copyright"
mkdir -p "$stage/usr/share/lintian/overrides"
install -m 0644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/pwbridge"

# 6. Modes: directories 0755, files 0644, executables 0755 (node, the command, shell scripts npm marks so).
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f ! -perm -u+x -exec chmod 0644 {} +
find "$stage" -type f -perm -u+x -exec chmod 0755 {} +

# 7. Control files: Depends from the binaries' own NEEDED libraries (dpkg-shlibdeps, which reads the
#    system's shlibs and symbols files), plus pam-auth-update's package.
shlib=$(mktemp -d)
trap 'rm -rf "$shlib"' EXIT
mkdir -p "$shlib/debian"
printf 'Source: pwbridge\n\nPackage: pwbridge\nArchitecture: any\n' > "$shlib/debian/control"
elfs=("$lib/node" "$stage/usr/lib/$multiarch/security/pam_pwbridge.so")
while IFS= read -r f; do elfs+=("$f"); done < <(find "$lib/node_modules" -type f -name '*.node')
depends=$(cd "$shlib" && dpkg-shlibdeps -O "${elfs[@]}" 2>"$shlib/err" | sed -n 's/^shlibs:Depends=//p') \
  || { cat "$shlib/err" >&2; die "dpkg-shlibdeps failed"; }
[ -n "$depends" ] || { cat "$shlib/err" >&2; die "dpkg-shlibdeps found no dependencies"; }
# libcrypt1 by hand: the PAM module dlopens libcrypt.so.1 for its /etc/shadow check (native/pam/local_check.c)
# instead of linking it, so no NEEDED entry names it; crypt_rn is in its symbols file since 1:4.1.0.
case ", $depends," in
  *", libcrypt1 "* | *", libcrypt1,"*) ;;
  *) depends="$depends, libcrypt1 (>= 1:4.1.0)" ;;
esac
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: pwbridge
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends, libpam-runtime (>= 1.0.1-6)
Section: admin
Priority: optional
Description: keeps local account passwords in step with a credential vault
 pwbridge captures every local password change through a PAM module
 (pam_pwbridge.so, enabled in common-password by pam-auth-update) and sends
 it over an authenticated, encrypted Unix socket to the pwbridge service,
 which journals it and writes it to a credential vault: an embedded SQLite
 vault in /var/lib/pwbridge, or a pwbridge hub over HTTPS. On an interval
 it reconciles each credential against the machine.
 .
 The service runs on its own Node.js 22 LTS in /usr/lib/pwbridge.
CONTROL
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$stage/DEBIAN/"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control"

name="pwbridge_${version}_${arch}.deb"
rm -f "$out/$name"
dpkg-deb --root-owner-group -Z"$compression" -z"$level" --build "$stage" "$out/$name" >/dev/null || die "dpkg-deb failed (see above)"
rm -rf "$stage"
echo "build-deb: built $out/$name"
