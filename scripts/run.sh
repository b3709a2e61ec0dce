#!/usr/bin/env bash
# The run command: installs what is missing, builds, checks the built-in workflows and runs
# the demo of the engine (one case of each workflow, start to end). The server replaces this
# demo once `docket serve` exists.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
docket=./build/cli/docket
echo "== docket workflow check workflows/*.json"
"$docket" workflow check workflows/*.json
echo; echo "== docket workflow list"
"$docket" workflow list
echo; echo "== docket workflow show social-critique"
"$docket" workflow show social-critique
echo; echo "== docket demo"
"$docket" demo
echo
echo "Try: $docket workflow show supervision --format mermaid"
