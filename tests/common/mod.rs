//! Shared helpers for the integration tests: a station in a temp folder, clips
//! made with hound, the real `loa` binary, and reading what went on air from
//! the `wav:` recording (never from the daemon's own log).
#![allow(dead_code)]

pub mod audio;
pub mod bad_link;
pub mod browser;
pub mod fake_station;
pub mod feedkit;
pub mod history;
pub mod hub;
pub mod hub_multi;
pub mod hub_pg;
pub mod icecast;
pub mod nginx;
pub mod pages;
pub mod public;
pub mod pulse;
pub mod station_api;
pub mod stream_server;
pub mod task;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Timelike, Utc};

pub const RATE: u32 = 48_000;

/// VmRSS and VmHWM (kB) of process `pid`.
pub fn rss_kb(pid: u32) -> (u64, u64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let get = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (get("VmRSS:"), get("VmHWM:"))
}

pub fn loa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_loa"));
    c.env_remove("LOA_CONFIG")
        .env_remove("LOA_FAKE_TIME")
        .env("LOA_LOG", "debug");
    c
}

/// A station in a temp folder: `audio/`, `state/`, `loa.toml`.
pub struct Station {
    pub dir: tempfile::TempDir,
    /// An `Etc/GMT±N` zone where local time is near noon now, so tests never cross midnight.
    pub tz: String,
    pub offset_h: i64,
}

impl Station {
    pub fn new() -> Station {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("audio")).unwrap();
        let h = Utc::now().hour() as i64;
        let offset_h = (12 - h).clamp(-12, 14);
        // Etc/GMT signs are inverted: Etc/GMT-7 is UTC+7.
        let tz = match offset_h {
            0 => "Etc/UTC".to_string(),
            o if o > 0 => format!("Etc/GMT-{o}"),
            o => format!("Etc/GMT+{}", -o),
        };
        Station { dir, tz, offset_h }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn config_path(&self) -> PathBuf {
        self.path("loa.toml")
    }

    pub fn wav_path(&self) -> PathBuf {
        self.path("air.wav")
    }

    /// Local wall-clock "HH:MM:SS" of instant `t` in the station zone.
    pub fn local_hms(&self, t: DateTime<Utc>) -> String {
        (t + TimeDelta::hours(self.offset_h))
            .format("%H:%M:%S")
            .to_string()
    }

    /// Write `loa.toml` with this station header and the given programs/extra TOML.
    pub fn write_config(&self, body: &str) {
        self.write_config_output("", body);
    }

    /// [`Station::write_config`] with extra `[output]` lines (e.g. `dead_air = "3s"`);
    /// the line numbers of `body` do not change.
    pub fn write_config_output_line(&self, line: &str, body: &str) {
        self.write_config_output(&format!("{line}\n"), body);
    }

    /// `write_config` with `output` (whole lines, each ending in a newline) added
    /// to `[output]`.
    fn write_config_output(&self, output: &str, body: &str) {
        let cfg = format!(
            "[station]\nname = \"Đài thử nghiệm\"\ntimezone = \"{}\"\n\n[output]\ndevice = \"null\"\nwarmup = \"1s\"\n{output}\n[paths]\nclips = \"audio\"\nstate = \"state\"\n\n{body}\n",
            self.tz
        );
        std::fs::write(self.config_path(), cfg).unwrap();
    }

    pub fn tone(&self, name: &str, hz: f32, secs: f32) {
        write_tone(&self.path(&format!("audio/{name}")), hz, secs, 0.5);
    }

    /// Start `loa run --output wav:air.wav`.
    pub fn spawn(&self) -> Daemon {
        self.spawn_with(&["--output", &format!("wav:{}", self.wav_path().display())])
    }

    pub fn spawn_with(&self, extra: &[&str]) -> Daemon {
        let log = self.path(&format!("daemon-{}.log", Utc::now().timestamp_micros()));
        let err = std::fs::File::create(&log).unwrap();
        let child = loa()
            .arg("--config")
            .arg(self.config_path())
            .arg("run")
            .args(extra)
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("spawn loa run");
        Daemon { child, log }
    }

    /// One program `id` playing a `secs`-long tone 2 s from now on `wav:`;
    /// returns once it is on air (and has been for a second).
    pub fn long_program_on_air(&self, id: &str, secs: f32) -> (Daemon, DateTime<Utc>) {
        self.tone("long.wav", 440.0, secs);
        let a = whole_second_in(2);
        self.write_config(&format!(
            "[[program]]\nid = \"{id}\"\nat = [\"{}\"]\nplay = [\"long.wav\"]\n",
            self.local_hms(a)
        ));
        let d = self.spawn();
        self.wait_for(Duration::from_secs(10), "on air", |r| {
            r.iter().any(|x| x["event"] == "on_air")
        });
        std::thread::sleep(Duration::from_millis(1000));
        (d, a)
    }

    pub fn cmd(&self, args: &[&str]) -> Output {
        loa()
            .arg("--config")
            .arg(self.config_path())
            .args(args)
            .output()
            .unwrap()
    }

    /// The as-run log as JSON values, one per line.
    pub fn asrun(&self) -> Vec<serde_json::Value> {
        let Ok(text) = std::fs::read_to_string(self.path("state/asrun.jsonl")) else {
            return Vec::new();
        };
        text.lines()
            .map(|l| serde_json::from_str(l).expect("as-run line is JSON"))
            .collect()
    }

    /// Outcome records (event = outcome) for `program`.
    pub fn outcomes(&self, program: &str) -> Vec<serde_json::Value> {
        self.asrun()
            .into_iter()
            .filter(|r| r["event"] == "outcome" && r["program"] == program)
            .collect()
    }

    /// Wait until `pred` holds on the as-run log, or panic after `limit`.
    pub fn wait_for(
        &self,
        limit: Duration,
        what: &str,
        pred: impl Fn(&[serde_json::Value]) -> bool,
    ) {
        let t = Instant::now();
        while t.elapsed() < limit {
            if pred(&self.asrun()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {what}; as-run log:\n{:#?}",
            self.asrun()
        );
    }
}

pub struct Daemon {
    pub child: Child,
    pub log: PathBuf,
}

impl Daemon {
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_none()
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }

    pub fn term(&mut self) -> Option<std::process::ExitStatus> {
        unsafe_kill(self.child.id(), "TERM");
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unsafe_kill(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status();
}

/// A writer of 16-bit 48 kHz stereo WAV (the clips tests make).
pub fn wav_writer(path: &Path) -> hound::WavWriter<std::io::BufWriter<std::fs::File>> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    hound::WavWriter::create(path, spec).unwrap()
}

/// The wall-clock time of sample 0 of a `wav:` recording (its `.start` sidecar).
pub fn wav_t0(path: &Path) -> DateTime<Utc> {
    loa::playout::read_sidecar(path).expect("wav sidecar")
}

/// A 16-bit 48 kHz stereo sine starting at phase 0 (a sharp onset).
pub fn write_tone(path: &Path, hz: f32, secs: f32, amp: f32) {
    let mut w = wav_writer(path);
    let n = (secs * RATE as f32) as usize;
    for i in 0..n {
        let v = (amp * (2.0 * std::f32::consts::PI * hz * i as f32 / RATE as f32).sin() * 32767.0)
            as i16;
        w.write_sample(v).unwrap();
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
}

pub fn write_garbage(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    let junk: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    f.write_all(&junk).unwrap();
}

/// A recording: mono peak-per-sample and the wall-clock instant of sample 0.
pub struct Recording {
    pub t0: DateTime<Utc>,
    pub rate: u32,
    pub samples: Vec<f32>,
}

impl Recording {
    /// Read a `wav:` output file and its `.start` sidecar.
    pub fn read_wav(path: &Path) -> Recording {
        let t0 = wav_t0(path);
        let mut r = hound::WavReader::open(path).expect("open wav");
        let spec = r.spec();
        let ch = spec.channels as usize;
        let raw: Vec<i16> = r.samples::<i16>().map_while(Result::ok).collect();
        let samples = raw
            .chunks(ch)
            .map(|c| {
                c.iter()
                    .map(|s| (*s as f32 / 32768.0).abs())
                    .fold(0.0, f32::max)
            })
            .collect();
        Recording {
            t0,
            rate: spec.sample_rate,
            samples,
        }
    }

    pub fn time_of(&self, idx: usize) -> DateTime<Utc> {
        self.t0 + TimeDelta::microseconds((idx as f64 * 1e6 / self.rate as f64) as i64)
    }

    pub fn index_of(&self, t: DateTime<Utc>) -> usize {
        let us = (t - self.t0).num_microseconds().unwrap_or(0).max(0) as f64;
        (us * self.rate as f64 / 1e6) as usize
    }

    /// Onsets: sound (> thr) after at least `gap` of silence; as wall-clock instants.
    pub fn onsets(&self, thr: f32, gap: Duration) -> Vec<DateTime<Utc>> {
        let gap_n = (gap.as_secs_f64() * self.rate as f64) as usize;
        let mut out = Vec::new();
        let mut quiet = gap_n; // the recording starts in silence
        for (i, s) in self.samples.iter().enumerate() {
            if *s > thr {
                if quiet >= gap_n {
                    out.push(self.time_of(i));
                }
                quiet = 0;
            } else {
                quiet += 1;
            }
        }
        out
    }

    /// Seconds of sound (> thr) in [a, b).
    pub fn sound_between(&self, a: DateTime<Utc>, b: DateTime<Utc>, thr: f32) -> f64 {
        let (i, j) = (self.index_of(a), self.index_of(b).min(self.samples.len()));
        if i >= j {
            return 0.0;
        }
        self.samples[i..j].iter().filter(|s| **s > thr).count() as f64 / self.rate as f64
    }
}

/// Milliseconds from `expected` to `actual` (positive = late).
pub fn late_ms(actual: DateTime<Utc>, expected: DateTime<Utc>) -> f64 {
    (actual - expected).num_microseconds().unwrap_or(i64::MAX) as f64 / 1000.0
}

/// Now, rounded up to a whole second, plus `secs`.
pub fn whole_second_in(secs: i64) -> DateTime<Utc> {
    let now = Utc::now();
    let base = now.with_nanosecond(0).unwrap() + TimeDelta::seconds(1);
    base + TimeDelta::seconds(secs)
}

/// Poll `f` every 50 ms until it holds; panic naming `what` after `limit`.
pub fn wait_until(limit: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while t.elapsed() < limit {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}
