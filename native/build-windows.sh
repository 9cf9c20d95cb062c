#!/bin/sh
# Cross-builds the Windows LSA filter (native/lsa), the event source's message DLL (windmc + windres), the
# service's pipe addon pwbridge_pipe.node (native/win-pipe) and their test programs into native/build-win with
# mingw-w64, when it is installed (native/build.sh runs this; so do npm install and npm run build).
# Without mingw-w64 it says so and skips: pwbridge installs and runs on Linux without the Windows filter.
set -u
here=$(cd "$(dirname "$0")" && pwd)

missing=""
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing="$missing mingw-w64"
command -v cmake >/dev/null 2>&1 || missing="$missing cmake"
if [ -n "$missing" ]; then
  echo "pwbridge: the Windows filter (pwbridge_filter.dll) was NOT cross-built: this machine lacks$missing." >&2
  echo "pwbridge: it is only needed to build or test the Windows capture here: apt-get install$missing && npm run build:native" >&2
  exit 0
fi

cmake -S "$here/lsa" -B "$here/build-win" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64.cmake" \
  -DCMAKE_BUILD_TYPE=Release --log-level=WARNING >/dev/null || exit 1
cmake --build "$here/build-win" --parallel 2 -- --no-print-directory -s || exit 1
echo "pwbridge: built native/build-win/pwbridge_filter.dll and pwbridge_messages.dll" >&2

# The addon needs the N-API headers of the devDependency node-api-headers; an install without dev
# dependencies has none, and says so (the service on Windows then cannot serve its pipe: see src/channel/win-pipe).
headers="$here/../node_modules/node-api-headers"
if [ ! -f "$headers/include/node_api.h" ]; then
  echo "pwbridge: the pipe addon (pwbridge_pipe.node) was NOT cross-built: node-api-headers is not installed (npm ci with dev dependencies)." >&2
  exit 0
fi
cmake -S "$here/win-pipe" -B "$here/build-win/win-pipe" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DPWP_OUTPUT_DIR="$here/build-win" -DNODE_API_HEADERS_DIR="$headers" --log-level=WARNING >/dev/null || exit 1
cmake --build "$here/build-win/win-pipe" --parallel 2 -- --no-print-directory -s || exit 1
echo "pwbridge: built native/build-win/pwbridge_pipe.node" >&2
exit 0
