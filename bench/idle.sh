#!/usr/bin/env bash
# Idle cost of `loa run`: RSS and CPU over 60 s with the next broadcast hours away.
# Usage: bench/idle.sh [SECONDS]   (needs target/release/loa: cargo build --release)
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/loa"
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir -p "$dir/audio"
cp "$root/audio/chime.ogg" "$dir/audio/"
later=$(date -d '+3 hours' +%H:%M)
cat > "$dir/loa.toml" <<TOML
[station]
name = "idle bench"
timezone = "UTC"
[output]
device = "null"
[paths]
clips = "audio"
state = "state"
[[program]]
id = "later"
at = ["$later"]
play = ["chime.ogg"]
TOML
LOA_LOG=warn "$bin" --config "$dir/loa.toml" run &
pid=$!
sleep 2
tick=$(getconf CLK_TCK)
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
sleep "$secs"
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
cpu=$(awk -v a=$((u1 + s1 - u0 - s0)) -v t="$tick" -v s="$secs" 'BEGIN { printf "%.3f", 100 * a / t / s }')
echo "BENCH idle: ${secs}s, RSS ${rss} kB (peak ${hwm} kB), CPU ${cpu}% of one core ($((u1 + s1 - u0 - s0)) ticks)"
