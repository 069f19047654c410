#!/usr/bin/env bash
# scripts/run-app.sh — opens the Hallmark desktop app on the embedded default
# (app-owned dev chain, embedded content store, data in the app data dir).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
# shellcheck disable=SC1091
source "$TOOLS/env.sh"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<MSG
No display: the Hallmark desktop app needs a graphical session (DISPLAY or WAYLAND_DISPLAY).
Everything it does is also available headless through the CLI:
  $ROOT/target/debug/hallmark --help
(or run the app in a virtual display: xvfb-run -a make run)
MSG
  exit 2
fi
exec "$ROOT/target/debug/hallmark-app" "$@"
