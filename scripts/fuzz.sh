#!/usr/bin/env bash
# fuzz.sh — build and run every cargo-fuzz (libFuzzer) target in fuzz/, one
# after another, each for SECONDS (default 60); print per target the executions
# done and exit non-zero if any target crashed, hung or ran out of memory,
# printing the path of the input that did it.
#
#   scripts/fuzz.sh            # each target 60 s (what .ci/run does)
#   scripts/fuzz.sh 600        # a longer campaign
#   FUZZ_TARGETS="config asrun" scripts/fuzz.sh 30    # some targets only
#
# - Needs the nightly toolchain (`rustup toolchain install nightly`); installs
#   cargo-fuzz when missing (`cargo install cargo-fuzz --locked`).
# - Builds without a sanitizer (`-s none`: loa is safe Rust; panics, overflow
#   checks and debug assertions are on), so the build and each execution are
#   cheap on CI's two cores.
# - Reads the committed seeds in fuzz/corpus/TARGET/ and writes what it learns
#   to fuzz/target/corpus/TARGET/ (not committed, reused by the next run).
#   Crash inputs go to fuzz/artifacts/TARGET/; replay one with
#   `cd fuzz && cargo +nightly fuzz run -s none TARGET artifacts/TARGET/crash-...`.
# - Each input has a time limit (-timeout) and the process a memory limit
#   (-rss_limit_mb); the upload target also caps what it decodes.
# - Temp files (inputs the targets write to files) go to a private folder on
#   /dev/shm, removed at the end.
# - Logs: fuzz/target/logs/TARGET.log.
set -uo pipefail

secs="${1:-60}"
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [[ "$secs" -lt 1 ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]   (each target runs SECONDS, default 60)" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo/fuzz"

targets=(${FUZZ_TARGETS:-config manifest programs_doc heartbeat asrun upload relay_demux})

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz.sh: no nightly toolchain: rustup toolchain install nightly --profile minimal" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked || exit 1
fi

# The same flags for build and run, so `run` does not build again.
flags=(-s none)
echo "fuzz.sh: building ${#targets[@]} targets ($(cargo fuzz --version))" >&2
if ! cargo +nightly fuzz build "${flags[@]}"; then
  echo "fuzz.sh: the fuzz targets do not build" >&2
  exit 1
fi

# Per target: the largest input tried and the per-input time limit (seconds).
opts_for() {
  case "$1" in
  upload) echo "-max_len=65536 -timeout=20 -rss_limit_mb=1536" ;;
  relay_demux) echo "-max_len=32768 -timeout=10 -rss_limit_mb=1024" ;;
  config | programs_doc) echo "-max_len=16384 -timeout=10 -rss_limit_mb=1024" ;;
  *) echo "-max_len=8192 -timeout=10 -rss_limit_mb=1024" ;;
  esac
}

mkdir -p target/logs
# Three targets write each input to a file (the config, as-run and upload
# readers take paths): on tmpfs when there is one, since a disk shared with
# builds makes every write wait milliseconds (20x fewer executions).
shm=/dev/shm
[[ -d $shm && -w $shm ]] || shm="${TMPDIR:-/tmp}"
TMPDIR="$(mktemp -d "$shm/loa-fuzz.XXXXXX")" || exit 1
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "target/corpus/$t" "artifacts/$t" "corpus/$t"
  log="target/logs/$t.log"
  echo "=== fuzz $t: ${secs}s $(opts_for "$t")" >&2
  cargo +nightly fuzz run "${flags[@]}" "$t" "target/corpus/$t" "corpus/$t" -- \
    -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
    $(opts_for "$t") >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  if [[ -z "$execs" ]]; then
    # No final stats (a crash): libFuzzer's last status line `#N ...`.
    execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
  fi
  rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corpus=$(find "target/corpus/$t" -type f | wc -l)
  line=$(printf '%-14s %12s execs  %8s/s  cov %-6s corpus %-6s' "$t" "${execs:-?}" \
    "${rate:-$((${execs:-0} / secs))}" "${cov:-?}" "$corpus")
  if [[ $rc -ne 0 ]]; then
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    line+="  FAILED (exit $rc): ${crash:+$repo/fuzz/$crash}"
    failed+=("$t")
    echo "--- $t failed; the end of $log:" >&2
    grep -v '^#[0-9]' "$log" | tail -n 40 >&2
    if [[ -n "$crash" ]]; then
      echo "fuzz.sh: $t: the input that did it: $repo/fuzz/$crash" >&2
    fi
  fi
  summary+=("$line")
  echo "$line" >&2
done

echo
echo "fuzz.sh: executions per target (${secs}s each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: FAILED: ${failed[*]} (inputs in $repo/fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz.sh: no crash, hang or memory blow-up in ${#targets[@]} targets"
