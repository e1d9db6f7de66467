//! Declared lengths of real files (every format, as the decode tests make
//! them) and the zero-sample-rate guard.

use super::*;

/// 16-bit mono PCM at `rate` Hz with 1,000 bytes of data.
fn wav_at(rate: u32) -> Vec<u8> {
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&1036u32.to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * 2).to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&1000u32.to_le_bytes());
    w.extend_from_slice(&[0u8; 1000]);
    w
}

#[test]
fn a_zero_sample_rate_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("zero.wav");
    std::fs::write(&p, wav_at(0)).unwrap();
    let e = crate::decode::open(&p).err().expect("refused");
    assert!(matches!(e, DecodeError::Decode { .. }), "{e}");
    assert!(e.to_string().contains("not a valid audio file"), "{e}");
    assert!(crate::decode::probe(&p).is_err());
    assert!(declared(&p).is_err());
    assert!(crate::loudness::measure_file(&p).is_err());
    // The same header at 8 kHz: 500 samples, 62.5 ms.
    std::fs::write(&p, wav_at(8000)).unwrap();
    assert_eq!(declared(&p).unwrap(), Some(Duration::from_micros(62_500)));
}

#[test]
fn every_format_declares_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for (ext, args) in [
        ("flac", vec!["-n", "-r", "44100", "-c", "1"]),
        ("ogg", vec!["-n", "-r", "44100", "-c", "2"]),
        ("mp3", vec!["-n", "-r", "44100", "-c", "2", "-C", "128"]),
        ("wav", vec!["-n", "-r", "22050", "-c", "1", "-b", "16"]),
    ] {
        let p = dir.path().join(format!("a.{ext}"));
        let ok = std::process::Command::new("sox")
            .args(&args)
            .arg(&p)
            .args(["synth", "3", "sine", "440"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipping {ext}: sox cannot make it");
            continue;
        }
        let d = declared(&p)
            .unwrap()
            .unwrap_or_else(|| panic!("{ext}: no length"));
        assert!((d.as_secs_f64() - 3.0).abs() < 0.1, "{ext}: {d:?}");
        seen += 1;
    }
    let m4a = dir.path().join("a.m4a");
    let ok = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=f=440:d=3",
            "-c:a",
            "aac",
        ])
        .arg(&m4a)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        let d = declared(&m4a).unwrap().unwrap();
        assert!((d.as_secs_f64() - 3.0).abs() < 0.1, "m4a: {d:?}");
        seen += 1;
    }
    assert!(seen >= 1);
}
