//! Tests of the playout module through its public API, on real-time-paced `wav:`
//! outputs: what went on air is read back from the WAV and its `.start` sidecar.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::*;

const RATE: u32 = 48_000;
/// Sample value above which a frame counts as on air.
const THRESHOLD: i16 = 300;

pub(super) fn tone(path: &Path, secs: f64, freq: f64, amp: f64) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create tone");
    let n = (secs * f64::from(RATE)).round() as u64;
    for i in 0..n {
        let v = (2.0 * std::f64::consts::PI * freq * i as f64 / f64::from(RATE)).sin() * amp;
        let s = (v * 32767.0).round() as i16;
        w.write_sample(s).expect("write");
        w.write_sample(s).expect("write");
    }
    w.finalize().expect("finalize");
}

pub(super) fn file(path: &Path, name: &str) -> PlanItem {
    PlanItem::File {
        path: path.to_path_buf(),
        name: name.to_string(),
    }
}

pub(super) fn plan(items: Vec<PlanItem>) -> BroadcastPlan {
    BroadcastPlan {
        items,
        volume: 1.0,
        max_duration: None,
        leveling: None,
        dead_air: None,
    }
}

/// Start `plan` at `at` and wait for its report.
pub(super) fn play(
    out: &Output,
    plan: BroadcastPlan,
    at: Instant,
) -> (Broadcast, mpsc::Receiver<BroadcastReport>) {
    let (tx, rx) = mpsc::channel();
    let b = out.start(
        plan,
        at,
        Box::new(move |r| {
            let _ = tx.send(r);
        }),
    );
    (b, rx)
}

/// Poll until the current item has aired `min` (the preparer may be slow in debug builds).
fn wait_on_air(b: &Broadcast, min: Duration) {
    let give_up = Instant::now() + Duration::from_secs(5);
    while b.progress().position < min && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub(super) fn wait(rx: &mpsc::Receiver<BroadcastReport>) -> BroadcastReport {
    rx.recv_timeout(Duration::from_secs(10))
        .expect("on_done within 10 s")
}

pub(super) fn wav_left(path: &Path) -> Vec<i16> {
    left(path)
}

pub(super) fn runs_of(samples: &[i16]) -> Vec<(usize, usize)> {
    runs(samples)
}

/// Left channel of a WAV.
pub(super) fn left(path: &Path) -> Vec<i16> {
    let mut r = hound::WavReader::open(path).expect("open wav");
    assert_eq!(r.spec().channels, 2);
    assert_eq!(r.spec().sample_rate, RATE);
    let all: Vec<i16> = r.samples::<i16>().map(|s| s.expect("sample")).collect();
    all.chunks(2).map(|f| f[0]).collect()
}

/// Runs of on-air frames as (first, end) frame indexes; gaps under 5 ms are bridged.
fn runs(samples: &[i16]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if s.unsigned_abs() > THRESHOLD as u16 {
            match out.last_mut() {
                Some((_, end)) if i - *end < 240 => *end = i + 1,
                _ => out.push((i, i + 1)),
            }
        }
    }
    out
}

/// Wall-clock instant of `at`, via a fresh (Instant, wall) pair.
pub(super) fn wall_of(at: Instant) -> DateTime<Utc> {
    let (now, wall) = wavfile::now_pair();
    if at >= now {
        wall + chrono::Duration::from_std(at - now).expect("small")
    } else {
        wall - chrono::Duration::from_std(now - at).expect("small")
    }
}

fn frame_wall(t0: DateTime<Utc>, frame: usize) -> DateTime<Utc> {
    t0 + chrono::Duration::nanoseconds(frame as i64 * 1_000_000_000 / i64::from(RATE))
}

pub(super) fn ms(d: chrono::Duration) -> f64 {
    d.num_microseconds().expect("small") as f64 / 1000.0
}

fn secs(frames: usize) -> f64 {
    frames as f64 / f64::from(RATE)
}

struct Clips {
    _dir: tempfile::TempDir,
    dir: PathBuf,
}

fn clips() -> Clips {
    let d = tempfile::tempdir().expect("tempdir");
    let dir = d.path().to_path_buf();
    tone(&dir.join("a.wav"), 0.3, 440.0, 0.5);
    tone(&dir.join("b.wav"), 0.3, 660.0, 0.5);
    Clips { _dir: d, dir }
}

#[test]
fn three_items_start_on_time_with_exact_gap() {
    let c = clips();
    let wav = c.dir.join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open wav");
    let at = Instant::now() + Duration::from_millis(300);
    let p = plan(vec![
        file(&c.dir.join("a.wav"), "a"),
        PlanItem::Silence(Duration::from_millis(500)),
        file(&c.dir.join("b.wav"), "b"),
    ]);
    let (_b, rx) = play(&out, p, at);
    let r = wait(&rx);
    drop(out);

    assert_eq!(r.ended_by, EndedBy::Completed);
    assert_eq!(r.items.len(), 3);
    let names: Vec<&str> = r.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["a", "silence 0.500 s", "b"]);
    for (item, want) in r.items.iter().zip([0.3, 0.5, 0.3]) {
        assert!((item.seconds - want).abs() < 1e-4, "{item:?}");
        assert_eq!(item.error, None);
    }
    let sha_a = prepare::sha256_file(&c.dir.join("a.wav")).expect("hash");
    assert_eq!(r.items[0].sha256.as_deref(), Some(sha_a.as_str()));
    assert_eq!(r.items[1].sha256, None);
    let first = r.first_sample.expect("first sample");
    let d = if first > at { first - at } else { at - first };
    assert!(d < Duration::from_micros(100), "first_sample off by {d:?}");

    let t0 = read_sidecar(&wav).expect("sidecar");
    let rs = runs(&left(&wav));
    assert_eq!(rs.len(), 2, "two tones on air: {rs:?}");
    let late = ms(frame_wall(t0, rs[0].0) - wall_of(at));
    eprintln!("wav onset {late:.3} ms after the start instant");
    assert!((-1.0..=10.0).contains(&late), "first tone {late} ms late");
    let gap = secs(rs[1].0 - rs[0].1);
    assert!((gap - 0.5).abs() <= 0.010, "gap {gap} s");
    let len = secs(rs[0].1 - rs[0].0);
    assert!((len - 0.3).abs() <= 0.002, "tone a {len} s");
}

#[test]
fn corrupt_file_is_skipped_and_the_next_airs() {
    let c = clips();
    let bad = c.dir.join("bad.mp3");
    let bytes: Vec<u8> = (0u32..20_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&bad, bytes).expect("write");
    let missing = c.dir.join("missing.ogg");
    let wav = c.dir.join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open wav");
    let at = Instant::now() + Duration::from_millis(200);
    let p = plan(vec![
        file(&bad, "bad"),
        file(&missing, "missing"),
        file(&c.dir.join("a.wav"), "a"),
    ]);
    let (_b, rx) = play(&out, p, at);
    let r = wait(&rx);
    drop(out);
    assert_eq!(r.ended_by, EndedBy::Completed);
    assert_eq!(r.items.len(), 3);
    let e0 = r.items[0].error.clone().expect("bad skipped");
    assert!(e0.starts_with("cannot decode"), "{e0}");
    assert!(r.items[0].sha256.is_some());
    let e1 = r.items[1].error.clone().expect("missing skipped");
    assert!(e1.starts_with("cannot open"), "{e1}");
    assert_eq!(r.items[1].seconds, 0.0);
    assert!((r.items[2].seconds - 0.3).abs() < 1e-4);
    let t0 = read_sidecar(&wav).expect("sidecar");
    let rs = runs(&left(&wav));
    assert_eq!(rs.len(), 1, "{rs:?}");
    let late = ms(frame_wall(t0, rs[0].0) - wall_of(at));
    assert!((-1.0..=10.0).contains(&late), "{late} ms late");
}

#[test]
fn stop_fades_then_reports_stopped() {
    let c = clips();
    let long = c.dir.join("long.wav");
    tone(&long, 3.0, 440.0, 0.5);
    let wav = c.dir.join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open wav");
    let (b, rx) = play(&out, plan(vec![file(&long, "long")]), Instant::now());
    wait_on_air(&b, Duration::from_millis(400));
    let p = b.progress();
    assert_eq!(p.item_index, 0);
    assert_eq!(p.item_name, "long");
    assert!(p.elapsed > Duration::from_millis(200), "{p:?}");
    b.stop();
    let r = wait(&rx);
    drop(out);
    assert_eq!(r.ended_by, EndedBy::Stopped);
    assert!(b.is_ended());
    let aired = r.items[0].seconds;
    assert!((0.6..1.5).contains(&aired), "aired {aired}");
    let s = left(&wav);
    let rs = runs(&s);
    assert_eq!(rs.len(), 1, "{rs:?}");
    let (a, e) = rs[0];
    assert!(
        (secs(e - a) - aired).abs() < 0.01,
        "on air {} vs {aired}",
        secs(e - a)
    );
    let peak = |from: usize, to: usize| {
        s[from..to]
            .iter()
            .map(|v| u32::from(v.unsigned_abs()))
            .max()
            .unwrap_or(0)
    };
    let full = peak(a, a + 4800);
    let start_of_fade = peak(e - 14_400, e - 12_000); // 300..250 ms before the end
    let end_of_fade = peak(e - 2400, e); // last 50 ms
    assert!(full > 16_000, "full {full}");
    assert!(
        start_of_fade > full * 8 / 10,
        "fade start {start_of_fade} of {full}"
    );
    assert!(
        end_of_fade < full * 2 / 10,
        "fade end {end_of_fade} of {full}"
    );
}

#[test]
fn max_duration_cuts_the_item() {
    let c = clips();
    let long = c.dir.join("long.wav");
    tone(&long, 2.0, 440.0, 0.5);
    let wav = c.dir.join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open wav");
    let mut p = plan(vec![file(&long, "long"), file(&c.dir.join("a.wav"), "a")]);
    p.max_duration = Some(Duration::from_millis(500));
    let (_b, rx) = play(&out, p, Instant::now() + Duration::from_millis(300));
    let r = wait(&rx);
    drop(out);
    assert_eq!(r.ended_by, EndedBy::MaxDuration);
    assert_eq!(r.items.len(), 1, "the second item was never reached");
    assert!((r.items[0].seconds - 0.5).abs() < 1e-4, "{:?}", r.items[0]);
    let rs = runs(&left(&wav));
    assert_eq!(rs.len(), 1);
    assert!((secs(rs[0].1 - rs[0].0) - 0.5).abs() < 0.002);
}

#[test]
fn reopening_the_same_wav_appends_on_one_timeline() {
    let c = clips();
    let wav = c.dir.join("air.wav");
    let spec = OutputSpec::Wav(wav.clone());
    let mut ats = Vec::new();
    for delay_ms in [100u64, 150] {
        let out = Output::open(&spec, 1.0).expect("open wav");
        let at = Instant::now() + Duration::from_millis(delay_ms);
        let (_b, rx) = play(&out, plan(vec![file(&c.dir.join("a.wav"), "a")]), at);
        wait(&rx);
        ats.push(wall_of(at));
        drop(out);
        std::thread::sleep(Duration::from_millis(300));
    }
    let t0 = read_sidecar(&wav).expect("sidecar");
    let s = left(&wav);
    let rs = runs(&s);
    assert_eq!(rs.len(), 2, "{rs:?}");
    for (run, at) in rs.iter().zip(&ats) {
        let late = ms(frame_wall(t0, run.0) - *at);
        assert!((-1.0..=10.0).contains(&late), "{late} ms late");
    }
    // A file that does not match is replaced, with a new sidecar.
    std::fs::write(&wav, b"not a wav").expect("clobber");
    let out = Output::open(&spec, 1.0).expect("open wav");
    drop(out);
    assert!(read_sidecar(&wav).expect("sidecar") > t0);
    assert!(left(&wav).len() < 4800);
}

#[test]
fn volume_scales_amplitude() {
    let c = clips();
    let wav = c.dir.join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 0.5).expect("open wav");
    let mut p = plan(vec![file(&c.dir.join("a.wav"), "a")]);
    p.volume = 0.5;
    let (_b, rx) = play(&out, p, Instant::now());
    wait(&rx);
    drop(out);
    let peak = left(&wav)
        .iter()
        .map(|v| v.unsigned_abs())
        .max()
        .unwrap_or(0);
    // 0.5 (clip) × 0.5 (program) × 0.5 (master) of full scale
    assert!((4090..=4100).contains(&peak), "peak {peak}");
}

#[test]
fn unopenable_device_gives_a_clear_error() {
    let e = Output::open(&OutputSpec::Device("nosuchdevice".into()), 1.0)
        .err()
        .expect("must fail");
    let msg = e.to_string();
    assert!(
        msg.starts_with("cannot open sound output `nosuchdevice`: "),
        "{msg}"
    );
}

#[test]
fn device_failure_ends_the_broadcast_promptly() {
    let c = clips();
    let long = c.dir.join("long.wav");
    tone(&long, 3.0, 440.0, 0.5);
    let out = Output::open(&OutputSpec::Null, 1.0).expect("open null");
    let (b, rx) = play(&out, plan(vec![file(&long, "long")]), Instant::now());
    wait_on_air(&b, Duration::from_millis(200));
    let failed_at = Instant::now();
    out.backend.clock().fail("unplugged".into());
    let r = wait(&rx);
    assert!(failed_at.elapsed() < Duration::from_secs(1));
    assert_eq!(r.ended_by, EndedBy::DeviceFailed("unplugged".into()));
    assert_eq!(out.failure().as_deref(), Some("unplugged"));
    assert_eq!(r.items.len(), 1);
    assert!(
        r.items[0].seconds >= 0.2 && r.items[0].seconds < 2.0,
        "{:?}",
        r.items[0]
    );
}

#[test]
fn closing_the_output_mid_broadcast_reports_failure() {
    let c = clips();
    let long = c.dir.join("long.wav");
    tone(&long, 3.0, 440.0, 0.5);
    let out = Output::open(&OutputSpec::Null, 1.0).expect("open null");
    let (b, rx) = play(&out, plan(vec![file(&long, "long")]), Instant::now());
    wait_on_air(&b, Duration::from_millis(100));
    drop(out);
    let r = wait(&rx);
    assert!(matches!(r.ended_by, EndedBy::DeviceFailed(ref m) if m.contains("closed")));
}

/// MP3 (gapless), Ogg Vorbis and FLAC made with sox/lame, AAC in M4A made with
/// ffmpeg, if installed.
#[test]
fn compressed_formats_decode_and_start_on_time() {
    let c = clips();
    let src = c.dir.join("a.wav");
    let mut made = Vec::new();
    let mp3 = c.dir.join("a.mp3");
    if run_tool(
        "lame",
        &["--quiet", "-b", "128", path_str(&src), path_str(&mp3)],
    ) {
        made.push(mp3);
    }
    for ext in ["ogg", "flac"] {
        let out = c.dir.join(format!("a.{ext}"));
        if run_tool("sox", &[path_str(&src), path_str(&out)]) {
            made.push(out);
        }
    }
    let m4a = c.dir.join("a.m4a");
    if run_tool(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-i",
            path_str(&src),
            "-c:a",
            "aac",
            path_str(&m4a),
        ],
    ) {
        made.push(m4a);
    }
    if made.is_empty() {
        eprintln!("skipping: neither lame, sox nor ffmpeg is installed");
        return;
    }
    for f in made {
        let d = crate::decode::probe(&f).expect("probe").expect("duration");
        assert!(
            (d.as_secs_f64() - 0.3).abs() < 0.03,
            "{}: {d:?}",
            f.display()
        );
        let wav = c.dir.join("air.wav");
        let _ = std::fs::remove_file(&wav);
        let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open");
        let at = Instant::now() + Duration::from_millis(500);
        let (_b, rx) = play(&out, plan(vec![file(&f, "x")]), at);
        let r = wait(&rx);
        drop(out);
        assert_eq!(r.items[0].error, None, "{}", f.display());
        let t0 = read_sidecar(&wav).expect("sidecar");
        let rs = runs(&left(&wav));
        let late = ms(frame_wall(t0, rs[0].0) - wall_of(at));
        eprintln!(
            "{}: onset {late:.3} ms after the start instant",
            f.display()
        );
        assert!(
            (-1.0..=10.0).contains(&late),
            "{}: {late} ms late",
            f.display()
        );
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn run_tool(tool: &str, args: &[&str]) -> bool {
    match Command::new(tool).args(args).output() {
        Ok(o) if o.status.success() => true,
        Ok(o) => {
            eprintln!("{tool} failed: {}", String::from_utf8_lossy(&o.stderr));
            false
        }
        Err(_) => {
            eprintln!("skipping {tool}: not installed");
            false
        }
    }
}
