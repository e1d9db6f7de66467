#!/usr/bin/env bash
# bench/run.sh — loa's benchmarks; writes BENCHMARKS.md (machine, command, figures).
#
#   bench/run.sh            # all: on-air lateness (wav: and PulseAudio vs a
#                           # sleep+paplay baseline), scheduled preemption,
#                           # feed, stream relay CPU,
#                           # loudness analysis speed, idle RSS/CPU, agenda speed,
#                           # start-up and RSS over years of as-run history,
#                           # start-up time, the hub's upload-to-feed time and idle RSS,
#                           # hub page render,
#                           # relay continuity through a bursty link,
#                           # the hub link: station idle RSS with the link up,
#                           # as-run upload and report, 1,000 simulated stations,
#                           # a station timetable from publish to applied,
#                           # the hub's bounds (densest week page, 2-hour upload)
#                           # the Debian packages (sizes; arm64 under qemu)
#
# Needs what scripts/test.sh needs (PulseAudio for the real-path lateness).
# Figures come from recordings of what went on air, never from loa's own log.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out="$repo/BENCHMARKS.md"
tmp=$(mktemp)
started_pulse=0
cleanup() { [[ $started_pulse -eq 1 ]] && scripts/pulse-null.sh stop || true; rm -f "$tmp"; }
trap cleanup EXIT

cargo build --release --quiet
if ! (command -v pactl >/dev/null && timeout 3 pactl list short sinks 2>/dev/null | grep -q nullsink); then
  eval "$(scripts/pulse-null.sh start)"
  export PULSE_SERVER XDG_RUNTIME_DIR
  started_pulse=1
fi

echo "== on-air lateness (about 3 minutes)" >&2
cargo test --release --quiet --test bench_lateness -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== scheduled preemption (about 70 s)" >&2
cargo test --release --quiet --test bench_preempt -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== feed: unchanged polls, resume, 200 MB against curl (nginx on loopback)" >&2
cargo test --release --quiet --test bench_feed -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== stream relay CPU (about 80 s) and loudness analysis speed" >&2
cargo test --release --quiet --test bench_relay -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
cargo test --release --quiet --test bench_loudness -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== hub pages: clip list render with 5,000 clips" >&2
cargo test --release --quiet --test bench_pages -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== hub week picture: a station with 50 programs" >&2
cargo test --release --quiet --lib week_render_50_programs -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== relay continuity from Icecast through a bursty link (about 11 minutes)" >&2
cargo test --release --quiet --test relay_icecast -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== idle (60 s)" >&2
bench/idle.sh 60 | tee -a "$tmp"
bench/idle.sh 60 feed | tee -a "$tmp"
echo "== agenda" >&2
bench/agenda.sh | tee -a "$tmp"
echo "== as-run history: READY and RSS with 0, 1, 5, 10 years (about 3 minutes)" >&2
cargo test --release --quiet --test bench_history -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== station start-up (exec -> READY=1)" >&2
bench/ready.sh 10 | tee -a "$tmp"
echo "== hub: 10 MB MP3 upload -> approved -> signed feed, idle RSS" >&2
cargo test --release --quiet --test bench_hub -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== hub: 40 wrong sign-ins at once (one account; unknown names)" >&2
bench/logins.sh 40 account | tee -a "$tmp"
bench/logins.sh 40 unknown | tee -a "$tmp"
echo "== hub link: station idle with the link up (60 s), upload + report, 1,000 simulated stations (about 2 minutes)" >&2
bench/link_idle.sh 60 | tee -a "$tmp"
cargo test --release --quiet --test bench_link -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
cargo test --release --quiet --test bench_link_load -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== hub timetable: publish -> applied at the station (about 20 s)" >&2
cargo test --release --quiet --test hub_timetable bench_publish_to_applied -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"
echo "== hub bounds: the densest week page the checks accept, a 2-hour upload (about 2 minutes)" >&2
cargo test --release --quiet --test hub_bounds bench_ -- --ignored --nocapture --test-threads=1 2>/dev/null | grep -o 'BENCH.*' | tee -a "$tmp"

echo "== Debian packages: sizes; the arm64 build under qemu: placement, idle RSS (builds the packages: several minutes)" >&2
scripts/package.sh >&2
bench/package.sh | tee -a "$tmp"

{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "- Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
  echo "- Build: release (\`cargo build --release\`), $(rustc --version)"
  echo "- Shared, noisy machine: figures are indicative; re-run \`bench/run.sh\` to compare."
  echo
  echo "## Results"
  echo
  echo '```'
  cat "$tmp"
  echo '```'
  echo
  cat bench/NOTES.md
} > "$out"
echo "wrote $out" >&2
