//! The relay's stream guards, in front of its decoder: the ID3v2 tag skipper and
//! the Ogg page reader that refuses Vorbis setup headers with absurd codebooks
//! (`relay::fuzz_guards`, the same chain `relay::decode::start` builds). The first
//! input byte sets how many bytes each read of the "network" returns (1..=256),
//! so pages split across reads are exercised; the rest is the stream.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;

/// A body that hands out at most `step` bytes per read, like a slow connection.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, stream)) = data.split_first() else {
        return;
    };
    let step = usize::from(first) + 1;
    let mut guarded = loa::relay::fuzz_guards(Trickle { data: stream, step });
    let mut buf = [0u8; 4096];
    let mut total = 0usize;
    loop {
        match guarded.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
        // Bytes are only ever passed on, never made up.
        assert!(
            total <= stream.len(),
            "the guards gave out more than they read"
        );
    }
});
