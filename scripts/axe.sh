#!/usr/bin/env bash
# axe.sh — fetch axe-core (the accessibility checker the page crawler test
# injects into every page, tests/hub_crawl.rs) once, pinned and checked:
# the npm tarball of axe-core 4.10.2, its SHA-256 compared, its axe.min.js
# kept as target/axe/axe.min.js (the test's LOA_AXE default). Prints the path.
# Needs curl, tar and sha256sum; does nothing when the file is already there.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="4.10.2"
sha256="9ea2d2d6917da998122bdacfd3b473e31ead53f4b87146c716a12edf89158100"
dir="${LOA_AXE_DIR:-$repo/target/axe}"
out="$dir/axe.min.js"

if [[ -s "$out" && -f "$dir/.v$version" ]]; then
  echo "$out"
  exit 0
fi
mkdir -p "$dir"
tgz="$dir/axe-core-$version.tgz"
curl -sSfL --retry 3 -o "$tgz.part" "https://registry.npmjs.org/axe-core/-/axe-core-$version.tgz"
got="$(sha256sum "$tgz.part" | cut -d' ' -f1)"
if [[ "$got" != "$sha256" ]]; then
  echo "axe.sh: axe-core-$version.tgz has SHA-256 $got, expected $sha256" >&2
  rm -f "$tgz.part"
  exit 1
fi
mv "$tgz.part" "$tgz"
tar -xzf "$tgz" -C "$dir" --strip-components=1 package/axe.min.js
touch "$dir/.v$version"
echo "$out"
