# scripts/qemu-lib.sh — shared by scripts/test-qemu.sh and bench/package.sh
# (sourced, not run): unpack a packaged loa, run it under qemu-user-static, and
# read a `wav:` recording (onsets, placement against an instant, sound span)
# with sox and awk. The `wav:` sink writes PATH.start, the RFC 3339 instant of
# frame 0 (src/playout/wavfile.rs), so frame n aired at t0 + n/rate.

qemu_of() { # ARCH -> qemu binary name
  case $1 in
    arm64) echo qemu-aarch64-static ;;
    armhf) echo qemu-arm-static ;;
    amd64) echo "" ;;
    *) return 1 ;;
  esac
}

unpack() { # ARCH DIR: extract dist/loa_*_ARCH.deb (the newest) into DIR
  local deb
  deb=$(ls -t "$repo"/dist/loa_*_"$1".deb 2>/dev/null | head -n1)
  [[ -n $deb ]] || return 1
  mkdir -p "$2"
  dpkg-deb -x "$deb" "$2"
}

emulator() { # ARCH: set the array `emu` to the command prefix that runs ARCH's binaries
  # (empty for amd64). Callers start "${emu[@]}" BINARY themselves, so that $! of a
  # background start is the emulated process itself, which a TERM then reaches.
  local q
  q=$(qemu_of "$1") || return 1
  emu=()
  if [[ -n $q ]]; then
    command -v "$q" >/dev/null || { echo "no $q (apt-get install qemu-user-static)" >&2; return 127; }
    emu=("$q")
  fi
}

wait_for_outcome() { # ASRUN PROGRAM SECONDS: until PROGRAM has an outcome record
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    grep '"event":"outcome"' "$1" 2>/dev/null | grep -q "\"program\":\"$2\"" && return 0
    sleep 0.25
  done
  return 1
}

# The recording as "seconds-since-frame-0 max(|left|,|right|)" lines.
levels() { sox "$1" -t dat - | awk '!/^;/ { a = $2 < 0 ? -$2 : $2; b = $3 < 0 ? -$3 : $3; print $1, (a > b ? a : b) }'; }

onsets() { # WAV: seconds (from frame 0) of each sound start after >= 0.5 s quiet
  levels "$1" | awk '$2 > 0.02 { if (!seen || $1 - last > 0.5) print $1; seen = 1; last = $1 }'
}

sound_seconds() { # WAV: from the first loud sample to the last
  levels "$1" | awk '$2 > 0.02 { if (!seen) first = $1; seen = 1; last = $1 } END { printf "%.3f\n", seen ? last - first : 0 }'
}

placement_ms() { # WAV ONSET_SECONDS SCHEDULED_RFC3339: ms after the instant (negative: early)
  local t0 s
  t0=$(date -d "$(cat "$1.start")" +%s.%N)
  s=$(date -d "$3" +%s.%N)
  awk -v t0="$t0" -v on="$2" -v s="$s" 'BEGIN { printf "%.1f\n", (t0 - s + on) * 1000 }'
}
