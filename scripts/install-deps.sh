#!/usr/bin/env bash
# Installs the Debian 12 packages Docket needs to build and test, skipping those already present.
# Idempotent: a second run installs nothing. Needs root (or sudo) only when something is missing.
# The tests also use LibreOffice (libreoffice-writer-nogui, with fonts-liberation2 standing in for
# Times New Roman) to open the .docx files Docket writes, and poppler-utils to count their pages.
# With --bench, also what only the benchmark uses (bench/run passes it): wrk, a load driver.
# With --fuzz, also what only scripts/fuzz.sh uses: clang (14) and its runtimes (libclang-rt-14-dev
# holds libFuzzer's, linked by -fsanitize=fuzzer, and ASan's and UBSan's for clang).
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libboost1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libsqlitecpp-dev
  libspdlog-dev libcereal-dev rapidjson-dev libcli11-dev libssl-dev
  libcairo2-dev libsodium-dev libkainjow-mustache-dev libutf8proc-dev libzip-dev libpugixml-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtcmalloc-minimal4
  chromium chromium-driver python3-selenium
  python3-jsonschema openapi-specification
  libreoffice-calc-nogui libreoffice-writer-nogui fonts-liberation2 poppler-utils
)
for option in "$@"; do
  case $option in
    --bench) packages+=(wrk) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps: unknown option $option (--bench, --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
