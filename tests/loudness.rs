//! Even loudness, end to end: a very quiet clip (−30 LUFS, with sharp peaks that
//! leave no headroom for a plain gain) and a very loud one (−8 LUFS) air at the
//! target (−16 LUFS by default) within ±1 LU, and the true peak of everything on
//! air stays at or below −1 dBTP; measured with EBU R128 on the `wav:` recording.
//! `loudness = "off"` airs clips as they are.

mod common;

use std::f32::consts::PI;
use std::path::Path;
use std::time::Duration;

use chrono::TimeDelta;
use common::audio::Stereo;
use common::*;

const SECS: f32 = 6.0;

fn loudness_of(frames: &[[f32; 2]]) -> f64 {
    let mut m = ebur128::EbuR128::new(2, RATE, ebur128::Mode::I).unwrap();
    let flat: Vec<f32> = frames.iter().flat_map(|f| [f[0], f[1]]).collect();
    m.add_frames_f32(&flat).unwrap();
    m.loudness_global().unwrap()
}

fn write(path: &Path, frames: &[[f32; 2]]) {
    let mut w = wav_writer(path);
    for f in frames {
        for s in f {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
                .unwrap();
        }
    }
    w.finalize().unwrap();
}

fn scaled_to(mut frames: Vec<[f32; 2]>, lufs: f64) -> Vec<[f32; 2]> {
    let g = 10f64.powf((lufs - loudness_of(&frames)) / 20.0) as f32;
    frames
        .iter_mut()
        .for_each(|f| f.iter_mut().for_each(|s| *s *= g));
    frames
}

/// A quiet, speech-like clip at about −30 LUFS: a 300 Hz tone swelling at 4 Hz,
/// with a 1 ms click at −2 dBFS every second (peak-to-loudness ratio about 28 dB:
/// reaching −16 LUFS needs the limiter, not just a gain).
fn quiet_clip(path: &Path) {
    let n = (SECS * RATE as f32) as usize;
    let body: Vec<[f32; 2]> = (0..n)
        .map(|i| {
            let t = i as f32 / RATE as f32;
            let env = 0.6 + 0.4 * (2.0 * PI * 4.0 * t).sin();
            let v = env * (2.0 * PI * 300.0 * t).sin();
            [v, v]
        })
        .collect();
    let click = RATE as usize / 1000;
    let with_clicks = |g: f32| -> Vec<[f32; 2]> {
        let mut f: Vec<[f32; 2]> = body.iter().map(|x| [x[0] * g, x[1] * g]).collect();
        for k in 0..SECS as usize {
            let at = k * RATE as usize + RATE as usize / 2;
            for j in 0..click {
                let v = 0.8 * (2.0 * PI * 1000.0 * j as f32 / RATE as f32).sin();
                f[at + j] = [v, v];
            }
        }
        f
    };
    // The clicks add a little loudness: settle the body's gain in a few steps.
    let mut g = 10f64.powf((-30.0 - loudness_of(&body)) / 20.0) as f32;
    let mut frames = with_clicks(g);
    for _ in 0..4 {
        g *= 10f64.powf((-30.0 - loudness_of(&frames)) / 20.0) as f32;
        frames = with_clicks(g);
    }
    let l = loudness_of(&frames);
    assert!((l + 30.0).abs() < 0.3, "quiet clip made at {l:.2} LUFS");
    write(path, &frames);
}

/// A loud clip at about −8 LUFS: a 1 kHz tone.
fn loud_clip(path: &Path) {
    let n = (SECS * RATE as f32) as usize;
    let body: Vec<[f32; 2]> = (0..n)
        .map(|i| {
            let v = (2.0 * PI * 1000.0 * i as f32 / RATE as f32).sin();
            [v, v]
        })
        .collect();
    let frames = scaled_to(body, -8.0);
    assert!(
        frames.iter().all(|f| f[0].abs() < 0.95),
        "the loud clip clips"
    );
    write(path, &frames);
}

/// Airs `[quiet, 1 s silence, loud]` 3 s from now with `output` lines; returns the
/// loudness of each clip's stretch of the recording and the overall true peak.
fn air(output: &str) -> (f64, f64, f64) {
    let st = Station::new();
    quiet_clip(&st.path("audio/quiet.wav"));
    loud_clip(&st.path("audio/loud.wav"));
    let a = whole_second_in(3);
    st.write_config_output_line(
        output,
        &format!(
            "[[program]]\nid = \"levels\"\nat = [\"{}\"]\nplay = [\"quiet.wav\", {{ silence = \"1s\" }}, \"loud.wav\"]\n",
            st.local_hms(a)
        ),
    );
    let mut d = st.spawn();
    st.wait_for(Duration::from_secs(25), "the outcome", |r| {
        r.iter().any(|x| x["event"] == "outcome")
    });
    assert!(d.alive(), "daemon died:\n{}", d.stderr());
    d.term();
    let out = st.outcomes("levels").remove(0);
    assert_eq!(out["outcome"], "aired", "{out}");
    let rec = Stereo::read(&st.wav_path());
    let ms = TimeDelta::milliseconds;
    let six = ms((SECS * 1000.0) as i64);
    let (quiet, tp_q) = rec.loudness(a + ms(20), a + six - ms(20));
    let loud_at = a + six + ms(1000);
    let (loud, tp_l) = rec.loudness(loud_at + ms(20), loud_at + six - ms(20));
    let (_, tp_all) = rec.loudness(a - ms(500), loud_at + six + ms(500));
    eprintln!(
        "on air: quiet {quiet:.2} LUFS ({tp_q:.2} dBTP), loud {loud:.2} LUFS ({tp_l:.2} dBTP), true peak {tp_all:.2} dBTP\n{}",
        d.stderr().lines().filter(|l| l.contains("LUFS")).collect::<Vec<_>>().join("\n")
    );
    (quiet, loud, tp_all)
}

#[test]
fn quiet_and_loud_clips_air_at_the_target_with_true_peak_under_minus_1() {
    let (quiet, loud, tp) = air("");
    assert!(
        (quiet + 16.0).abs() <= 1.0,
        "quiet clip aired at {quiet:.2} LUFS"
    );
    assert!(
        (loud + 16.0).abs() <= 1.0,
        "loud clip aired at {loud:.2} LUFS"
    );
    assert!(tp <= -1.0, "true peak on air {tp:.2} dBTP");
}

#[test]
fn a_station_target_and_off() {
    let (quiet, loud, tp) = air("loudness = -23");
    assert!(
        (quiet + 23.0).abs() <= 1.0,
        "quiet clip aired at {quiet:.2} LUFS"
    );
    assert!(
        (loud + 23.0).abs() <= 1.0,
        "loud clip aired at {loud:.2} LUFS"
    );
    assert!(tp <= -1.0, "true peak on air {tp:.2} dBTP");
    let (quiet, loud, _) = air("loudness = \"off\"");
    assert!(
        (quiet + 30.0).abs() <= 0.5,
        "off: quiet clip aired at {quiet:.2} LUFS"
    );
    assert!(
        (loud + 8.0).abs() <= 0.5,
        "off: loud clip aired at {loud:.2} LUFS"
    );
}
