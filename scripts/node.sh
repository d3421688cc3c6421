#!/usr/bin/env bash
# Run node (>= 22.12) with the given arguments, fetching Node 24 first where the machine's is older.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=ensure-node.sh
source "$here/ensure-node.sh"
exec node "$@"
