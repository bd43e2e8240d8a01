#!/usr/bin/env bash
# Installs, through apt-get, every Debian package relstore's build, tests and
# benchmarks need. Idempotent: packages already present are skipped, and when
# nothing is missing apt is not touched at all. Runs as root (or through sudo)
# with no prompt.
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  libabsl-dev robin-map-dev libcereal-dev rapidjson-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev
  clang libclang-rt-14-dev  # the snapshot loader's libFuzzer target
  valgrind  # scripts/count-instructions.sh (callgrind)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
