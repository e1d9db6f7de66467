//! agc: slow automatic gain for live streams (relays), whose loudness cannot be
//! measured in advance. Measures the input's loudness every 100 ms with `ebur128`
//! (momentary at start, then up to 3 s short-term), moves the gain toward
//! (target − loudness) slowly, and runs the result through the `Limiter`. Never
//! boosts silence; knows nothing of where the stream comes from or goes.

use ebur128::{Channel, EbuR128, Mode};

use super::Limiter;

/// The gain moves at most this far from 0 dB. The brief suggested ±12 dB; 15 lets a
/// badly levelled −30 LUFS relay still reach −16, while a stream that needs more is
/// broken rather than quiet (and boosting it further mostly airs its noise floor).
const RANGE_DB: f64 = 15.0;
/// Slowest useful rates: raising at 2 dB/s does not follow the words and pauses of
/// speech (the 3 s window smooths them further) yet corrects a 10 dB level change in
/// 5 s; cutting is twice as fast because too loud is worse than too quiet (the
/// limiter catches the peaks meanwhile).
const RAISE_DB_PER_S: f64 = 2.0;
const CUT_DB_PER_S: f64 = 4.0;
/// Below this the input is silence or noise floor: hold the gain.
const GATE_LUFS: f64 = -50.0;
/// Gain update period.
const BLOCK_S: f64 = 0.1;
/// The first gain is set (not slewed) from the first 400 ms once this many blocks are in.
const INIT_BLOCKS: u64 = 5;
/// Longest measuring window, ms (ebur128's short-term window).
const WINDOW_MS: u64 = 3000;

/// Slow automatic gain followed by a limiter.
pub struct Agc {
    meter: Option<EbuR128>,
    limiter: Limiter,
    ch: usize,
    target: f64,
    block_frames: usize,
    /// Frames into the current block, and blocks completed.
    pos: usize,
    blocks: u64,
    initialised: bool,
    gain_db: f64,
    /// Linear gain ramp across the current block.
    ramp_from: f32,
    ramp_to: f32,
    pending: Vec<f32>,
    scratch: Vec<f32>,
}

impl Agc {
    /// An AGC for interleaved `channels` × `rate` audio, aiming at `target_lufs`. If the
    /// meter cannot handle the format, the gain stays at 0 dB (the limiter still runs).
    pub fn new(channels: u16, rate: u32, target_lufs: f64) -> Agc {
        let ch = usize::from(channels.max(1));
        let meter = EbuR128::new(u32::from(channels), rate, Mode::S)
            .and_then(|mut m| {
                if channels == 1 {
                    m.set_channel(0, Channel::DualMono)?;
                }
                Ok(m)
            })
            .map_err(|e| {
                tracing::warn!("automatic gain disabled for {channels} channels at {rate} Hz: {e}")
            })
            .ok();
        Agc {
            meter,
            limiter: Limiter::new(channels, rate),
            ch,
            target: target_lufs,
            block_frames: ((f64::from(rate) * BLOCK_S).round() as usize).max(1),
            pos: 0,
            blocks: 0,
            initialised: false,
            gain_db: 0.0,
            ramp_from: 1.0,
            ramp_to: 1.0,
            pending: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Apply the slow gain, then the limiter; append to `out` (delayed by the limiter's lookahead).
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        if self.pending.is_empty() {
            let whole = input.len() / self.ch * self.ch;
            self.process_frames(&input[..whole], out);
            self.pending.extend_from_slice(&input[whole..]);
        } else {
            let mut buf = std::mem::take(&mut self.pending);
            buf.extend_from_slice(input);
            let whole = buf.len() / self.ch * self.ch;
            self.process_frames(&buf[..whole], out);
            buf.drain(..whole);
            self.pending = buf;
        }
    }

    /// The gain the AGC is applying (reached by the end of the current 100 ms block), dB.
    pub fn gain_db(&self) -> f64 {
        self.gain_db
    }

    fn process_frames(&mut self, mut rest: &[f32], out: &mut Vec<f32>) {
        let ch = self.ch;
        self.scratch.clear();
        while !rest.is_empty() {
            let n = (self.block_frames - self.pos).min(rest.len() / ch);
            let (seg, tail) = rest.split_at(n * ch);
            rest = tail;
            if let Some(m) = &mut self.meter {
                if let Err(e) = m.add_frames_f32(seg) {
                    tracing::debug!("automatic gain meter: {e}");
                }
            }
            let (from, step) = (
                self.ramp_from,
                (self.ramp_to - self.ramp_from) / self.block_frames as f32,
            );
            for (f, frame) in seg.chunks_exact(ch).enumerate() {
                let g = from + step * (self.pos + f + 1) as f32;
                self.scratch.extend(frame.iter().map(|s| s * g));
            }
            self.pos += n;
            if self.pos == self.block_frames {
                self.pos = 0;
                self.blocks += 1;
                self.update();
            }
        }
        self.limiter.process(&self.scratch, out);
    }

    /// End of a block: choose the gain the next block ramps to.
    fn update(&mut self) {
        self.ramp_from = self.ramp_to;
        let Some(meter) = &self.meter else { return };
        if !self.initialised {
            if self.blocks < INIT_BLOCKS {
                return;
            }
            if let Some(l) = gated(meter.loudness_momentary()) {
                self.gain_db = (self.target - l).clamp(-RANGE_DB, RANGE_DB);
                self.initialised = true;
            }
        } else {
            let window = (self.blocks * 100).min(WINDOW_MS) as u32;
            if let Some(l) = gated(meter.loudness_window(window)) {
                let want = (self.target - l).clamp(-RANGE_DB, RANGE_DB);
                let delta =
                    (want - self.gain_db).clamp(-CUT_DB_PER_S * BLOCK_S, RAISE_DB_PER_S * BLOCK_S);
                self.gain_db += delta;
            }
        }
        self.ramp_to = 10f64.powf(self.gain_db / 20.0) as f32;
    }
}

/// The loudness if it is above the gate.
fn gated(l: Result<f64, ebur128::Error>) -> Option<f64> {
    l.ok().filter(|l| l.is_finite() && *l >= GATE_LUFS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::measure_samples;

    const RATE: u32 = 48_000;

    /// Stereo white noise, `frames` frames.
    fn noise(frames: usize, seed: u64) -> Vec<f32> {
        super::super::tests::noise(frames * 2, seed)
    }

    fn lufs(s: &[f32]) -> f64 {
        measure_samples(2, RATE, s.iter().copied())
            .unwrap()
            .integrated_lufs
            .unwrap()
    }

    /// Stereo noise at `level` LUFS.
    fn noise_at(level: f64, secs: usize, seed: u64) -> Vec<f32> {
        let n = noise(RATE as usize * secs, seed);
        let g = 10f64.powf((level - lufs(&n)) / 20.0) as f32;
        n.iter().map(|s| s * g).collect()
    }

    fn run(agc: &mut Agc, input: &[f32]) -> Vec<f32> {
        let mut out = Vec::new();
        for block in input.chunks(1_001) {
            agc.process(block, &mut out);
        }
        out
    }

    #[test]
    fn a_quiet_stream_converges_to_the_target() {
        let input = noise_at(-30.0, 8, 1);
        let mut agc = Agc::new(2, RATE, -16.0);
        let out = run(&mut agc, &input);
        assert_eq!(out.len(), input.len());
        assert!((agc.gain_db() - 14.0).abs() < 1.0, "{}", agc.gain_db());
        // Already right within the first second (initialised from the first 0.5 s).
        let after_1s = &out[RATE as usize * 2..RATE as usize * 2 * 3];
        assert!((lufs(after_1s) - -16.0).abs() < 1.0, "{}", lufs(after_1s));
        let last = &out[out.len() - RATE as usize * 2 * 3..];
        assert!((lufs(last) - -16.0).abs() < 1.0, "{}", lufs(last));
    }

    #[test]
    fn a_level_change_is_followed_slowly() {
        let mut input = noise_at(-16.0, 4, 2);
        input.extend(noise_at(-26.0, 10, 3));
        let mut agc = Agc::new(2, RATE, -16.0);
        let out = run(&mut agc, &input[..RATE as usize * 2 * 4]);
        assert!(agc.gain_db().abs() < 0.5, "{}", agc.gain_db());
        // One second after the drop the gain has risen at most 2 dB/s.
        let mut out2 = run(
            &mut agc,
            &input[RATE as usize * 2 * 4..RATE as usize * 2 * 5],
        );
        assert!(agc.gain_db() <= 2.5, "{}", agc.gain_db());
        out2.extend(run(&mut agc, &input[RATE as usize * 2 * 5..]));
        assert!((agc.gain_db() - 10.0).abs() < 1.0, "{}", agc.gain_db());
        assert_eq!(out.len() + out2.len(), input.len());
    }

    #[test]
    fn silence_and_noise_floor_are_never_boosted() {
        let mut agc = Agc::new(2, RATE, -16.0);
        let out = run(&mut agc, &vec![0.0; RATE as usize * 2 * 5]);
        assert_eq!(agc.gain_db(), 0.0);
        assert!(out.iter().all(|&s| s == 0.0));
        run(&mut agc, &noise_at(-60.0, 5, 4));
        assert_eq!(agc.gain_db(), 0.0);
    }

    #[test]
    fn a_sudden_loud_input_stays_under_the_ceiling() {
        let mut input = noise_at(-30.0, 5, 5);
        // Full-scale noise burst, at +14 dB of gain.
        input.extend(noise(RATE as usize * 2, 6));
        let mut agc = Agc::new(2, RATE, -16.0);
        let out = run(&mut agc, &input);
        let tp = measure_samples(2, RATE, out.iter().copied())
            .unwrap()
            .true_peak_dbtp;
        assert!(tp <= -1.0, "{tp}");
        // And the gain is coming down at 4 dB/s.
        assert!(agc.gain_db() < 14.0 - 7.0, "{}", agc.gain_db());
    }

    #[test]
    fn mono_and_bad_formats_do_not_panic() {
        let mut agc = Agc::new(1, 8_000, -16.0);
        let mut out = Vec::new();
        agc.process(&[0.5; 8_000], &mut out);
        assert_eq!(out.len(), 8_000);
        let mut agc = Agc::new(0, 0, -16.0);
        agc.process(&[0.5; 100], &mut out);
        assert_eq!(agc.gain_db(), 0.0);
    }
}
