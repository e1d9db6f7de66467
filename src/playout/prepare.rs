//! The preparer: a thread that opens each plan item ahead of time (hash, decoder, the
//! first quarter second decoded) and hands it over through a one-slot channel, so the
//! audio thread never touches the disk to start an item. Also the file opener shared
//! with `probe`. Never emits audio itself and knows nothing of timing.

use std::fs::File;
use std::io::{BufReader, Read};
use std::num::NonZero;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};

use rodio::source::SeekError;
use rodio::source::UniformSourceIterator;
use rodio::{ChannelCount, Decoder, SampleRate, Source};
use sha2::{Digest, Sha256};
use std::time::Duration;

use super::broadcast::PlanItem;

/// Decoded ahead when an item is prepared (and the decode test): 0.25 s.
const HEAD_MS: u64 = 250;

/// One item, ready to air.
pub(crate) struct Prepared {
    pub index: usize,
    pub name: String,
    pub sha256: Option<String>,
    pub body: Result<Body, String>,
}

pub(crate) enum Body {
    /// Exactly this many frames of silence.
    Silence(u64),
    /// Samples already at the output's channels and rate: `head`, then `rest`.
    Audio {
        head: Vec<f32>,
        rest: Box<dyn Iterator<Item = f32> + Send>,
    },
}

/// Start preparing `items` for an output of `channels` × `rate`. Items are handed over
/// in batches: the skipped ones (errors) followed by the next playable one, so a run of
/// bad files never leaves the program waiting. The thread ends when all are handed
/// over or the receiver is dropped.
pub(crate) fn spawn(items: Vec<PlanItem>, channels: u16, rate: u32) -> Receiver<Vec<Prepared>> {
    let (tx, rx) = sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("loa-preparer".into())
        .spawn(move || {
            let mut batch = Vec::new();
            for (index, item) in items.into_iter().enumerate() {
                let p = prepare(index, item, channels, rate);
                let playable = p.body.is_ok();
                batch.push(p);
                if playable && tx.send(std::mem::take(&mut batch)).is_err() {
                    return; // the broadcast ended
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
    if let Err(e) = spawned {
        tracing::debug!("cannot start the preparer thread: {e}");
    }
    rx
}

fn prepare(index: usize, item: PlanItem, channels: u16, rate: u32) -> Prepared {
    match item {
        PlanItem::Silence(d) => Prepared {
            index,
            name: format!("silence {:.3} s", d.as_secs_f64()),
            sha256: None,
            body: Ok(Body::Silence(super::backend::duration_to_frames(d, rate))),
        },
        PlanItem::File { path, name } => {
            let (sha256, body) = match sha256_file(&path) {
                Ok(h) => (Some(h), open_audio(&path, channels, rate)),
                Err(e) => (None, Err(e)),
            };
            Prepared {
                index,
                name,
                sha256,
                body,
            }
        }
    }
}

/// Hex sha256 of a file's bytes.
pub(crate) fn sha256_file(path: &Path) -> Result<String, String> {
    let mut f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(|e| format!("cannot read: {e}"))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// A decoder for `path` (MP3 in gapless mode, so the encoder delay is trimmed).
pub(crate) fn decoder(path: &Path) -> Result<Decoder<BufReader<File>>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot open: {e}"))?
        .len();
    let mut b = Decoder::builder()
        .with_data(BufReader::new(file))
        .with_byte_len(len)
        .with_seekable(true)
        .with_gapless(true);
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        b = b.with_hint(&ext.to_ascii_lowercase());
    }
    b.build().map_err(|e| format!("cannot decode: {e}"))
}

/// Open, convert to `channels` × `rate`, and decode the head (the decode test).
fn open_audio(path: &Path, channels: u16, rate: u32) -> Result<Body, String> {
    let dec = Steady::new(decoder(path)?);
    let (Some(ch), Some(sr)) = (NonZero::new(channels), NonZero::new(rate)) else {
        return Err("the output has no channels or no rate".into());
    };
    let mut uniform = UniformSourceIterator::new(dec, ch, sr);
    let want =
        usize::try_from(u64::from(rate) * HEAD_MS / 1000).unwrap_or(12_000) * usize::from(channels);
    let head: Vec<f32> = uniform.by_ref().take(want).collect();
    if head.is_empty() {
        return Err("cannot decode: no audio in the file".into());
    }
    if head.iter().any(|s| !s.is_finite()) {
        return Err("cannot decode: invalid samples".into());
    }
    Ok(Body::Audio {
        head,
        rest: Box::new(uniform),
    })
}

/// Hides a decoder's spans: rodio's converter ends early when a first span has length 0
/// (as Ogg Vorbis reports). One span, in the format of the first decoded sample.
struct Steady<S> {
    inner: S,
    first: Option<f32>,
    channels: ChannelCount,
    rate: SampleRate,
}

impl<S: Source> Steady<S> {
    fn new(mut inner: S) -> Steady<S> {
        let first = inner.next();
        let (channels, rate) = (inner.channels(), inner.sample_rate());
        Steady {
            inner,
            first,
            channels,
            rate,
        }
    }
}

impl<S: Source> Iterator for Steady<S> {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        self.first.take().or_else(|| self.inner.next())
    }
}

impl<S: Source> Source for Steady<S> {
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
        self.inner.total_duration()
    }
    fn try_seek(&mut self, _: Duration) -> Result<(), SeekError> {
        Err(SeekError::NotSupported {
            underlying_source: "loa clip",
        })
    }
}
