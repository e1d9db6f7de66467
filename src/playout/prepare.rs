//! The preparer: a thread that opens each plan item ahead of time (hash, decoder, the
//! first quarter second decoded) and hands it over through a one-slot channel, so the
//! audio thread never touches the disk to start an item (files are opened by
//! `crate::decode`). Never emits audio itself and knows nothing of timing.

use std::fs::File;
use std::io::Read;
use std::num::NonZero;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};

use rodio::source::UniformSourceIterator;
use rodio::Source;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

use super::broadcast::{Leveling, PlanItem};
use crate::loudness::{clip_gain, clip_level, measure_file_prefix, Agc, Limited};
use crate::relay::{LiveFeed, Process, RelayOptions};

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
    /// A live relay with its window and fallback.
    Live(Box<LiveBody>),
}

pub(crate) struct LiveBody {
    pub feed: LiveFeed,
    /// The window, in frames.
    pub window: u64,
    /// The fallback's preparer (taken when the window opens).
    pub fallback: Option<Receiver<Vec<Prepared>>>,
    pub has_fallback: bool,
}

/// How one broadcast's items are prepared.
#[derive(Clone)]
pub(crate) struct Setup {
    pub channels: u16,
    pub rate: u32,
    pub leveling: Option<Leveling>,
    /// Put in front of item names (fallback items say so in reports).
    pub prefix: String,
    /// When the first item is due on air (None inside a fallback: unknown).
    pub starts_at: Option<Instant>,
    /// Streams connect only when they are reached (inside a fallback, which may
    /// never air: a backup stream must not hold a second connection meanwhile).
    pub lazy_streams: bool,
}

/// "Connect when first read", for lazy streams.
const WHEN_REACHED: Duration = Duration::from_secs(7 * 24 * 3600);

/// A stream connects this long before its item is expected on air (or at once
/// if the program reaches it sooner), so a long program does not hold a
/// connection (and 3G data) open for nothing.
const CONNECT_AHEAD: Duration = Duration::from_secs(5);

/// Start preparing `items` for an output of `channels` × `rate`. Items are handed over
/// in batches: the skipped ones (errors) followed by the next playable one, so a run of
/// bad files never leaves the program waiting. The thread ends when all are handed
/// over or the receiver is dropped.
pub(crate) fn spawn(items: Vec<PlanItem>, setup: Setup) -> Receiver<Vec<Prepared>> {
    let (tx, rx) = sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("loa-preparer".into())
        .spawn(move || {
            let mut batch = Vec::new();
            // When the next item is expected on air, while every length is known.
            let mut expect = setup.starts_at;
            for (index, item) in items.into_iter().enumerate() {
                let (p, length) = prepare(index, item, &setup, expect);
                expect = expect.zip(length).map(|(e, l)| e + l);
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

/// Prepare one item expected on air at `expect`; also returns how long it will
/// air, when known.
fn prepare(
    index: usize,
    item: PlanItem,
    setup: &Setup,
    expect: Option<Instant>,
) -> (Prepared, Option<Duration>) {
    let (channels, rate) = (setup.channels, setup.rate);
    let prefix = &setup.prefix;
    match item {
        PlanItem::Silence(d) => (
            Prepared {
                index,
                name: format!("{prefix}silence {:.3} s", d.as_secs_f64()),
                sha256: None,
                body: Ok(Body::Silence(super::backend::duration_to_frames(d, rate))),
            },
            Some(d),
        ),
        PlanItem::File { path, name } => {
            let (sha256, body, length) = match sha256_file(&path) {
                Ok(h) => {
                    let level = setup
                        .leveling
                        .as_ref()
                        .map(|l| level_for(l, &h, &path, &name));
                    match open_audio(&path, channels, rate, level) {
                        Ok((body, length)) => (Some(h), Ok(body), length),
                        Err(e) => (Some(h), Err(e), Some(Duration::ZERO)),
                    }
                }
                Err(e) => (None, Err(e), Some(Duration::ZERO)),
            };
            (
                Prepared {
                    index,
                    name: format!("{prefix}{name}"),
                    sha256,
                    body,
                },
                length,
            )
        }
        PlanItem::Stream {
            url,
            window,
            fallback,
        } => {
            let mut opts = RelayOptions::new(channels, rate);
            // The window decides: fallback while the link is down, back when it is up.
            opts.persist = true;
            opts.connect_at = if setup.lazy_streams {
                Some(Instant::now() + WHEN_REACHED)
            } else {
                expect.and_then(|e| e.checked_sub(CONNECT_AHEAD))
            };
            let process = setup.leveling.as_ref().map(|l| {
                let mut agc = Agc::new(channels, rate, l.target_lufs);
                Box::new(move |i: &[f32], o: &mut Vec<f32>| agc.process(i, o)) as Process
            });
            let feed = crate::relay::connect_with(&url, opts, process);
            let has_fallback = !fallback.is_empty();
            let nested = Setup {
                prefix: format!("{prefix}fallback "),
                starts_at: None,
                lazy_streams: true,
                ..setup.clone()
            };
            let p = Prepared {
                index,
                name: format!("{prefix}stream {url}"),
                sha256: None,
                body: Ok(Body::Live(Box::new(LiveBody {
                    feed,
                    window: super::backend::duration_to_frames(window, rate),
                    fallback: Some(spawn(fallback, nested)),
                    has_fallback,
                }))),
            };
            (p, Some(window))
        }
    }
}

/// A clip not measured yet (it arrived just before airing) airs with a gain
/// estimated from this much of its start, limiter on, while the whole clip is
/// measured in the background for next time.
const ESTIMATE_FROM: Duration = Duration::from_secs(60);

/// The gain (dB) and limiter flag for a clip: its loudness is measured once (cached
/// by content hash). A clip that cannot be measured airs as it is.
fn level_for(l: &Leveling, sha256: &str, path: &Path, name: &str) -> (f64, bool) {
    if l.cache.get(sha256).is_none() {
        let (cache, sha, p, target) = (
            l.cache.clone(),
            sha256.to_string(),
            path.to_path_buf(),
            l.target_lufs,
        );
        let spawned = std::thread::Builder::new()
            .name("loa-loudness-now".into())
            .spawn(move || {
                if let Err(e) = clip_level(&cache, &sha, &p, target, true) {
                    tracing::debug!("cannot measure {}: {e}", p.display());
                }
            });
        if spawned.is_ok() {
            return match measure_file_prefix(path, Some(ESTIMATE_FROM)) {
                Ok(m) => {
                    let g = clip_gain(&m, l.target_lufs);
                    tracing::info!(
                        "{name}: not measured yet; airs at {:+.1} dB estimated from its first {} s",
                        g.gain_db,
                        ESTIMATE_FROM.as_secs()
                    );
                    (g.gain_db, true)
                }
                Err(e) => {
                    tracing::warn!("{name}: cannot measure its loudness ({e}); it airs as it is");
                    (0.0, false)
                }
            };
        }
    }
    match clip_level(&l.cache, sha256, path, l.target_lufs, false) {
        Ok(g) => {
            let m = l.cache.get(sha256);
            tracing::debug!(
                "{name}: {} LUFS, {:.1} dBTP: gain {:+.1} dB{}",
                m.and_then(|m| m.integrated_lufs)
                    .map(|i| format!("{i:.1}"))
                    .unwrap_or_else(|| "silent".into()),
                m.map(|m| m.true_peak_dbtp).unwrap_or(f64::NAN),
                g.gain_db,
                if g.limit { ", limited" } else { "" }
            );
            (g.gain_db, g.limit)
        }
        Err(e) => {
            tracing::warn!("{name}: cannot measure its loudness ({e}); it airs as it is");
            (0.0, false)
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

/// Open, convert to `channels` × `rate`, level (gain dB, limiter), and decode the
/// head (the decode test). Also returns the length when the file tells it.
fn open_audio(
    path: &Path,
    channels: u16,
    rate: u32,
    level: Option<(f64, bool)>,
) -> Result<(Body, Option<Duration>), String> {
    let dec = crate::decode::open(path).map_err(|e| e.to_string())?;
    let length = dec.total_duration();
    let (Some(ch), Some(sr)) = (NonZero::new(channels), NonZero::new(rate)) else {
        return Err("the output has no channels or no rate".into());
    };
    let uniform = UniformSourceIterator::new(dec, ch, sr);
    let mut uniform: Box<dyn Iterator<Item = f32> + Send> = match level {
        Some((gain_db, limit)) if gain_db != 0.0 || limit => {
            Box::new(Limited::new(uniform, channels, rate, gain_db, limit))
        }
        _ => Box::new(uniform),
    };
    let want =
        usize::try_from(u64::from(rate) * HEAD_MS / 1000).unwrap_or(12_000) * usize::from(channels);
    let head: Vec<f32> = uniform.by_ref().take(want).collect();
    if head.is_empty() {
        return Err("cannot decode: no audio in the file".into());
    }
    if head.iter().any(|s| !s.is_finite()) {
        return Err("cannot decode: invalid samples".into());
    }
    Ok((
        Body::Audio {
            head,
            rest: uniform,
        },
        length,
    ))
}
