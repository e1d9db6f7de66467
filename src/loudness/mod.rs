//! TEMPORARY STUB (replaced by the real module): loudness API surface.
#![allow(dead_code, unused_variables)]
use std::path::Path;
#[derive(Debug, thiserror::Error)]
pub enum LoudnessError {
    #[error("{0}")]
    Other(String),
}
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Measure {
    pub integrated_lufs: Option<f64>,
    pub true_peak_dbtp: f64,
    pub seconds: f64,
}
pub fn measure_file(path: &Path) -> Result<Measure, LoudnessError> {
    Err(LoudnessError::Other("stub".into()))
}
pub fn measure_samples(
    channels: u16,
    rate: u32,
    samples: impl Iterator<Item = f32>,
) -> Result<Measure, LoudnessError> {
    Err(LoudnessError::Other("stub".into()))
}
#[derive(Clone)]
pub struct Cache;
impl Cache {
    pub fn open(state_dir: &Path) -> Cache {
        Cache
    }
    pub fn in_memory() -> Cache {
        Cache
    }
    pub fn get(&self, sha256: &str) -> Option<Measure> {
        None
    }
    pub fn insert(&self, sha256: &str, m: Measure) {}
    pub fn measure_cached(&self, sha256: &str, path: &Path) -> Result<Measure, LoudnessError> {
        measure_file(path)
    }
    pub fn len(&self) -> usize {
        0
    }
    pub fn is_empty(&self) -> bool {
        true
    }
}
pub const TRUE_PEAK_CEILING_DBTP: f64 = -1.0;
pub const MAX_BOOST_DB: f64 = 20.0;
pub const MAX_CUT_DB: f64 = 30.0;
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipGain {
    pub gain_db: f64,
    pub limit: bool,
}
pub fn clip_gain(m: &Measure, target_lufs: f64) -> ClipGain {
    ClipGain {
        gain_db: 0.0,
        limit: false,
    }
}
pub struct Limited<I> {
    inner: I,
}
impl<I: Iterator<Item = f32>> Limited<I> {
    pub fn new(inner: I, channels: u16, rate: u32, gain_db: f64, limit: bool) -> Limited<I> {
        Limited { inner }
    }
}
impl<I: Iterator<Item = f32>> Iterator for Limited<I> {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        self.inner.next()
    }
}
pub struct Agc;
impl Agc {
    pub fn new(channels: u16, rate: u32, target_lufs: f64) -> Agc {
        Agc
    }
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        out.extend_from_slice(input)
    }
    pub fn gain_db(&self) -> f64 {
        0.0
    }
}
