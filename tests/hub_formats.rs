//! Every format HUB.md lists is accepted, decoded and measured by the hub:
//! WAV, MP3, Ogg Vorbis, FLAC (made with sox) and AAC in M4A as phones
//! record it (made with ffmpeg); the format is told from the content, never
//! from the file name.

mod common;

use std::process::Command;

use common::hub::{Backend, Hub};

fn make(src: &std::path::Path, out: &std::path::Path) {
    let ok = if out.extension().unwrap() == "m4a" {
        Command::new("ffmpeg")
            .args(["-loglevel", "error", "-y", "-i"])
            .arg(src)
            .args(["-c:a", "aac", "-b:a", "96k"])
            .arg(out)
            .status()
            .expect("ffmpeg (apt-get install ffmpeg)")
    } else {
        Command::new("sox").arg(src).arg(out).status().expect("sox")
    };
    assert!(ok.success(), "making {}", out.display());
}

#[test]
fn wav_mp3_ogg_flac_and_phone_m4a_uploads_are_measured() {
    let hub = Hub::start(Backend::Sqlite);
    hub.add_user("bt", "editor", "589", "mk-bien-tap-589");
    let mut ed = hub.login("bt", "mk-bien-tap-589");
    let src = hub.dir.path().join("src.wav");
    common::write_tone(&src, 440.0, 2.0, 0.4);
    for ext in ["wav", "mp3", "ogg", "flac", "m4a"] {
        let f = hub.dir.path().join(format!("clip.{ext}"));
        if ext == "wav" {
            std::fs::copy(&src, &f).unwrap();
        } else {
            make(&src, &f);
        }
        // A misleading name: the content decides.
        let r = ed.post_form(
            "/api/v1/clips",
            &[("title", ext), ("category", "thu")],
            Some(("ghi-am.bin", &std::fs::read(&f).unwrap())),
        );
        assert_eq!(r.status, 201, "{ext}: {}", r.text());
        let c = r.json();
        assert_eq!(c["format"], ext, "{c}");
        let d = c["duration_s"].as_f64().unwrap();
        assert!((d - 2.0).abs() < 0.1, "{ext}: {d} s");
        assert!(c["lufs"].as_f64().is_some(), "{ext}: {c}");
    }
}
