//! Idle memory: an unattended station idles for hours between broadcasts,
//! and most of its resident memory is not data but code and constants. The
//! kernel maps a program's file pages in 64 KiB windows around each page it
//! touches ("fault-around"), so start-up (config, migrations of the state,
//! the first TLS handshake…) leaves megabytes of loa's and its libraries'
//! pages mapped that the idle loop never touches again (measured: 11.7 MB of
//! a 15.5 MB idle RSS were the executable's own pages; BENCHMARKS.md "link
//! idle").
//!
//! When the station is idle (nothing on air), 10 s after start and then every
//! hour, [`Trim`] drops the mappings of read-only file pages that hold
//! nothing of the process's own (`MADV_DONTNEED` on private, non-writable
//! file mappings whose smaps `Anonymous:` is 0: code and constants exactly as
//! in the file). Nothing is lost: those pages stay in the page cache and the
//! next access maps them back (a minor fault, about a microsecond, with its
//! 64 KiB window). A mapping with any page of its own — the relocated
//! read-only data (RELRO), written at start-up and then protected — is never
//! dropped, nor is anything writable, anonymous, or not a file.

use std::time::{Duration, Instant};

/// The first trim soon after start (start-up is over; and every test that
/// idles a station this long runs through one), then one an hour while idle.
pub const FIRST: Duration = Duration::from_secs(10);
pub const EVERY: Duration = Duration::from_secs(3600);

/// When the next trim is due.
pub struct Trim {
    next: Instant,
}

impl Trim {
    pub fn new(now: Instant) -> Trim {
        Trim { next: now + FIRST }
    }

    /// How long the loop may sleep before a trim is due.
    pub fn due_in(&self, now: Instant) -> Duration {
        self.next.saturating_duration_since(now)
    }

    /// Trim if due and `idle`; a broadcast on air postpones it to the next
    /// idle pass.
    pub fn run_if_due(&mut self, now: Instant, idle: bool) {
        if !idle || now < self.next {
            return;
        }
        self.next = now + EVERY;
        match trim_code() {
            Ok(n) => tracing::debug!(
                "idle: dropped the mappings of {} kB of read-only file pages",
                n / 1024
            ),
            Err(e) => tracing::debug!("idle: cannot trim code mappings: {e}"),
        }
    }
}

/// One mapping of `/proc/self/smaps`.
#[derive(Debug, PartialEq)]
struct Mapping {
    start: usize,
    end: usize,
    perms: String,
    path: String,
    /// kB of pages the process has of its own (copied on write).
    anonymous_kb: u64,
}

fn parse_smaps(text: &str) -> Vec<Mapping> {
    let mut out: Vec<Mapping> = vec![];
    for l in text.lines() {
        let mut f = l.split_whitespace();
        let Some(first) = f.next() else { continue };
        if let Some((a, b)) = first.split_once('-') {
            let (Ok(start), Ok(end)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
            else {
                continue;
            };
            let perms = f.next().unwrap_or_default().to_string();
            let path = f.nth(3).unwrap_or_default().to_string();
            out.push(Mapping {
                start,
                end,
                perms,
                path,
                // Unknown until its `Anonymous:` line says: never dropped.
                anonymous_kb: u64::MAX,
            });
        } else if first == "Anonymous:" {
            if let (Some(m), Some(kb)) = (out.last_mut(), f.next().and_then(|v| v.parse().ok())) {
                m.anonymous_kb = kb;
            }
        }
    }
    out
}

/// May this mapping's pages be dropped? Only a private, non-writable file
/// mapping with nothing of the process's own in it.
fn droppable(m: &Mapping) -> bool {
    m.path.starts_with('/')
        && m.perms.len() == 4
        && m.perms.as_bytes()[1] == b'-'
        && m.perms.ends_with('p')
        && m.anonymous_kb == 0
}

/// Drop the mappings of this process's read-only file pages (see the
/// module doc); returns the bytes of address space advised.
pub fn trim_code() -> std::io::Result<usize> {
    let smaps = std::fs::read_to_string("/proc/self/smaps")?;
    let mut dropped = 0;
    for m in parse_smaps(&smaps).iter().filter(|m| droppable(m)) {
        // SAFETY: the range is a whole mapping of this process as the kernel
        // listed it a moment ago: private, not writable, file-backed, with no
        // page of the process's own (so no write can have happened since).
        // Dropping it only means the next access maps the same bytes of the
        // file back in.
        let r = unsafe {
            libc::madvise(
                m.start as *mut libc::c_void,
                m.end - m.start,
                libc::MADV_DONTNEED,
            )
        };
        if r == 0 {
            dropped += m.end - m.start;
        }
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
55d0c0a00000-55d0c0b00000 r--p 00000000 08:01 1234 /usr/bin/loa
Rss:                 800 kB
Anonymous:             0 kB
55d0c0b00000-55d0c1200000 r-xp 00100000 08:01 1234 /usr/bin/loa
Anonymous:             0 kB
55d0c1200000-55d0c1300000 r--p 00800000 08:01 1234 /usr/bin/loa
Anonymous:          1024 kB
55d0c1300000-55d0c1310000 rw-p 00900000 08:01 1234 /usr/bin/loa
Anonymous:             0 kB
55d0c2000000-55d0c2100000 rw-p 00000000 00:00 0          [heap]
Anonymous:           128 kB
7f1000000000-7f1000100000 r-xp 00028000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
Anonymous:             0 kB
7f1000200000-7f1000300000 r-xs 00000000 08:01 77 /dev/shm/shared
Anonymous:             0 kB
7f1000400000-7f1000500000 r--p 00000000 08:01 78 /usr/lib/locale/x
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0          [vdso]
Anonymous:             0 kB
";

    #[test]
    fn only_unmodified_read_only_file_pages_are_dropped() {
        let m = parse_smaps(SMAPS);
        assert_eq!(m.len(), 9);
        assert_eq!(m[1].start, 0x55d0c0b00000);
        assert_eq!(m[1].path, "/usr/bin/loa");
        assert_eq!(m[2].anonymous_kb, 1024);
        let dropped: Vec<bool> = m.iter().map(droppable).collect();
        assert_eq!(
            dropped,
            [
                true,  // headers, constants
                true,  // code
                false, // RELRO: relocated at start-up, the process's own
                false, // .data: writable
                false, // heap
                true,  // libc's code
                false, // shared mapping
                false, // no Anonymous line read: unknown, kept
                false, // vdso: not a file
            ]
        );
    }

    #[test]
    fn a_trimmed_process_runs_on() {
        let before = std::fs::read_to_string("/proc/self/status").unwrap();
        let dropped = trim_code().unwrap();
        assert!(dropped > 0, "no code mapping found");
        // Code runs again (faulted back in) and data is intact.
        let v: Vec<u64> = (0..1000).map(|i| i * i).collect();
        assert_eq!(v.iter().sum::<u64>(), 332_833_500);
        let after = std::fs::read_to_string("/proc/self/status").unwrap();
        assert_eq!(
            before.lines().next(),
            after.lines().next(),
            "the same process"
        );
    }

    #[test]
    fn due_after_a_while_and_only_when_idle() {
        let t0 = Instant::now();
        let mut t = Trim::new(t0);
        assert_eq!(t.due_in(t0), FIRST);
        t.run_if_due(t0 + FIRST, false);
        assert_eq!(t.due_in(t0 + FIRST), Duration::ZERO, "on air: postponed");
        t.run_if_due(t0 + FIRST, true);
        assert_eq!(t.due_in(t0 + FIRST), EVERY);
    }
}
