//! Feed fixtures for tests and benchmarks: a signing key, `loa publish` into
//! a web root, and noise clips (incompressible, any size).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::{loa, Station};

pub struct Feed {
    pub keys: PathBuf,
    pub public_key: String,
    pub root: PathBuf,
}

/// `loa keygen --unencrypted` into STATION/keys; the web root is STATION/www.
pub fn feed(st: &Station) -> Feed {
    let keys = st.path("keys");
    let o = loa()
        .args(["keygen", "--unencrypted", "--out"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let public_key = out
        .lines()
        .find_map(|l| l.strip_prefix("public_key = \""))
        .expect("keygen prints the public_key line")
        .trim_end_matches('"')
        .to_string();
    let root = st.path("www");
    std::fs::create_dir_all(&root).unwrap();
    Feed {
        keys,
        public_key,
        root,
    }
}

/// `loa publish --feed ROOT --key KEY ARGS...`; panics on failure.
pub fn publish(f: &Feed, args: &[&str]) -> String {
    let o = loa()
        .arg("publish")
        .arg("--feed")
        .arg(&f.root)
        .arg("--key")
        .arg(f.keys.join("minisign.key"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "publish {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A `[feed]` table polling every second.
pub fn feed_toml(url: &str, key: &str) -> String {
    format!("[feed]\nurl = \"{url}\"\npublic_key = \"{key}\"\nevery = \"1s\"\n\n")
}

/// `secs` of 48 kHz stereo 16-bit noise (≈ 192 kB a second).
pub fn noise_wav(path: &Path, secs: u32, seed: u32) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let mut x = seed | 1;
    for _ in 0..(48_000 * secs * 2) {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        w.write_sample(((x >> 16) as i16) / 4).unwrap();
    }
    w.finalize().unwrap();
}
