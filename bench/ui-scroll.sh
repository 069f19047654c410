#!/usr/bin/env bash
# bench/ui-scroll.sh [debug] [release] — the UI's frame budget while scrolling Explore over the
# catalog bench's 1,000,000 cached listings, in the real window (Xvfb + tauri-driver).
#
# Generates target/bench-catalog-$HALLMARK_BENCH_LISTINGS.sqlite if it is missing (the catalog
# bench, ~15 min and 3.6 GiB for 1 M), builds the wasm UI and the debug app, then for each build
# asked for (default: debug, and release if target/release/hallmark-app exists) runs the ignored
# E2E test `explore_frame_budget_over_cached_listings` (tests/e2e/tests/scroll.rs): a copy of the
# catalog in a fresh data folder whose chain is a closed loopback port (the app is offline and only
# reads the catalog), Explore opened, the window scrolled by HALLMARK_SCROLL_PX pixels every
# animation frame for HALLMARK_SCROLL_SECONDS while infinite scroll loads pages. One summary line
# per build; the copy is removed afterwards and the test checks the app left it as it was.
# The release build is not made here (`cargo build --release -p hallmark-app`, ~10 min clean); it
# embeds the UI, so build it after scripts/build-ui.sh. WEBKIT_DISABLE_COMPOSITING_MODE=1 measures
# WebKitGTK's CPU-painted path instead of its default GL compositing (Mesa's software GL under
# Xvfb); see docs/benchmarks.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
# shellcheck disable=SC1091
source "$TOOLS/env.sh"
export HALLMARK_BENCH_LISTINGS=${HALLMARK_BENCH_LISTINGS:-1000000}
export HALLMARK_SCROLL_SECONDS=${HALLMARK_SCROLL_SECONDS:-20}
export HALLMARK_SCROLL_PX=${HALLMARK_SCROLL_PX:-40}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CATALOG=$TARGET/bench-catalog-$HALLMARK_BENCH_LISTINGS.sqlite
export HALLMARK_SCROLL_CATALOG=$CATALOG

builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
  builds=(debug)
  [ -x "$TARGET/release/hallmark-app" ] && builds+=(release)
fi

if [ ! -f "$CATALOG" ]; then
  echo "[ui-scroll] generating $CATALOG (catalog bench)"
  cargo bench -p hallmark-catalog --bench catalog
fi
# The run copies the catalog: keep room for it and 2 GiB more.
need=$(( $(stat -c %s "$CATALOG") + (2 << 30) ))
free=$(( $(df --output=avail -B1 "$TARGET" | tail -1) ))
if [ "$free" -lt "$need" ]; then
  echo "[ui-scroll] $((free >> 20)) MiB free in $TARGET, $((need >> 20)) MiB needed for the copy" >&2
  exit 1
fi

bash scripts/build-ui.sh
cargo build --quiet -p hallmark-app
cargo test --quiet -p hallmark-e2e --test scroll --no-run

mkdir -p "$TARGET/e2e-screenshots"
for build in "${builds[@]}"; do
  app=$TARGET/$build/hallmark-app
  if [ ! -x "$app" ]; then
    echo "[ui-scroll] $app missing: cargo build ${build/debug/} -p hallmark-app" >&2
    continue
  fi
  # The app embeds the UI when it is built: warn if a UI source changed since.
  if [ -n "$(find "$ROOT/ui/src" "$ROOT/ui/style.css" "$ROOT/ui/index.html" "$ROOT/ui/boot.js" -newer "$app" | head -1)" ]; then
    echo "[ui-scroll] warning: the UI changed after $app was built (it embeds the UI): rebuild it" >&2
  fi
  log=$TARGET/ui-scroll-$build.log
  HALLMARK_E2E_APP=$app HALLMARK_SCROLL_LABEL=$build \
    xvfb-run -a -s "-screen 0 1280x800x24" \
    cargo test --quiet -p hallmark-e2e --test scroll -- --ignored --nocapture \
    explore_frame_budget_over_cached_listings 2>&1 | tee "$log" | grep -E "^(ui-scroll|idle page|catalog|copied|screenshot|frames over|pages|cards over)"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "[ui-scroll] $build run failed: $log" >&2; exit 1; }
done
