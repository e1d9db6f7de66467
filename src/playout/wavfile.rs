//! The `wav:PATH` file and its `PATH.start` sidecar: a 16-bit PCM WAV whose sample n
//! went on air at t0 + n/rate, t0 being the RFC 3339 instant in the sidecar. Re-opening
//! appends (padding the closed time with silence) so one file is one timeline.
//! Owns the file format and the timeline arithmetic; never paces or decodes.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use hound::{SampleFormat, WavSpec, WavWriter};

/// A gap longer than this while closed starts a fresh file instead of padding.
pub(crate) const MAX_PAD: Duration = Duration::from_secs(600);
/// Keep the data chunk well under WAV's 4 GiB limit; past it, start a fresh file.
const MAX_DATA_BYTES: u64 = 4_000_000_000;

pub(crate) struct WavFile {
    path: PathBuf,
    /// None only transiently while rotating.
    writer: Option<WavWriter<BufWriter<File>>>,
    channels: u16,
    rate: u32,
    /// Wall-clock instant of frame 0 (the sidecar).
    t0: DateTime<Utc>,
    /// Frames in the file so far.
    frames: u64,
}

/// The sidecar path for a WAV path: `PATH.start`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".start");
    PathBuf::from(s)
}

/// Read a sidecar: the wall-clock instant of sample 0.
pub fn read_sidecar(path: &Path) -> Result<DateTime<Utc>, String> {
    let text = std::fs::read_to_string(sidecar_path(path)).map_err(|e| e.to_string())?;
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| e.to_string())
}

fn spec(channels: u16, rate: u32) -> WavSpec {
    WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: SampleFormat::Int,
    }
}

impl WavFile {
    /// Open `path` for a session starting now (`now_wall` ≙ `now`). Returns the file and
    /// the frame index that goes on air at `now`.
    pub fn open(
        path: &Path,
        channels: u16,
        rate: u32,
        now_wall: DateTime<Utc>,
    ) -> Result<(WavFile, u64), String> {
        match Self::try_append(path, channels, rate, now_wall) {
            Ok(Some(opened)) => return Ok(opened),
            Ok(None) => {}
            Err(e) => tracing::debug!("wav output {}: starting a fresh file: {e}", path.display()),
        }
        let f = Self::create(path, channels, rate, now_wall)?;
        Ok((f, 0))
    }

    fn create(path: &Path, channels: u16, rate: u32, t0: DateTime<Utc>) -> Result<WavFile, String> {
        let writer = WavWriter::create(path, spec(channels, rate)).map_err(|e| e.to_string())?;
        std::fs::write(
            sidecar_path(path),
            format!("{}\n", t0.to_rfc3339_opts(SecondsFormat::Nanos, true)),
        )
        .map_err(|e| format!("cannot write {}: {e}", sidecar_path(path).display()))?;
        let mut f = WavFile {
            path: path.to_path_buf(),
            writer: Some(writer),
            channels,
            rate,
            t0,
            frames: 0,
        };
        f.flush()?;
        Ok(f)
    }

    /// Ok(None) when there is nothing usable to append to.
    fn try_append(
        path: &Path,
        channels: u16,
        rate: u32,
        now_wall: DateTime<Utc>,
    ) -> Result<Option<(WavFile, u64)>, String> {
        if !path.exists() {
            return Ok(None);
        }
        let t0 = read_sidecar(path).map_err(|e| format!("no usable sidecar: {e}"))?;
        let writer = WavWriter::append(path).map_err(|e| format!("not a WAV file: {e}"))?;
        if writer.spec() != spec(channels, rate) {
            return Err(format!("format {:?} does not match", writer.spec()));
        }
        let frames = u64::from(writer.duration());
        let elapsed = (now_wall - t0)
            .to_std()
            .map_err(|_| "the clock is before the file's start".to_string())?;
        let now_frame = super::backend::duration_to_frames(elapsed, rate);
        let Some(pad) = now_frame.checked_sub(frames) else {
            return Err("the file runs past the present (clock stepped back?)".into());
        };
        if super::backend::frames_to_duration(pad, rate) > MAX_PAD {
            return Err(format!("closed for more than {} s", MAX_PAD.as_secs()));
        }
        if (now_frame + 3_600 * u64::from(rate)) * u64::from(channels) * 2 > MAX_DATA_BYTES {
            return Err("the file is near WAV's size limit".into());
        }
        let mut f = WavFile {
            path: path.to_path_buf(),
            writer: Some(writer),
            channels,
            rate,
            t0,
            frames,
        };
        let silence = vec![0i16; 4800 * usize::from(channels)];
        let mut left = pad;
        while left > 0 {
            let n = left.min(4800);
            let len = usize::try_from(n).unwrap_or(4800) * usize::from(channels);
            f.write(&silence[..len])?;
            left -= n;
        }
        f.flush()?;
        Ok(Some((f, now_frame)))
    }

    /// Append interleaved samples (whole frames). Starts a fresh file near the size limit.
    pub fn write(&mut self, samples: &[i16]) -> Result<(), String> {
        let frames = (samples.len() / usize::from(self.channels)) as u64;
        if (self.frames + frames) * u64::from(self.channels) * 2 > MAX_DATA_BYTES {
            self.rotate()?;
        }
        let path = &self.path;
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| format!("{} is closed", path.display()))?;
        for &s in samples {
            writer
                .write_sample(s)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        self.frames += frames;
        Ok(())
    }

    /// Update the header so readers see everything written so far.
    pub fn flush(&mut self) -> Result<(), String> {
        match self.writer.as_mut() {
            Some(w) => w
                .flush()
                .map_err(|e| format!("cannot write {}: {e}", self.path.display())),
            None => Err(format!("{} is closed", self.path.display())),
        }
    }

    fn rotate(&mut self) -> Result<(), String> {
        let t = self.t0
            + chrono::Duration::from_std(super::backend::frames_to_duration(
                self.frames,
                self.rate,
            ))
            .unwrap_or_default();
        if let Some(old) = self.writer.take() {
            old.finalize()
                .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        }
        *self = Self::create(&self.path, self.channels, self.rate, t)?;
        Ok(())
    }

    /// Finalise the header; errors are logged, the data is already on disk.
    pub fn close(mut self) {
        let Some(w) = self.writer.take() else { return };
        if let Err(e) = w.finalize() {
            tracing::debug!("wav output {}: finalise failed: {e}", self.path.display());
        }
    }
}

/// `Instant` ≙ wall clock, taken together, for anchoring a session.
pub(crate) fn now_pair() -> (Instant, DateTime<Utc>) {
    let a = Instant::now();
    let w = Utc::now();
    let b = Instant::now();
    (a + (b - a) / 2, w)
}
