#!/usr/bin/env bash
# fuzz/seed.sh — regenerate the seed corpus (fuzz/corpus/TARGET/seed-*) from the
# repo's fixtures: the example configs, documents shaped like the tests' ones, and
# the audio/ clips cut to their first few KiB (headers and a few frames: enough
# for the decoders, small enough to commit). Needs bash, coreutils, sha256sum;
# sox and ffmpeg (optional) add a WAV and an M4A clip. Deterministic otherwise.
# Inputs that once crashed a target are kept beside them as seed-regress-*.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=..
c=corpus
for t in config manifest programs_doc heartbeat asrun upload relay_demux; do
  mkdir -p "$c/$t"
  # seed-regress-*: inputs that once crashed a target, kept by hand (not regenerated)
  find "$c/$t" -name 'seed-*' ! -name 'seed-regress-*' -delete
done

# --- config: the repo's configs, and a programs-only document
for f in "$root"/config/*.toml; do
  cp "$f" "$c/config/seed-$(basename "$f" .toml).toml"
done
programs='[[program]]
id = "sang"
title = "Bản tin buổi sáng"
at = ["05:00", "17:00:30"]
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
from = "2026-01-01"
until = "2030-12-31"
priority = 10
max_duration = "30m"
play = ["chime.ogg", { category = "cai-cach-hanh-chinh", count = 2 }, { silence = "2s" },
  { stream = "http://radio.example.vn/vov1", duration = "15m", fallback = [{ clip = "cchc-2026-11-27" }] }]

[[program]]
id = "khan"
title = "Khẩn cấp"
cron = "0 0 5 * * Mon-Sat"
priority = 100
play = [{ clip = "bao-lu" }]
'
printf '%s' "$programs" >"$c/config/seed-programs.toml"

# --- manifest: signature text NUL manifest
manifest='{"loa_feed":1,"sequence":7,"published_at":"2026-11-27T08:00:00+07:00","expires_at":"2026-12-27T08:00:00+07:00","clips":[{"id":"cchc-2026-11-27","title":"Thủ tục hành chính","category":"cai-cach-hanh-chinh","lang":"vi","path":"clips/cchc-2026-11-27.ogg","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","bytes":41512,"duration_s":12.5,"valid_from":"2026-11-27","valid_until":"2026-12-31","areas":["58","589"],"level":"priority"},{"id":"bao-lu","title":"Báo lũ","category":"khan-cap","path":"clips/bao-lu.mp3","sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae","bytes":86592,"stations":["xa-phuoc-dinh"]}],"broadcasts":[{"id":"bao-lu-1","title":"Báo lũ khẩn","at":"2026-11-28T06:00:00+07:00","play":["bao-lu"],"priority":100,"areas":["58"]}]}'
sig='untrusted comment: signature from loa secret key
RUQf6LRCGA9i51e4KK4DrWCvuCKq2TVgUkA0uMJqMKUJ7h8eHJHeqQVnH8t8Zrq1LUu8Cx38cbu6gKiEuDAlqErmeIqc96Tu3gU=
trusted comment: timestamp:1764205200	file:manifest.json	prehashed
Ch0eOl7J5j3ILSHPnaMG3ZR6aD4zjUrHVgkQq3bo3gv0pzyOVGD7CgfJ3dNbHf7zfQMVRCGMJtpGGbXHMBBJAQ=='
printf '%s\0%s' "$sig" "$manifest" >"$c/manifest/seed-signed"
printf '%s' "$manifest" >"$c/manifest/seed-plain"
printf '{"loa_feed":1,"sequence":1,"published_at":"2026-11-27T08:00:00Z","expires_at":"2026-11-28T08:00:00Z"}' >"$c/manifest/seed-empty"

# --- programs_doc: the hub's signed document for one station
printf 'loa_programs = 1\nstation = "xa-phuoc-dinh"\nsequence = 3\nissued_at = "2026-05-01T08:00:00+07:00"\nexpires_at = "2026-07-01T08:00:00+07:00"\nby = "nguyen-van-a"\n\n%s\n[command]\naction = "play"\ntarget = "sang"\npriority = 50\nby = "nguyen-van-a"\nissued_at = "2026-05-01T08:00:00+07:00"\n' \
  "$programs" >"$c/programs_doc/seed-full"
printf 'loa_programs = 1\nstation = "xa-phuoc-dinh"\nsequence = 1\nissued_at = "2026-05-01T08:00:00Z"\nexpires_at = "2026-07-01T08:00:00Z"\nby = "hub"\n' \
  >"$c/programs_doc/seed-empty"

# --- heartbeat: the shapes tests/common/fake_station.rs sends
own='[[program]]\nid = \"rieng\"\ntitle = \"Riêng\"\nat = [\"06:00\"]\nplay = [\"chime.ogg\"]\n'
own_sha=$(printf "${own//\\\"/\"}" | sha256sum | cut -d' ' -f1)
printf '{"on_air":{"occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","item":"chime.ogg","position_s":12.0},"next":[{"occurrence":"chieu@2026-11-27T17:00:00+07:00","start":"2026-11-27T17:00:00+07:00"}],"feed":{"sequence":7,"last_sync":"2026-11-27T05:01:00+07:00","result":"ok","stale":false},"store":{"clips":1,"bytes":1000},"output":{"device":"null","state":"open"},"version":"0.1.0","uptime_s":600,"clock":"2026-11-27T05:00:12+07:00","disk_free_bytes":1000000000,"errors":["x"],"heartbeat_s":60,"timezone":"Asia/Ho_Chi_Minh","quiet_hours":["21:30-05:00"],"local_clips":["chime.ogg","ban-tin.mp3"],"programs_sequence":3,"programs_error":null,"own_programs_sha256":"%s","own_programs":"%s"}' \
  "$own_sha" "$own" >"$c/heartbeat/seed-full"
printf '{"on_air":null,"next":[],"feed":null,"store":{"clips":0,"bytes":0},"output":{"device":"null","state":"closed"},"version":"0.1.0","uptime_s":3,"clock":"2026-11-27T05:00:12Z","disk_free_bytes":1,"errors":[]}' \
  >"$c/heartbeat/seed-min"

# --- asrun: a chained log of the shapes src/record/tests write
genesis=0000000000000000000000000000000000000000000000000000000000000000
l1='{"event":"on_air","occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","title":"Bản tin sáng","scheduled":"2026-11-27T05:00:00.000+07:00","started":"2026-11-27T05:00:00.004+07:00","prev":"'$genesis'"}'
h1=$(printf '%s' "$l1" | sha256sum | cut -d' ' -f1)
l2='{"event":"outcome","occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","title":"Bản tin sáng","scheduled":"2026-11-27T05:00:00.000+07:00","started":"2026-11-27T05:00:00.004+07:00","ended":"2026-11-27T05:01:00.000+07:00","outcome":"aired","items":[{"name":"chime.ogg","sha256":"'$genesis'","seconds":5.2},{"name":"stream http://ice/vov1","seconds":19.5,"error":"lost at +8.1 s (closed); fallback aired"}],"prev":"'$h1'"}'
printf '%s\n%s\n' "$l1" "$l2" >"$c/asrun/seed-chain"
printf '%s\n%s' "$l1" "${l2:0:80}" >"$c/asrun/seed-torn"

# --- audio: the clips cut short (first 6 KiB), plus a WAV and an M4A if the tools are here
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$root"/audio/*.ogg "$root"/audio/*.mp3 "$root"/audio/*.flac; do
  head -c 6144 "$f" >"$tmp/$(basename "$f")"
done
if command -v sox >/dev/null; then
  sox -n -r 8000 -c 1 -b 16 "$tmp/tone.wav" synth 0.05 sine 440 2>/dev/null || true
fi
if command -v ffmpeg >/dev/null; then
  ffmpeg -loglevel error -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=0.2" \
    -c:a aac -b:a 16k "$tmp/tone.m4a" 2>/dev/null || true
fi
crlf=$'\r\n'
for f in "$tmp"/*; do
  [ -f "$f" ] || continue
  n=$(basename "$f")
  {
    printf -- '--loafuzz%sContent-Disposition: form-data; name="title"%s%sBản tin%s' "$crlf" "$crlf" "$crlf" "$crlf"
    printf -- '--loafuzz%sContent-Disposition: form-data; name="file"; filename="%s"%sContent-Type: application/octet-stream%s%s' "$crlf" "$n" "$crlf" "$crlf" "$crlf"
    cat "$f"
    printf '%s--loafuzz--%s' "$crlf" "$crlf"
  } >"$c/upload/seed-$n"
  case "$n" in
  *.ogg | *.mp3)
    # relay: first byte = bytes per read (0x3f: 64), then the stream
    { printf '\x3f'; cat "$f"; } >"$c/relay_demux/seed-$n"
    ;;
  esac
done
# an ID3v2 tag (10-byte header, 16 bytes of frame) before an MPEG frame
{ printf '\x00ID3\x04\x00\x00\x00\x00\x00\x10'; head -c 16 /dev/zero; head -c 2048 "$tmp/ban-tin.mp3"; } \
  >"$c/relay_demux/seed-id3"
du -sh "$c"
