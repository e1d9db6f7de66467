#!/usr/bin/env bash
# bench/package.sh — the Debian packages' figures (issue 13), as BENCH lines:
#   - each package's size and its loa binary's size, per architecture (dist/*.deb,
#     as scripts/package.sh wrote them);
#   - the arm64 binary with the hub compiled in (`--features hub`), to show what
#     the station-only ARM build saves (one extra cross build; skip with NO_HUB_BUILD=1);
#   - on-air placement of the arm64 build under qemu-aarch64-static: N programs
#     (default 5) at whole seconds 4 s apart, each a 0.4 s 1 kHz tone, aired to
#     `--output wav:`; each onset in the recording against its instant;
#   - idle RSS of the arm64 build under qemu (next broadcast 3 h away, after
#     20 s): the qemu process's VmRSS, which holds the emulator's own memory and
#     translated code as well as loa's; the amd64 package's binary beside it.
# Usage: bench/package.sh [N]   (after scripts/package.sh; needs qemu-user-static, sox)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=scripts/qemu-lib.sh
. "$repo/scripts/qemu-lib.sh"
n=${1:-5}
work=$(mktemp -d /tmp/loa-benchpkg.XXXXXX)
pid=""
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

for deb in dist/*.deb; do
  line="BENCH package $(basename "$deb"): $(stat -c %s "$deb") bytes"
  if [[ $(basename "$deb") == loa_* ]]; then
    dpkg-deb -x "$deb" "$work/x"
    line+=", /usr/bin/loa $(stat -c %s "$work/x/usr/bin/loa") bytes (stripped, profile dist)"
    rm -rf "$work/x"
  fi
  echo "$line"
done

if [[ ${NO_HUB_BUILD:-0} != 1 ]]; then
  t=aarch64-unknown-linux-gnu
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
    CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar \
    PKG_CONFIG_ALLOW_CROSS_aarch64_unknown_linux_gnu=1 PKG_CONFIG_SYSROOT_DIR_aarch64_unknown_linux_gnu=/ \
    PKG_CONFIG_LIBDIR_aarch64_unknown_linux_gnu=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
    cargo build --locked --quiet --profile dist --target "$t" --features hub >&2
  echo "BENCH arm64 binary with the hub compiled in (--features hub, profile dist): $(stat -c %s "target/$t/dist/loa") bytes"
  # the next scripts/package.sh arm64 relinks the station-only binary (dependencies stay built)
fi

dir="$work/arm64"
unpack arm64 "$dir" || { echo "no arm64 package in dist/ (scripts/package.sh arm64)" >&2; exit 1; }
air="$dir/air"
mkdir -p "$air/state"
sox -n -r 48000 -c 2 -b 16 "$air/tone.wav" synth 0.4 sine 1000 vol 0.5
first=$(($(date -u +%s) + 12))
{
  printf '[station]\nname = "qemu bench"\ntimezone = "UTC"\n\n[output]\nloudness = "off"\n\n'
  printf '[paths]\nclips = "%s"\nstate = "%s/state"\n\n' "$air" "$air"
  for ((i = 0; i < n; i++)); do
    printf '[[program]]\nid = "p%d"\nat = ["%s"]\nplay = ["tone.wav"]\n\n' "$i" "$(date -u -d "@$((first + 4 * i))" +%H:%M:%S)"
  done
} >"$air/loa.toml"
emulator arm64
"${emu[@]}" "$dir/usr/bin/loa" run --config "$air/loa.toml" --output "wav:$air/rec.wav" >"$air/run.log" 2>&1 &
pid=$!
wait_for_outcome "$air/state/asrun.jsonl" "p$((n - 1))" $((12 + 4 * n + 30)) || { cat "$air/run.log" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
pid=""
mapfile -t ons < <(onsets "$air/rec.wav")
places=()
for ((i = 0; i < ${#ons[@]} && i < n; i++)); do
  places+=("$(placement_ms "$air/rec.wav" "${ons[$i]}" "$(date -u -d "@$((first + 4 * i))" --iso-8601=seconds)")")
done
printf '%s\n' "${places[@]}" | sort -g | awk -v n="$n" -v got="${#ons[@]}" '
  { v[NR] = $1 } END {
    printf "BENCH on-air placement, arm64 under qemu-aarch64-static (wav:): n=%d (onsets found %d) p50=%.2fms min=%.2fms max=%.2fms\n",
      n, got, v[int((NR + 1) / 2)], v[1], v[NR] }'

idle() { # ARCH BINARY -> VmRSS kB after 20 s
  local d="$work/idle-$1"
  mkdir -p "$d/state"
  cp audio/chime.ogg "$d/"
  printf '[station]\nname = "idle"\ntimezone = "UTC"\n[output]\ndevice = "null"\n[paths]\nclips = "%s"\nstate = "%s/state"\n[[program]]\nid = "later"\nat = ["%s"]\nplay = ["chime.ogg"]\n' \
    "$d" "$d" "$(date -u -d '+3 hours' +%H:%M)" >"$d/loa.toml"
  emulator "$1"
  "${emu[@]}" "$2" run --config "$d/loa.toml" >"$d/log" 2>&1 &
  pid=$!
  sleep 20
  awk '/^VmRSS/ {print $2}' "/proc/$pid/status"
  kill -TERM "$pid"
  wait "$pid" || true
  pid=""
}
rss_arm=$(idle arm64 "$dir/usr/bin/loa")
unpack amd64 "$work/amd64" && rss_amd=$(idle amd64 "$work/amd64/usr/bin/loa") || rss_amd="?"
echo "BENCH idle RSS after 20 s, next broadcast 3 h away: arm64 under qemu-aarch64-static ${rss_arm} kB (emulator included); amd64 native, same package build ${rss_amd} kB"
