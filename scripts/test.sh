#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors, runs every test;
# then builds the core, loader and store tests and the fuzz targets' seed corpora (but the API's) again
# with AddressSanitizer and UBSan (./build-asan) and runs them there: any sanitizer report fails.
# The other layers' tests (server, cli, plugins, scheduler, reports, notifications, the browser) are not
# run under the sanitizers, to keep CI within its time (figures in docs/security.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh -DDOCKET_WARNINGS_AS_ERRORS=ON -DDOCKET_BUILD_TESTS=ON
./build/cli/docket workflow check workflows/*.json
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300

sanitized_targets=(core_test loader_test store_test fuzz_workflow_loader fuzz_calendar_loader fuzz_event_codec
  fuzz_notification_rules)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCKET_SANITIZE=ON -DDOCKET_BUILD_TESTS=ON >/dev/null
cmake --build build-asan -j"$(nproc)" --target "${sanitized_targets[@]}"
# The programs stop at the first report, with its stack (UBSan's too, but for the one in Debian's
# RapidJSON that tests/ubsan.supp names); a leak is reported when a program exits.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$PWD/tests/ubsan.supp
ctest --test-dir build-asan -L sanitized --output-on-failure -j"$(nproc)" --timeout 600
