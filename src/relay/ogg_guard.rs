//! Guards the Vorbis decoder against setup headers that claim absurd sizes. The
//! decoder allocates codebook tables from sizes in the stream before checking them
//! (entries × dimensions floats, one value per entry): a few dozen bytes can claim
//! terabytes, and a failed allocation aborts the whole daemon. This reads the Ogg
//! stream page by page as it passes (no extra latency: the decoder works in whole
//! pages too), collects each logical stream's header packets — also of every chained
//! stream that follows — and refuses a setup header whose codebooks are too large.
//! Bytes are passed on unchanged; it never decodes audio.

use std::io::{self, Read, Seek, SeekFrom};

/// Bounds no real encoder comes near (libvorbis' largest books have a few
/// thousand entries and at most 8 dimensions).
const MAX_ENTRIES: u64 = 1 << 18;
const MAX_TOTAL_ENTRIES: u64 = 1 << 21;
const MAX_VQ_VALUES: u64 = 1 << 21;
/// A setup header larger than this is refused (real ones are a few KiB).
const MAX_HEADER_PACKET: usize = 1 << 20;

pub(crate) struct OggGuard<R> {
    inner: R,
    /// The page being served, and how much of it is out.
    page: Vec<u8>,
    served: usize,
    /// Bytes read past a non-page stretch: the start of the next page.
    carry: Vec<u8>,
    pos: u64,
    /// Header collection for the stream that began last: its serial, packets
    /// completed so far, and the packet being assembled.
    serial: Option<u32>,
    packets: u8,
    packet: Vec<u8>,
    /// Setup headers checked so far.
    checked: u32,
}

impl<R: Read> OggGuard<R> {
    pub(crate) fn new(inner: R) -> OggGuard<R> {
        OggGuard {
            inner,
            page: Vec::with_capacity(27 + 255 + 255 * 255),
            served: 0,
            carry: Vec::new(),
            pos: 0,
            serial: None,
            packets: 0,
            packet: Vec::new(),
            checked: 0,
        }
    }

    /// Read exactly `n` more bytes onto the page; false at a clean end of stream.
    fn fill(&mut self, n: usize) -> io::Result<bool> {
        let start = self.page.len();
        self.page.resize(start + n, 0);
        let mut got = 0;
        while got < n {
            match self.inner.read(&mut self.page[start + got..]) {
                Ok(0) => {
                    self.page.truncate(start + got);
                    return Ok(false);
                }
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.page.truncate(start + got);
                    return Err(e);
                }
            }
        }
        Ok(true)
    }

    /// Load the next page (or, between pages, the bytes up to the next capture
    /// pattern, which the decoder skips the same way) and check it.
    fn next_page(&mut self) -> io::Result<()> {
        self.page.clear();
        self.served = 0;
        self.page.append(&mut self.carry);
        if self.page.len() < 27 && !self.fill(27 - self.page.len())? {
            return Ok(()); // the end: pass on what is left
        }
        // Always on, whatever the content-type says: the decoder probes the data
        // itself and would take an Ogg stream served as audio/mpeg.
        if &self.page[..4] != b"OggS" || self.page[4] != 0 {
            // Not at a page: serve up to where one may start, keep the rest, so
            // no page slips past unchecked whatever junk comes before it.
            let cut = capture_at(&self.page).unwrap_or(self.page.len());
            self.carry = self.page.split_off(cut);
            return Ok(());
        }
        let nseg = usize::from(self.page[26]);
        if !self.fill(nseg)? {
            return Ok(());
        }
        let lacing: Vec<u8> = self.page[27..27 + nseg].to_vec();
        let body: usize = lacing.iter().map(|l| usize::from(*l)).sum();
        if !self.fill(body)? {
            return Ok(());
        }
        let flags = self.page[5];
        let serial =
            u32::from_le_bytes([self.page[14], self.page[15], self.page[16], self.page[17]]);
        if flags & 0x02 != 0 {
            // Beginning of a logical stream (also a new link of a chain).
            self.serial = Some(serial);
            self.packets = 0;
            self.packet.clear();
        }
        if self.serial != Some(serial) {
            return Ok(());
        }
        let mut at = 27 + nseg;
        for l in lacing {
            let l = usize::from(l);
            self.packet.extend_from_slice(&self.page[at..at + l]);
            at += l;
            if self.packet.len() > MAX_HEADER_PACKET {
                return Err(refuse(format!(
                    "a Vorbis header packet over {MAX_HEADER_PACKET} bytes"
                )));
            }
            if l < 255 {
                self.packets += 1;
                if self.packets == 3 {
                    let setup = std::mem::take(&mut self.packet);
                    check_setup(&setup).map_err(refuse)?;
                    self.checked += 1;
                    self.serial = None;
                    return Ok(());
                }
                self.packet.clear();
            }
        }
        Ok(())
    }
}

/// Where the next page may begin after position 0: the first "OggS", or a
/// trailing "O", "Og" or "Ogg" that may continue in the next read.
fn capture_at(b: &[u8]) -> Option<usize> {
    (1..b.len()).find(|&i| {
        let tail = &b[i..];
        let n = tail.len().min(4);
        tail[..n] == b"OggS"[..n]
    })
}

fn refuse(why: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("refused Ogg stream: {why}"),
    )
}

impl<R: Read> Read for OggGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.served == self.page.len() {
            self.next_page()?;
            if self.page.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.page.len() - self.served);
        buf[..n].copy_from_slice(&self.page[self.served..self.served + n]);
        self.served += n;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R> Seek for OggGuard<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        super::http::position_only(pos, self.pos)
    }
}

/// Vorbis' bit order: least significant bit first.
struct Bits<'a> {
    data: &'a [u8],
    bit: usize,
}

impl Bits<'_> {
    fn read(&mut self, n: u32) -> Option<u64> {
        let mut v = 0u64;
        for i in 0..n {
            let byte = *self.data.get(self.bit / 8)?;
            v |= u64::from((byte >> (self.bit % 8)) & 1) << i;
            self.bit += 1;
        }
        Some(v)
    }

    fn skip(&mut self, n: u64) -> Option<()> {
        let to = self.bit as u64 + n;
        if to > self.data.len() as u64 * 8 {
            return None;
        }
        self.bit = to as usize;
        Some(())
    }
}

fn ilog(x: u64) -> u32 {
    64 - x.leading_zeros()
}

/// Refuse a Vorbis setup header whose codebooks claim more than the bounds. A
/// header that ends early or is not Vorbis is left to the decoder (which fails
/// cleanly on those).
fn check_setup(p: &[u8]) -> Result<(), String> {
    if p.len() < 7 || p[0] != 5 || &p[1..7] != b"vorbis" {
        return Ok(());
    }
    let mut b = Bits {
        data: &p[7..],
        bit: 0,
    };
    let Some(count) = b.read(8) else {
        return Ok(());
    };
    let mut total = 0u64;
    for _ in 0..=count {
        match check_codebook(&mut b, &mut total) {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(e),
            None => return Ok(()),
        }
    }
    Ok(())
}

/// One codebook: None when the data ends (the decoder will say so).
fn check_codebook(b: &mut Bits<'_>, total: &mut u64) -> Option<Result<(), String>> {
    if b.read(24)? != 0x564342 {
        return Some(Ok(())); // the decoder reports the bad sync
    }
    let dims = b.read(16)?;
    let entries = b.read(24)?;
    *total += entries;
    if entries > MAX_ENTRIES || *total > MAX_TOTAL_ENTRIES {
        return Some(Err(format!(
            "a Vorbis codebook of {entries} entries ({} in all so far; at most {MAX_ENTRIES} and {MAX_TOTAL_ENTRIES})",
            *total
        )));
    }
    if b.read(1)? == 0 {
        if b.read(1)? == 1 {
            for _ in 0..entries {
                if b.read(1)? == 1 {
                    b.read(5)?;
                }
            }
        } else {
            b.skip(entries * 5)?;
        }
    } else {
        b.read(5)?;
        let mut cur = 0u64;
        while cur < entries {
            cur += b.read(ilog(entries - cur))?;
        }
    }
    let lookup = b.read(4)?;
    if lookup == 1 || lookup == 2 {
        let values = entries * dims;
        if values > MAX_VQ_VALUES {
            return Some(Err(format!(
                "a Vorbis codebook of {entries} entries × {dims} dimensions (at most {MAX_VQ_VALUES} values)"
            )));
        }
        b.skip(32 + 32)?;
        let value_bits = b.read(4)? + 1;
        b.read(1)?;
        let count = if lookup == 1 {
            lookup1_values(entries, dims)
        } else {
            values
        };
        b.skip(count * value_bits)?;
    }
    Some(Ok(()))
}

/// The largest r with r^dims ≤ entries (Vorbis I, 9.2.3), computed without floats.
fn lookup1_values(entries: u64, dims: u64) -> u64 {
    if dims == 0 {
        return 0;
    }
    let fits = |r: u64| {
        let mut v: u64 = 1;
        for _ in 0..dims {
            v = match v.checked_mul(r) {
                Some(v) if v <= entries => v,
                _ => return false,
            };
        }
        true
    };
    let mut r = 0;
    while fits(r + 1) {
        r += 1;
    }
    r
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An Ogg stream whose setup header claims 2^24 entries × 65535 dimensions.
    pub(in crate::relay) fn hostile_stream() -> Vec<u8> {
        [
            page(2, 7, &[b"\x01vorbis id", b"\x03vorbis comments"]),
            page(0, 7, &[&setup((1 << 24) - 1, 65535)]),
            page(0, 7, &[&[0u8; 200]]),
        ]
        .concat()
    }

    /// Bits written least significant first, as Vorbis packs them.
    #[derive(Default)]
    struct Writer {
        bytes: Vec<u8>,
        bit: usize,
    }

    impl Writer {
        fn put(&mut self, v: u64, n: u32) {
            for i in 0..n {
                if self.bit.is_multiple_of(8) {
                    self.bytes.push(0);
                }
                let last = self.bytes.len() - 1;
                self.bytes[last] |= (((v >> i) & 1) as u8) << (self.bit % 8);
                self.bit += 1;
            }
        }
    }

    /// A setup packet with one length-ordered codebook of `entries` × `dims`,
    /// lookup type 1.
    fn setup(entries: u64, dims: u64) -> Vec<u8> {
        let mut w = Writer::default();
        w.put(0, 8); // one codebook
        w.put(0x564342, 24);
        w.put(dims, 16);
        w.put(entries, 24);
        w.put(1, 1); // ordered
        w.put(0, 5);
        w.put(entries, ilog(entries));
        w.put(1, 4); // lookup type 1
        w.put(0, 32);
        w.put(0, 32);
        w.put(0, 4);
        w.put(0, 1);
        for _ in 0..lookup1_values(entries, dims) {
            w.put(0, 1);
        }
        let mut p = vec![5];
        p.extend_from_slice(b"vorbis");
        p.extend(w.bytes);
        p
    }

    fn page(flags: u8, serial: u32, packets: &[&[u8]]) -> Vec<u8> {
        let mut lacing = Vec::new();
        let mut body = Vec::new();
        for p in packets {
            let mut left = p.len();
            while left >= 255 {
                lacing.push(255);
                left -= 255;
            }
            lacing.push(left as u8);
            body.extend_from_slice(p);
        }
        let mut v = b"OggS\0".to_vec();
        v.push(flags);
        v.extend([0; 8]);
        v.extend(serial.to_le_bytes());
        v.extend([0; 8]);
        v.push(lacing.len() as u8);
        v.extend(lacing);
        v.extend(body);
        // Ogg's CRC-32 (polynomial 0x04c11db7, unreflected, over the page with
        // the field zeroed), so the decoder takes these pages as genuine.
        let mut crc = 0u32;
        for byte in &v {
            crc ^= u32::from(*byte) << 24;
            for _ in 0..8 {
                crc = if crc & 0x8000_0000 != 0 {
                    (crc << 1) ^ 0x04c1_1db7
                } else {
                    crc << 1
                };
            }
        }
        v[22..26].copy_from_slice(&crc.to_le_bytes());
        v
    }

    fn pass(data: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        OggGuard::new(io::Cursor::new(data.to_vec())).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn lookup1_matches_the_spec() {
        assert_eq!(lookup1_values(81, 4), 3);
        assert_eq!(lookup1_values(80, 4), 2);
        assert_eq!(lookup1_values(1 << 24, 65535), 1);
        assert_eq!(lookup1_values(5, 0), 0);
    }

    #[test]
    fn sane_headers_pass_unchanged_and_absurd_ones_are_refused() {
        let ok = [
            page(2, 7, &[b"\x01vorbis id", b"\x03vorbis comments"]),
            page(0, 7, &[&setup(81, 4)]),
            page(0, 7, &[b"audio"]),
        ]
        .concat();
        assert_eq!(pass(&ok).unwrap(), ok);
        let mut g = OggGuard::new(io::Cursor::new(ok.clone()));
        g.read_to_end(&mut Vec::new()).unwrap();
        assert_eq!(g.checked, 1);
        // A setup header claiming 2^24 entries × 65535 dimensions in 30 bytes.
        let bad = [
            page(2, 7, &[b"\x01vorbis id", b"\x03vorbis comments"]),
            page(0, 7, &[&setup((1 << 24) - 1, 65535)]),
        ]
        .concat();
        let e = pass(&bad).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("16777215 entries"), "{e}");
        let wide = [page(2, 7, &[b"\x01a", b"\x03b", &setup(4096, 1024)])].concat();
        let e = pass(&wide).unwrap_err();
        assert!(
            e.to_string().contains("4096 entries × 1024 dimensions"),
            "{e}"
        );
    }

    #[test]
    fn a_chained_stream_is_checked_again_and_non_ogg_passes() {
        let first = [
            page(2, 1, &[b"\x01a", b"\x03b", &setup(81, 4)]),
            page(0, 1, &[b"x"]),
        ]
        .concat();
        let second = page(2, 2, &[b"\x01a", b"\x03b", &setup((1 << 24) - 1, 65535)]);
        assert!(pass(&first).is_ok());
        assert!(pass(&[first.clone(), second].concat()).is_err());
        let mp3 = b"\xff\xfb\x90\x00 not ogg at all".to_vec();
        assert_eq!(pass(&mp3).unwrap(), mp3);
    }

    #[test]
    fn junk_before_a_page_does_not_hide_it() {
        let bad = [
            page(2, 7, &[b"\x01vorbis id", b"\x03vorbis comments"]),
            page(0, 7, &[&setup((1 << 24) - 1, 65535)]),
        ]
        .concat();
        for junk in [
            &b"x"[..],
            b"OgOg",
            b"0123456789012345678901234567890123456789Og",
        ] {
            let data = [junk, &bad[..]].concat();
            assert!(pass(&data).is_err(), "{junk:?}");
        }
        let fine = [
            &b"junkOg"[..],
            &page(2, 7, &[b"\x01a", b"\x03b", &setup(81, 4)]),
        ]
        .concat();
        assert_eq!(pass(&fine).unwrap(), fine);
    }
}

#[cfg(test)]
mod real_streams {
    use super::*;

    /// Real libvorbis streams at every quality pass the guard unchanged.
    #[test]
    fn libvorbis_setup_headers_are_within_the_bounds() {
        let dir = tempfile::tempdir().expect("tempdir");
        for q in ["-1", "3", "10"] {
            let out = dir.path().join(format!("q{q}.ogg"));
            let made = std::process::Command::new("sox")
                .args(["-R", "-n", "-r", "48000", "-c", "2", "-C", q])
                .arg(&out)
                .args(["synth", "2", "pinknoise", "vol", "0.3"])
                .status();
            if !made.is_ok_and(|s| s.success()) {
                assert!(
                    std::env::var("CI").map_or(true, |v| v != "true"),
                    "sox cannot make Ogg Vorbis, and CI=true requires it"
                );
                eprintln!("SKIPPED: sox cannot make Ogg Vorbis here");
                return;
            }
            let data = std::fs::read(&out).expect("read");
            let mut got = Vec::new();
            let mut g = OggGuard::new(io::Cursor::new(data.clone()));
            g.read_to_end(&mut got)
                .unwrap_or_else(|e| panic!("quality {q}: {e}"));
            assert_eq!(got, data, "quality {q}");
            assert_eq!(g.checked, 1, "quality {q}: its setup header was checked");
        }
    }
}
