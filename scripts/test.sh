#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors, runs every test.
# The sanitizer run (docs/security.md) is not part of it yet: its CI time is not measured.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh -DDOCKET_WARNINGS_AS_ERRORS=ON -DDOCKET_BUILD_TESTS=ON
./build/cli/docket workflow check workflows/*.json
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300

