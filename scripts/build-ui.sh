#!/usr/bin/env bash
# scripts/build-ui.sh — builds the Leptos UI (ui/) to wasm into ui/dist/, the folder Tauri serves.
#
# Debian's rustc-web (1.96) builds std for wasm32 with -Z build-std, linked by rust-lld (lld-22);
# wasm-bindgen-cli is the exact version of ui/Cargo.lock and wasm-opt comes from npm binaryen 132
# (Debian's 108 breaks the output). See docs/architecture.md. The environment below is set only
# for this build, never for the host crates.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
UI=$ROOT/ui
DIST=$UI/dist
PROFILE=${UI_PROFILE:-release}

export PATH="/usr/bin:$TOOLS/bin:$PATH"   # Debian's cargo/rustc before rustup's proxies
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=rust-lld
unset RUSTFLAGS CARGO_BUILD_TARGET

cd "$UI"
/usr/bin/cargo build --quiet --locked --profile "$PROFILE" --target wasm32-unknown-unknown
WASM=$UI/target/wasm32-unknown-unknown/$PROFILE/hallmark-ui.wasm
rm -rf "$DIST.tmp" && mkdir -p "$DIST.tmp"
"$TOOLS/bin/wasm-bindgen" --target web --no-typescript --out-dir "$DIST.tmp" --out-name ui "$WASM"
"$TOOLS/bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$DIST.tmp/ui_bg.wasm" -o "$DIST.tmp/ui_bg.wasm"
cp index.html boot.js style.css "$DIST.tmp/"
rm -rf "$DIST" && mv "$DIST.tmp" "$DIST"
echo "[build-ui] $(du -b "$DIST/ui_bg.wasm" | cut -f1) bytes of wasm in $DIST"
