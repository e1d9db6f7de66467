#!/usr/bin/env bash
# scripts/test-package.sh — install the amd64 packages from dist/ into a clean
# Debian 12 chroot and check what they promise (issue 13). Run as root after
# scripts/package.sh; CI runs it from .ci/run.
#
#   scripts/test-package.sh
#
# A real chroot (mmdebstrap minbase + libasound2, systemd, procps; ~1 min), not
# `dpkg --root`: with --root dpkg runs the maintainer scripts chrooted anyway,
# so they need a shell, adduser and runuser inside; a bootstrapped Debian gives
# exactly what a box has. The "previous" package is the same tree built again
# as revision 0 (LOA_DEB_REVISION=0), so the dist/ one is a real upgrade.
# Checks: files, both unit files (systemd-analyze verify), the users and their
# groups (audio; gpio where it exists), folders and modes; nothing enabled
# without a config and the next steps printed (Vietnamese first); the packaged
# binary airs in the chroot and its as-run log, config, store and clips survive
# the upgrade and a remove byte for byte; purge removes them; a config put there
# before install enables the service, a broken one does not; loa-hub installs,
# `loa hub init` runs as its user, purge removes its state; the nginx example
# passes `nginx -t`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
die() { echo "test-package.sh: FAIL: $*" >&2; exit 1; }
ok() { printf '  ok  %s\n' "$*"; }
say() { printf '==> %s\n' "$*"; }

[[ $(id -u) -eq 0 ]] || die "must run as root (chroot, dpkg)"
for t in mmdebstrap systemd-analyze dpkg-deb; do
  command -v "$t" >/dev/null || die "'$t' is missing (apt-get install mmdebstrap systemd dpkg-dev)"
done
upstream=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
new="$upstream-${LOA_DEB_REVISION:-1}"
loa_deb="dist/loa_${new}_amd64.deb"
hub_deb="dist/loa-hub_${new}_amd64.deb"
[[ -f $loa_deb && -f $hub_deb ]] || die "no $loa_deb / $hub_deb: run scripts/package.sh amd64 first"

work=$(mktemp -d /tmp/loa-pkgtest.XXXXXX)
root="$work/root"
cleanup() {
  for m in proc dev; do mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

say "previous package: the same tree as revision 0"
LOA_DEB_REVISION=0 LOA_DIST="$work/prev" scripts/package.sh amd64 2>&1 | tail -n2
old="$upstream-0"

say "a clean Debian 12 root (mmdebstrap minbase)"
mmdebstrap --quiet --variant=minbase --include=libasound2,systemd,procps,ca-certificates \
  --mode=root bookworm "$root" >"$work/mmdebstrap.log" 2>&1 ||
  { tail -n 20 "$work/mmdebstrap.log"; die "mmdebstrap failed"; }
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp "$work/prev/loa_${old}_amd64.deb" "$work/prev/loa-hub_${old}_amd64.deb" "$root/tmp/"
cp "$loa_deb" "$hub_deb" "$root/tmp/"
in_root() { chroot "$root" "$@"; }
as_loa() { in_root runuser -u loa -- env STATE_DIRECTORY=/var/lib/loa "$@"; }
wants=/etc/systemd/system/multi-user.target.wants
digest() { (cd "$root" && find var/lib/loa etc/loa -type f -print0 | sort -z | xargs -0 sha256sum); }
mode_of() { in_root stat -c '%a %U:%G' "/$1"; }
# True once the as-run log holds thu-loa's outcome record saying it aired.
thu_loa_aired() {
  grep '"program":"thu-loa"' "$root/var/lib/loa/asrun.jsonl" 2>/dev/null | grep -q '"outcome":"aired"'
}

say "install $old (no config yet)"
out=$(in_root dpkg -i "/tmp/loa_${old}_amd64.deb" 2>&1) || { echo "$out"; die "dpkg -i failed"; }
vi_line=$(grep -n 'CHƯA được bật' <<<"$out" | cut -d: -f1)
en_line=$(grep -n 'NOT enabled' <<<"$out" | cut -d: -f1)
[[ -n $vi_line && -n $en_line && $vi_line -lt $en_line ]] ||
  { echo "$out"; die "install did not print the next steps, Vietnamese first"; }
grep -q 'install -m 0640 -g loa /usr/share/doc/loa/examples/loa.toml /etc/loa/loa.toml' <<<"$out" ||
  die "the next steps do not say how to put the config in place"
ok "no config: next steps printed, Vietnamese first"
[[ ! -e $root$wants/loa.service ]] || die "loa.service enabled without a config"
ok "loa.service not enabled"
for f in usr/bin/loa lib/systemd/system/loa.service usr/share/doc/loa/examples/loa.toml \
  usr/share/doc/loa/copyright usr/share/loa/audio/chime.ogg; do
  [[ -f $root/$f ]] || die "missing /$f"
done
[[ -x $root/usr/bin/loa ]] || die "/usr/bin/loa is not executable"
grep -q '^ExecStart=/usr/bin/loa run --config /etc/loa/loa.toml$' "$root/lib/systemd/system/loa.service" ||
  die "loa.service does not start /usr/bin/loa"
ok "files in place"
in_root getent passwd loa | grep -q ':/var/lib/loa:/usr/sbin/nologin$' || die "user loa: $(in_root getent passwd loa)"
groups=$(in_root id -nG loa)
[[ " $groups " == *" audio "* ]] || die "loa is not in audio: $groups"
[[ " $groups " != *" gpio "* ]] || die "loa in gpio, which does not exist here"
ok "system user loa (groups: $groups)"
[[ $(mode_of var/lib/loa) == "750 loa:loa" ]] || die "/var/lib/loa is $(mode_of var/lib/loa)"
[[ $(mode_of var/lib/loa/audio) == "750 loa:loa" ]] || die "/var/lib/loa/audio is $(mode_of var/lib/loa/audio)"
[[ $(mode_of var/lib/loa/audio/chime.ogg) == "640 loa:loa" ]] || die "clips not copied as loa"
[[ $(mode_of etc/loa) == "755 root:root" ]] || die "/etc/loa is $(mode_of etc/loa)"
ok "folders: /var/lib/loa 0750 loa:loa with the bundled clips, /etc/loa"
systemd-analyze verify --root="$root" /lib/systemd/system/loa.service ||
  die "systemd-analyze verify loa.service"
ok "systemd-analyze verify loa.service"
as_loa loa check --config /usr/share/doc/loa/examples/loa.toml >/dev/null ||
  die "loa check refuses the packaged example config"
ok "loa check accepts the packaged example (as user loa)"

say "the packaged binary airs in the chroot; state to keep"
in_root install -m 0640 -g loa /usr/share/doc/loa/examples/loa.toml /etc/loa/loa.toml
# Priority 100: whatever the example's schedule has on air at this hour (the
# 05:00 news with its relay), or its quiet hours, thu-loa starts 1 s after start.
printf '\n[[program]]\nid = "thu-loa"\non_start = "1s"\npriority = 100\nplay = ["chime.ogg"]\n' >>"$root/etc/loa/loa.toml"
timeout -s TERM 15 chroot "$root" runuser -u loa -- env STATE_DIRECTORY=/var/lib/loa \
  loa run --config /etc/loa/loa.toml --output null >"$work/run.log" 2>&1 &
run_pid=$!
for _ in $(seq 1 60); do
  thu_loa_aired && break
  sleep 0.25
done
kill -TERM "$run_pid" 2>/dev/null || true
wait "$run_pid" || true
thu_loa_aired || { cat "$work/run.log"; cat "$root/var/lib/loa/asrun.jsonl" 2>/dev/null; die "thu-loa did not air in the chroot"; }
as_loa loa log --verify --config /etc/loa/loa.toml >/dev/null || die "loa log --verify"
ok "loa run aired thu-loa; the as-run chain verifies"
in_root install -d -m 0750 -o loa -g loa /var/lib/loa/store
head -c 65536 /dev/urandom >"$root/var/lib/loa/store/test-clip"
before=$(digest)
grep -q 'var/lib/loa/asrun.jsonl' <<<"$before" || die "no as-run log to keep"

say "upgrade $old -> $new (a gpio group appeared meanwhile)"
in_root groupadd --system gpio
out=$(in_root dpkg -i "/tmp/loa_${new}_amd64.deb" 2>&1) || { echo "$out"; die "upgrade failed"; }
[[ $(in_root dpkg-query -W -f '${Version}' loa) == "$new" ]] || die "version after upgrade"
[[ "$(digest)" == "$before" ]] || { diff <(echo "$before") <(digest); die "the upgrade changed config or state"; }
ok "as-run log, config, store and clips byte for byte after the upgrade"
[[ " $(in_root id -nG loa) " == *" gpio "* ]] || die "loa not added to gpio"
ok "loa now in gpio too"
if grep -q 'CHƯA được bật' <<<"$out"; then die "upgrade with a config printed the first-install steps"; fi

say "remove keeps, reinstall carries on"
in_root dpkg -r loa >/dev/null 2>&1 || die "dpkg -r loa"
[[ ! -e $root/usr/bin/loa ]] || die "/usr/bin/loa left after remove"
[[ "$(digest)" == "$before" ]] || die "remove changed config or state"
ok "remove: binary gone, config and state kept byte for byte"
in_root dpkg -i "/tmp/loa_${new}_amd64.deb" >/dev/null 2>&1 || die "reinstall after remove"
[[ "$(digest)" == "$before" ]] || die "reinstall changed config or state"
ok "reinstall after remove keeps them too"

say "purge removes"
in_root dpkg -P loa >/dev/null 2>&1 || die "dpkg -P loa"
[[ ! -e $root/var/lib/loa && ! -e $root/etc/loa/loa.toml ]] || die "purge left /var/lib/loa or /etc/loa/loa.toml"
[[ ! -e $root$wants/loa.service ]] || die "purge left the enable link"
ok "purge: /var/lib/loa and /etc/loa/loa.toml gone"

say "a config put there before install"
in_root install -d -m 0755 /etc/loa
printf '[station]\nname = "Đài thử"\ntimezone = "Asia/Ho_Chi_Minh"\n\n[output]\ndevice = "null"\n' >"$root/etc/loa/loa.toml"
out=$(in_root dpkg -i "/tmp/loa_${new}_amd64.deb" 2>&1) || { echo "$out"; die "install with a config"; }
[[ -L $root$wants/loa.service ]] || { echo "$out"; die "a valid config did not enable loa.service"; }
ok "valid config: loa.service enabled ($(grep -o 'dịch vụ loa đã được bật' <<<"$out"))"
in_root dpkg -P loa >/dev/null 2>&1
in_root install -d -m 0755 /etc/loa
printf '[station]\nname = "Đài thử"\nnot_a_key = 1\n' >"$root/etc/loa/loa.toml"
out=$(in_root dpkg -i "/tmp/loa_${new}_amd64.deb" 2>&1) || { echo "$out"; die "install with a broken config"; }
[[ ! -e $root$wants/loa.service ]] || die "a broken config enabled loa.service"
grep -q 'có lỗi' <<<"$out" || { echo "$out"; die "a broken config was not reported"; }
ok "broken config: not enabled, and said so"

say "loa-hub"
out=$(in_root dpkg -i "/tmp/loa-hub_${new}_amd64.deb" 2>&1) || { echo "$out"; die "dpkg -i loa-hub"; }
grep -q 'loa-hub CHƯA được bật' <<<"$out" || { echo "$out"; die "loa-hub printed no next steps"; }
[[ ! -e $root$wants/loa-hub.service ]] || die "loa-hub enabled without a config"
in_root getent passwd loa-hub | grep -q ':/var/lib/loa-hub:/usr/sbin/nologin$' || die "user loa-hub"
[[ $(mode_of var/lib/loa-hub) == "750 loa-hub:loa-hub" ]] || die "/var/lib/loa-hub is $(mode_of var/lib/loa-hub)"
for f in usr/share/doc/loa/examples/hub.toml usr/share/doc/loa/examples/nginx-loa-hub.conf; do
  [[ -f $root/$f ]] || die "missing /$f"
done
systemd-analyze verify --root="$root" /lib/systemd/system/loa-hub.service ||
  die "systemd-analyze verify loa-hub.service"
ok "loa-hub: user, /var/lib/loa-hub 0750, examples, unit verifies, not enabled"
in_root install -m 0640 -g loa-hub /usr/share/doc/loa/examples/hub.toml /etc/loa/hub.toml
in_root runuser -u loa-hub -- loa hub init --config /etc/loa/hub.toml >"$work/init.log" 2>&1 ||
  { cat "$work/init.log"; die "loa hub init as loa-hub"; }
[[ -n $(ls -A "$root/var/lib/loa-hub") ]] || die "hub init wrote nothing"
ok "loa hub init runs as loa-hub with the packaged example"
in_root dpkg -P loa-hub >/dev/null 2>&1 || die "dpkg -P loa-hub"
[[ ! -e $root/var/lib/loa-hub && ! -e $root/etc/loa/hub.toml ]] || die "purge left the hub's state or config"
ok "purge loa-hub: state and hub.toml gone"

say "the nginx example passes nginx -t"
if command -v nginx >/dev/null && command -v openssl >/dev/null; then
  n="$work/nginx"
  mkdir -p "$n/logs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=truyenthanh.example.vn \
    -keyout "$n/key.pem" -out "$n/cert.pem" >/dev/null 2>&1
  sed -e "s#/etc/letsencrypt/live/truyenthanh.example.vn/fullchain.pem#$n/cert.pem#" \
    -e "s#/etc/letsencrypt/live/truyenthanh.example.vn/privkey.pem#$n/key.pem#" \
    examples/nginx-loa-hub.conf >"$n/site.conf"
  printf 'pid %s/nginx.pid;\nerror_log %s/logs/error.log;\nevents {}\nhttp { include %s/site.conf; }\n' \
    "$n" "$n" "$n" >"$n/nginx.conf"
  nginx -t -p "$n" -c "$n/nginx.conf" >"$n/t.log" 2>&1 || { cat "$n/t.log"; die "nginx -t"; }
  ok "nginx -t accepts examples/nginx-loa-hub.conf"
else
  die "nginx and openssl are needed to check the nginx example"
fi

say "all package checks passed"
