//! Benchmark, not a test (`#[ignore]`): how fast `loa::loudness::measure_file` analyses
//! a clip (decode + EBU R128 integrated loudness + true peak). Target: ≥ 50× real time.
//! Run in release: `cargo test --release --test bench_loudness -- --ignored --nocapture`.
//! Prints one `BENCH` line per figure.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const SECONDS: u32 = 600;

/// 10 minutes of 48 kHz stereo: a 440 Hz tone plus LCG noise, changing level every 7 s.
fn write_test_wav(path: &Path) {
    let rate = 48_000u32;
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut noise = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 40) as f32 / (1u64 << 23) as f32) - 1.0
    };
    let levels = [0.05f32, 0.3, 0.1, 0.6, 0.02, 0.2];
    let step = 2.0 * std::f32::consts::PI * 440.0 / rate as f32;
    let mut phase = 0.0f32;
    for n in 0..rate * SECONDS {
        let level = levels[(n / (rate * 7)) as usize % levels.len()];
        phase += step;
        if phase > 2.0 * std::f32::consts::PI {
            phase -= 2.0 * std::f32::consts::PI;
        }
        let tone = 0.5 * phase.sin();
        for _ in 0..2 {
            let s = level * (tone + 0.5 * noise());
            w.write_sample((s * 32767.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}

fn time_measure(path: &Path) -> (f64, loa::loudness::Measure) {
    let t = Instant::now();
    let m = loa::loudness::measure_file(path).unwrap();
    (t.elapsed().as_secs_f64(), m)
}

#[test]
#[ignore]
fn bench_loudness_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("bench.wav");
    write_test_wav(&wav);
    let (secs, m) = time_measure(&wav);
    assert!((m.seconds - f64::from(SECONDS)).abs() < 0.01, "{m:?}");
    assert!(m.integrated_lufs.is_some(), "{m:?}");
    println!(
        "BENCH loudness analysis: {SECONDS} s of 48 kHz stereo WAV in {secs:.2} s = {:.0}x real time (target >= 50x)",
        f64::from(SECONDS) / secs
    );
    eprintln!("  measured: {m:?}");

    let mp3 = dir.path().join("bench.mp3");
    let made = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2"])
        .arg(&mp3)
        .args(["synth", &SECONDS.to_string(), "pinknoise", "vol", "0.3"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        println!("BENCH loudness analysis: MP3 skipped (sox cannot encode MP3 here)");
        return;
    }
    let (secs, m) = time_measure(&mp3);
    println!(
        "BENCH loudness analysis: {:.0} s of 44.1 kHz stereo MP3 in {secs:.2} s = {:.0}x real time (target >= 50x)",
        m.seconds,
        m.seconds / secs
    );
    eprintln!("  measured: {m:?}");
}

/// The clip limiter's cost when it must run (limit = true), on 10 minutes of loud noise.
#[test]
#[ignore]
fn bench_limiter() {
    let n = 48_000usize * SECONDS as usize * 2;
    let mut seed = 7u64;
    let input: Vec<f32> = (0..n)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 40) as f32 / (1u64 << 23) as f32) - 1.0
        })
        .collect();
    let t = Instant::now();
    let mut count = 0usize;
    let mut sum = 0.0f32;
    for s in loa::loudness::Limited::new(input.iter().copied(), 2, 48_000, 10.0, true) {
        count += 1;
        sum += s.abs();
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(count, n);
    assert!(sum > 0.0);
    println!(
        "BENCH clip limiter: {SECONDS} s of 48 kHz stereo limited (+10 dB into the ceiling) in {secs:.2} s = {:.0}x real time",
        f64::from(SECONDS) / secs
    );
}
