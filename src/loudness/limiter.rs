//! limiter: a look-ahead true-peak limiter that never shifts timing. Output frame n is
//! input frame n × a smooth gain envelope, so onsets stay where they were. Two forms:
//! `Limited` (an iterator adapter for clips, reads ahead so there is no delay) and
//! `Limiter` (block form for live streams, output delayed by its look-ahead). Only
//! scales samples: never reorders, drops or inserts any.
//!
//! Per frame: a peak estimate d(n) = max over channels of |x(n)| and the 4×
//! oversampled values in (n, n+1) (the same 48-tap interpolator as the `ebur128` true
//! peak meter); the required gain r(n) = min(1, c / max(d(n−1), d(n))); m(n) = the
//! minimum of r over the next L frames (monotonic deque); a(n) = the mean of m over the
//! last L frames, which is ≤ r(n) and ramps down over L frames before a peak; then a
//! release: g(n) = min(a(n), g(n−1) × release step, r(n)). O(1) per frame, no
//! allocation after construction.

use super::gain::LIMITER_CEILING_DBTP;

/// Look-ahead, and attack time: 5 ms.
const LOOKAHEAD_S: f64 = 0.005;
/// Release: the gain comes back up at 100 dB/s (6 dB in 60 ms) — fast enough to keep
/// the loudness of speech, slow enough not to follow single low-frequency cycles.
const RELEASE_DB_PER_S: f64 = 100.0;
/// Interpolator: 4× oversampling, 12 taps per phase; the window is centred 6 frames back.
const FACTOR: usize = 4;
const TAPS: usize = 12;
const CENTRE: usize = 6;
/// Recompute the running sum exactly this often (frames) so rounding cannot drift.
const RESUM_EVERY: u64 = 1 << 16;

/// The limiter's per-frame engine. Starts as if it had been fed silence forever; frame
/// pushed as number i comes out `delay` pushes later.
struct Core {
    ch: usize,
    look: usize,
    mask: u64,
    ceiling: f32,
    release: f32,
    coef: [[f32; TAPS]; FACTOR - 1],
    /// Input frames (already gained), `mask + 1` of them, interleaved.
    ring: Vec<f32>,
    /// r of each frame, same indexing.
    r_ring: Vec<f32>,
    /// Index of the next frame pushed.
    i: u64,
    d_prev: f32,
    /// Monotonic deque of (frame, r), as a ring of `look + 1` slots.
    dq_idx: Vec<u64>,
    dq_val: Vec<f32>,
    dq_head: usize,
    dq_len: usize,
    /// The last `look` values of m and their sum.
    m_ring: Vec<f32>,
    m_sum: f64,
    g_prev: f32,
    /// Per channel, the last TAPS input samples, newest first, stored twice so the
    /// window `[hpos..hpos + TAPS]` is contiguous.
    hist: Vec<[f32; 2 * TAPS]>,
    hpos: usize,
}

impl Core {
    fn new(channels: u16, rate: u32) -> Core {
        let ch = usize::from(channels.max(1));
        let rate = f64::from(rate.max(1));
        let look = ((rate * LOOKAHEAD_S).round() as usize).max(1);
        let cap = (look + CENTRE + TAPS).next_power_of_two();
        Core {
            ch,
            look,
            mask: cap as u64 - 1,
            ceiling: 10f64.powf(LIMITER_CEILING_DBTP / 20.0) as f32,
            release: 10f64.powf(RELEASE_DB_PER_S / 20.0 / rate) as f32,
            coef: coefficients(),
            ring: vec![0.0; cap * ch],
            r_ring: vec![1.0; cap],
            // Frames before `cap` are virtual silence: all indices below stay valid.
            i: cap as u64,
            d_prev: 0.0,
            dq_idx: vec![0; look + 1],
            dq_val: vec![0.0; look + 1],
            dq_head: 0,
            dq_len: 0,
            m_ring: vec![1.0; look],
            m_sum: look as f64,
            g_prev: 1.0,
            hist: vec![[0.0; 2 * TAPS]; ch],
            hpos: 0,
        }
    }

    /// Frames between a frame going in and coming out.
    fn delay(&self) -> usize {
        self.look + CENTRE - 1
    }

    fn at(&self, frame: u64) -> usize {
        (frame & self.mask) as usize * self.ch
    }

    /// Push one input frame; write the frame `delay()` pushes old, limited, to `out`.
    fn push(&mut self, input: &[f32], out: &mut [f32]) {
        let ch = self.ch;
        let i = self.i;
        self.i += 1;
        let at = self.at(i);
        self.ring[at..at + ch].copy_from_slice(&input[..ch]);

        // Peak estimate of the interval [j, j+1): x(j) and three interpolated points,
        // from x(j+6) (newest) back to x(j−5).
        let j = i - CENTRE as u64;
        let mut d = 0.0f32;
        let hpos = (self.hpos + TAPS - 1) % TAPS;
        self.hpos = hpos;
        for (h, &x) in self.hist.iter_mut().zip(&input[..ch]) {
            h[hpos] = x;
            h[hpos + TAPS] = x;
            let t = &h[hpos..hpos + TAPS];
            d = d.max(t[CENTRE].abs());
            for phase in &self.coef {
                let y: f32 = phase.iter().zip(t).map(|(h, x)| h * x).sum();
                d = d.max(y.abs());
            }
        }
        let dd = d.max(self.d_prev);
        self.d_prev = d;
        let r = if dd > self.ceiling {
            self.ceiling / dd
        } else {
            1.0
        };
        self.r_ring[(j & self.mask) as usize] = r;

        // Sliding minimum of r over [k, j], k = j − L + 1.
        let slots = self.dq_idx.len();
        while self.dq_len > 0 {
            let back = (self.dq_head + self.dq_len - 1) % slots;
            if self.dq_val[back] >= r {
                self.dq_len -= 1;
            } else {
                break;
            }
        }
        let tail = (self.dq_head + self.dq_len) % slots;
        self.dq_idx[tail] = j;
        self.dq_val[tail] = r;
        self.dq_len += 1;
        let k = j + 1 - self.look as u64;
        while self.dq_idx[self.dq_head] < k {
            self.dq_head = (self.dq_head + 1) % slots;
            self.dq_len -= 1;
        }
        let m = self.dq_val[self.dq_head];

        // Moving average of m over the last L frames.
        let slot = (k % self.look as u64) as usize;
        self.m_sum += f64::from(m) - f64::from(self.m_ring[slot]);
        self.m_ring[slot] = m;
        if k.is_multiple_of(RESUM_EVERY) {
            self.m_sum = self.m_ring.iter().map(|&v| f64::from(v)).sum();
        }
        let a = if self.m_sum >= self.look as f64 - 1e-6 {
            1.0
        } else {
            (self.m_sum / self.look as f64) as f32
        };
        let g = a
            .min(self.g_prev * self.release)
            .min(self.r_ring[(k & self.mask) as usize]);
        self.g_prev = g;

        let at = self.at(k);
        for (o, x) in out[..ch].iter_mut().zip(&self.ring[at..at + ch]) {
            *o = x * g;
        }
    }
}

/// The polyphase coefficients for the points 1/4, 2/4 and 3/4 of the way to the next
/// frame: exactly those of `ebur128`'s true-peak interpolator (Hann-windowed sinc, 48
/// taps, 4 phases), so the limiter sees the peaks the meter will.
fn coefficients() -> [[f32; TAPS]; FACTOR - 1] {
    let n = (TAPS * FACTOR) as f64;
    let mut coef = [[0.0f32; TAPS]; FACTOR - 1];
    for (p, phase) in coef.iter_mut().enumerate() {
        for (tap, c) in phase.iter_mut().enumerate() {
            let j = (tap * FACTOR + p + 1) as f64;
            let w = 0.5 * (1.0 - (2.0 * std::f64::consts::PI * j / n).cos());
            let m = (j - n / 2.0) * std::f64::consts::PI / FACTOR as f64;
            *c = if m.abs() > 1e-9 { w * m.sin() / m } else { w } as f32;
        }
    }
    coef
}

/// Block form, for live streams: output is the input delayed by the look-ahead (it
/// starts with that many frames of silence).
pub struct Limiter {
    core: Core,
    channels: u16,
    rate: u32,
    /// A partial frame carried to the next call.
    pending: Vec<f32>,
    frame: Vec<f32>,
}

impl Limiter {
    /// A limiter for interleaved `channels` × `rate` audio (0 is taken as 1).
    pub fn new(channels: u16, rate: u32) -> Limiter {
        let core = Core::new(channels, rate);
        let ch = core.ch;
        Limiter {
            core,
            channels,
            rate,
            pending: Vec::with_capacity(ch),
            frame: vec![0.0; ch],
        }
    }

    /// Frames the output lags the input.
    pub fn delay_frames(&self) -> usize {
        self.core.delay()
    }

    /// Push interleaved input (already gained); append limited output to `out`. Output is delayed by lookahead frames.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        let ch = self.core.ch;
        out.reserve(input.len() + ch);
        let mut rest = input;
        if !self.pending.is_empty() {
            let take = (ch - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() < ch {
                return;
            }
            self.core.push(&self.pending, &mut self.frame);
            out.extend_from_slice(&self.frame);
            self.pending.clear();
        }
        let mut frames = rest.chunks_exact(ch);
        for f in frames.by_ref() {
            self.core.push(f, &mut self.frame);
            out.extend_from_slice(&self.frame);
        }
        self.pending.extend_from_slice(frames.remainder());
    }

    /// Emit what is still held (the last lookahead frames). The limiter then starts
    /// afresh; an incomplete trailing frame is dropped.
    pub fn flush(&mut self, out: &mut Vec<f32>) {
        let zeros = vec![0.0; self.core.ch];
        for _ in 0..self.core.delay() {
            self.core.push(&zeros, &mut self.frame);
            out.extend_from_slice(&self.frame);
        }
        *self = Limiter::new(self.channels, self.rate);
    }
}

/// Iterator adapter for clips: output sample n = input sample n × gain × envelope(n); it reads ahead
/// `lookahead` frames from `inner` so the sound is NOT delayed (first output sample is the clip's first sample).
/// With limit=false it is a plain multiply (no per-sample limiter cost). Must end when inner ends (emit every sample, exactly as many as inner gave).
pub struct Limited<I> {
    inner: I,
    gain: f32,
    limit: Option<Box<Lookahead>>,
}

struct Lookahead {
    core: Core,
    input: Vec<f32>,
    frame: Vec<f32>,
    /// Samples of `frame` to hand out, and how many are out.
    len: usize,
    pos: usize,
    /// Leading outputs still to drop (the silence the core starts with).
    skip: usize,
    received: u64,
    emitted: u64,
    done: bool,
}

impl<I: Iterator<Item = f32>> Limited<I> {
    /// `inner` is interleaved `channels` × `rate` audio; `gain_db` is applied before the
    /// limiter. A non-finite gain is taken as 0 dB.
    pub fn new(inner: I, channels: u16, rate: u32, gain_db: f64, limit: bool) -> Limited<I> {
        let gain = if gain_db.is_finite() {
            10f64.powf(gain_db / 20.0) as f32
        } else {
            1.0
        };
        let limit = limit.then(|| {
            let core = Core::new(channels, rate);
            let (ch, skip) = (core.ch, core.delay());
            Box::new(Lookahead {
                core,
                input: vec![0.0; ch],
                frame: vec![0.0; ch],
                len: 0,
                pos: 0,
                skip,
                received: 0,
                emitted: 0,
                done: false,
            })
        });
        Limited { inner, gain, limit }
    }
}

impl<I: Iterator<Item = f32>> Iterator for Limited<I> {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        let Some(st) = self.limit.as_deref_mut() else {
            return self.inner.next().map(|s| s * self.gain);
        };
        loop {
            if st.pos < st.len {
                st.pos += 1;
                return Some(st.frame[st.pos - 1]);
            }
            if st.done && st.emitted == st.received {
                return None;
            }
            for k in 0..st.input.len() {
                st.input[k] = if st.done {
                    0.0
                } else if let Some(s) = self.inner.next() {
                    st.received += 1;
                    s * self.gain
                } else {
                    st.done = true;
                    0.0
                };
            }
            st.core.push(&st.input, &mut st.frame);
            if st.skip > 0 {
                st.skip -= 1;
                continue;
            }
            let real = (st.received - st.emitted).min(st.frame.len() as u64);
            st.emitted += real;
            st.len = real as usize;
            st.pos = 0;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (lo, hi) = self.inner.size_hint();
        match self.limit.as_deref() {
            None => (lo, hi),
            Some(st) if st.done => {
                let n = (st.len - st.pos) + (st.received - st.emitted) as usize;
                (n, Some(n))
            }
            Some(st) => {
                let held = (st.len - st.pos) + (st.received - st.emitted) as usize;
                (
                    lo.saturating_add(held),
                    hi.and_then(|h| h.checked_add(held)),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::measure_samples;

    const RATE: u32 = 48_000;

    fn ceiling() -> f32 {
        10f64.powf(LIMITER_CEILING_DBTP / 20.0) as f32
    }

    /// Deterministic white noise in [−1, 1).
    use super::super::tests::noise;

    fn stereo(f: impl Fn(usize) -> f32, frames: usize) -> Vec<f32> {
        (0..frames).flat_map(|n| [f(n), f(n)]).collect()
    }

    fn limited(input: &[f32], gain_db: f64) -> Vec<f32> {
        Limited::new(input.iter().copied(), 2, RATE, gain_db, true).collect()
    }

    fn true_peak(samples: &[f32]) -> f64 {
        measure_samples(2, RATE, samples.iter().copied())
            .unwrap()
            .true_peak_dbtp
    }

    #[test]
    fn coefficients_match_ebur128_centre_tap() {
        // Phase 2 (half way) is symmetric about the centre.
        let c = coefficients();
        for tap in 0..TAPS - 1 {
            assert!((c[1][tap] - c[1][TAPS - 1 - tap]).abs() < 1e-6);
        }
        let sum: f32 = c[1].iter().sum();
        assert!((sum - 1.0).abs() < 0.01, "{sum}");
    }

    #[test]
    fn hard_cases_stay_under_minus_1_dbtp() {
        let frames = RATE as usize / 2;
        let cases: Vec<(&str, Vec<f32>)> = vec![
            // fs/4 at 45°: samples at 0.707 of the true peak (+3 dB inter-sample overshoot).
            (
                "fs/4 sine at 45°",
                stereo(
                    |n| {
                        (std::f64::consts::FRAC_PI_2 * n as f64 + std::f64::consts::FRAC_PI_4).sin()
                            as f32
                    },
                    frames,
                ),
            ),
            (
                "20 kHz sine",
                stereo(
                    |n| (2.0 * std::f64::consts::PI * 20_000.0 * n as f64 / 48_000.0).sin() as f32,
                    frames,
                ),
            ),
            (
                "1 kHz square",
                stereo(|n| if (n / 24) % 2 == 0 { 0.9 } else { -0.9 }, frames),
            ),
            ("white noise", noise(frames * 2, 7)),
            (
                "bursts",
                stereo(
                    |n| {
                        let env = if (n / 4800) % 2 == 0 { 1.0 } else { 0.05 };
                        env * (2.0 * std::f64::consts::PI * 11_000.0 * n as f64 / 48_000.0).sin()
                            as f32
                    },
                    frames,
                ),
            ),
        ];
        for (name, sig) in cases {
            for gain in [0.0, 6.0, 20.0] {
                let out = limited(&sig, gain);
                assert_eq!(out.len(), sig.len());
                let tp = true_peak(&out);
                // The limiter holds the meter's own estimate at −1.5 dBTP.
                assert!(tp <= -1.45, "{name} +{gain} dB: {tp} dBTP");
                let mut streamed = Vec::new();
                let mut l = Limiter::new(2, RATE);
                let g = 10f64.powf(gain / 20.0) as f32;
                let gained: Vec<f32> = sig.iter().map(|s| s * g).collect();
                l.process(&gained, &mut streamed);
                l.flush(&mut streamed);
                assert!(true_peak(&streamed) <= -1.0, "{name} +{gain} dB streamed");
            }
        }
    }

    #[test]
    fn sample_peak_never_exceeds_the_ceiling() {
        let sig = noise(RATE as usize * 2, 3);
        let out = limited(&sig, 20.0);
        let c = ceiling() * (1.0 + 1e-6);
        let max = out.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(max <= c, "{max} > {c}");
        // And the limiter does not over-squash: true peaks get close to the ceiling.
        let tp = true_peak(&out);
        assert!((-2.0..=-1.0).contains(&tp), "{tp}");
    }

    #[test]
    fn timing_is_not_shifted() {
        // Impulses every 100 ms over a quiet tone; boosted 20 dB so each impulse is limited.
        let frames = RATE as usize;
        let sig = stereo(
            |n| {
                if n % 4800 == 1000 {
                    0.9
                } else if n % 4800 == 1001 {
                    -0.7
                } else if n < 100 {
                    0.0
                } else {
                    0.001 * ((n % 48) as f32 - 24.0)
                }
            },
            frames,
        );
        let out = limited(&sig, 20.0);
        assert_eq!(out.len(), sig.len());
        for (n, (a, b)) in sig.iter().zip(&out).enumerate() {
            assert_eq!(*a == 0.0, *b == 0.0, "sample {n}: {a} -> {b}");
            assert_eq!(a.signum(), b.signum(), "sample {n}");
        }
        // The first sample out is the first sample in (silence here), and every impulse
        // is still the loudest sample of its period, at the same index.
        for period in 0..10 {
            let range = period * 9600..(period + 1) * 9600;
            let argmax = range
                .clone()
                .max_by(|&x, &y| out[x].abs().total_cmp(&out[y].abs()))
                .unwrap();
            assert_eq!(argmax / 2, period * 4800 + 1000);
        }
    }

    #[test]
    fn quiet_signals_pass_bit_exactly_times_gain() {
        let sig: Vec<f32> = noise(48_000, 11).iter().map(|s| s * 0.05).collect();
        let g = 10f64.powf(6.0 / 20.0) as f32;
        let want: Vec<f32> = sig.iter().map(|s| s * g).collect();
        assert_eq!(limited(&sig, 6.0), want);
        let plain: Vec<f32> = Limited::new(sig.iter().copied(), 2, RATE, 6.0, false).collect();
        assert_eq!(plain, want);
        // Also after a limited burst, once the release is over.
        let mut burst = sig.clone();
        for s in &mut burst[2_000..2_100] {
            *s = 0.95;
        }
        let out = limited(&burst, 6.0);
        assert_eq!(out[20_000..], want[20_000..]);
    }

    #[test]
    fn emits_exactly_as_many_samples_as_inner_gave() {
        for n in [0usize, 1, 2, 3, 245, 491, 492, 493, 10_001] {
            let sig: Vec<f32> = noise(n, 5).iter().map(|s| s * 3.0).collect();
            let it = Limited::new(sig.iter().copied(), 2, RATE, 0.0, true);
            assert_eq!(it.size_hint(), (n, Some(n)));
            let out: Vec<f32> = it.collect();
            assert_eq!(out.len(), n, "n = {n}");
            let c = ceiling() * (1.0 + 1e-6);
            assert!(out.iter().all(|s| s.abs() <= c));
        }
        let mono: Vec<f32> =
            Limited::new(std::iter::repeat_n(2.0f32, 777), 1, 8_000, 0.0, true).collect();
        assert_eq!(mono.len(), 777);
    }

    #[test]
    fn block_form_is_the_same_signal_delayed() {
        let sig: Vec<f32> = noise(20_000, 9).iter().map(|s| s * 4.0).collect();
        let clip = limited(&sig, 0.0);
        let mut l = Limiter::new(2, RATE);
        let d = l.delay_frames();
        assert_eq!(d, 245);
        let mut out = Vec::new();
        // Odd-sized blocks split frames.
        for chunk in sig.chunks(333) {
            l.process(chunk, &mut out);
        }
        assert_eq!(out.len(), sig.len());
        l.flush(&mut out);
        assert_eq!(out.len(), sig.len() + 2 * d);
        assert!(out[..2 * d].iter().all(|&s| s == 0.0));
        assert_eq!(out[2 * d..], clip[..]);
    }
}
