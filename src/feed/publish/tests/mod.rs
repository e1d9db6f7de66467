//! `loa publish` tests: fixtures here, the cases by theme below.

use super::*;
use crate::feed::sign::{public_key_of, verify};
use minisign::KeyPair;
use sha2::{Digest, Sha256};
use std::fs::File;

fn key() -> (SecretKey, String) {
    let kp = KeyPair::generate_unencrypted_keypair().unwrap();
    let pk = kp.pk.to_base64();
    (kp.sk, pk)
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T08:00:00+07:00").unwrap()
}

/// A mono 8 kHz WAV of `samples` samples.
fn wav(dir: &Path, name: &str, samples: u32) -> PathBuf {
    let p = dir.join(name);
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&p, spec).unwrap();
    for i in 0..samples {
        w.write_sample(((i % 40) as i16 - 20) * 500).unwrap();
    }
    w.finalize().unwrap();
    p
}

fn probe(p: &Path) -> Result<Option<Duration>, String> {
    crate::decode::probe(p).map_err(|e| e.to_string())
}

fn meta(category: &str) -> ClipMeta {
    ClipMeta {
        category: Some(category.into()),
        ..ClipMeta::default()
    }
}

fn add(files: Vec<PathBuf>, meta: ClipMeta) -> Change {
    Change::Add { files, meta }
}

fn run(dir: &Path, sk: &SecretKey, change: &Change) -> Result<Published, PublishError> {
    publish(dir, sk, change, DEFAULT_EXPIRES, now(), &probe)
}

/// Manifest and signature bytes, to prove a refusal changed nothing.
fn snapshot(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    (
        std::fs::read(dir.join(MANIFEST_FILE)).unwrap(),
        std::fs::read(dir.join(SIGNATURE_FILE)).unwrap(),
    )
}

fn current(dir: &Path, pk: &str) -> Manifest {
    let (m, s) = snapshot(dir);
    verify(&m, std::str::from_utf8(&s).unwrap(), pk).unwrap();
    Manifest::parse(&m).unwrap()
}

fn sha256_hex(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

mod changes;
mod folder;
mod refused;
