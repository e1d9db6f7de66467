//! Gapless AAC in MP4/M4A: the audio track's edit list (`moov/trak/edts/elst`) says
//! how many priming samples the encoder put in front (ffmpeg and Apple's encoders:
//! 1024, 21 ms at 48 kHz) and how long the real audio is. symphonia 0.5 reads the
//! list but does not apply it, so a phone recording would air ~21 ms late; `open`
//! applies it with what this file finds. A bounded, read-only box walker: anything
//! unexpected means "no edit", never an error.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The largest `moov` box read into memory (an hour of AAC indexes in ~1 MiB).
const MAX_MOOV: u64 = 16 << 20;

/// The first audio track's edit: seconds to skip at the start, seconds to keep
/// after that (None = to the end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edit {
    pub skip_s: f64,
    pub keep_s: Option<f64>,
}

/// The edit of `path`'s first audio track, when it has one that trims anything.
pub(crate) fn edit(path: &Path) -> Option<Edit> {
    let moov = read_moov(&mut File::open(path).ok()?)?;
    let movie_scale = mvhd_timescale(child(&moov, b"mvhd")?)?;
    for trak in children(&moov)
        .filter(|(t, _)| t == b"trak")
        .map(|(_, b)| b)
    {
        let mdia = child(trak, b"mdia")?;
        let hdlr = child(mdia, b"hdlr")?;
        if hdlr.get(8..12) != Some(b"soun") {
            continue;
        }
        let media_scale = mdhd_timescale(child(mdia, b"mdhd")?)?;
        let elst = child(child(trak, b"edts")?, b"elst")?;
        let (seg, media_time) = first_edit(elst)?;
        let skip_s = media_time as f64 / f64::from(media_scale);
        let keep_s = (seg > 0).then(|| seg as f64 / f64::from(movie_scale));
        return (skip_s > 0.0).then_some(Edit { skip_s, keep_s });
    }
    None
}

/// How long `path` declares its audio (the first sound track's `mdhd`, else
/// the movie's `mvhd`), without decoding; None when it does not say.
pub(crate) fn declared(path: &Path) -> Option<std::time::Duration> {
    let moov = read_moov(&mut File::open(path).ok()?)?;
    let sound = children(&moov)
        .filter(|(t, _)| t == b"trak")
        .filter_map(|(_, trak)| child(trak, b"mdia"))
        .find(|mdia| child(mdia, b"hdlr").and_then(|h| h.get(8..12)) == Some(b"soun"))
        .and_then(|mdia| child(mdia, b"mdhd"))
        .and_then(header_seconds);
    sound
        .or_else(|| child(&moov, b"mvhd").and_then(header_seconds))
        .map(std::time::Duration::from_secs_f64)
}

/// `mvhd` / `mdhd`: duration over timescale, in seconds.
fn header_seconds(b: &[u8]) -> Option<f64> {
    let scale = mvhd_timescale(b)?;
    let units = if *b.first()? == 1 {
        be64(b, 24)?
    } else {
        u64::from(be32(b, 16)?)
    };
    // All ones means "unknown" in both versions.
    (units != u64::from(u32::MAX) && units != u64::MAX).then(|| units as f64 / f64::from(scale))
}

/// The body of the top-level `moov` box (walking the file's boxes by seeking).
fn read_moov(f: &mut File) -> Option<Vec<u8>> {
    let len = f.metadata().ok()?.len();
    let mut at = 0u64;
    while at + 8 <= len {
        f.seek(SeekFrom::Start(at)).ok()?;
        let mut h = [0u8; 16];
        f.read_exact(&mut h[..8]).ok()?;
        let mut size = u64::from(u32::from_be_bytes(h[..4].try_into().ok()?));
        let mut head = 8;
        if size == 1 {
            f.read_exact(&mut h[8..16]).ok()?;
            size = u64::from_be_bytes(h[8..16].try_into().ok()?);
            head = 16;
        } else if size == 0 {
            size = len - at;
        }
        if size < head {
            return None;
        }
        if &h[4..8] == b"moov" {
            let body = size - head;
            if body > MAX_MOOV {
                return None;
            }
            let mut buf = vec![0u8; usize::try_from(body).ok()?];
            f.read_exact(&mut buf).ok()?;
            return Some(buf);
        }
        at = at.checked_add(size)?;
    }
    None
}

/// The (type, body) boxes inside `data`, stopping at the first malformed one.
fn children(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let size = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let kind: [u8; 4] = rest.get(4..8)?.try_into().ok()?;
        let (head, size) = match size {
            1 => (
                16,
                usize::try_from(u64::from_be_bytes(rest.get(8..16)?.try_into().ok()?)).ok()?,
            ),
            0 => (8, rest.len()),
            s => (8, s),
        };
        let body = rest.get(head..size)?;
        rest = &rest[size..];
        Some((kind, body))
    })
}

fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    children(data).find(|(t, _)| t == kind).map(|(_, b)| b)
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// `mvhd` and `mdhd` share their start: version, flags, two times, the timescale.
fn mvhd_timescale(b: &[u8]) -> Option<u32> {
    let scale = if *b.first()? == 1 {
        be32(b, 20)?
    } else {
        be32(b, 12)?
    };
    (scale > 0).then_some(scale)
}

fn mdhd_timescale(b: &[u8]) -> Option<u32> {
    mvhd_timescale(b)
}

/// The first non-empty edit: (segment duration in movie units, media time in
/// media units).
fn first_edit(b: &[u8]) -> Option<(u64, u64)> {
    let v1 = *b.first()? == 1;
    let count = be32(b, 4)? as usize;
    let width = if v1 { 20 } else { 12 };
    for i in 0..count.min(64) {
        let at = 8 + i * width;
        let (seg, media) = if v1 {
            (be64(b, at)?, be64(b, at + 8)? as i64)
        } else {
            (u64::from(be32(b, at)?), i64::from(be32(b, at + 4)? as i32))
        };
        if media >= 0 {
            return Some((seg, media as u64));
        }
    }
    None
}
