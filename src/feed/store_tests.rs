//! Tests of store.rs: index commit, install, garbage collection. Test-only.
use std::fs;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use super::store::*;

fn clip(feed: &str, id: &str, sha: &str, bytes: u64) -> StoredClip {
    StoredClip {
        feed: feed.into(),
        id: id.into(),
        title: "T".into(),
        category: "c".into(),
        lang: String::new(),
        sha256: sha.into(),
        bytes,
        duration_s: None,
        valid_from: None,
        valid_until: None,
        areas: vec![],
        published_at: "2026-11-27T08:00:00+07:00".parse().unwrap(),
        level: Default::default(),
    }
}

#[test]
fn open_creates_folders_and_commit_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    assert!(dir.path().join("store/partial").is_dir());
    assert_eq!(s.usage(), (0, 0));
    let a = "a".repeat(64);
    let idx = Index {
        clips: vec![clip("f", "x", &a, 10), clip("g", "y", &a, 10)],
        ..Default::default()
    };
    s.commit(idx.clone()).unwrap();
    assert_eq!(s.usage(), (2, 10));
    let s2 = Store::open(dir.path()).unwrap();
    assert_eq!(s2.index(), &idx);
    assert_eq!(s2.clip_path(&a), dir.path().join("store").join(&a));
    assert!(!dir.path().join("store/index.json.tmp").exists());
}

#[test]
fn corrupt_index_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("store")).unwrap();
    fs::write(dir.path().join("store/index.json"), b"{nope").unwrap();
    let e = Store::open(dir.path()).unwrap_err().to_string();
    assert!(e.contains("index.json") && e.contains("unreadable"), "{e}");
}

#[test]
fn install_verifies_and_renames() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let sha = hex::encode(Sha256::digest(b"hello"));
    fs::write(s.partial_path(&sha), b"hellO").unwrap();
    assert!(matches!(s.install(&sha), Err(InstallError::Mismatch(_))));
    assert!(!s.partial_path(&sha).exists());
    fs::write(s.partial_path(&sha), b"hello").unwrap();
    s.install(&sha).unwrap();
    assert_eq!(fs::read(s.clip_path(&sha)).unwrap(), b"hello");
    assert_eq!(s.has_clip(&sha, 5), Ok(true));
    assert!(s.has_clip(&sha, 6).is_err());
    assert!(s.check_files().is_empty());
    fs::write(s.clip_path(&sha), b"jello").unwrap();
    assert_eq!(s.check_files().len(), 1);
}

#[test]
fn garbage_collection_spares_referenced_and_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    for h in [&a, &b, &c] {
        fs::write(s.clip_path(h), b"x").unwrap();
    }
    fs::write(s.dir().join("notes.txt"), b"keep").unwrap();
    fs::write(s.partial_path(&c), b"x").unwrap();
    s.commit(Index {
        clips: vec![clip("f", "x", &a, 1)],
        ..Default::default()
    })
    .unwrap();
    let deleted = s.collect_garbage(&|h| h == b, std::time::Duration::ZERO);
    assert_eq!(deleted, vec![c.clone()]);
    assert!(s.clip_path(&a).exists() && s.clip_path(&b).exists());
    assert!(!s.clip_path(&c).exists());
    assert!(s.dir().join("notes.txt").exists());
    assert!(!s.partial_path(&c).exists());
}

#[test]
fn valid_until_is_over_when_the_day_ended_everywhere() {
    let d = NaiveDate::from_ymd_opt(2026, 12, 31);
    let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    assert!(!past_valid_until(d, t("2027-01-01T11:59:59Z")));
    assert!(past_valid_until(d, t("2027-01-01T12:00:00Z")));
    assert!(!past_valid_until(None, t("2099-01-01T00:00:00Z")));
}
