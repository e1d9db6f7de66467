#!/usr/bin/env bash
# test.sh — build and run loa's whole test suite: unit, integration and
# end-to-end tests (the e2e tests play real audio, paced in real time, into a
# PulseAudio null sink and record it from nullsink.monitor).
#
#   scripts/test.sh                 # everything
#   scripts/test.sh schedule::      # extra arguments go to the test runner (filters...)
#
# - Uses cargo-nextest when installed (`cargo nextest run --all-targets
#   --no-fail-fast`), else `cargo test --all-targets --no-fail-fast` (the crate has no doc tests).
# - Sound: if $PULSE_SERVER (or the default server) already answers and has a
#   sink named `nullsink`, it is used. Otherwise a private PulseAudio with a
#   null sink is started with scripts/pulse-null.sh and stopped at the end.
#   Without PulseAudio the e2e tests skip with a message, except when CI=true,
#   where they fail.
# Needs (Debian): libasound2-dev pkg-config, and for the e2e tests pulseaudio
# pulseaudio-utils libasound2-plugins.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

started_pulse=0
cleanup() {
  if [[ $started_pulse -eq 1 ]]; then
    scripts/pulse-null.sh stop || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

have_nullsink() {
  command -v pactl >/dev/null 2>&1 &&
    timeout 5 pactl list short sinks 2>/dev/null | awk '{print $2}' | grep -qx nullsink
}

if have_nullsink; then
  echo "test.sh: using the running PulseAudio server (${PULSE_SERVER:-default}) and its nullsink" >&2
elif command -v pulseaudio >/dev/null 2>&1 && command -v pactl >/dev/null 2>&1; then
  exports="$(scripts/pulse-null.sh start)"
  started_pulse=1
  eval "$exports"
  export PULSE_SERVER XDG_RUNTIME_DIR
  echo "test.sh: started a private PulseAudio null sink at $PULSE_SERVER" >&2
else
  if [[ "${CI:-}" == "true" ]]; then
    echo "test.sh: CI=true but PulseAudio is not installed; the e2e tests will fail." >&2
    echo "         apt-get install --no-install-recommends pulseaudio pulseaudio-utils libasound2-plugins" >&2
  else
    echo "test.sh: no PulseAudio here; the end-to-end audio tests will be skipped." >&2
    echo "         apt-get install --no-install-recommends pulseaudio pulseaudio-utils libasound2-plugins" >&2
  fi
fi

status=0
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --all-targets --no-fail-fast "$@" || status=$?
else
  echo "test.sh: cargo-nextest not found, using cargo test (cargo install cargo-nextest for nicer output)" >&2
  cargo test --all-targets --no-fail-fast "$@" || status=$?
fi
exit "$status"
