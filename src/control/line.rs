//! Reading one newline-terminated line with a size cap, for both ends of the
//! socket. Never buffers more than the cap, whatever the peer sends.

use std::io::{BufRead, ErrorKind};

#[derive(Debug)]
pub(crate) enum LineError {
    /// More than the cap without a newline.
    TooLong,
    Io(std::io::Error),
}

/// The next line without its `\n`; `Ok(None)` at a clean end of stream. A
/// last line without a newline counts as a line.
pub(crate) fn read_line_capped<R: BufRead>(
    r: &mut R,
    max: usize,
) -> Result<Option<Vec<u8>>, LineError> {
    let mut buf = Vec::new();
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(LineError::Io(e)),
        };
        if avail.is_empty() {
            return Ok((!buf.is_empty()).then_some(buf));
        }
        match avail.iter().position(|b| *b == b'\n') {
            Some(i) => {
                if buf.len() + i > max {
                    return Err(LineError::TooLong);
                }
                buf.extend_from_slice(&avail[..i]);
                r.consume(i + 1);
                return Ok(Some(buf));
            }
            None => {
                let n = avail.len();
                if buf.len() + n > max {
                    return Err(LineError::TooLong);
                }
                buf.extend_from_slice(avail);
                r.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn lines(input: &[u8], max: usize, cap: usize) -> Vec<Result<Vec<u8>, &'static str>> {
        let mut r = BufReader::with_capacity(cap, input);
        let mut out = Vec::new();
        loop {
            match read_line_capped(&mut r, max) {
                Ok(Some(l)) => out.push(Ok(l)),
                Ok(None) => return out,
                Err(LineError::TooLong) => {
                    out.push(Err("too long"));
                    return out;
                }
                Err(LineError::Io(_)) => {
                    out.push(Err("io"));
                    return out;
                }
            }
        }
    }

    #[test]
    fn splits_and_caps() {
        assert_eq!(
            lines(b"ab\ncd\n\nlast", 4, 2),
            vec![
                Ok(b"ab".to_vec()),
                Ok(b"cd".to_vec()),
                Ok(vec![]),
                Ok(b"last".to_vec())
            ]
        );
        assert_eq!(lines(b"abcd\n", 4, 3), vec![Ok(b"abcd".to_vec())]);
        assert_eq!(lines(b"abcde\nx\n", 4, 3), vec![Err("too long")]);
        assert_eq!(lines(b"abcde\nx\n", 4, 64), vec![Err("too long")]);
        assert_eq!(lines(b"", 4, 3), vec![]);
    }
}
