//! A clip upload to the hub (`POST /api/v1/clips`, the upload page): the input
//! is a `multipart/form-data` body (boundary `loafuzz`) read by
//! `hub::upload::receive` (fields, the file streamed to a temp file, size cap,
//! format sniffed from content), then the audio it kept is decoded and measured
//! as the hub does (`loudness::measure_file_prefix`, capped at one second of
//! audio; `decode::open`, capped at `MAX_SAMPLES`), so no input can make the
//! target run long. Run with `-timeout=` and `-rss_limit_mb=` (scripts/fuzz.sh).
//! A panic that escapes loa aborts (a crash); one loa catches does not.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::{FromRequest, Multipart};
use libfuzzer_sys::fuzz_target;

/// The upload cap the target uses (the hub's default is far larger; inputs are small).
const MAX_UPLOAD: u64 = 1 << 20;
/// Decoded samples taken from one file at most.
const MAX_SAMPLES: usize = 1 << 18;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fn tmp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("loa-fuzz-upload-{}", std::process::id()))
}

// libfuzzer-sys aborts in its panic hook, before any unwinding: a panic that
// `decode::open` catches (it refuses files on which symphonia panics) would
// count as a crash. So this target puts the default hook back and aborts only
// on a panic that gets out of loa.
fuzz_target!(
    init: {
        let _ = std::panic::take_hook();
    },
    |data: &[u8]| {
        if std::panic::catch_unwind(|| upload(data)).is_err() {
            std::process::abort();
        }
    }
);

fn upload(data: &[u8]) {
    // Format sniffing on the raw bytes too (both sniffers must agree on what they know).
    let hub = loa::hub::upload::sniff(data);
    let station = loa::decode::sniff(data);
    if let Some(f) = station {
        assert_eq!(
            hub,
            Some(f.extension()),
            "the hub and the station sniff differently"
        );
    }
    let req = axum::http::Request::builder()
        .method("POST")
        .header("content-type", "multipart/form-data; boundary=loafuzz")
        .body(axum::body::Body::from(data.to_vec()))
        .expect("request");
    let up = runtime().block_on(async {
        let form = Multipart::from_request(req, &()).await.ok()?;
        loa::hub::upload::receive(form, &tmp_dir(), MAX_UPLOAD)
            .await
            .ok()
    });
    let Some(file) = up.and_then(|u| u.file) else {
        return;
    };
    let m = loa::loudness::measure_file_prefix(&file.path, Some(Duration::from_secs(1)));
    std::hint::black_box(m.map(|m| m.seconds).map_err(|e| e.to_string()).ok());
    if let Ok(clip) = loa::decode::open(&file.path) {
        let n = clip.take(MAX_SAMPLES).filter(|s| s.is_finite()).count();
        std::hint::black_box(n);
    }
    // `file` is dropped here: the temp file goes.
}
