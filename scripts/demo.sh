#!/usr/bin/env bash
# Installs what is missing, builds Release and runs the demo (examples/game_world.cpp).
# Extra arguments go to the demo (e.g. the number of players).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target game_world
build/release/examples/game_world "$@"
