//! Unit tests of the station's checks on a timetable document from the hub.

use chrono::{TimeDelta, Utc};
use minisign::SecretKey;

use super::*;
use crate::feed::programs::{render, Header};

struct Kit {
    _dir: tempfile::TempDir,
    sk: SecretKey,
    creds: Credentials,
}

fn kit() -> Kit {
    let dir = tempfile::tempdir().unwrap();
    let paths = crate::feed::keygen::keygen(dir.path(), true, None).unwrap();
    let sk = crate::feed::sign::load_secret_key(&paths.secret_key, None).unwrap();
    let creds = Credentials {
        hub: "http://hub".into(),
        station: "xa-a".into(),
        token: "t".into(),
        feed_url: "http://hub/feed/manifest.json".into(),
        programs_url: "http://hub/feed/stations/xa-a/programs.toml".into(),
        public_key: crate::feed::sign::public_key_of(&sk).unwrap(),
        enrolled_at: "2026-11-29T00:00:00Z".into(),
    };
    Kit {
        _dir: dir,
        sk,
        creds,
    }
}

const PROGRAMS: &str = "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"chime.ogg\"]\n";

fn doc(
    k: &Kit,
    station: &str,
    seq: u64,
    expires_in: TimeDelta,
    programs: &str,
) -> (String, String) {
    let now = Utc::now().fixed_offset();
    let h = Header {
        station: station.into(),
        sequence: seq,
        issued_at: now,
        expires_at: now + expires_in,
        by: "vh".into(),
        command: None,
    };
    let text = render(&h, programs).unwrap();
    let sig = crate::feed::sign::sign(text.as_bytes(), &k.sk, "t").unwrap();
    (text, sig)
}

#[test]
fn a_good_document_passes_and_the_same_one_is_in_sync() {
    let k = kit();
    let (d, s) = doc(&k, "xa-a", 2, TimeDelta::days(30), PROGRAMS);
    let f = vet(&d, &s, &k.creds, None, Utc::now()).unwrap().unwrap();
    assert_eq!(f.header.sequence, 2);
    assert!(vet(&d, &s, &k.creds, Some(&f), Utc::now())
        .unwrap()
        .is_none());
}

#[test]
fn each_refusal_says_why() {
    let k = kit();
    let (d2, s2) = doc(&k, "xa-a", 2, TimeDelta::days(30), PROGRAMS);
    let accepted = vet(&d2, &s2, &k.creds, None, Utc::now()).unwrap().unwrap();
    let now = Utc::now();
    let tampered = d2.replace("05:00", "05:01");
    let e = vet(&tampered, &s2, &k.creds, None, now).unwrap_err();
    assert!(e.contains("signature"), "{e}");
    let (d, s) = doc(&k, "xa-b", 3, TimeDelta::days(30), PROGRAMS);
    let e = vet(&d, &s, &k.creds, Some(&accepted), now).unwrap_err();
    assert!(e.contains("for station \"xa-b\""), "{e}");
    let (d, s) = doc(&k, "xa-a", 1, TimeDelta::days(30), PROGRAMS);
    let e = vet(&d, &s, &k.creds, Some(&accepted), now).unwrap_err();
    assert!(e.contains("older than the accepted 2"), "{e}");
    let (d, s) = doc(&k, "xa-a", 2, TimeDelta::days(29), PROGRAMS);
    let e = vet(&d, &s, &k.creds, Some(&accepted), now).unwrap_err();
    assert!(e.contains("already accepted with other content"), "{e}");
    let (d, s) = doc(&k, "xa-a", 3, TimeDelta::seconds(-1), PROGRAMS);
    let e = vet(&d, &s, &k.creds, Some(&accepted), now).unwrap_err();
    assert!(e.contains("expired"), "{e}");
    // Another key: refused as a signature problem.
    let other = kit();
    let (d, s) = doc(&other, "xa-a", 3, TimeDelta::days(30), PROGRAMS);
    let e = vet(&d, &s, &k.creds, Some(&accepted), now).unwrap_err();
    assert!(e.contains("signature"), "{e}");
}

#[test]
fn programs_are_validated_and_clashes_refused() {
    let k = kit();
    let clips = std::path::Path::new("/nonexistent-clips");
    let (d, _) = doc(&k, "xa-a", 2, TimeDelta::days(30), PROGRAMS);
    let hub = programs_of(&d, clips).unwrap();
    assert_eq!(hub[0].id, "sang");
    let (d, _) = doc(
        &k,
        "xa-a",
        2,
        TimeDelta::days(30),
        "[[program]]\nid = \"x\"\nat = [\"05:00\"]\nplay = [\"../../etc/passwd\"]\n",
    );
    let e = programs_of(&d, clips).unwrap_err();
    assert!(e.contains("file name only"), "{e}");
    let own = hub.clone();
    let e = check_clash(&own, &hub, std::path::Path::new("/etc/loa/loa.toml")).unwrap_err();
    assert!(
        e.contains("\"sang\"") && e.contains("/etc/loa/loa.toml"),
        "{e}"
    );
    assert!(check_clash(&[], &hub, std::path::Path::new("x")).is_ok());
}

#[test]
fn the_stored_document_survives_and_is_checked_again() {
    let k = kit();
    let state = tempfile::tempdir().unwrap();
    assert!(stored(state.path(), &k.creds).is_none());
    let (d, s) = doc(&k, "xa-a", 4, TimeDelta::days(30), PROGRAMS);
    let f = vet(&d, &s, &k.creds, None, Utc::now()).unwrap().unwrap();
    save(state.path(), &f).unwrap();
    assert_eq!(accepted_sequence(state.path(), &k.creds), 4);
    // Edited on disk: not used.
    std::fs::write(state.path().join(STORED_FILE), d.replace("05:00", "06:00")).unwrap();
    assert!(stored(state.path(), &k.creds).is_none());
    assert_eq!(accepted_sequence(state.path(), &k.creds), 0);
}
