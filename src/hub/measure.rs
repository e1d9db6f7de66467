//! Measuring an upload at a bounded cost: the length its headers declare is
//! read first and a file over hub.toml `max_duration` is refused before any
//! decoding (a 2 MB FLAC can declare 3 hours of silence: 25 s of CPU); the
//! decode itself stops once it passes `max_duration` (a header that lies);
//! and decodes wait their turn in one queue, `DECODES` of them at a time
//! (queued, never refused), so uploads cannot take every core from the pages,
//! the API and the stations' streams.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::error::{HubError, HubResult, Reason};

/// Decodes at once: every core but one (at least one), so the hub keeps a
/// core for its requests while uploads are measured. On the 2-core hubs
/// provinces run, one at a time; others wait in line.
pub static DECODES: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(decode_slots()));

pub fn decode_slots() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .max(1)
}

/// What the hub measured of an upload.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub duration_ms: i64,
    pub lufs: Option<f64>,
    /// How long it waited for its turn to decode.
    pub waited: Duration,
}

/// A length in hours, minutes and seconds, as a message.
fn hms(d: Duration) -> Reason {
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, m, 0) => Reason::new("err-length-m").arg("m", m),
        (0, m, s) => Reason::new("err-length-m-s").arg("m", m).arg("s", s),
        (h, 0, 0) => Reason::new("err-length-h").arg("h", h),
        (h, m, _) => Reason::new("err-length-h-m").arg("h", h).arg("m", m),
    }
}

/// 413 with the limit said in the reader's language.
pub fn too_long(declared: Option<Duration>, max: Duration) -> HubError {
    match declared {
        Some(d) => HubError::too_large("err-clip-too-long")
            .arg_msg("got", hms(d))
            .arg_msg("limit", hms(max)),
        None => HubError::too_large("err-clip-longer-than").arg_msg("limit", hms(max)),
    }
}

fn not_audio() -> HubError {
    HubError::invalid("err-audio-file-does-not-decode")
}

/// Measure `path` (duration, EBU R128) in its turn, refusing it when it is
/// (or declares to be) longer than `max`.
pub async fn measure(path: &Path, max: Duration) -> HubResult<Measured> {
    let p = path.to_path_buf();
    // The header first: cheap, and no queue needed.
    let declared = tokio::task::spawn_blocking(move || crate::decode::declared(&p))
        .await
        .map_err(HubError::internal)?;
    match declared {
        Err(e) => {
            tracing::info!("hub: upload refused: {:?}", e.to_string());
            return Err(not_audio());
        }
        Ok(Some(d)) if d > max => return Err(too_long(Some(d), max)),
        Ok(_) => {}
    }
    let queued = Instant::now();
    let _turn = DECODES.acquire().await.map_err(HubError::internal)?;
    let waited = queued.elapsed();
    if waited > Duration::from_secs(1) {
        tracing::info!("hub: an upload waited {waited:?} for its turn to decode");
    }
    let p = path.to_path_buf();
    // One second past the limit proves a lying header; no more is decoded.
    let cap = max + Duration::from_secs(1);
    let m = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(|| crate::loudness::measure_file_prefix(&p, Some(cap)))
    })
    .await
    .map_err(HubError::internal)?;
    match m {
        Ok(Ok(m)) if m.seconds > max.as_secs_f64() => Err(too_long(None, max)),
        Ok(Ok(m)) if m.seconds > 0.0 => Ok(Measured {
            duration_ms: (m.seconds * 1000.0).round() as i64,
            lufs: m.integrated_lufs,
            waited,
        }),
        Ok(Ok(_)) => Err(HubError::invalid("err-file-holds-no-audio")),
        Ok(Err(e)) => {
            tracing::info!("hub: upload refused: {:?}", e.to_string());
            Err(not_audio())
        }
        Err(_) => {
            tracing::warn!("hub: the decoder panicked on an upload; refused");
            Err(not_audio())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn limits_read_plainly() {
        let e = too_long(
            Some(Duration::from_secs(3 * 3600)),
            Duration::from_secs(7200),
        );
        let r = e.reason();
        let (vi, en) = (r.text(Lang::Vi), r.text(Lang::En));
        assert!(vi.contains("3 giờ") && vi.contains("2 giờ"), "{vi}");
        assert!(en.contains("2 h limit"), "{en}");
        assert_eq!(e.status(), axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        assert!(decode_slots() >= 1);
    }
}
