#!/usr/bin/env bash
# install.sh — install loa as a systemd service on a station box.
#
# Run as root from the repository root, after `cargo build --release`:
#     cargo build --release
#     sudo systemd/install.sh             # install or upgrade, then (re)start loa
#     sudo systemd/install.sh --dry-run   # only print what it would do
#
# What it does (safe to run again: it upgrades the binary and the unit and
# never overwrites a config or clips that are already there):
#   1. creates the system user and group `loa` (no login, home /var/lib/loa),
#      member of `audio` (and of `gpio` where that group exists, for the
#      amplifier relay commands power_on/power_off);
#   2. installs target/release/loa as /usr/local/bin/loa;
#   3. installs config/example.toml as /etc/loa/loa.toml (root:loa, 0640) if
#      there is no /etc/loa/loa.toml yet — edit it for your station;
#   4. copies the bundled clips (audio/*.ogg, *.mp3, *.flac) into
#      /var/lib/loa/audio if that folder does not exist yet;
#   5. installs systemd/loa.service as /etc/systemd/system/loa.service;
#   6. checks the config with `loa check` (stops here if it has errors);
#   7. systemctl daemon-reload, enable --now (a restart when upgrading).
#
# Environment: LOA_BIN=path overrides the binary (default target/release/loa).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${LOA_BIN:-$repo/target/release/loa}"
dry=0
case "${1:-}" in
  --dry-run|-n) dry=1 ;;
  "") ;;
  -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "install.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

say() { printf '==> %s\n' "$*"; }
run() {
  if [[ $dry -eq 1 ]]; then printf '   '; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}
die() { echo "install.sh: $*" >&2; exit 1; }

if [[ $dry -eq 0 && $(id -u) -ne 0 ]]; then
  die "must run as root: sudo $0"
fi
[[ -x "$bin" ]] || die "no binary at $bin; build it first: cargo build --release (or set LOA_BIN)"
[[ -f "$repo/config/example.toml" ]] || die "missing $repo/config/example.toml"
[[ -f "$repo/systemd/loa.service" ]] || die "missing $repo/systemd/loa.service"
if [[ $dry -eq 0 ]]; then
  command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]] \
    || die "systemd is not running on this machine; run loa by hand: loa run --config PATH"
fi

# 1. user and groups
if id loa >/dev/null 2>&1; then
  say "user loa exists"
else
  say "creating system user loa"
  run useradd --system --user-group --home-dir /var/lib/loa --no-create-home \
      --shell /usr/sbin/nologin --comment "loa broadcast scheduler" loa
fi
for g in audio gpio; do
  if getent group "$g" >/dev/null 2>&1; then
    say "adding loa to group $g"
    run usermod --append --groups "$g" loa
  elif [[ $g == audio ]]; then
    die "group 'audio' does not exist; is ALSA installed? (apt-get install alsa-utils)"
  fi
done

# 2. binary
say "installing $bin -> /usr/local/bin/loa"
run install -D -m 0755 "$bin" /usr/local/bin/loa

# 3. config (never overwritten)
run install -d -m 0755 /etc/loa
if [[ -e /etc/loa/loa.toml ]]; then
  say "keeping existing /etc/loa/loa.toml"
else
  say "installing config/example.toml -> /etc/loa/loa.toml (edit it for your station)"
  run install -m 0640 -o root -g loa "$repo/config/example.toml" /etc/loa/loa.toml
fi

# 4. state and clips (never overwritten)
run install -d -m 0750 -o loa -g loa /var/lib/loa
if [[ -e /var/lib/loa/audio ]]; then
  say "keeping existing /var/lib/loa/audio"
else
  say "copying the bundled clips -> /var/lib/loa/audio"
  run install -d -m 0750 -o loa -g loa /var/lib/loa/audio
  shopt -s nullglob
  clips=("$repo"/audio/*.ogg "$repo"/audio/*.mp3 "$repo"/audio/*.flac)
  shopt -u nullglob
  if [[ ${#clips[@]} -gt 0 ]]; then
    run install -m 0640 -o loa -g loa "${clips[@]}" /var/lib/loa/audio/
  fi
fi

# 5. unit
say "installing systemd/loa.service -> /etc/systemd/system/loa.service"
run install -m 0644 "$repo/systemd/loa.service" /etc/systemd/system/loa.service

# 6. check the config as the service will read it
say "checking /etc/loa/loa.toml"
if [[ $dry -eq 1 ]]; then
  run runuser -u loa -- env STATE_DIRECTORY=/var/lib/loa /usr/local/bin/loa check --config /etc/loa/loa.toml
elif ! runuser -u loa -- env STATE_DIRECTORY=/var/lib/loa /usr/local/bin/loa check --config /etc/loa/loa.toml; then
  die "the config has errors (above); fix /etc/loa/loa.toml, then run: sudo systemctl enable --now loa"
fi

# 7. start
run systemctl daemon-reload
run systemctl enable loa
say "(re)starting loa"
run systemctl restart loa
if [[ $dry -eq 0 ]]; then
  systemctl --no-pager --lines=5 status loa || true
fi
say "done. Logs: journalctl -u loa -f   Schedule: loa agenda --config /etc/loa/loa.toml"
