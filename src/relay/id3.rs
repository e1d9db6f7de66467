//! Skips an ID3v2 tag at the start of a stream before the decoder sees it. The
//! decoder would otherwise allocate what the tag's header claims (up to 256 MB
//! from 4 bytes a server chose); here the tag is read past in 4 KiB pieces and a
//! tag over 1 MiB is refused. Everything else passes through unchanged.

use std::io::{self, Read, Seek, SeekFrom};

/// Larger ID3 tags at the start of a live stream are refused.
pub(crate) const MAX_TAG: u64 = 1 << 20;

pub(crate) struct SkipId3<R> {
    inner: R,
    checked: bool,
    /// Bytes read while checking that turned out not to be a tag: served first.
    head: [u8; 10],
    head_pos: usize,
    head_len: usize,
}

impl<R: Read> SkipId3<R> {
    pub(crate) fn new(inner: R) -> SkipId3<R> {
        SkipId3 {
            inner,
            checked: false,
            head: [0; 10],
            head_pos: 0,
            head_len: 0,
        }
    }

    fn check(&mut self) -> io::Result<()> {
        self.checked = true;
        while self.head_len < 10 {
            match self.inner.read(&mut self.head[self.head_len..]) {
                Ok(0) => break,
                Ok(n) => self.head_len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let h = &self.head;
        if self.head_len < 10 || &h[..3] != b"ID3" || h[6..10].iter().any(|b| b & 0x80 != 0) {
            return Ok(());
        }
        let size = h[6..10]
            .iter()
            .fold(0u64, |acc, b| (acc << 7) | u64::from(*b))
            + if h[5] & 0x10 != 0 { 10 } else { 0 };
        if size > MAX_TAG {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the stream starts with an ID3 tag of {size} bytes (over {MAX_TAG}): refused"
                ),
            ));
        }
        let mut left = size;
        let mut buf = [0u8; 4096];
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(buf.len()));
            match self.inner.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => left -= n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.head_len = 0;
        Ok(())
    }
}

impl<R: Read> Read for SkipId3<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.check()?;
        }
        if self.head_pos < self.head_len {
            let n = buf.len().min(self.head_len - self.head_pos);
            buf[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
            self.head_pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for SkipId3<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        // Bytes read ahead but not served yet are not "passed" either.
        let at = self.inner.stream_position()?;
        super::http::position_only(
            pos,
            at.saturating_sub((self.head_len - self.head_pos) as u64),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        SkipId3::new(io::Cursor::new(data)).read_to_end(&mut out)?;
        Ok(out)
    }

    fn tag(size: u32, body: &[u8]) -> Vec<u8> {
        let mut v = b"ID3\x04\x00\x00".to_vec();
        v.extend([21, 14, 7, 0].map(|s| ((size >> s) & 0x7f) as u8));
        v.extend(std::iter::repeat_n(0xAA, size.min(5000) as usize));
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn a_leading_tag_is_skipped_and_other_data_passes() {
        assert_eq!(read_all(tag(300, b"\xff\xfbMP3")).unwrap(), b"\xff\xfbMP3");
        assert_eq!(
            read_all(b"OggS and more".to_vec()).unwrap(),
            b"OggS and more"
        );
        assert_eq!(read_all(b"short".to_vec()).unwrap(), b"short");
        // "ID3" with an invalid (non-syncsafe) size is not a tag: passed as is.
        let odd = b"ID3\x04\x00\x00\x80\x00\x00\x00xyz".to_vec();
        assert_eq!(read_all(odd.clone()).unwrap(), odd);
    }

    #[test]
    fn a_huge_tag_is_refused_without_reading_it() {
        let e = read_all(tag(200 << 20, b"")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("ID3 tag of 209715200 bytes"), "{e}");
    }

    #[test]
    fn position_counts_only_what_was_served() {
        let mut r = SkipId3::new(io::Cursor::new(b"0123456789abc".to_vec()));
        let mut b = [0u8; 4];
        r.read_exact(&mut b).unwrap();
        assert_eq!(r.stream_position().unwrap(), 4);
        assert!(r.seek(SeekFrom::Start(0)).is_err());
    }
}
