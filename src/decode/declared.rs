//! What a file's own headers declare, read without decoding: its length (WAV
//! data size / byte rate, FLAC STREAMINFO total samples, the Ogg stream's last
//! granule, MP3 Xing/VBRI frame count or size / bitrate, MP4 `mdhd`/`mvhd`), so
//! the hub can refuse a decode bomb (hours of silence in a few MB) before it
//! spends CPU on it; and the guard against a zero sample rate or channel count
//! in a WAV, FLAC or Ogg header, which symphonia does not survive (it panics).
//!
//! Bounded reads only (a header, one chunk walk, the file's last 64 KiB); a
//! header that says nothing gives `None`, never an error.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use super::{sniff_file, DecodeError, Format};

/// How far into an MP3 the first frame is looked for, and how much of an Ogg's
/// end is searched for its last page.
const SCAN: u64 = 64 * 1024;
/// The most RIFF chunks walked before `data`.
const MAX_CHUNKS: usize = 256;

fn invalid(path: &Path, what: &str) -> DecodeError {
    DecodeError::Decode {
        path: path.to_path_buf(),
        reason: format!("not a valid audio file: its header says {what}"),
    }
}

fn read_at(f: &mut File, at: u64, buf: &mut [u8]) -> Option<usize> {
    f.seek(SeekFrom::Start(at)).ok()?;
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(got)
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Refuse a header whose sample rate or channel count is zero (WAV, FLAC,
/// Ogg Vorbis); anything else passes (the decoder judges it).
pub(crate) fn guard(path: &Path, format: Option<Format>) -> Result<(), DecodeError> {
    let Ok(mut f) = File::open(path) else {
        return Ok(());
    };
    match format {
        Some(Format::Wav) => wav(&mut f, path).map(|_| ()),
        Some(Format::Flac) => flac(&mut f, path).map(|_| ()),
        Some(Format::Ogg) => ogg_rate(&mut f, path).map(|_| ()),
        _ => Ok(()),
    }
}

/// How long `path` says its audio lasts; `Ok(None)` when its headers do not
/// say; `Err` when they are impossible (a zero sample rate).
pub fn declared(path: &Path) -> Result<Option<Duration>, DecodeError> {
    let Ok(mut f) = File::open(path) else {
        return Ok(None);
    };
    match sniff_file(path) {
        Some(Format::Wav) => wav(&mut f, path),
        Some(Format::Flac) => flac(&mut f, path),
        Some(Format::Ogg) => {
            let rate = ogg_rate(&mut f, path)?;
            Ok(rate.and_then(|r| ogg_last_granule(&mut f).map(|g| secs(g as f64 / f64::from(r)))))
        }
        Some(Format::Mp3) => Ok(mp3(&mut f)),
        Some(Format::M4a) => Ok(super::mp4::declared(path)),
        None => Ok(None),
    }
}

fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX)
}

/// RIFF/WAVE: `fmt ` gives the rate and byte rate, `data` the size (capped at
/// what the file holds, so a streaming writer's placeholder size is harmless).
fn wav(f: &mut File, path: &Path) -> Result<Option<Duration>, DecodeError> {
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut at = 12u64;
    let mut byte_rate = None;
    for _ in 0..MAX_CHUNKS {
        let mut h = [0u8; 24];
        let Some(got) = read_at(f, at, &mut h) else {
            break;
        };
        if got < 8 {
            break;
        }
        let size = u64::from(le32(&h, 4).unwrap_or(0));
        match &h[..4] {
            b"fmt " => {
                if got < 24 {
                    return Err(invalid(path, "a truncated format chunk"));
                }
                let channels = le16(&h, 10).unwrap_or(0);
                let rate = le32(&h, 12).unwrap_or(0);
                let bytes = le32(&h, 16).unwrap_or(0);
                if rate == 0 {
                    return Err(invalid(path, "a sample rate of 0 Hz"));
                }
                if channels == 0 {
                    return Err(invalid(path, "0 channels"));
                }
                byte_rate = Some(bytes);
            }
            b"data" => {
                let held = len.saturating_sub(at + 8);
                return Ok(byte_rate
                    .filter(|b| *b > 0)
                    .map(|b| secs(size.min(held) as f64 / f64::from(b))));
            }
            _ => {}
        }
        at = at.saturating_add(8 + size + (size & 1));
        if at >= len {
            break;
        }
    }
    Ok(None)
}

/// FLAC: STREAMINFO, the first metadata block (20-bit rate, 36-bit total samples).
fn flac(f: &mut File, path: &Path) -> Result<Option<Duration>, DecodeError> {
    let mut h = [0u8; 8 + 34];
    if read_at(f, 0, &mut h) != Some(h.len()) || h[4] & 0x7F != 0 {
        return Ok(None);
    }
    let si = &h[8..];
    let rate = (u32::from(si[10]) << 12) | (u32::from(si[11]) << 4) | (u32::from(si[12]) >> 4);
    if rate == 0 {
        return Err(invalid(path, "a sample rate of 0 Hz"));
    }
    let total = (u64::from(si[13] & 0x0F) << 32) | u64::from(be32(si, 14).unwrap_or(0));
    Ok((total > 0).then(|| secs(total as f64 / f64::from(rate))))
}

/// The rate granules count in, from the first page's identification header
/// (Vorbis: its rate; Opus: always 48 kHz); `None` for other codecs.
fn ogg_rate(f: &mut File, path: &Path) -> Result<Option<u32>, DecodeError> {
    let mut h = [0u8; 27 + 255 + 32];
    let Some(got) = read_at(f, 0, &mut h) else {
        return Ok(None);
    };
    let h = &h[..got];
    let Some(&segments) = h.get(26) else {
        return Ok(None);
    };
    let body = 27 + usize::from(segments);
    let Some(packet) = h.get(body..) else {
        return Ok(None);
    };
    if packet.starts_with(b"\x01vorbis") {
        let channels = packet.get(11).copied().unwrap_or(0);
        let rate = le32(packet, 12).unwrap_or(0);
        if rate == 0 {
            return Err(invalid(path, "a sample rate of 0 Hz"));
        }
        if channels == 0 {
            return Err(invalid(path, "0 channels"));
        }
        return Ok(Some(rate));
    }
    Ok(packet.starts_with(b"OpusHead").then_some(48_000))
}

/// The granule position of the file's last page that has one.
fn ogg_last_granule(f: &mut File) -> Option<u64> {
    let len = f.metadata().ok()?.len();
    let from = len.saturating_sub(SCAN);
    let mut buf = vec![0u8; usize::try_from(len - from).ok()?];
    let got = read_at(f, from, &mut buf)?;
    let buf = &buf[..got];
    let mut end = buf.len();
    while let Some(i) = buf[..end].windows(4).rposition(|w| w == b"OggS") {
        if let Some(g) = buf.get(i + 6..i + 14) {
            let g = u64::from_le_bytes(g.try_into().ok()?);
            if buf.get(i + 4) == Some(&0) && g != u64::MAX {
                return Some(g);
            }
        }
        end = i;
    }
    None
}

/// MPEG audio Layer III: the first frame after any ID3v2 tag; its Xing/Info or
/// VBRI header's frame count, else the file's size over the frame's bitrate.
fn mp3(f: &mut File) -> Option<Duration> {
    let len = f.metadata().ok()?.len();
    let mut id3 = [0u8; 10];
    read_at(f, 0, &mut id3)?;
    let mut start = 0u64;
    if &id3[..3] == b"ID3" {
        let size = id3[6..10]
            .iter()
            .fold(0u64, |a, b| (a << 7) | u64::from(b & 0x7F));
        start = 10 + size + if id3[5] & 0x10 != 0 { 10 } else { 0 };
    }
    let mut buf = vec![0u8; usize::try_from(SCAN.min(len.saturating_sub(start))).ok()?];
    let got = read_at(f, start, &mut buf)?;
    let buf = &buf[..got];
    let (at, frame) = (0..buf.len().saturating_sub(4))
        .find_map(|i| Mp3Frame::parse(&buf[i..i + 4]).map(|fr| (i, fr)))?;
    let side = match (frame.mpeg1, frame.mono) {
        (true, false) => 32,
        (true, true) => 17,
        (false, false) => 17,
        (false, true) => 9,
    };
    let per_frame = f64::from(frame.samples) / f64::from(frame.rate);
    let xing = at + 4 + side;
    if let Some(tag) = buf.get(xing..xing + 4) {
        if (tag == b"Xing" || tag == b"Info") && be32(buf, xing + 4)? & 1 == 1 {
            return Some(secs(f64::from(be32(buf, xing + 8)?) * per_frame));
        }
    }
    let vbri = at + 4 + 32;
    if buf.get(vbri..vbri + 4) == Some(b"VBRI") {
        return Some(secs(f64::from(be32(buf, vbri + 14)?) * per_frame));
    }
    let audio = len.saturating_sub(start + at as u64);
    Some(secs(audio as f64 * 8.0 / f64::from(frame.kbps * 1000)))
}

struct Mp3Frame {
    mpeg1: bool,
    mono: bool,
    kbps: u32,
    rate: u32,
    samples: u32,
}

impl Mp3Frame {
    fn parse(h: &[u8]) -> Option<Mp3Frame> {
        const V1: [u32; 15] = [
            0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
        ];
        const V2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
            return None;
        }
        let version = (h[1] >> 3) & 3;
        let layer = (h[1] >> 1) & 3;
        if version == 1 || layer != 1 {
            return None;
        }
        let mpeg1 = version == 3;
        let kbps = *(if mpeg1 { &V1 } else { &V2 }).get(usize::from(h[2] >> 4))?;
        let base = [44_100, 48_000, 32_000].get(usize::from((h[2] >> 2) & 3))?;
        let rate = match version {
            3 => *base,
            2 => base / 2,
            _ => base / 4,
        };
        (kbps > 0).then_some(Mp3Frame {
            mpeg1,
            mono: h[3] >> 6 == 3,
            kbps,
            rate,
            samples: if mpeg1 { 1152 } else { 576 },
        })
    }
}

#[cfg(test)]
#[path = "declared_tests.rs"]
mod tests;
