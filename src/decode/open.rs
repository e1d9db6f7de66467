//! Opening a clip: the rodio/symphonia decoder for a file (format hinted from its
//! content, else its extension; MP3 in gapless mode so the encoder delay is trimmed;
//! seekable, so an M4A whose index sits at the end still opens; AAC gapless from the
//! M4A's edit list), wrapped in [`Clip`], a source with one steady channel count and
//! rate from its first sample on.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::time::Duration;

use rodio::source::SeekError;
use rodio::{ChannelCount, Decoder, SampleRate, Source};

use super::{sniff_file, DecodeError, Format};

/// A decoded clip: interleaved f32 samples at [`Clip::channels`] × [`Clip::sample_rate`].
///
/// It hides the decoder's spans: rodio's converter ends early when a first span has
/// length 0 (as Ogg Vorbis reports), and some decoders only know their format once
/// the first sample is out. So `open` decodes the first sample, and the format from
/// then on is the one of that sample.
pub struct Clip {
    inner: Decoder<BufReader<File>>,
    first: Option<f32>,
    channels: ChannelCount,
    rate: SampleRate,
    /// Samples left to give when the file says where its audio ends (M4A edit list).
    left: Option<u64>,
    /// Length after the edit (None: the decoder's own).
    length: Option<Duration>,
}

/// Open `path` for decoding. Fails with `Open` when the file cannot be read,
/// `Decode` when no decoder takes it, `NoAudio` when it holds no sample.
pub fn open(path: &Path) -> Result<Clip, DecodeError> {
    let open_err = |e: std::io::Error| DecodeError::Open {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let file = File::open(path).map_err(open_err)?;
    let len = file.metadata().map_err(open_err)?.len();
    let mut b = Decoder::builder()
        .with_data(BufReader::new(file))
        .with_byte_len(len)
        .with_seekable(true)
        .with_gapless(true);
    let format = sniff_file(path);
    // symphonia panics on a zero sample rate: refuse such a header first.
    super::declared::guard(path, format)?;
    let hint = format.map(|f| f.extension().to_string()).or_else(|| {
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
    });
    // symphonia sizes its MP4 tables from the counts the file declares, and a
    // failed allocation aborts the process: the index must fit in the file first.
    if format == Some(Format::M4a) || matches!(hint.as_deref(), Some("m4a" | "mp4" | "m4b")) {
        super::mp4_tables::check(path).map_err(|why| DecodeError::Decode {
            path: path.to_path_buf(),
            reason: format!("not a valid audio file: its MP4 index does not hold ({why})"),
        })?;
    }
    if let Some(ext) = hint {
        b = b.with_hint(&ext);
    }
    // symphonia 0.5 panics on some malformed headers instead of returning an
    // error (an M4A `esds` atom without its ES descriptor, found by fuzzing:
    // pdeljanov/Symphonia#484, fixed only in 0.6): such a file is refused like
    // any other that does not decode, never a panic for the caller.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        b.build().map(|mut inner| {
            let first = inner.next();
            (inner, first)
        })
    }));
    let (mut inner, mut first) = match built {
        Ok(Ok(opened)) => opened,
        Ok(Err(e)) => {
            return Err(DecodeError::Decode {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(DecodeError::Decode {
                path: path.to_path_buf(),
                reason: format!("the decoder failed on this file ({what})"),
            });
        }
    };
    let (channels, rate) = (inner.channels(), inner.sample_rate());
    let (ch, sr) = (u64::from(channels.get()), f64::from(rate.get()));
    let mut left = None;
    let mut length = None;
    if let Some(edit) = (format == Some(Format::M4a))
        .then(|| super::mp4::edit(path))
        .flatten()
    {
        // Gapless AAC: drop the encoder's priming samples, stop where the audio ends.
        let skip = (edit.skip_s * sr).round() as u64 * ch;
        for _ in 0..skip {
            first = inner.next();
            if first.is_none() {
                break;
            }
        }
        left = edit.keep_s.map(|k| (k * sr).round() as u64 * ch);
        length = edit.keep_s.map(Duration::from_secs_f64).or_else(|| {
            inner
                .total_duration()
                .map(|d| d.saturating_sub(Duration::from_secs_f64(edit.skip_s)))
        });
    }
    let Some(v) = first else {
        return Err(DecodeError::NoAudio {
            path: path.to_path_buf(),
            reason: "no audio in the file".into(),
        });
    };
    if !v.is_finite() {
        return Err(DecodeError::NoAudio {
            path: path.to_path_buf(),
            reason: "invalid samples".into(),
        });
    }
    Ok(Clip {
        inner,
        first,
        channels,
        rate,
        left,
        length,
    })
}

impl Iterator for Clip {
    type Item = f32;

    #[inline]
    fn next(&mut self) -> Option<f32> {
        if let Some(left) = self.left.as_mut() {
            if *left == 0 {
                return None;
            }
            *left -= 1;
        }
        self.first.take().or_else(|| self.inner.next())
    }
}

impl Source for Clip {
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
        self.length.or_else(|| self.inner.total_duration())
    }
    fn try_seek(&mut self, _: Duration) -> Result<(), SeekError> {
        Err(SeekError::NotSupported {
            underlying_source: "loa clip",
        })
    }
}
