//! Real-time-paced virtual sound cards: `wav:PATH` (writes what goes on air) and `null`
//! (discards). A thread pulls the rodio mixer in 10 ms chunks, sleeping until each
//! chunk's deadline on the monotonic clock; frame n goes on air at base + n/rate.
//! Never decodes or schedules; the WAV format lives in `wavfile`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use rodio::mixer::{mixer, Mixer, MixerSource};

use super::backend::{frames_to_duration, Backend, SinkClock};
use super::spec::OutputSpec;
use super::wavfile::{now_pair, WavFile};
use super::PlayoutError;

pub(crate) const RATE: u32 = 48_000;
pub(crate) const CHANNELS: u16 = 2;
/// Frames per chunk: 10 ms.
const CHUNK: u64 = 480;
/// Header update period, in chunks (100 ms).
const FLUSH_EVERY: u64 = 10;

struct PacedBackend {
    mixer: Mixer,
    clock: Arc<SinkClock>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Backend for PacedBackend {
    fn mixer(&self) -> &Mixer {
        &self.mixer
    }
    fn clock(&self) -> &Arc<SinkClock> {
        &self.clock
    }
}

impl Drop for PacedBackend {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

pub(crate) fn open_wav(spec: &OutputSpec) -> Result<Box<dyn Backend>, PlayoutError> {
    let OutputSpec::Wav(path) = spec else {
        return open_null(spec);
    };
    let (now, now_wall) = now_pair();
    let (file, base_frame) =
        WavFile::open(path, CHANNELS, RATE, now_wall).map_err(|reason| PlayoutError::Open {
            output: spec.to_string(),
            reason,
        })?;
    Ok(start(Some(file), base_frame, now))
}

pub(crate) fn open_null(_spec: &OutputSpec) -> Result<Box<dyn Backend>, PlayoutError> {
    Ok(start(None, 0, Instant::now()))
}

fn start(file: Option<WavFile>, base_frame: u64, base: Instant) -> Box<dyn Backend> {
    let (Some(ch), Some(sr)) = (
        std::num::NonZero::new(CHANNELS),
        std::num::NonZero::new(RATE),
    ) else {
        unreachable!("constant channel count and rate are non-zero")
    };
    let (mixer_in, mixer_out) = mixer(ch, sr);
    let clock = Arc::new(SinkClock::new(CHANNELS, RATE));
    clock.begin_block(base_frame, base);
    let stop = Arc::new(AtomicBool::new(false));
    let pacer = Pacer {
        source: mixer_out,
        clock: Arc::clone(&clock),
        stop: Arc::clone(&stop),
        file,
        base_frame,
        base,
    };
    let thread = std::thread::Builder::new()
        .name("loa-paced-sink".into())
        .spawn(move || pacer.run())
        .ok();
    if thread.is_none() {
        clock.fail("cannot start the paced output thread".into());
    }
    Box::new(PacedBackend {
        mixer: mixer_in,
        clock,
        stop,
        thread,
    })
}

struct Pacer {
    source: MixerSource,
    clock: Arc<SinkClock>,
    stop: Arc<AtomicBool>,
    file: Option<WavFile>,
    base_frame: u64,
    base: Instant,
}

impl Pacer {
    fn run(mut self) {
        let ch = usize::from(CHANNELS);
        let mut buf = vec![0i16; CHUNK as usize * ch];
        let mut k: u64 = 0;
        while !self.stop.load(Ordering::Relaxed) {
            let first = self.base_frame + k * CHUNK;
            let deadline = self.base + frames_to_duration(k * CHUNK, RATE);
            let now = Instant::now();
            if deadline > now {
                std::thread::park_timeout(deadline - now);
                if self.stop.load(Ordering::Relaxed) {
                    break;
                }
                if Instant::now() < deadline {
                    continue; // woken early (spurious unpark): wait again
                }
            }
            self.clock.begin_block(first, deadline);
            for (i, frame) in buf.chunks_mut(ch).enumerate() {
                self.clock.set_frame(first + i as u64);
                for s in frame {
                    let v = self.source.next().unwrap_or(0.0);
                    *s = (v.clamp(-1.0, 1.0) * 32767.0).round() as i16;
                }
            }
            self.clock.set_frame(first + CHUNK);
            if let Some(f) = self.file.as_mut() {
                let mut r = f.write(&buf);
                if r.is_ok() && k % FLUSH_EVERY == FLUSH_EVERY - 1 {
                    r = f.flush();
                }
                if let Err(e) = r {
                    self.clock.fail(format!("wav output failed: {e}"));
                    self.file = None; // keep pacing, discard from now on
                }
            }
            k += 1;
        }
        if let Some(f) = self.file.take() {
            f.close();
        }
    }
}
