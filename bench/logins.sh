#!/usr/bin/env bash
# Wrong sign-ins sent at once against a real `loa hub run` (SQLite): N
# requests released together, each on its own connection, for one account
# (`account`) or for N unknown names (`unknown`); prints the answers by
# status, the wall time until the last answer, and the hub's RSS peak
# (VmHWM) against its RSS before. Usage:
#   bench/logins.sh [N] [account|unknown] [BIN]   (default 40 account target/release/loa)
set -euo pipefail
n=${1:-40}
mode=${2:-account}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${3:-"$root/target/release/loa"}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/hub.toml" <<TOML
[hub]
listen = "127.0.0.1:$port"
public_url = "http://127.0.0.1:$port"
state = "state"
database = "sqlite:hub.db"
key = "minisign.key"
timezone = "Asia/Ho_Chi_Minh"
lang = "vi"
max_upload = "8MiB"
TOML
LOA_LOG=warn "$bin" --config "$dir/hub.toml" hub init --json >/dev/null
echo -n "mat-khau-bien-tap" | LOA_LOG=warn "$bin" --config "$dir/hub.toml" hub user add bt --role editor --areas 589 --password-stdin --json >/dev/null
LOA_LOG=warn "$bin" --config "$dir/hub.toml" hub run 2>"$dir/hub.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
python3 - "$port" "$pid" "$n" "$mode" "$bin" <<'PY'
import json, socket, sys, threading, time, collections, http.client
port, pid, n, mode, binary = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
def status(k):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith(k):
            return int(l.split()[1])
for _ in range(300):
    try:
        socket.create_connection(("127.0.0.1", port)).close(); break
    except OSError:
        time.sleep(0.05)
time.sleep(0.5)
before = status("VmRSS:")
gate = threading.Barrier(n)
answers = []
def one(i):
    user = "bt" if mode == "account" else f"ai-do-{i}"
    body = json.dumps({"user": user, "password": f"sai-{i}"})
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    gate.wait()
    c.request("POST", "/api/v1/session", body, {"Content-Type": "application/json"})
    answers.append(c.getresponse().status)
threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in threads: t.start()
t0 = time.monotonic()
for t in threads: t.join()
wall = time.monotonic() - t0
counts = ", ".join(f"{k} x{v}" for k, v in sorted(collections.Counter(answers).items()))
print(f"BENCH hub {n} wrong sign-ins at once ({mode}): {counts}; last answer after {wall:.2f} s; "
      f"RSS {before} kB before, peak {status('VmHWM:')} kB ({binary.split('/target/')[-1]})")
PY
