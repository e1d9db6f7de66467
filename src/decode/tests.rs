//! Decoding real files: every format loa plays (WAV by hound; MP3, Ogg, FLAC by sox;
//! AAC in M4A by ffmpeg, as phones record), format sniffing, and the refusals.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rodio::Source;

use super::*;

const RATE: u32 = 48_000;

/// A 16-bit stereo 440 Hz tone at −6 dBFS.
fn tone(path: &Path, secs: f64) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(secs * f64::from(RATE)) as usize {
        let v = 0.5 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / f64::from(RATE)).sin();
        let s = (v * 32767.0) as i16;
        w.write_sample(s).unwrap();
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}

/// Run a converter; a missing tool skips (panics under CI=true, where .ci/run installs it).
fn convert(tool: &str, args: &[&str]) -> bool {
    match Command::new(tool).args(args).output() {
        Ok(o) if o.status.success() => true,
        Ok(o) => panic!("{tool} {args:?}: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{tool} is not installed, and CI=true requires it (see .ci/run)")
        }
        Err(_) => {
            eprintln!("skipping {tool}: not installed");
            false
        }
    }
}

/// `a.wav` (2 s) and whichever of a.mp3, a.ogg, a.flac, a.m4a the tools can make.
fn formats(dir: &Path) -> Vec<(PathBuf, Format)> {
    let wav = dir.join("a.wav");
    tone(&wav, 2.0);
    let w = wav.to_str().unwrap();
    let mut out = vec![(wav.clone(), Format::Wav)];
    for (ext, f) in [
        ("mp3", Format::Mp3),
        ("ogg", Format::Ogg),
        ("flac", Format::Flac),
    ] {
        let p = dir.join(format!("a.{ext}"));
        if convert("sox", &[w, p.to_str().unwrap()]) {
            out.push((p, f));
        }
    }
    let m4a = dir.join("a.m4a");
    if convert(
        "ffmpeg",
        &["-v", "error", "-i", w, "-c:a", "aac", m4a.to_str().unwrap()],
    ) {
        out.push((m4a, Format::M4a));
    }
    out
}

#[test]
fn every_format_decodes_with_its_length_and_is_sniffed_by_content() {
    let dir = tempfile::tempdir().unwrap();
    for (path, format) in formats(dir.path()) {
        let info = probe_info(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(info.format, Some(format), "{}", path.display());
        assert_eq!(info.channels, 2, "{}", path.display());
        let secs = info.duration.as_secs_f64();
        assert!((secs - 2.0).abs() < 0.06, "{}: {secs} s", path.display());
        // The name does not matter: the same bytes under a wrong or no extension.
        let renamed = dir
            .path()
            .join(format!("upload-{}.bin", format.extension()));
        std::fs::copy(&path, &renamed).unwrap();
        assert_eq!(sniff_file(&renamed), Some(format));
        let again = probe(&renamed).unwrap().unwrap().as_secs_f64();
        assert!((again - secs).abs() < 0.06, "{format}: {again} vs {secs}");
        // Decoded whole: about two seconds of a 440 Hz tone at −6 dBFS.
        let clip = open(&renamed).unwrap();
        let rate = clip.sample_rate().get();
        let samples: Vec<f32> = clip.collect();
        let frames = samples.len() / 2;
        let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(
            (frames as f64 / f64::from(rate) - 2.0).abs() < 0.06,
            "{format}: {frames} frames at {rate} Hz"
        );
        assert!((0.4..0.6).contains(&peak), "{format}: peak {peak}");
    }
}

#[test]
fn refusals_say_what_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let e = probe(&dir.path().join("nope.wav")).unwrap_err();
    assert!(matches!(e, DecodeError::Open { .. }), "{e:?}");
    assert!(e.to_string().starts_with("cannot open"), "{e}");
    assert!(
        e.advice().contains("exists and is readable"),
        "{}",
        e.advice()
    );

    let junk = dir.path().join("junk.m4a");
    std::fs::write(&junk, vec![7u8; 5000]).unwrap();
    let e = probe(&junk).unwrap_err();
    assert!(matches!(e, DecodeError::Decode { .. }), "{e:?}");
    assert!(e.to_string().starts_with("cannot decode"), "{e}");
    assert!(e.advice().contains(FORMATS), "{}", e.advice());
    assert_eq!(e.path(), junk.as_path());

    // A WAV header with no samples at all.
    let empty = dir.path().join("empty.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    hound::WavWriter::create(&empty, spec)
        .unwrap()
        .finalize()
        .unwrap();
    let e = probe(&empty).unwrap_err();
    assert!(matches!(e, DecodeError::NoAudio { .. }), "{e:?}");

    // An M4A cut halfway (an interrupted upload) does not pass as a clip.
    let m4a = formats(dir.path())
        .into_iter()
        .find(|(_, f)| *f == Format::M4a);
    if let Some((m4a, _)) = m4a {
        let bytes = std::fs::read(&m4a).unwrap();
        let cut = dir.path().join("cut.m4a");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        match probe_info(&cut) {
            Err(e) => assert!(e.to_string().starts_with("cannot"), "{e}"),
            Ok(i) => assert!(i.duration < Duration::from_secs(2), "{i:?}"),
        }
    }
}

#[test]
fn sniffing_knows_the_signatures_and_nothing_else() {
    assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), Some(Format::Wav));
    assert_eq!(sniff(b"RIFF\0\0\0\0AVI LIST"), None);
    assert_eq!(sniff(b"OggS\0\x02"), Some(Format::Ogg));
    assert_eq!(sniff(b"fLaC\0\0\0\x22"), Some(Format::Flac));
    assert_eq!(sniff(b"\0\0\0\x20ftypM4A "), Some(Format::M4a));
    assert_eq!(sniff(b"ID3\x04\0"), Some(Format::Mp3));
    assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64]), Some(Format::Mp3));
    // Layer I/II sync words and a reserved version are not MP3.
    assert_eq!(sniff(&[0xFF, 0xFE, 0x90]), None);
    assert_eq!(sniff(&[0xFF, 0xEB, 0x90]), None);
    assert_eq!(sniff(b"<html>"), None);
    assert_eq!(sniff(b""), None);
    assert_eq!(Format::M4a.mime(), "audio/mp4");
    assert_eq!(Format::Ogg.extension(), "ogg");
}
