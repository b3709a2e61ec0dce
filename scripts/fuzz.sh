#!/usr/bin/env bash
# Fuzzes Docket's input parsers with libFuzzer (tests/fuzz/; method and figures in
# docs/security.md): builds the fuzz targets with clang 14, AddressSanitizer and UBSan into
# ./build-fuzz, then runs each for SECONDS (default 60), one after another, starting from its
# seed corpus in tests/fuzz/corpus/<target>. Prints per target the executions, the coverage
# (libFuzzer's cov: edges and ft: features at the end) and whether it crashed.
#
#   scripts/fuzz.sh [--no-build] [SECONDS] [TARGET...]
#       targets: workflow_loader calendar_loader event_codec notification_rules api_request
#       --no-build: run the targets as built in build-fuzz already
#
# New inputs found go to build-fuzz/corpus/<target> (the seed corpus stays as committed); a
# crashing input is written to build-fuzz/crashes/<target>-crash-<sha1>, and the script exits 1.
# Reproduce one with build-fuzz/tests/fuzz/fuzz_<target> FILE; once fixed, add it to the seed
# corpus, where the test build runs it on every CI run (fuzz_corpus_<target>).
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [[ ${1:-} == --no-build ]]; then build=0 && shift; fi
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(workflow_loader calendar_loader event_codec notification_rules api_request)

if ((build)); then
  ./scripts/install-deps.sh --fuzz
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DDOCKET_BUILD_FUZZ=ON -DDOCKET_BUILD_TESTS=OFF >/dev/null
  cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
fi

# Any UBSan report is a crash, but for the one in Debian's RapidJSON that tests/ubsan.supp names.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$PWD/tests/ubsan.supp
mkdir -p build-fuzz/crashes build-fuzz/logs
summary=()
crashed=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  log=build-fuzz/logs/$target.log
  mkdir -p "$corpus"
  echo "fuzz: $target for ${seconds}s (log: $log)"
  status=0
  # -timeout: an input that takes 30 s is reported as a hang; -rss_limit_mb: as a leak of memory.
  "build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 \
    -rss_limit_mb=4096 -artifact_prefix="build-fuzz/crashes/$target-" \
    "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  outcome="no crash"
  if ((status != 0)); then
    outcome="CRASH (exit $status): $(grep -m1 -E 'ERROR: (AddressSanitizer|libFuzzer|UndefinedBehavior)|runtime error|property broken|answered 5' "$log" || echo "see $log")"
    crashed=1
  fi
  summary+=("$(printf '%-20s %4ss  executions %-10s %-22s %s' "$target" "$seconds" "${executions:-?}" "${coverage:-cov: ?}" "$outcome")")
done

echo
echo "fuzz: summary"
printf '  %s\n' "${summary[@]}"
exit "$crashed"
