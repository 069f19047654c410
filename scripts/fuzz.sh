#!/usr/bin/env bash
# Bounded cargo-fuzz run of every fuzz target (fuzz/, its own cargo workspace).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 20 s, every target)
#
# Installs cargo-fuzz into $HALLMARK_TOOLS if missing, builds the targets (ASan, release, with
# RUSTC_BOOTSTRAP=1 so the stable toolchain accepts cargo-fuzz's -Z flags), writes the binary
# seeds with fuzz/seedgen, then runs each target for the given time and prints its executions
# and exec/s (libFuzzer's -print_final_stats=1). Exits non-zero on any crash; the crashing
# input stays in fuzz/artifacts/TARGET/ (reproduce: cargo fuzz run TARGET fuzz/artifacts/...).
#
# Environment: FUZZ_SANITIZER (address|none, default address), FUZZ_JOBS (cargo build jobs,
# default 1), FUZZ_RSS_MB (libFuzzer -rss_limit_mb, default 2048), FUZZ_SEED (libFuzzer -seed:
# the same inputs in the same order on every run; default random).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SECONDS_PER_TARGET="${1:-20}"
shift || true
ALL_TARGETS=(metadata dag_pb car bundle ipc)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
SANITIZER="${FUZZ_SANITIZER:-address}"
export CARGO_BUILD_JOBS="${FUZZ_JOBS:-1}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
SEED_ARGS=()
if [ -n "${FUZZ_SEED:-}" ]; then SEED_ARGS=(-seed="$FUZZ_SEED"); fi
CARGO_FUZZ_VERSION="0.13.2"

HALLMARK_TOOLS="${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}"
export PATH="$HALLMARK_TOOLS/bin:$HOME/.cargo/bin:$PATH"
# cargo-fuzz passes -Zsanitizer=… and other nightly flags; the stable toolchain takes them
# with RUSTC_BOOTSTRAP=1 (no nightly toolchain is installed here).
export RUSTC_BOOTSTRAP=1

# 1. cargo-fuzz (idempotent: only when missing or another version).
if ! cargo-fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
    echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION into $HALLMARK_TOOLS"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$HALLMARK_TOOLS"
fi
# libfuzzer-sys builds libFuzzer (C++) with the system compiler.
command -v c++ >/dev/null || { echo "fuzz.sh: no C++ compiler (apt-get install g++)" >&2; exit 2; }

# The crate features a target needs (metadata and bundle pull image/alloy; the rest do not).
features_of() {
    case "$1" in
        metadata) echo media ;;
        bundle) echo evidence ;;
        *) echo "" ;;
    esac
}

# 2. Build every requested target.
start=$(date +%s)
for target in "${TARGETS[@]}"; do
    cargo fuzz build -s "$SANITIZER" --features "$(features_of "$target")" "$target"
done
echo "== build: $(( $(date +%s) - start )) s"

# 3. Seeds: committed text seeds (fuzz/seeds/TARGET) + generated binary ones.
GEN="$ROOT/fuzz/target/seeds-gen"
CARGO_TARGET_DIR="$ROOT/fuzz/target/seedgen" \
    cargo run -q --manifest-path fuzz/Cargo.toml -p hallmark-fuzz-seedgen -- "$GEN"

# 4. Run each target for a bounded time.
failed=()
summary=()
for target in "${TARGETS[@]}"; do
    corpus="$ROOT/fuzz/corpus/$target"   # grows between runs (not committed)
    mkdir -p "$corpus" "$ROOT/fuzz/artifacts/$target"
    seeds=()
    for dir in "$ROOT/fuzz/seeds/$target" "$GEN/$target"; do
        [ -d "$dir" ] && seeds+=("$dir")
    done
    log="$ROOT/fuzz/target/fuzz-$target.log"
    echo "== fuzz $target for ${SECONDS_PER_TARGET}s (log: $log)"
    status=0
    cargo fuzz run -s "$SANITIZER" --features "$(features_of "$target")" "$target" "$corpus" "${seeds[@]}" -- \
        -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -rss_limit_mb="$RSS_MB" \
        -timeout=10 -max_len=65536 "${SEED_ARGS[@]}" >"$log" 2>&1 || status=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
    line="$target: executions=${execs:-?} exec/s=${speed:-?} cov=${cov:-?} exit=$status"
    echo "   $line"
    summary+=("$line")
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        grep -E 'panicked at|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY|Test unit written to' "$log" | head -8 || true
        ls -t "$ROOT/fuzz/artifacts/$target" 2>/dev/null | head -3 | sed "s|^|   crash input: fuzz/artifacts/$target/|"
    fi
done

echo "== summary (${SECONDS_PER_TARGET}s per target, sanitizer=$SANITIZER)"
printf '   %s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]}" >&2
    exit 1
fi
