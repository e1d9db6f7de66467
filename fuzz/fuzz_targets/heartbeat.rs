//! The hub's heartbeat endpoint (`POST /api/v1/heartbeat`): a body up to
//! `hub::heartbeat::MAX_BODY` bytes, parsed as JSON, then the shape check
//! `hub::heartbeat::check` (every field, own_programs and its SHA-256, local
//! clips, quiet hours), whose refusal names the field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::hub::heartbeat::{check, MAX_BODY};

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_BODY {
        return;
    }
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    match check(&body) {
        Ok(beat) => {
            std::hint::black_box(beat.clock);
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
