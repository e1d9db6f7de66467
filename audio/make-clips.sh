#!/usr/bin/env bash
# make-clips.sh — (re)generate loa's small bundled demo/test clips.
#
# Uses espeak-ng (Vietnamese speech) and sox (tones, resampling, encoding), plus
# the lame CLI for the MP3 when it is installed (see ban-tin.mp3 below). On Debian:
#   apt-get install --no-install-recommends espeak-ng sox libsox-fmt-base libsox-fmt-mp3 lame
#
# Writes, next to this script:
#   chime.ogg     three-tone opening chime, ~2.6 s, 48 kHz stereo, Ogg Vorbis
#   thong-bao.ogg short Vietnamese announcement (espeak-ng -v vi), 48 kHz mono, Ogg Vorbis
#   ban-tin.mp3   ~11 s Vietnamese news item (online public services), 48 kHz mono,
#                 MP3 64 kbit/s CBR with a LAME/Info header (gapless: encoder delay trimmable)
#   ket-thuc.flac short two-tone closing signal, ~1.3 s, 48 kHz mono, FLAC
#
# Usage:  audio/make-clips.sh           # make the clips that are missing
#         audio/make-clips.sh --force   # remake all of them
#
# Idempotent: existing clips are left alone unless --force is given, each file is
# written to a temporary name and renamed into place (an interrupted run never
# leaves a half-written clip), and sox runs in repeatable mode (-R), so with the
# same espeak-ng/sox versions a forced rerun yields byte-identical files.
# The sound clips start on their first sample (no leading silence), so tests can
# measure when a clip went on air.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "make-clips.sh: unknown argument '$1' (try --force or --help)" >&2; exit 2 ;;
esac

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "make-clips.sh: '$tool' not found; install it: apt-get install espeak-ng sox libsox-fmt-base libsox-fmt-mp3" >&2
    exit 1
  }
done
for fmt in vorbis mp3 flac; do
  sox -h 2>/dev/null | grep -q "AUDIO FILE FORMATS:.* $fmt" || {
    echo "make-clips.sh: this sox cannot write $fmt; install libsox-fmt-base and libsox-fmt-mp3" >&2
    exit 1
  }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

SOX=(sox -R -V1)    # repeatable output, errors only

# want NAME: true when NAME should be (re)made
want() { [[ $force -eq 1 || ! -s "$here/$1" ]]; }

# publish NAME: move the finished temp file into place atomically
publish() { mv -f "$tmp/$1" "$here/$1"; echo "wrote audio/$1 ($(stat -c %s "$here/$1") bytes)"; }

# bell FREQ SECONDS OUT: one bell-like note, struck at t=0 and decaying
# (fundamental plus a soft octave and twelfth, 4 ms attack, then a (1-t)^2 decay).
bell() {
  local f="$1" len="$2" out="$3"
  "${SOX[@]}" -n -r 48000 -c 1 -b 16 "$tmp/f.wav"  synth "$len" sine "$f"
  "${SOX[@]}" -n -r 48000 -c 1 -b 16 "$tmp/o.wav"  synth "$len" sine "$(awk "BEGIN{print $f*2}")"
  "${SOX[@]}" -n -r 48000 -c 1 -b 16 "$tmp/t.wav"  synth "$len" sine "$(awk "BEGIN{print $f*3}")"
  "${SOX[@]}" -m -v 0.6 "$tmp/f.wav" -v 0.25 "$tmp/o.wav" -v 0.1 "$tmp/t.wav" "$out" \
    fade q 0.004 "$len" "$(awk "BEGIN{print $len-0.004}")" fade t 0 "$len" "$len" fade t 0 "$len" "$len"
}

# speak TEXT SPEED OUT: Vietnamese speech, leading silence trimmed, 48 kHz mono
speak() {
  local text="$1" speed="$2" out="$3"
  espeak-ng -v vi -s "$speed" -w "$tmp/raw.wav" "$text"
  "${SOX[@]}" "$tmp/raw.wav" -r 48000 -c 1 -b 16 "$out" \
    silence 1 0.005 0.3% reverse silence 1 0.005 0.3% reverse \
    rate -v 48k pad 0 0.3 norm -2
}

if want chime.ogg; then
  # G5 - E5 - C5, 0.6 s apart, each ringing 1.4 s: "ding - dong - dang", ~2.6 s.
  bell 783.99 1.4 "$tmp/n1.wav"
  bell 659.25 1.4 "$tmp/n2.wav"
  bell 523.25 1.4 "$tmp/n3.wav"
  "${SOX[@]}" -m "$tmp/n1.wav" "|sox -R -V1 $tmp/n2.wav -p pad 0.6" "|sox -R -V1 $tmp/n3.wav -p pad 1.2" \
    -r 48000 -c 2 "$tmp/chime.wav" norm -3
  "${SOX[@]}" "$tmp/chime.wav" -C 2 "$tmp/chime.ogg"
  publish chime.ogg
fi

if want thong-bao.ogg; then
  speak "Đài truyền thanh xã xin thông báo. Đây là bản tin thử nghiệm của hệ thống loa." 150 "$tmp/thong-bao.wav"
  "${SOX[@]}" "$tmp/thong-bao.wav" -C 1 "$tmp/thong-bao.ogg"
  publish thong-bao.ogg
fi

if want ban-tin.mp3; then
  speak "Bản tin cải cách hành chính. Từ tháng này, bà con có thể nộp hồ sơ thủ tục hành chính trực tuyến trên Cổng dịch vụ công quốc gia, không cần đến trụ sở Ủy ban xã." 155 "$tmp/ban-tin.wav"
  # sox 14.4's MP3 writer never writes the LAME/Info header, so players cannot
  # trim the encoder delay (~25 ms of padding at the start: the clip would air
  # late). The lame CLI (same encoder library) writes it, at >= 64 kbit/s where
  # the header fits in the first frame. Use it when present, else fall back to sox.
  if command -v lame >/dev/null 2>&1; then
    lame --quiet -b 64 -m m --resample 48 --noreplaygain "$tmp/ban-tin.wav" "$tmp/ban-tin.mp3"
  else
    echo "make-clips.sh: 'lame' not found; ban-tin.mp3 made by sox has no gapless (LAME) header" >&2
    "${SOX[@]}" "$tmp/ban-tin.wav" -C 64 "$tmp/ban-tin.mp3"
  fi
  publish ban-tin.mp3
fi

if want ket-thuc.flac; then
  # C5 then G4, a falling "dang - dong" that closes a session, ~1.3 s.
  bell 523.25 0.9 "$tmp/k1.wav"
  bell 392.00 0.9 "$tmp/k2.wav"
  "${SOX[@]}" -m "$tmp/k1.wav" "|sox -R -V1 $tmp/k2.wav -p pad 0.4" "$tmp/ket-thuc.wav" norm -3
  "${SOX[@]}" "$tmp/ket-thuc.wav" -C 8 "$tmp/ket-thuc.flac"
  publish ket-thuc.flac
fi

[[ $force -eq 1 ]] || echo "audio clips are up to date (audio/make-clips.sh --force remakes them)"
