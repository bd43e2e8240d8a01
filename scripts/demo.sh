#!/usr/bin/env bash
# Installs what is missing, builds Release and runs the demo (examples/game_world.cpp).
# The first argument, if any, is the number of players. The demo saves its
# world to build/release/world.relsnap, which relstore-inspect then describes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target game_world relstore_inspect
build/release/examples/game_world "${1:-100000}" build/release/world.relsnap
echo
echo "$ relstore-inspect build/release/world.relsnap"
build/release/tools/relstore-inspect build/release/world.relsnap
