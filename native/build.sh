#!/bin/sh
# Builds the native capture modules into native/build (npm install runs it; so does npm run build), then
# cross-builds the Windows filter into native/build-win (build-windows.sh, when mingw-w64 is there).
# A machine without the PAM or Nettle headers gets a plain message and pwbridge installs and runs
# without the module; a compile error with everything present is a bug and fails loudly.
set -u
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(uname -s)" != "Linux" ]; then
  echo "pwbridge: native/build.sh builds the Linux PAM module; skipped on $(uname -s)." >&2
  exit 0
fi
# PWB_INCLUDE_DIR: where to look for the headers (the tests point it at an empty folder).
include=${PWB_INCLUDE_DIR:-/usr/include}
missing=""
command -v cmake >/dev/null 2>&1 || missing="$missing cmake"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
[ -f "$include/security/pam_modules.h" ] || missing="$missing libpam0g-dev"
[ -f "$include/nettle/ecc.h" ] || missing="$missing nettle-dev"
[ -f "$include/crypt.h" ] || missing="$missing libcrypt-dev"
if [ -n "$missing" ]; then
  echo "pwbridge: the PAM module (pam_pwbridge.so) was NOT built: this machine lacks$missing." >&2
  echo "pwbridge: pwbridge installs and runs without it, but cannot capture Linux password changes." >&2
  echo "pwbridge: to build it: apt-get install$missing && npm run build:native" >&2
else
  cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release --log-level=WARNING ${PWB_CMAKE_ARGS:-} >/dev/null || exit 1
  cmake --build "$here/build" --parallel 2 -- --no-print-directory -s || exit 1
  [ -f "$here/build/pam/pam_pwbridge.so" ] && echo "pwbridge: built native/build/pam/pam_pwbridge.so" >&2
fi
sh "$here/build-windows.sh" || exit 1
exit 0
