//! Decoding a live body: rodio's symphonia decoder over a non-seekable [`Body`]
//! (probed, no byte length), converted to the output channels × rate.
//!
//! Knows nothing of HTTP, buffering or reconnecting. Symphonia ends its iterator on
//! any demuxer or read error (a lost connection, a chained Ogg stream); the worker
//! asks the body's link why.

use std::io::{self, Read, Seek, SeekFrom};
use std::num::NonZero;
use std::sync::Arc;
use std::time::Duration;

use rodio::source::{SeekError, UniformSourceIterator};
use rodio::{ChannelCount, Decoder, SampleRate, Source};

use super::error::RelayError;
use super::http::{Body, Kind, Link};
use super::id3::SkipId3;
use super::ogg_guard::OggGuard;

/// Decoded and converted samples (interleaved, output format).
pub(crate) type Converted<R> =
    UniformSourceIterator<Spans<Decoder<Guarded<OggGuard<SkipId3<Body<R>>>>>>>;

/// Probe the body and start decoding. Blocks while the probe reads (the body's own
/// timeouts and stop flag bound that).
pub(crate) fn start<R: Read + Send + 'static>(
    body: Body<R>,
    link: Arc<Link>,
    kind: Kind,
    mime: &str,
    channels: u16,
    rate: u32,
) -> Result<Converted<R>, String> {
    let (Some(ch), Some(sr)) = (NonZero::new(channels), NonZero::new(rate)) else {
        return Err("the output has no channels or no rate".into());
    };
    let mut b = Decoder::builder()
        .with_data(Guarded {
            inner: OggGuard::new(SkipId3::new(body)),
            link,
        })
        .with_seekable(false)
        .with_gapless(false);
    if let Some(h) = kind.hint() {
        b = b.with_hint(h);
    }
    let mime = mime.split(';').next().unwrap_or("").trim();
    if !mime.is_empty() && mime != "none" {
        b = b.with_mime_type(mime);
    }
    let dec = b.build().map_err(|e| e.to_string())?;
    Ok(UniformSourceIterator::new(Spans::new(dec), ch, sr))
}

/// The guards' refusals (InvalidData) become the connection's sticky reason, so
/// the worker reports "refused Ogg stream: …" rather than the decoder's generic
/// I/O error.
pub(crate) struct Guarded<R> {
    inner: R,
    link: Arc<Link>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                Err(self.link.fail(RelayError::Hostile(e.to_string())))
            }
            r => r,
        }
    }
}

impl<R: Seek> Seek for Guarded<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Presents a decoder as open-ended spans in one format each. rodio's converter ends
/// early on a zero-length first span (as Ogg Vorbis reports), so spans are hidden;
/// but when the decoded format changes mid-stream (a new song at another rate), the
/// iterator ends once so the converter re-reads the format, then goes on.
pub(crate) struct Spans<S> {
    inner: S,
    pending: Option<f32>,
    channels: ChannelCount,
    rate: SampleRate,
}

impl<S: Source> Spans<S> {
    pub(crate) fn new(inner: S) -> Spans<S> {
        let (channels, rate) = (inner.channels(), inner.sample_rate());
        Spans {
            inner,
            pending: None,
            channels,
            rate,
        }
    }
}

impl<S: Source> Iterator for Spans<S> {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        if let Some(s) = self.pending.take() {
            return Some(s);
        }
        let s = self.inner.next()?;
        let (c, r) = (self.inner.channels(), self.inner.sample_rate());
        if (c, r) != (self.channels, self.rate) {
            self.channels = c;
            self.rate = r;
            self.pending = Some(s);
            return None;
        }
        Some(s)
    }
}

impl<S: Source> Source for Spans<S> {
    fn current_span_len(&self) -> Option<usize> {
        None
    }
    fn channels(&self) -> ChannelCount {
        self.channels
    }
    fn sample_rate(&self) -> SampleRate {
        self.rate
    }
    fn total_duration(&self) -> Option<Duration> {
        None
    }
    fn try_seek(&mut self, _: Duration) -> Result<(), SeekError> {
        Err(SeekError::NotSupported {
            underlying_source: "loa live relay",
        })
    }
}
