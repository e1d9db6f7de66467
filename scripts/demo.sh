#!/usr/bin/env bash
# demo.sh — build loa and run the demo station (config/demo.toml).
#
#   scripts/demo.sh                          # plays on the default sound output
#   scripts/demo.sh --output wav:demo.wav    # no sound card: record to a WAV file
#   scripts/demo.sh --output null            # no sound card: play into nothing
#
# Installs the Debian packages needed to build (libasound2-dev pkg-config) if
# they are missing — with sudo when not run as root — then runs
#   cargo run --release -- run --config config/demo.toml [ARGS...]
# Three seconds after start it plays the chime and a Vietnamese test
# announcement; after that it waits for the 05:00 / 17:00 news (Mon–Sat).
# Stop it with Ctrl-C. What aired is in state/asrun.jsonl.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

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

# No sound card and no sound server (a fresh VM or container)? Then the demo
# records to a WAV file instead of failing every broadcast, and says so.
args=("$@")
if [[ " ${args[*]-} " != *" --output "* ]]; then
  has_card=0
  grep -qv "no soundcards" /proc/asound/cards 2>/dev/null && has_card=1
  command -v pactl >/dev/null 2>&1 && timeout 3 pactl info >/dev/null 2>&1 && has_card=1
  if [[ $has_card -eq 0 ]]; then
    mkdir -p state
    echo "demo.sh: no sound card or sound server here: airing into state/demo.wav instead" >&2
    echo "         (listen to it afterwards, or pass --output default / --output null)" >&2
    args+=(--output wav:state/demo.wav)
  fi
fi

exec cargo run --release -- run --config config/demo.toml "${args[@]}"
