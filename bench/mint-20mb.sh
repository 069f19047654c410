#!/usr/bin/env bash
# bench/mint-20mb.sh — end-to-end mint of a 20 MB image on the dev chain with the release CLI:
# ingest (sniff, limits, sha-256, CIDv1+CIDv0, thumbnail, preview, store, pin) → first-registration
# check → metadata on IPFS → on-chain registration, confirmed. Prints the engine's own timing
# (`elapsed_ms`, from the start of the mint to the confirmed receipt) and the whole command's wall
# time (which adds starting and stopping the dev chain). Usage: bench/mint-20mb.sh [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
# shellcheck disable=SC1091
source "$TOOLS/env.sh"
RUNS=${1:-5}
cargo build --release --quiet -p hallmark-cli
HM=$ROOT/target/release/hallmark
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
DATA=$WORK/data
"$HM" --data-dir "$DATA" status --start-chain >/dev/null   # first start: deploy + seed, not timed
printf '%-4s %-10s %-12s %-10s %s\n' run file_MB elapsed_ms wall_ms block
for i in $(seq "$RUNS"); do
  f=$WORK/work-$i.png
  # 2600×2600 RGB noise: a PNG that does not compress, about 20 MB
  python3 - "$f" "$i" <<'PY'
import os, struct, sys, zlib
path, seed = sys.argv[1], int(sys.argv[2])
w = h = 2600
raw = bytearray()
rng = os.urandom
for _ in range(h):
    raw += b"\x00" + rng(w * 3)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(bytes(raw), 1)) + chunk(b"IEND", b"")
open(path, "wb").write(png)
PY
  size=$(stat -c %s "$f")
  start=$(date +%s%N)
  out=$("$HM" --data-dir "$DATA" mint "$f" --title "Bench $i" --json)
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  ms=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["elapsed_ms"])' <<<"$out")
  block=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["block_number"])' <<<"$out")
  printf '%-4s %-10.1f %-12s %-10s %s\n' "$i" "$(echo "$size / 1000000" | bc -l)" "$ms" "$wall" "$block"
done
