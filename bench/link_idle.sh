#!/usr/bin/env bash
# Idle cost of `loa run` with the hub link up: a real `loa hub run` (SQLite),
# a station enrolled with `loa enroll`, heartbeats every 10 s, the events
# stream held; RSS and CPU of the station over SECONDS, next broadcast hours away.
# Usage: bench/link_idle.sh [SECONDS]   (needs target/release/loa: cargo build --release)
# LOA_BIN=PATH measures another station binary (e.g. a station-only build,
# `--no-default-features`); the hub always runs from target/release/loa.
# LOA_BENCH_SMAPS=FILE also copies /proc/PID/smaps of `loa run` there at the end.
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${LOA_BIN:-$root/target/release/loa}"
dir=$(mktemp -d)
hub_pid=""
pid=""
trap 'kill $pid $hub_pid 2>/dev/null || true; sleep 0.5; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/hub.toml" <<TOML
[hub]
listen = "127.0.0.1:$port"
public_url = "http://127.0.0.1:$port"
state = "hubstate"
database = "sqlite:hub.db"
key = "minisign.key"
timezone = "Asia/Ho_Chi_Minh"
TOML
# The hub runs from its own copy of the binary: in the field it is another
# machine; sharing one file here would let the station's RSS count the hub's
# page-cache pages of the same executable (fault-around maps them in).
hub_bin="$dir/loa-hub"
cp "$root/target/release/loa" "$hub_bin"
"$hub_bin" --config "$dir/hub.toml" hub init --json > /dev/null
LOA_LOG=warn "$hub_bin" --config "$dir/hub.toml" hub run 2> "$dir/hub.log" &
hub_pid=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/feed/manifest.json" > /dev/null && break; sleep 0.1; done
code=$("$hub_bin" --config "$dir/hub.toml" hub station add bench --name "Đài đo" --areas 22936 --json | sed 's/.*"code":"\([^"]*\)".*/\1/')
mkdir -p "$dir/audio"
cp "$root/audio/chime.ogg" "$dir/audio/"
later=$(date -d '+3 hours' +%H:%M)
cat > "$dir/loa.toml" <<TOML
[station]
name = "link idle bench"
areas = ["22936"]
timezone = "UTC"
[output]
device = "null"
[paths]
clips = "audio"
state = "state"
[hub]
heartbeat = "10s"
[[program]]
id = "later"
at = ["$later"]
play = ["chime.ogg"]
TOML
"$bin" --config "$dir/loa.toml" enroll "http://127.0.0.1:$port" "$code" > /dev/null
LOA_LOG=warn "$bin" --config "$dir/loa.toml" run 2> "$dir/loa.log" &
pid=$!
sleep 5
tick=$(getconf CLK_TCK)
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
sleep "$secs"
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
anon=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status")
file=$(awk '/RssFile/ {print $2}' "/proc/$pid/status")
threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
[[ -n "${LOA_BENCH_SMAPS:-}" ]] && cp "/proc/$pid/smaps" "$LOA_BENCH_SMAPS"
cpu=$(awk -v a=$((u1 + s1 - u0 - s0)) -v t="$tick" -v s="$secs" 'BEGIN { printf "%.3f", 100 * a / t / s }')
beats=$(sqlite3 "$dir/hubstate/hub.db" "SELECT last_seen IS NOT NULL FROM stations WHERE id='bench'")
echo "BENCH link idle: ${secs}s, RSS ${rss} kB (peak ${hwm} kB; RssAnon ${anon} kB, RssFile ${file} kB, ${threads} threads), CPU ${cpu}% of one core ($((u1 + s1 - u0 - s0)) ticks); heartbeat seen by the hub: $beats"
