#!/usr/bin/env bash
# scripts/package.sh — build loa's Debian packages into dist/.
#
#   scripts/package.sh                 # amd64, arm64 and armhf
#   scripts/package.sh arm64 armhf     # only these
#
# Writes dist/loa_VERSION_ARCH.deb for each architecture and, for amd64,
# dist/loa-hub_VERSION_amd64.deb (the hub is a provincial server, not a box):
#   loa      /usr/bin/loa, loa.service, the example configs in
#            /usr/share/doc/loa/examples, the bundled clips in /usr/share/loa/audio;
#            maintainer scripts from packaging/loa/ (user `loa`, state folders).
#   loa-hub  loa-hub.service, hub.toml and nginx examples; depends on loa of the
#            same version (whose amd64 binary carries the hub); packaging/loa-hub/.
# The ARM packages carry the station-only build (`--no-default-features`): the
# hub code would cost the box size and nothing else (BENCHMARKS.md).
#
# Cross builds use Debian's cross compilers and multiarch libasound2-dev, see
# the packages .ci/run installs (gcc-aarch64-linux-gnu, gcc-arm-linux-gnueabihf,
# libasound2-dev:arm64, libasound2-dev:armhf) and `rustup target add`.
# Profile: [profile.dist] in Cargo.toml.
#
# Environment:
#   LOA_DEB_REVISION  Debian revision (default 1): version is CARGO_VERSION-REVISION.
#   LOA_DIST          output folder (default dist/ in the repository).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
dist="${LOA_DIST:-$repo/dist}"
die() { echo "package.sh: $*" >&2; exit 1; }
say() { printf '==> %s\n' "$*" >&2; }

upstream=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
[[ -n $upstream ]] || die "cannot read the version from Cargo.toml"
version="$upstream-${LOA_DEB_REVISION:-1}"

arches=("$@")
[[ ${#arches[@]} -gt 0 ]] || arches=(amd64 arm64 armhf)
for a in "${arches[@]}"; do
  case $a in amd64 | arm64 | armhf) ;; *) die "unknown architecture '$a' (amd64, arm64 or armhf)" ;; esac
done
for tool in dpkg-deb readelf xz; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (apt-get install dpkg-dev binutils xz-utils)"
done

# triple, GNU prefix of the cross tools, cargo features
target_of() {
  case $1 in
    amd64) echo "x86_64-unknown-linux-gnu x86_64-linux-gnu --features=hub" ;;
    arm64) echo "aarch64-unknown-linux-gnu aarch64-linux-gnu --no-default-features" ;;
    armhf) echo "armv7-unknown-linux-gnueabihf arm-linux-gnueabihf --no-default-features" ;;
  esac
}

build() { # ARCH -> path of the built binary on stdout
  local arch=$1 triple gnu features
  read -r triple gnu features <<<"$(target_of "$arch")"
  local up=${triple^^} low=${triple//-/_}
  up=${up//-/_}
  if [[ $arch != amd64 ]]; then
    command -v "$gnu-gcc" >/dev/null ||
      die "no cross compiler $gnu-gcc (apt-get install gcc-$gnu)"
    [[ -f /usr/lib/$gnu/pkgconfig/alsa.pc ]] ||
      die "no ALSA for $arch (dpkg --add-architecture $arch; apt-get update; apt-get install libasound2-dev:$arch)"
    rustup target list --installed 2>/dev/null | grep -qx "$triple" ||
      die "no Rust target $triple (rustup target add $triple)"
    export "CARGO_TARGET_${up}_LINKER=$gnu-gcc" "CC_${low}=$gnu-gcc" "AR_${low}=$gnu-ar"
    export "PKG_CONFIG_ALLOW_CROSS_${low}=1" "PKG_CONFIG_SYSROOT_DIR_${low}=/"
    export "PKG_CONFIG_LIBDIR_${low}=/usr/lib/$gnu/pkgconfig:/usr/share/pkgconfig"
  fi
  say "building loa for $arch ($triple, $features, profile dist)"
  cargo build --locked --quiet --profile dist --target "$triple" $features >&2
  echo "$repo/target/$triple/dist/loa"
}

# The lowest glibc the binary asks for, from its versioned symbols.
glibc_needed() {
  readelf --dyn-syms --wide "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' |
    sort -u -V | tail -n1
}

depends_of() { # BINARY -> Depends line
  local bin=$1 libs dep
  libs=$(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
  dep="libc6 (>= $(glibc_needed "$bin"))"
  for l in $libs; do
    case $l in
      libc.so.6 | libm.so.6 | libgcc_s.so.1 | ld-linux*) ;;
      libasound.so.2) dep+=", libasound2 (>= 1.0.16)" ;;
      *) die "unexpected shared library $l in $bin: add its package to depends_of" ;;
    esac
  done
  grep -q 'libgcc_s.so.1' <<<"$libs" && dep+=", libgcc-s1"
  echo "$dep, adduser"
}

control() { # PKG ARCH ROOT DEPENDS DESCRIPTION...
  local pkg=$1 arch=$2 root=$3 dep=$4
  shift 4
  mkdir -p "$root/DEBIAN"
  cat >"$root/DEBIAN/control" <<EOF
Package: $pkg
Version: $version
Architecture: $arch
Maintainer: loa maintainers <loa@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $dep
Recommends: ca-certificates
Suggests: gpiod
Section: sound
Priority: optional
Description: $*
EOF
}

finish() { # PKG ARCH ROOT: maintainer scripts, md5sums, build the .deb
  local pkg=$1 arch=$2 root=$3 s
  for s in postinst prerm postrm; do
    install -m 0755 "$repo/packaging/$pkg/$s" "$root/DEBIAN/$s"
  done
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
    sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
  local deb="$dist/${pkg}_${version}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
  say "wrote $deb ($(du -h "$deb" | cut -f1))"
}

copyright() { # DOCDIR
  install -d "$1"
  cat >"$1/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: loa
Files: *
Copyright: the loa authors
License: MIT or Apache-2.0
 On Debian systems the Apache 2.0 licence is in
 /usr/share/common-licenses/Apache-2.0.
EOF
}

unit() { # SRC DEST: the unit with the packaged binary's path
  install -d "$(dirname "$2")"
  sed -e 's#/usr/local/bin/loa#/usr/bin/loa#g' \
    -e 's#^\# Install with systemd/install.sh, or copy to .*#\# Installed by the loa Debian package; enable it once /etc/loa/loa.toml is written:#' \
    -e 's#^\# Copy to /etc/systemd/system/loa-hub.service, then$#\# Installed by the loa-hub Debian package; once /etc/loa/hub.toml is written:#' \
    "$1" >"$2"
  chmod 0644 "$2"
}

stage_loa() { # ARCH BINARY ROOT
  local arch=$1 bin=$2 root=$3
  install -D -m 0755 "$bin" "$root/usr/bin/loa"
  unit systemd/loa.service "$root/lib/systemd/system/loa.service"
  install -d "$root/usr/share/doc/loa/examples" "$root/usr/share/loa/audio"
  install -m 0644 config/example.toml "$root/usr/share/doc/loa/examples/loa.toml"
  install -m 0644 audio/*.ogg audio/*.mp3 audio/*.flac "$root/usr/share/loa/audio/"
  copyright "$root/usr/share/doc/loa"
  control loa "$arch" "$root" "$(depends_of "$bin")" \
    "broadcast scheduler for commune loudspeaker stations
 loa airs a station's timetable on time, exactly once, from its own clips,
 a signed feed or the provincial hub, and keeps a tamper-evident as-run log.
 Install, then write /etc/loa/loa.toml (example in
 /usr/share/doc/loa/examples/loa.toml) and enable loa.service."
}

stage_hub() { # ROOT
  local root=$1
  unit systemd/loa-hub.service "$root/lib/systemd/system/loa-hub.service"
  install -d "$root/usr/share/doc/loa/examples"
  install -m 0644 examples/hub.toml examples/nginx-loa-hub.conf "$root/usr/share/doc/loa/examples/"
  copyright "$root/usr/share/doc/loa-hub"
  control loa-hub amd64 "$root" "loa (= $version), adduser" \
    "provincial hub for loa stations (accounts, approval, signed feed)
 The web pages, API and signed feed the commune stations follow. Needs a
 config (/etc/loa/hub.toml, example in /usr/share/doc/loa/examples) and
 \`loa hub init\`; put nginx with TLS in front (nginx-loa-hub.conf)."
  sed -i 's/^Recommends: .*/Recommends: nginx, ca-certificates, espeak-ng/; /^Suggests:/d' "$root/DEBIAN/control"
}

mkdir -p "$dist"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in "${arches[@]}"; do
  bin=$(build "$arch")
  [[ -x $bin ]] || die "the build left no binary at $bin"
  rm -f "$dist/loa_${version}_${arch}.deb"
  stage_loa "$arch" "$bin" "$work/loa-$arch"
  finish loa "$arch" "$work/loa-$arch"
  if [[ $arch == amd64 ]]; then
    stage_hub "$work/loa-hub"
    finish loa-hub amd64 "$work/loa-hub"
  fi
done
