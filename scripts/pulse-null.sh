#!/usr/bin/env bash
# pulse-null.sh — a private PulseAudio server with a null sink: a real-time
# "sound card" for machines without one (CI, containers, headless boxes).
# Everything played to it can be recorded from `nullsink.monitor`.
#
#   eval "$(scripts/pulse-null.sh start)"   # start (or reuse) it; sets PULSE_SERVER, XDG_RUNTIME_DIR
#   parec -d nullsink.monitor --latency-msec=10 --file-format=wav out.wav &   # record what airs
#   scripts/pulse-null.sh status            # exit 0 if it answers
#   scripts/pulse-null.sh stop              # stop it (by its pid) and remove its folder
#
# `start` prints only `export ...` lines on stdout (messages go to stderr) and
# exports nothing itself: eval its output. It is idempotent: a server of ours
# that still answers is reused.
#
# Details:
# - Runtime folder: $LOA_PULSE_DIR, default /tmp/loa-pulse-$UID (used as the
#   server's XDG_RUNTIME_DIR): pa.pa, daemon.conf (48 kHz), pid, log, and the
#   socket pulse/native.
# - pa.pa loads module-native-protocol-unix (anonymous auth: no cookie needed)
#   and `module-null-sink sink_name=nullsink norewinds=1` (norewinds: the
#   monitor does not lose the first milliseconds of each new stream), and
#   makes nullsink the default sink.
# - ALSA `default` must reach it: Debian's pulseaudio package already routes
#   ALSA default to PulseAudio while a server answers (alsa/conf.d/99-pulse.conf);
#   in addition, when /etc/asound.conf is absent and writable, `start` writes
#   one routing default to pulse, and `stop` removes it again. The ALSA device
#   name `pulse` (libasound2-plugins) always reaches $PULSE_SERVER.
# Needs: pulseaudio pulseaudio-utils libasound2-plugins.
set -euo pipefail

dir="${LOA_PULSE_DIR:-/tmp/loa-pulse-$(id -u)}"
socket="$dir/pulse/native"
asound=/etc/asound.conf
marker="$dir/wrote-asound-conf"

log() { echo "pulse-null: $*" >&2; }

exports() {
  printf 'export PULSE_SERVER=unix:%s XDG_RUNTIME_DIR=%s\n' "$socket" "$dir"
}

answers() {
  PULSE_SERVER="unix:$socket" timeout 5 pactl info >/dev/null 2>&1
}

ours_alive() {
  [[ -s "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

start() {
  for tool in pulseaudio pactl; do
    command -v "$tool" >/dev/null 2>&1 || {
      log "'$tool' not found; install: apt-get install --no-install-recommends pulseaudio pulseaudio-utils libasound2-plugins"
      exit 1
    }
  done
  if ours_alive && answers; then
    log "already running (pid $(cat "$dir/pid")), reusing it"
    exports
    return 0
  fi
  if ours_alive; then
    log "pid $(cat "$dir/pid") does not answer; restarting it"
    stop >/dev/null
  fi
  mkdir -p "$dir"
  chmod 0700 "$dir"
  rm -rf "$dir/pulse" "$dir/pid"
  cat >"$dir/pa.pa" <<PA
# private PulseAudio for loa tests: one null sink, reachable at $socket
load-module module-native-protocol-unix auth-anonymous=1 socket=$socket
load-module module-null-sink sink_name=nullsink norewinds=1 rate=48000 channels=2 sink_properties=device.description=loa-null-sink
set-default-sink nullsink
PA
  # 48 kHz like the bundled clips, so nothing is resampled on the way.
  printf 'default-sample-rate = 48000\nalternate-sample-rate = 48000\n' >"$dir/daemon.conf"
  # HOME too, so the server keeps its state (cookie, databases) in our folder;
  # PULSE_CONFIG: our daemon.conf instead of /etc/pulse/daemon.conf.
  XDG_RUNTIME_DIR="$dir" HOME="$dir" PULSE_CONFIG="$dir/daemon.conf" pulseaudio --daemonize=yes --exit-idle-time=-1 \
    -n -F "$dir/pa.pa" --log-target="file:$dir/log" --use-pid-file=yes \
    || { log "pulseaudio failed to start; its log: $dir/log"; tail -n 20 "$dir/log" >&2 || true; exit 1; }
  local i
  for i in $(seq 1 100); do
    if [[ -s "$dir/pulse/pid" ]] && answers; then break; fi
    sleep 0.1
  done
  answers || { log "pulseaudio started but does not answer on $socket; its log: $dir/log"; exit 1; }
  printf '%s\n' "$(tr -dc '0-9' <"$dir/pulse/pid")" >"$dir/pid"
  if [[ ! -e "$asound" && -w "$(dirname "$asound")" ]]; then
    printf '# written by loa scripts/pulse-null.sh; removed by its "stop"\npcm.!default { type pulse }\nctl.!default { type pulse }\n' >"$asound"
    touch "$marker"
    log "wrote $asound (ALSA default -> PulseAudio)"
  fi
  log "started (pid $(cat "$dir/pid")), default sink nullsink, record with: parec -d nullsink.monitor"
  exports
}

stop() {
  if [[ -s "$dir/pid" ]]; then
    local pid i
    pid="$(cat "$dir/pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid still alive after 5 s, killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      log "stopped (pid $pid)"
    else
      log "pid $pid is not running"
    fi
  else
    log "not running (no $dir/pid)"
  fi
  if [[ -e "$marker" ]]; then
    if grep -q 'written by loa scripts/pulse-null.sh' "$asound" 2>/dev/null; then
      rm -f "$asound"
      log "removed $asound"
    fi
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if ours_alive && answers; then log "running (pid $(cat "$dir/pid"))"; exports; else log "not running"; exit 1; fi ;;
  env) exports ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
