#!/usr/bin/env bash
# cmake --install into a temporary prefix, then the installed docket, run from there with no
# --workflows and no DOCKET_WORKFLOWS, creates a database with the built-in workflows installed
# beside it (not the source tree's). Also checks what else the install puts in place: the
# calendars, the documentation and the systemd unit naming the installed binary.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/docket-install-XXXXXX")
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$prefix/install.log" || { cat "$prefix/install.log"; fail "cmake --install"; }
[[ -x $prefix/bin/docket ]] || fail "no bin/docket installed"
for file in share/docket/workflows/social-critique.json share/docket/workflows/calendars \
            share/docket/workflows/documents/recommendation-letter.document.xml share/doc/docket/documents.example.json \
            share/doc/docket/README.md share/doc/docket/operations.md lib/systemd/system/docket.service; do
  [[ -e $prefix/$file ]] || fail "$file was not installed"
done
unit=$prefix/lib/systemd/system/docket.service
grep -q "^ExecStart=$prefix/bin/docket serve " "$unit" || fail "the unit does not start $prefix/bin/docket: $(grep ExecStart "$unit")"
if command -v systemd-analyze > /dev/null; then
  systemd-analyze verify "$unit" || fail "systemd-analyze verify $unit"
fi

# Run from somewhere else, with nothing pointing at workflows.
cd "$prefix"
out=$(env -u DOCKET_WORKFLOWS -u DOCKET_DB "$prefix/bin/docket" --db "$prefix/state/docket.db" init) ||
  fail "init with the installed workflows: $out"
echo "$out"
grep -q "from $prefix/share/docket/workflows\$" <<< "$out" || fail "init did not use $prefix/share/docket/workflows"
grep -q "calendar file version(s) from $prefix/share/docket/workflows/calendars" <<< "$out" ||
  fail "init did not install the calendars"
listed=$(env -u DOCKET_WORKFLOWS "$prefix/bin/docket" --db "$prefix/state/docket.db" workflow list)
grep -q social-critique <<< "$listed" || fail "workflow list: $listed"
echo "install test passed"
