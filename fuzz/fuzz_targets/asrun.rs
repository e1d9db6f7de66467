//! The as-run log reader (`loa log`, `loa run` at start, the hub's reports):
//! any bytes as `STATE/asrun.jsonl`, through `record::read` (the bounded line
//! scanner, torn-line handling, each line's JSON record), `record::verify` (the
//! hash chain), and what `loa log` makes of the records (rows; table, CSV, JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;
use loa::record::{read, render_csv, render_json, render_table, rows, verify};

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("loa-fuzz-asrun-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(loa::record::FILE_NAME);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let _ = std::hint::black_box(verify(&path));
    match read(&path) {
        Ok(records) => {
            let r = rows(&records, None, None);
            std::hint::black_box(render_table(&r));
            std::hint::black_box(render_csv(&r));
            std::hint::black_box(render_json(&r));
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
