#!/usr/bin/env bash
# Start-up cost of `loa run`: time from exec to systemd's READY=1 (received on
# a private NOTIFY_SOCKET, as systemd would), median of N starts, and the
# binary's size. Usage: bench/ready.sh [N] [BIN]   (default 10, target/release/loa)
set -euo pipefail
n=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-"$root/target/release/loa"}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/audio"
cp "$root/audio/chime.ogg" "$dir/audio/"
later=$(date -d '+3 hours' +%H:%M)
cat > "$dir/loa.toml" <<TOML
[station]
name = "ready bench"
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
python3 - "$bin" "$dir" "$n" <<'PY'
import os, socket, subprocess, sys, time, statistics
binary, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for i in range(n):
    path = os.path.join(d, f"notify-{i}.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(20)
    env = dict(os.environ, NOTIFY_SOCKET=path, LOA_LOG="warn")
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "--config", os.path.join(d, "loa.toml"), "run"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        msg = s.recv(4096).decode()
        if "READY=1" in msg:
            times.append((time.monotonic() - t0) * 1000)
            break
    p.terminate(); p.wait(); s.close()
size = os.path.getsize(binary) / 1e6
print(f"BENCH ready: loa run exec -> READY=1, median of {n}: {statistics.median(times):.1f} ms (max {max(times):.1f} ms); binary {size:.1f} MB")
PY
