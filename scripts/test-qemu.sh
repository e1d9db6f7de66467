#!/usr/bin/env bash
# scripts/test-qemu.sh — run the ARM binaries from dist/*.deb under
# qemu-user-static (issue 13):
#
#   scripts/test-qemu.sh              # arm64 and armhf
#   scripts/test-qemu.sh arm64
#
# For each architecture, the binary and the example config come out of the
# package (dpkg-deb -x), and under qemu-ARCH-static:
#   1. `loa check` accepts the packaged example config (clips from the package);
#   2. `loa agenda` on it lists its programs (text and --json);
#   3. `loa run --output wav:` airs an `on_start` program (a 1 s 440 Hz tone):
#      the recording must hold the tone (pitch and length) at the instant the
#      as-run log says it was scheduled (placement printed; bound 1 s, a sanity
#      check under emulation, not a timing figure: bench/package.sh measures).
# The ARM libc and libasound come from Debian multiarch (libasound2-dev:arm64 /
# :armhf pull libc6:ARCH), so the dynamic loader is found at its usual place and
# no QEMU_LD_PREFIX is needed; it is honoured when set (a sysroot elsewhere).
# Needs: qemu-user-static, sox, dpkg-deb.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
die() { echo "test-qemu.sh: FAIL: $*" >&2; exit 1; }
ok() { printf '  ok  %s\n' "$*"; }
# shellcheck source=scripts/qemu-lib.sh
. "$repo/scripts/qemu-lib.sh"

arches=("$@")
[[ ${#arches[@]} -gt 0 ]] || arches=(arm64 armhf)
work=$(mktemp -d /tmp/loa-qemu.XXXXXX)
daemon=""
cleanup() {
  [[ -n $daemon ]] && kill "$daemon" 2>/dev/null || true
  [[ -n ${KEEP:-} ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

for arch in "${arches[@]}"; do
  echo "==> $arch under $(qemu_of "$arch")"
  dir="$work/$arch"
  unpack "$arch" "$dir" || die "no package for $arch in dist/ (scripts/package.sh $arch)"
  emulator "$arch" || die "cannot run $arch binaries here"
  loa() { "${emu[@]}" "$dir/usr/bin/loa" "$@"; }
  file -b "$dir/usr/bin/loa" 2>/dev/null | sed 's/^/      /' || true

  example="$dir/loa.toml"
  sed "s#^clips = \"/var/lib/loa/audio\"#clips = \"$dir/usr/share/loa/audio\"#" \
    "$dir/usr/share/doc/loa/examples/loa.toml" >"$example"
  grep -q "^clips = \"$dir/" "$example" || die "the example config has no clips line to point at the package's clips"
  mkdir -p "$dir/state"
  export STATE_DIRECTORY="$dir/state"

  out=$(loa check --config "$example" 2>&1) || { echo "$out"; die "$arch: loa check on the example config"; }
  ok "loa check: $(tail -n1 <<<"$out")"

  out=$(loa agenda --config "$example" --from 2026-12-07 --days 7 2>&1) || { echo "$out"; die "$arch: loa agenda"; }
  ids=$(sed -n 's/^id = "\(.*\)"$/\1/p' "$example")
  [[ -n $ids ]] || die "no program ids in the example"
  listed=0
  for id in $ids; do grep -q "$id" <<<"$out" && listed=$((listed + 1)); done
  [[ $listed -ge 1 ]] || { echo "$out"; die "$arch: agenda lists none of: $ids"; }
  json=$(loa agenda --config "$example" --from 2026-12-07 --days 7 --json 2>&1) || die "$arch: agenda --json"
  [[ $json == *'"program"'* ]] || { echo "$json" | head; die "$arch: agenda --json has no programs"; }
  ok "loa agenda: $(grep -c . <<<"$out") lines, $listed of the example's programs listed"

  air="$dir/air"
  mkdir -p "$air/state"
  sox -n -r 48000 -c 2 -b 16 "$air/tone.wav" synth 1 sine 440 vol 0.5
  cat >"$air/loa.toml" <<EOF
[station]
name = "qemu $arch"
timezone = "UTC"

[output]
loudness = "off"

[paths]
clips = "$air"
state = "$air/state"

[[program]]
id = "thu-loa"
on_start = "5s"
play = ["tone.wav"]
EOF
  "${emu[@]}" "$dir/usr/bin/loa" run --config "$air/loa.toml" --output "wav:$air/rec.wav" >"$air/run.log" 2>&1 &
  daemon=$!
  wait_for_outcome "$air/state/asrun.jsonl" thu-loa 60 || { cat "$air/run.log"; die "$arch: thu-loa did not air"; }
  kill -TERM "$daemon"
  wait "$daemon" || true
  daemon=""
  grep '"event":"outcome"' "$air/state/asrun.jsonl" | grep -q '"outcome":"aired"' ||
    { cat "$air/state/asrun.jsonl"; die "$arch: outcome is not aired"; }
  sched=$(grep '"event":"outcome"' "$air/state/asrun.jsonl" | sed -n 's/.*"scheduled":"\([^"]*\)".*/\1/p' | head -n1)
  onset=$(onsets "$air/rec.wav" | head -n1)
  [[ -n $onset ]] || die "$arch: the recording is silent"
  place_ms=$(placement_ms "$air/rec.wav" "$onset" "$sched")
  stat=$(sox "$air/rec.wav" -n remix 1 trim "$onset" 0.9 stat 2>&1)
  freq=$(awk '/Rough +frequency/ {print $3}' <<<"$stat")
  sound=$(sound_seconds "$air/rec.wav")
  awk -v f="$freq" 'BEGIN { exit !(f > 420 && f < 460) }' || die "$arch: aired pitch ${freq} Hz, not 440"
  awk -v s="$sound" 'BEGIN { exit !(s > 0.95 && s < 1.05) }' || die "$arch: ${sound} s of sound, not the 1 s tone"
  awk -v p="$place_ms" 'BEGIN { exit !(p > -1000 && p < 1000) }' || die "$arch: placed ${place_ms} ms from its instant"
  ok "loa run --output wav: aired the on_start tone: ${freq} Hz, ${sound} s, first sample ${place_ms} ms from the instant"
  unset STATE_DIRECTORY
done
echo "==> qemu runs passed: ${arches[*]}"
