#!/usr/bin/env bash
# `loa agenda` for 1,000 programs over 365 days (table and JSON to /dev/null).
# Usage: bench/agenda.sh   (needs target/release/loa: cargo build --release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/loa"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/audio"
cp "$root/audio/chime.ogg" "$root/audio/ban-tin.mp3" "$dir/audio/"
{
  printf '[station]\nname = "agenda bench"\ntimezone = "Asia/Ho_Chi_Minh"\n[output]\ndevice = "null"\nquiet_hours = ["21:30-05:00"]\n[paths]\nclips = "audio"\nstate = "state"\n'
  for i in $(seq 0 999); do
    h=$(( (i * 7) % 24 )); m=$(( (i * 13) % 60 ))
    printf '[[program]]\nid = "p%d"\nat = ["%02d:%02d"]\ndays = ["mon", "wed", "fri", "sat"]\npriority = %d\nplay = ["chime.ogg", "ban-tin.mp3", { silence = "2s" }]\n' "$i" "$h" "$m" $(( i % 3 == 0 ? 20 : 10 ))
  done
} > "$dir/loa.toml"
for fmt in table json; do
  flag=""; [ "$fmt" = json ] && flag="--json"
  start=$(date +%s.%N)
  "$bin" --config "$dir/loa.toml" agenda --from 2027-01-01 --days 365 $flag > "$dir/out"
  end=$(date +%s.%N)
  lines=$(wc -l < "$dir/out")
  awk -v a="$start" -v b="$end" -v f="$fmt" -v l="$lines" 'BEGIN { printf "BENCH agenda 1000 programs x 365 days (%s): %.3f s, %d lines\n", f, b - a, l }'
done
