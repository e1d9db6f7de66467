//! Format detection from a file's first bytes (magic numbers), never from its name:
//! uploads from phones and browsers come with any name, and a hint from the content
//! lets the decoder pick the right reader. Also each format's usual file extension
//! and MIME type (for the feed's clip paths and the hub's player).

use std::io::Read;
use std::path::Path;

/// The audio container/codec families loa recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RIFF/WAVE (PCM).
    Wav,
    /// MPEG-1/2 Layer III, with or without an ID3v2 tag.
    Mp3,
    /// Ogg (Vorbis inside).
    Ogg,
    /// Native FLAC.
    Flac,
    /// ISO base media (MP4/M4A, AAC inside), as phones record.
    M4a,
}

/// Bytes `sniff` needs at most.
pub const SNIFF_LEN: usize = 16;

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Wav => "wav",
            Format::Mp3 => "mp3",
            Format::Ogg => "ogg",
            Format::Flac => "flac",
            Format::M4a => "m4a",
        }
    }

    /// The MIME type browsers and web servers use for it.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
            Format::Ogg => "audio/ogg",
            Format::Flac => "audio/flac",
            Format::M4a => "audio/mp4",
        }
    }

    /// A human name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Wav => "WAV",
            Format::Mp3 => "MP3",
            Format::Ogg => "Ogg Vorbis",
            Format::Flac => "FLAC",
            Format::M4a => "AAC (M4A)",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Serialised as its extension (`"m4a"`), for JSON reports.
impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.extension())
    }
}

/// The format of data starting with `head` (at least [`SNIFF_LEN`] bytes when the
/// file is that long); None when no known signature matches.
pub fn sniff(head: &[u8]) -> Option<Format> {
    let at = |i: usize, sig: &[u8]| head.get(i..i + sig.len()) == Some(sig);
    if at(0, b"RIFF") && at(8, b"WAVE") {
        return Some(Format::Wav);
    }
    if at(0, b"OggS") {
        return Some(Format::Ogg);
    }
    if at(0, b"fLaC") {
        return Some(Format::Flac);
    }
    if at(4, b"ftyp") {
        return Some(Format::M4a);
    }
    if at(0, b"ID3") {
        return Some(Format::Mp3);
    }
    // An MPEG audio frame header: 11 sync bits, a version other than "reserved",
    // layer III.
    match head {
        [0xFF, b, ..] if b & 0xE0 == 0xE0 && b & 0x18 != 0x08 && b & 0x06 == 0x02 => {
            Some(Format::Mp3)
        }
        _ => None,
    }
}

/// [`sniff`] the first bytes of `path`; None when it is unreadable or unknown.
pub fn sniff_file(path: &Path) -> Option<Format> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut head = [0u8; SNIFF_LEN];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    sniff(&head[..got])
}
