//! The MP4/M4A index checked before symphonia reads it. symphonia 0.5 sizes its
//! tables from the counts the file declares (`Vec::with_capacity(count)` in
//! `stts`, `stsc`, `stsz`, `stco`, `co64`, `ctts`, …): a 2 KB upload claiming
//! four billion entries makes it allocate 32 GiB, and the failed allocation
//! aborts the whole process (the hub with it) — no panic to catch. Found by the
//! `upload` fuzz target (`fuzz/crashes/`).
//!
//! The rule, checked on every box of `moov` and `moof` before decoding: each box
//! lies inside its parent, and each table's declared entries fit in its own box.
//! Then nothing symphonia sizes from the index can exceed the file's own size.
//! Pure over bytes (the boxes are read with `mp4`'s bounded reader).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The largest `moov`/`moof` read to check (an hour of AAC indexes in ~1 MiB).
const MAX_INDEX: u64 = 16 << 20;

/// Boxes whose body is only other boxes.
const CONTAINERS: [&[u8; 4]; 11] = [
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf",
    b"udta",
];

/// Check `path`'s index; `Err` says what does not fit, for the refusal.
pub(crate) fn check(path: &Path) -> Result<(), String> {
    let mut f = File::open(path).map_err(|e| e.to_string())?;
    let len = f.metadata().map_err(|e| e.to_string())?.len();
    let mut at = 0u64;
    while at + 8 <= len {
        f.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
        let mut h = [0u8; 16];
        f.read_exact(&mut h[..8]).map_err(|e| e.to_string())?;
        let kind: [u8; 4] = h[4..8].try_into().unwrap_or_default();
        let mut size = u64::from(u32::from_be_bytes(h[..4].try_into().unwrap_or_default()));
        let mut head = 8;
        if size == 1 {
            f.read_exact(&mut h[8..16]).map_err(|e| e.to_string())?;
            size = u64::from_be_bytes(h[8..16].try_into().unwrap_or_default());
            head = 16;
        } else if size == 0 {
            size = len - at;
        }
        let index = &kind == b"moov" || &kind == b"moof";
        if size < head || size > len - at {
            // A recording cut short overruns with its last box: only an index
            // that does not fit is refused (the walk stops either way).
            return match index {
                true => Err(format!("box {} does not fit in the file", name(&kind))),
                false => Ok(()),
            };
        }
        if index {
            let body = size - head;
            if body > MAX_INDEX {
                return Err(format!("its index ({} bytes) is too large", body));
            }
            let mut buf = vec![0u8; usize::try_from(body).map_err(|e| e.to_string())?];
            f.read_exact(&mut buf).map_err(|e| e.to_string())?;
            boxes(&buf, 0)?;
        }
        at += size;
    }
    Ok(())
}

/// Every box in `data` fits, and so do the tables and containers inside.
fn boxes(data: &[u8], depth: usize) -> Result<(), String> {
    if depth > 16 {
        return Err("its boxes nest too deep".into());
    }
    let mut rest = data;
    while !rest.is_empty() {
        if rest.len() < 8 {
            return Err("a box is cut short".into());
        }
        let kind: [u8; 4] = rest[4..8].try_into().unwrap_or_default();
        let (head, size) = match u32::from_be_bytes(rest[..4].try_into().unwrap_or_default()) {
            1 => {
                let big = rest
                    .get(8..16)
                    .and_then(|b| b.try_into().ok())
                    .map(u64::from_be_bytes)
                    .ok_or("a box is cut short")?;
                (16, usize::try_from(big).unwrap_or(usize::MAX))
            }
            0 => (8, rest.len()),
            s => (8, s as usize),
        };
        if size < head || size > rest.len() {
            return Err(format!("box {} does not fit in its parent", name(&kind)));
        }
        let body = &rest[head..size];
        if CONTAINERS.contains(&&kind) {
            boxes(body, depth + 1)?;
        } else if &kind == b"meta" {
            // ISO's `meta` is a full box (version and flags, then boxes);
            // QuickTime's (iPhone recordings) has no version: either may hold.
            boxes(body.get(4..).unwrap_or_default(), depth + 1)
                .or_else(|_| boxes(body, depth + 1))?;
        } else if let Some((count, width)) = table(&kind, body) {
            let need = count.saturating_mul(width);
            if need > body.len() as u64 {
                return Err(format!(
                    "table {} declares {count} entries in {} bytes",
                    name(&kind),
                    body.len()
                ));
            }
        }
        rest = &rest[size..];
    }
    Ok(())
}

/// A table box's declared entry count and the bytes each entry takes.
fn table(kind: &[u8; 4], body: &[u8]) -> Option<(u64, u64)> {
    let be32 = |at: usize| -> Option<u64> {
        Some(u64::from(u32::from_be_bytes(
            body.get(at..at + 4)?.try_into().ok()?,
        )))
    };
    let version = *body.first()?;
    let flags = be32(0)? & 0x00ff_ffff;
    match kind {
        b"stts" | b"ctts" => Some((be32(4)?, 8)),
        b"stsc" => Some((be32(4)?, 12)),
        b"stco" | b"stss" => Some((be32(4)?, 4)),
        b"co64" => Some((be32(4)?, 8)),
        b"elst" => Some((be32(4)?, if version == 1 { 20 } else { 12 })),
        // A sample size of 0 means one size per sample follows.
        b"stsz" => Some((if be32(4)? == 0 { be32(8)? } else { 0 }, 4)),
        b"trun" => {
            let per = [0x100, 0x200, 0x400, 0x800]
                .iter()
                .filter(|f| flags & **f != 0)
                .count() as u64;
            Some((be32(4)?, 4 * per))
        }
        _ => None,
    }
}

fn name(kind: &[u8; 4]) -> String {
    String::from_utf8_lossy(kind).escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn file_with(stbl_child: Vec<u8>) -> tempfile::NamedTempFile {
        let stbl = bx(b"stbl", &stbl_child);
        let moov = bx(b"moov", &bx(b"trak", &bx(b"mdia", &bx(b"minf", &stbl))));
        let mut all = bx(b"ftyp", b"M4A \0\0\0\0");
        all.extend(moov);
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), all).unwrap();
        f
    }

    #[test]
    fn tables_that_fit_pass_and_lying_counts_are_named() {
        let ok = file_with(bx(
            b"stts",
            &[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 4, 0],
        ));
        assert_eq!(check(ok.path()), Ok(()));
        let lie = file_with(bx(
            b"stts",
            &[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2],
        ));
        let e = check(lie.path()).unwrap_err();
        assert!(e.contains("stts declares 4294967295 entries"), "{e}");
        let stsz = file_with(bx(b"stsz", &[0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0]));
        assert!(check(stsz.path()).unwrap_err().contains("stsz"));
        // A fixed sample size needs no table.
        let fixed = file_with(bx(b"stsz", &[0, 0, 0, 0, 0, 0, 4, 0, 0x10, 0, 0, 0]));
        assert_eq!(check(fixed.path()), Ok(()));
        let wide = file_with(bx(b"stsc", &[0, 0, 0, 0, 0x6c, 0x6c, 0x6c, 0x6c]));
        assert!(check(wide.path()).unwrap_err().contains("stsc"));
    }

    #[test]
    fn meta_boxes_of_both_kinds_pass() {
        let hdlr = bx(b"hdlr", &[0; 25]);
        let mut iso = vec![0, 0, 0, 0];
        iso.extend(&hdlr);
        let quicktime = hdlr.clone();
        for meta in [iso, quicktime] {
            let stbl = bx(b"stco", &[0, 0, 0, 0, 0, 0, 0, 0]);
            let mut moov_body = bx(b"trak", &bx(b"mdia", &bx(b"minf", &bx(b"stbl", &stbl))));
            moov_body.extend(bx(b"meta", &meta));
            let mut all = bx(b"ftyp", b"M4A \0\0\0\0");
            all.extend(bx(b"moov", &moov_body));
            let f = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(f.path(), all).unwrap();
            assert_eq!(check(f.path()), Ok(()));
        }
    }

    #[test]
    fn a_box_larger_than_its_parent_is_refused() {
        let mut child = bx(b"stco", &[0, 0, 0, 0, 0, 0, 0, 0]);
        child[..4].copy_from_slice(&0x6c6c_6c6cu32.to_be_bytes());
        let e = check(file_with(child).path()).unwrap_err();
        assert!(e.contains("does not fit"), "{e}");
    }
}
