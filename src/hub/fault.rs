//! A test hook for crash tests: `LOA_HUB_FAULT=NAME` makes the hub kill
//! itself with SIGKILL (as `kill -9` would: no destructor, no flush, no
//! answer) when it reaches the named point. Compiled in always, honoured
//! only when the variable is set (never in a real deployment: nothing sets
//! it). Points (each one line where it sits):
//!
//! - `after-upload-keep`: an upload's audio is in `STATE/clips/`, its row not yet written;
//! - `after-approve-commit`: an approval is committed, the feed not yet re-signed;
//! - `after-timetable-commit`: a station's timetable is committed, its files not yet written;
//! - `after-asrun-commit`: a station's as-run batch is committed, not yet answered.
//!
//! Used by `tests/hub_faults/`.

use std::sync::OnceLock;

/// The environment variable naming the point.
pub const VAR: &str = "LOA_HUB_FAULT";

/// Die here (SIGKILL) if `LOA_HUB_FAULT` names `name`.
pub fn point(name: &str) {
    static ARMED: OnceLock<Option<String>> = OnceLock::new();
    let armed = ARMED.get_or_init(|| std::env::var(VAR).ok().filter(|v| !v.is_empty()));
    if armed.as_deref() == Some(name) {
        eprintln!("loa hub: {VAR}={name}: killing this process (test hook)");
        // SAFETY: sending a signal to ourselves; nothing after it runs.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}
