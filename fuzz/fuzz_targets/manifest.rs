//! The feed manifest a station fetches (`loa sync`): the signature check
//! (`feed::sign::verify`, minisign, against a fixed key) and the document
//! itself (`feed::manifest::Manifest::parse`: size cap, version, shape, every
//! field's check). Input: `SIGNATURE \0 MANIFEST`; without a NUL byte the whole
//! input is the manifest and also tried as a signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::feed::manifest::Manifest;
use loa::feed::sign::verify;

/// A real minisign public key (any will do: the fuzzer cannot forge signatures).
const PUBLIC_KEY: &str = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";

fuzz_target!(|data: &[u8]| {
    let (sig, doc) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let sig = String::from_utf8_lossy(sig);
    if let Err(e) = verify(doc, &sig, PUBLIC_KEY) {
        std::hint::black_box(e.to_string());
    }
    // Also with the signature text as the key (a station's config holds it).
    let _ = verify(doc, &sig, &sig);
    match Manifest::parse(doc) {
        Ok(m) => {
            // What loa reads, it writes back readable, with the same clips and
            // broadcasts. (Not byte for byte: serde_json, without its
            // `float_roundtrip` feature, may read a 17-digit `duration_s` one
            // ulp off, e.g. 1.1111111111111117e72.)
            let again = Manifest::parse(&m.to_bytes()).expect("a parsed manifest re-parses");
            assert_eq!(again.sequence, m.sequence);
            let ids = |m: &Manifest| m.clips.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&again), ids(&m));
            assert_eq!(again.broadcasts, m.broadcasts);
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
