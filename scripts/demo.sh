#!/usr/bin/env bash
# demo.sh — build loa and run the demo: a provincial hub (`loa hub run`) with
# demo accounts, and next to it the demo station (`loa run`), which follows
# the hub's signed feed.
#
#   scripts/demo.sh                          # plays on the default sound output
#   scripts/demo.sh --output wav:demo.wav    # no sound card: record to a WAV file
#   scripts/demo.sh --output null            # no sound card: play into nothing
#
# Installs the Debian packages needed to build (libasound2-dev pkg-config) if
# they are missing — with sudo when not run as root — then builds
# `cargo build --release`. Everything the demo keeps is in state/demo/:
#   hub.toml, hub/        the hub (SQLite database, signing key, feed, clips);
#                         made once with `loa hub init`, kept between runs
#   accounts.txt          the demo accounts and their passwords (printed too):
#                         admin, bien-tap (editor), phe-duyet (approver) and
#                         van-hanh (operator of the demo station)
#   station.toml          the station's config: config/demo.toml's programs,
#                         plus [feed] = the hub's /feed/manifest.json and key,
#                         and the 05:00/17:00 news also plays the hub's
#                         approved `tin-tuc` clips
#   station/              the station's state (as-run log, feed store); the
#                         station is registered on the hub as `phuoc-dinh` and
#                         enrolled at the first start (station/hub.json), so
#                         it reports heartbeats and as-run and follows the
#                         timetable the hub keeps for it
# The hub's pages are at http://127.0.0.1:8080/ (sign in with an account
# below, upload a clip, approve it with another account: the station syncs it
# within 10 s). Three seconds after start the station plays the chime and a
# Vietnamese test announcement. Ctrl-C stops both.
#
# Knobs (environment): LOA_DEMO_DIR (default state/demo), LOA_DEMO_PORT
# (8080), LOA_BIN (a loa binary to use instead of building one),
# LOA_DEMO_SECONDS (stop both after this many seconds; for tests).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [[ -z "${LOA_BIN:-}" ]]; then
  need=()
  for pkg in libasound2-dev pkg-config; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
  done
  if [[ ${#need[@]} -gt 0 ]]; then
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    echo "demo.sh: installing ${need[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
  cargo build --release
  loa="$repo/target/release/loa"
else
  loa="$LOA_BIN"
fi

demo="${LOA_DEMO_DIR:-$repo/state/demo}"
port="${LOA_DEMO_PORT:-8080}"
mkdir -p "$demo"
demo="$(cd "$demo" && pwd)"

# No sound card and no sound server (a fresh VM or container)? Then the demo
# records to a WAV file instead of failing every broadcast, and says so.
args=("$@")
if [[ " ${args[*]-} " != *" --output "* ]]; then
  has_card=0
  grep -qv "no soundcards" /proc/asound/cards 2>/dev/null && has_card=1
  command -v pactl >/dev/null 2>&1 && timeout 3 pactl info >/dev/null 2>&1 && has_card=1
  if [[ $has_card -eq 0 ]]; then
    echo "demo.sh: no sound card or sound server here: airing into $demo/demo.wav instead" >&2
    echo "         (listen to it afterwards, or pass --output default / --output null)" >&2
    args+=(--output "wav:$demo/demo.wav")
  fi
fi

# --- the hub -----------------------------------------------------------------
hub_toml="$demo/hub.toml"
cat > "$hub_toml" <<EOF
# Made by scripts/demo.sh (rewritten at each start; the state in hub/ is kept).
[hub]
listen = "127.0.0.1:$port"
public_url = "http://127.0.0.1:$port"
state = "hub"
database = "sqlite:hub.db"
key = "minisign.key"
timezone = "Asia/Ho_Chi_Minh"
lang = "vi"
max_upload = "200MiB"
EOF
accounts="$demo/accounts.txt"
unset LOA_KEY_PASSWORD   # the demo's key is unencrypted
if [[ ! -f "$demo/hub/hub.db" ]]; then
  "$loa" --config "$hub_toml" hub init --json > "$demo/init.json"
  umask 077
  : > "$accounts"
  # The admin from init: a one-time password, changed at first sign-in.
  once="$(sed -n 's/.*"password":"\([^"]*\)".*/\1/p' "$demo/init.json")"
  echo "admin $once (quản trị, mật khẩu dùng một lần / admin, one-time password)" >> "$accounts"
  rm -f "$demo/init.json"
  # Demo accounts with passwords set from stdin (no change needed).
  for spec in "bien-tap editor 58 biên-tập/editor" "phe-duyet approver 58 phê-duyệt/approver"; do
    read -r name role areas label <<<"$spec"
    pw="demo-$(od -An -tx1 -N5 /dev/urandom | tr -d ' \n')"
    printf '%s' "$pw" | "$loa" --config "$hub_toml" hub user add "$name" --role "$role" --areas "$areas" --password-stdin --json >/dev/null
    echo "$name $pw ($label, địa bàn / area $areas)" >> "$accounts"
  done
  # The demo station, registered on the hub (enrolled once the hub runs) and
  # its operator, bound to it.
  "$loa" --config "$hub_toml" hub station add phuoc-dinh --name "Đài truyền thanh xã Phước Dinh (chạy thử)" \
    --areas 22936 --json | sed -n 's/.*"code":"\([^"]*\)".*/\1/p' > "$demo/enroll.code"
  pw="demo-$(od -An -tx1 -N5 /dev/urandom | tr -d ' \n')"
  printf '%s' "$pw" | "$loa" --config "$hub_toml" hub user add van-hanh --role operator --areas 22936 \
    --stations phuoc-dinh --password-stdin --json >/dev/null
  echo "van-hanh $pw (vận-hành đài phuoc-dinh/operator of station phuoc-dinh)" >> "$accounts"
  umask 022
fi
public_key="$(sed -n 2p "$demo/hub/feed/minisign.pub")"

# --- the station, following the hub's feed -------------------------------------
mkdir -p "$demo/station"
cat > "$demo/station.toml" <<EOF
# Made by scripts/demo.sh: config/demo.toml's station, following the demo hub.
[station]
name = "Đài truyền thanh xã Phước Dinh (chạy thử)"
areas = ["58", "589", "22936"]
timezone = "Asia/Ho_Chi_Minh"

[output]
device = "default"
volume = 0.8
warmup = "2s"

[paths]
clips = "$repo/audio"
state = "$demo/station"

[feed]
url = "http://127.0.0.1:$port/feed/manifest.json"
public_key = "$public_key"
every = "10s"

[[program]]
id = "thu-loa"
title = "Thử loa khi khởi động"
on_start = "3s"
play = ["chime.ogg", { silence = "1s" }, "thong-bao.ogg"]

[[program]]
id = "ban-tin"
title = "Bản tin sáng và chiều"
at = ["05:00", "17:00"]
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
max_duration = "30m"
play = ["chime.ogg", "ban-tin.mp3", { category = "tin-tuc", count = 3 }, { silence = "1s" }, "ket-thuc.flac"]
EOF

pids=()
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT
trap 'exit 130' INT TERM

"$loa" --config "$hub_toml" hub run &
pids+=($!)
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "demo.sh: the hub did not start (is port $port taken? set LOA_DEMO_PORT)" >&2; exit 1; }
  sleep 0.1
done

cat <<EOF

  loa hub (chạy thử / demo): http://127.0.0.1:$port/
  Tài khoản / accounts (also in $accounts):
$(sed 's/^/    /' "$accounts")
  Đài chạy thử theo nguồn tin / the demo station follows: http://127.0.0.1:$port/feed/manifest.json
  Ctrl-C: dừng cả hai / stops both.

EOF

# Enrol the demo station once (its code was made with the hub's state).
if [[ ! -f "$demo/station/hub.json" && -s "$demo/enroll.code" ]]; then
  "$loa" --config "$demo/station.toml" enroll "http://127.0.0.1:$port" "$(cat "$demo/enroll.code")" >/dev/null
  rm -f "$demo/enroll.code"
fi

"$loa" --config "$demo/station.toml" run "${args[@]}" &
pids+=($!)

if [[ -n "${LOA_DEMO_SECONDS:-}" ]]; then
  sleep "$LOA_DEMO_SECONDS" &
  pids+=($!)
fi
# Whichever ends first (Ctrl-C, a crash, the time limit) stops the other.
wait -n "${pids[@]}" || true
