#!/usr/bin/env bash
# Idle cost of `loa run`: RSS and CPU over 60 s with the next broadcast hours away.
# Usage: bench/idle.sh [SECONDS] [feed]   (needs target/release/loa, or LOA_BIN)
#   feed: also follow an http:// feed (a local server answering 404), so the
#   network runtime and its HTTP client are up the whole time.
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${LOA_BIN:-$root/target/release/loa}"
with_feed=${2:-}
dir=$(mktemp -d)
srv=""
trap 'kill "$pid" 2>/dev/null || true; [[ -n $srv ]] && kill "$srv" 2>/dev/null; rm -rf "$dir"' EXIT
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
feed_note=""
if [[ $with_feed == feed ]]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir/www"
  python3 -m http.server --bind 127.0.0.1 --directory "$dir/www" "$port" >/dev/null 2>&1 &
  srv=$!
  "$bin" keygen --out "$dir/key" --unencrypted >/dev/null
  key=$(sed -n 2p "$dir/key/minisign.pub")
  printf '[feed]\nurl = "http://127.0.0.1:%s/feed/manifest.json"\npublic_key = "%s"\nevery = "1m"\n' "$port" "$key" >> "$dir/loa.toml"
  feed_note=", following an http:// feed (network runtime up)"
fi
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
echo "BENCH idle${feed_note}: ${secs}s, RSS ${rss} kB (peak ${hwm} kB), CPU ${cpu}% of one core ($((u1 + s1 - u0 - s0)) ticks)"
