//! The hub's per-station timetable (`/feed/stations/ID/programs.toml` and its
//! `.minisig`), as the station accepts it: each input is signed with a fixed
//! key, then `link::programs::vet` (size cap, signature, header, station id,
//! sequence, expiry) and `link::programs::programs_of` (the programs, validated
//! like `loa check`). The input is also tried as the signature text itself.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use loa::link::programs::{programs_of, vet, vet_signed};
use loa::link::Credentials;

struct Keys {
    sk: minisign::SecretKey,
    creds: Credentials,
}

fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| {
        let kp = minisign::KeyPair::generate_unencrypted_keypair().expect("keypair");
        Keys {
            creds: Credentials {
                hub: "https://hub.example.vn".into(),
                station: "xa-phuoc-dinh".into(),
                token: "t".into(),
                feed_url: "https://hub.example.vn/feed/manifest.json".into(),
                programs_url: "https://hub.example.vn/feed/stations/xa-phuoc-dinh/programs.toml"
                    .into(),
                public_key: kp.pk.to_base64(),
                enrolled_at: "2026-01-01T00:00:00Z".into(),
            },
            sk: kp.sk,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = std::str::from_utf8(data) else {
        return;
    };
    let k = keys();
    let _ = vet_signed(doc, doc, &k.creds);
    let Ok(sig) = loa::feed::sign::sign(doc.as_bytes(), &k.sk, "fuzz") else {
        return;
    };
    let now = chrono::DateTime::from_timestamp(1_780_000_000, 0).expect("time");
    match vet(doc, &sig, &k.creds, None, now) {
        Ok(_) => {}
        Err(e) => {
            std::hint::black_box(e);
        }
    }
    let _ = std::hint::black_box(programs_of(doc, Path::new("/nonexistent/loa-fuzz/clips")));
});
