//! Uploads cost what their length allows: the declared length is read before
//! any decoding and refused over `max_duration` (413, the limit said); a file
//! whose header lies is stopped once decoding passes it; a WAV at 0 Hz (a
//! symphonia panic) is a plain refusal.

use std::path::Path;
use std::process::Command;

use super::*;
use common::hub::{Backend, HubOptions};

fn sox(args: &[&str], out: &Path, effects: &[&str]) {
    let ok = Command::new("sox")
        .args(args)
        .arg(out)
        .args(effects)
        .status()
        .expect("sox");
    assert!(ok.success());
}

fn upload(ed: &mut Client, id: &str, name: &str, data: &[u8]) -> Resp {
    ed.post_form(
        "/api/v1/clips",
        &[("id", id), ("title", "Bản tin"), ("category", "thong-bao")],
        Some((name, data)),
    )
}

fn editor(hub: &Hub) -> Client {
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    hub.login("bt", "mk-bien-tap-589")
}

/// A small FLAC whose STREAMINFO declares 3 hours (as 3 hours of digital
/// silence do in a few MB): refused from its header with the 2-hour default
/// limit said, nothing stored.
#[test]
fn a_declared_length_over_max_duration_is_refused_before_decoding() {
    let hub = Hub::start(Backend::Sqlite);
    let mut ed = editor(&hub);
    let f = hub.dir.path().join("im-lang.flac");
    sox(
        &["-n", "-r", "8000", "-c", "1", "-b", "16"],
        &f,
        &["trim", "0", "2"],
    );
    let mut data = std::fs::read(&f).unwrap();
    // STREAMINFO's 36-bit total samples: 3 h at 8 kHz.
    data[8 + 13] &= 0xF0;
    data[8 + 14..8 + 18].copy_from_slice(&(8000u32 * 3 * 3600).to_be_bytes());
    let r = upload(&mut ed, "im-lang", "im-lang.flac", &data);
    assert_eq!(r.status, 413, "{}", r.text());
    let v = r.json();
    assert!(v["reason"].as_str().unwrap().contains("2 giờ"), "{v}");
    assert!(v["reason"].as_str().unwrap().contains("3 giờ"), "{v}");
    assert!(
        v["reason_en"].as_str().unwrap().contains("max_duration"),
        "{v}"
    );
    assert_eq!(hub.sql("SELECT count(*) FROM clips").trim(), "0");
    assert!(common::hub::files_under(&hub.state().join("tmp")).is_empty());
}

/// A FLAC that declares no length (total samples 0) but holds 90 s: with
/// `max_duration = "1m"` its decoding stops past the minute and it is
/// refused; a 30 s one is accepted.
#[test]
fn a_header_that_lies_is_stopped_at_max_duration() {
    let mut o = HubOptions::new(Backend::Sqlite);
    o.max_upload = "8MiB".into();
    let mut hub = Hub::start_with(o);
    hub.stop();
    let mut cfg = std::fs::read_to_string(hub.config()).unwrap();
    cfg.push_str("max_duration = \"1m\"\n");
    std::fs::write(hub.config(), cfg).unwrap();
    hub.spawn();
    let mut ed = editor(&hub);
    let long = hub.dir.path().join("dai.flac");
    sox(
        &["-n", "-r", "8000", "-c", "1", "-b", "16"],
        &long,
        &["synth", "90", "sine", "440", "vol", "0.3"],
    );
    let mut data = std::fs::read(&long).unwrap();
    // STREAMINFO's 36-bit total samples (bytes 21..26 after "fLaC" + block header): 0 = unknown.
    data[8 + 13] &= 0xF0;
    for b in &mut data[8 + 14..8 + 18] {
        *b = 0;
    }
    let r = upload(&mut ed, "dai", "dai.flac", &data);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(
        r.json()["reason"].as_str().unwrap().contains("1 phút"),
        "{}",
        r.text()
    );
    let short = hub.dir.path().join("ngan.flac");
    sox(
        &["-n", "-r", "8000", "-c", "1", "-b", "16"],
        &short,
        &["synth", "30", "sine", "440", "vol", "0.3"],
    );
    let r = upload(
        &mut ed,
        "ngan",
        "ngan.flac",
        &std::fs::read(&short).unwrap(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let d = r.json()["duration_s"].as_f64().unwrap();
    assert!((d - 30.0).abs() < 0.5, "{d}");
}

/// A WAV whose header says 0 Hz: 422 "not a valid audio file", not a 500.
#[test]
fn a_wav_at_zero_hz_is_refused_not_a_crash() {
    let hub = Hub::start(Backend::Sqlite);
    let mut ed = editor(&hub);
    let r = upload(&mut ed, "khong-hz", "khong-hz.wav", &zero_rate_wav());
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.json()["reason"]
            .as_str()
            .unwrap()
            .contains("không giải mã được"),
        "{}",
        r.text()
    );
    // The hub is still there and still takes a good file.
    let ok = hub.dir.path().join("tot.wav");
    sox(
        &["-n", "-r", "8000", "-c", "1", "-b", "16"],
        &ok,
        &["synth", "2", "sine", "440"],
    );
    let r = upload(&mut ed, "tot", "tot.wav", &std::fs::read(&ok).unwrap());
    assert_eq!(r.status, 201, "{}", r.text());
}

/// 16-bit mono PCM, 0 samples a second, 1,000 bytes of data.
pub fn zero_rate_wav() -> Vec<u8> {
    let data = vec![0u8; 1000];
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes()); // PCM
    w.extend_from_slice(&1u16.to_le_bytes()); // mono
    w.extend_from_slice(&0u32.to_le_bytes()); // 0 Hz
    w.extend_from_slice(&0u32.to_le_bytes()); // byte rate
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(data.len() as u32).to_le_bytes());
    w.extend_from_slice(&data);
    w
}
