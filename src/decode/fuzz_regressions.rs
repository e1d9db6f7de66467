//! Inputs the fuzzers (fuzz/, scripts/fuzz.sh) found that made decoding panic,
//! kept in `fuzz_cases/`: each must now be refused with an error, never a panic.

use std::path::PathBuf;

use super::{open, probe_info, DecodeError};

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/decode/fuzz_cases")
        .join(name)
}

/// An M4A whose `esds` atom holds no ES descriptor: symphonia 0.5 unwraps a
/// None while reading the header (upload target, 2026-12-07).
#[test]
fn m4a_esds_without_descriptor_is_refused_not_a_panic() {
    let path = case("m4a-esds-without-descriptor.m4a");
    let e = open(&path).err().expect("the file must be refused");
    assert!(matches!(e, DecodeError::Decode { .. }), "{e:?}");
    assert!(e.to_string().starts_with("cannot decode"), "{e}");
    assert!(probe_info(&path).is_err());
    assert!(crate::loudness::measure_file(&path).is_err());
}

/// M4As whose sample tables claim billions of entries (`stsc`: 1.8 billion,
/// `stts`: 4.3 billion): symphonia 0.5 would allocate 29–32 GB for them and the
/// failed allocation aborts the process — the hub with it (upload target,
/// 2026-12-07). `mp4_tables` refuses them before symphonia reads them.
#[test]
fn m4a_tables_that_claim_billions_of_entries_are_refused_before_decoding() {
    for name in ["m4a-stsc-count-29gb.m4a", "m4a-stts-count-32gib.m4a"] {
        let path = case(name);
        let e = open(&path).err().expect("the file must be refused");
        assert!(matches!(e, DecodeError::Decode { .. }), "{name}: {e:?}");
        assert!(e.to_string().contains("index"), "{name}: {e}");
        assert!(probe_info(&path).is_err(), "{name}");
        assert!(crate::loudness::measure_file(&path).is_err(), "{name}");
    }
}
