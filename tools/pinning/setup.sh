#!/usr/bin/env bash
# tools/pinning/setup.sh - IPFS Pinning Service API test server for crates/hallmark-pinning.
#
#   setup.sh install     npm ci of package.json + package-lock.json (mock-ipfs-pinning-service 0.4.2,
#                        282 packages, ~72 MB) into $PINNING_DIR; skipped when that lockfile is installed
#   setup.sh start       start server.js on 127.0.0.1:$PINNING_PORT with $PINNING_TOKEN (pid file, log)
#   setup.sh stop | status
#   setup.sh dir         print $PINNING_DIR (what tests read from HALLMARK_PINNING_DIR)
#
# The Rust tests (crates/hallmark-pinning/tests) do not need `start`: each test spawns
# `node server.js --port 0` itself. `start` is for trying a client by hand.
# Idempotent. The server listens on 127.0.0.1 only.
# Env: PINNING_DIR (default ${HALLMARK_TOOLS:-~/.local/hallmark-tools}/pinning), PINNING_PORT (15050),
#      PINNING_TOKEN (hallmark-test-token), PINNING_PROGRESS_MS (500; 0 keeps every pin `queued`).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
DIR=${PINNING_DIR:-$TOOLS/pinning}
PORT=${PINNING_PORT:-15050}
TOKEN=${PINNING_TOKEN:-hallmark-test-token}
PROGRESS_MS=${PINNING_PROGRESS_MS:-500}
PIDF=$DIR/server.pid
LOG=$DIR/server.log
URL=http://127.0.0.1:$PORT

log() { printf '[setup-pinning] %s\n' "$*" >&2; }
running() { [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }
installed() {
  [ -f "$DIR/node_modules/mock-ipfs-pinning-service/package.json" ] &&
    cmp -s "$SCRIPT_DIR/package-lock.json" "$DIR/package-lock.json"
}

cmd_install() {
  if installed; then return 0; fi
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "apt-get install nodejs npm"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
  fi
  mkdir -p "$DIR"
  cp "$SCRIPT_DIR/package.json" "$SCRIPT_DIR/package-lock.json" "$DIR/"
  log "npm ci mock-ipfs-pinning-service 0.4.2 into $DIR (282 packages, ~10 s)"
  (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error)
  installed || { log "install did not produce $DIR/node_modules/mock-ipfs-pinning-service"; return 1; }
}

cmd_start() {
  if running; then log "already running (pid $(cat "$PIDF")) on $URL"; return; fi
  cmd_install
  log "starting on $URL -> $LOG"
  nohup node "$SCRIPT_DIR/server.js" --modules "$DIR/node_modules" --port "$PORT" --token "$TOKEN" \
    --progress-ms "$PROGRESS_MS" >"$LOG" 2>&1 &
  echo $! >"$PIDF"
  for _ in $(seq 1 60); do
    if grep -q '^listening on ' "$LOG" 2>/dev/null; then
      log "ready: $URL (token: \$PINNING_TOKEN)"; return
    fi
    running || { cat "$LOG" >&2; log "server died"; rm -f "$PIDF"; return 1; }
    sleep 0.5
  done
  log "timeout waiting for $URL"; return 1
}

cmd_stop() {
  if running; then
    local pid; pid=$(cat "$PIDF"); kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped $pid"
  fi
  rm -f "$PIDF"
}

cmd_status() {
  if running; then
    echo "running pid $(cat "$PIDF") on $URL"
    curl -s -H "Authorization: Bearer $TOKEN" "$URL/pins?status=queued,pinning,pinned,failed&limit=1"; echo
  else
    echo stopped
  fi
}

case "${1:-install}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  dir) echo "$DIR" ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
