#!/usr/bin/env bash
# scripts/gen-history.sh — write a long, chained as-run log (years of a station
# airing 10 programs a day) that `loa log --verify` accepts: for tests and
# bench/history.sh.
#
#   scripts/gen-history.sh --out STATE/asrun.jsonl --years 10 [--end RFC3339] [--offset-hours 7]
#
# Default end: an hour ago (the history ends before now, as a real one does).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
exec cargo run --release --quiet --example gen_history -- "$@"
