#!/bin/sh
# npm run fuzz: libFuzzer on the C frame decoder and the body parsers the capture runs on the bridge's
# bytes (native/fuzz/fuzz_frame.c). Not part of npm test or CI.
#
#   FUZZ_SECONDS=60 (default) FUZZ_ARGS='-jobs=2 …' (more libFuzzer flags, optional) npm run fuzz
#
# Builds native/build-fuzz with clang (the codec instrumented with ASan + UBSan + libFuzzer coverage),
# seeds the corpus from test/vectors/frames.json (each frame_hex and each refusal input_hex as a file, plus
# the whole vector connection as one stream), runs fuzz_frame for FUZZ_SECONDS, and prints one summary
# line. Exit status 0: no crash; 1: a crash (its input file is named); 2: could not build or run.
# The corpus grows across runs in native/build-fuzz/corpus; crash inputs go to native/build-fuzz/artifacts.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/native/build-fuzz"
seconds=${FUZZ_SECONDS:-60}
case "$seconds" in '' | *[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a whole number of seconds" >&2; exit 2 ;; esac
fail() { echo "fuzz: $*" >&2; exit 2; }

command -v clang >/dev/null 2>&1 || fail "needs clang with libFuzzer (Debian: clang libclang-rt-14-dev)"
command -v cmake >/dev/null 2>&1 || fail "needs cmake"
command -v node >/dev/null 2>&1 || fail "needs node (to read the test vectors)"

cmake -S "$root/native" -B "$build" -DCMAKE_C_COMPILER=clang -DPWB_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS=-O1 --log-level=WARNING >/dev/null || fail "cmake configure failed"
cmake --build "$build" --target fuzz_frame --parallel 2 -- --no-print-directory -s >&2 || fail "build failed"

corpus="$build/corpus"
artifacts="$build/artifacts"
mkdir -p "$corpus" "$artifacts"
node -e '
const fs = require("fs"), path = require("path");
const [vectors, dir] = process.argv.slice(1);
const v = JSON.parse(fs.readFileSync(vectors, "utf8"));
const seeds = [];
for (const f of v.frames) seeds.push(["frame-" + f.name, f.frame_hex]);
for (const r of v.refusals) seeds.push(["refusal-" + r.name, r.input_hex]);
seeds.push(["connection", v.frames.map((f) => f.frame_hex).join("")]);
for (const [name, hex] of seeds) fs.writeFileSync(path.join(dir, "seed-" + name.replace(/[^A-Za-z0-9_.-]/g, "_")), Buffer.from(hex, "hex"));
process.stderr.write(`fuzz: ${seeds.length} seeds from ${path.basename(vectors)}\n`);
' "$root/test/vectors/frames.json" "$corpus" || fail "could not seed the corpus from test/vectors/frames.json"

log="$build/fuzz.log"
echo "fuzz: running fuzz_frame for ${seconds}s (log: $log)" >&2
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
"$build/fuzz_frame" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
rc=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
corp=$(ls "$corpus" | wc -l)
crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
  echo "fuzz: ${seconds}s, ${execs:-?} executions (${per_s:-?}/s), coverage ${cov:-?} edges / ${ft:-?} features, corpus ${corp} inputs, crashes found: 0"
  exit 0
fi
kind=$(basename "${crash:-crash-}" | cut -d- -f1)
echo "fuzz: ${seconds}s, ${execs:-?} executions, coverage ${cov:-?} edges / ${ft:-?} features, crashes found: 1 (${kind}, exit ${rc}): ${crash:-see $log}" >&2
grep -m1 -E 'ERROR: |runtime error: |deadly signal' "$log" >&2
[ -n "$crash" ] && [ -f "$crash" ] && echo "fuzz: the input (hex): $(od -An -tx1 -v "$crash" | tr -d ' \n' | cut -c1-512)" >&2
echo "fuzz: the stack is in $log; reproduce with $build/fuzz_frame ${crash:-CRASH_FILE}" >&2
exit 1
