//! Idle memory: an unattended station idles for hours between broadcasts,
//! and most of its resident memory is not data but code. The kernel maps a
//! program's code in 64 KiB windows around each page it touches
//! ("fault-around"), so start-up, the first TLS handshake and the first
//! heartbeat leave megabytes of loa's and its libraries' code mapped that the
//! idle loop never runs again (measured: 11.7 MB of a 15.5 MB idle RSS was the
//! executable's own pages; see BENCHMARKS.md "link idle").
//!
//! When the station is idle (nothing on air), 30 s after start and then every
//! hour, [`Trim`] asks the kernel to map code in page by page from now on
//! (`MADV_RANDOM`: no fault-around, no read-ahead) and drops the mappings of
//! the code pages (`MADV_DONTNEED` on the read-only, executable mappings of
//! files). Nothing is lost: those pages are never written, they stay in the
//! page cache, and the next instruction that needs one faults it back in
//! (a minor fault, about a microsecond). Writable or read-only data mappings
//! are never dropped (relocated data lives there); they only get
//! `MADV_RANDOM`.

use std::time::{Duration, Instant};

/// The first trim after start, then one an hour while idle.
pub const FIRST: Duration = Duration::from_secs(30);
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
            Ok(n) => tracing::debug!("idle: dropped the mappings of {} kB of code", n / 1024),
            Err(e) => tracing::debug!("idle: cannot trim code mappings: {e}"),
        }
    }
}

/// One mapping of `/proc/self/maps`.
#[derive(Debug, PartialEq)]
struct Mapping {
    start: usize,
    end: usize,
    perms: String,
    path: String,
}

fn parse_maps(text: &str) -> Vec<Mapping> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let range = f.next()?;
            let perms = f.next()?.to_string();
            let path = f.nth(3).unwrap_or_default().to_string();
            let (a, b) = range.split_once('-')?;
            Some(Mapping {
                start: usize::from_str_radix(a, 16).ok()?,
                end: usize::from_str_radix(b, 16).ok()?,
                perms,
                path,
            })
        })
        .collect()
}

/// What to do with a mapping: (no fault-around, drop its pages).
fn advice(m: &Mapping) -> (bool, bool) {
    // Files only: not the heap, stacks, [vdso] or anonymous memory.
    if !m.path.starts_with('/') {
        return (false, false);
    }
    match m.perms.as_str() {
        "r-xp" => (true, true),
        "r--p" => (true, false),
        _ => (false, false),
    }
}

/// Advise the kernel on this process's file mappings (see the module doc);
/// returns the bytes of code whose mappings were dropped.
pub fn trim_code() -> std::io::Result<usize> {
    let maps = std::fs::read_to_string("/proc/self/maps")?;
    let mut dropped = 0;
    for m in parse_maps(&maps) {
        let (random, drop) = advice(&m);
        let (addr, len) = (m.start as *mut libc::c_void, m.end - m.start);
        // SAFETY: the range is a whole mapping of this process as the kernel
        // listed it. MADV_RANDOM changes only how later faults are served.
        // MADV_DONTNEED is applied only to private read-only executable file
        // mappings, whose pages are never written: dropping them only means
        // the next access faults the same bytes back in from the file.
        unsafe {
            if random {
                libc::madvise(addr, len, libc::MADV_RANDOM);
            }
            if drop && libc::madvise(addr, len, libc::MADV_DONTNEED) == 0 {
                dropped += len;
            }
        }
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPS: &str = "\
55d0c0a00000-55d0c0b00000 r--p 00000000 08:01 1234 /usr/bin/loa
55d0c0b00000-55d0c1200000 r-xp 00100000 08:01 1234 /usr/bin/loa
55d0c1200000-55d0c1300000 r--p 00800000 08:01 1234 /usr/bin/loa
55d0c1300000-55d0c1310000 rw-p 00900000 08:01 1234 /usr/bin/loa
55d0c2000000-55d0c2100000 rw-p 00000000 00:00 0          [heap]
7f0000000000-7f0000021000 rw-p 00000000 00:00 0
7f1000000000-7f1000100000 r-xp 00028000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0          [vdso]
";

    #[test]
    fn only_code_of_files_is_dropped_and_data_never() {
        let m = parse_maps(MAPS);
        assert_eq!(m.len(), 8);
        assert_eq!(m[1].start, 0x55d0c0b00000);
        assert_eq!(m[1].path, "/usr/bin/loa");
        let advised: Vec<(bool, bool)> = m.iter().map(advice).collect();
        assert_eq!(
            advised,
            [
                (true, false),  // rodata / relro: no fault-around, kept
                (true, true),   // code: dropped
                (true, false),  // rodata
                (false, false), // .data: never touched
                (false, false), // heap
                (false, false), // anonymous
                (true, true),   // libc's code
                (false, false), // vdso
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
