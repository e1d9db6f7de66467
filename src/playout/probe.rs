//! `probe`: the decode test behind `loa check` and the duration estimate behind
//! `loa agenda`. Opens the file like a broadcast would; never touches an output.

use std::path::Path;
use std::time::Duration;

use rodio::Source;

use super::prepare::decoder;

/// Decode test and duration: Ok(Some(duration)) when known, Ok(None) when the file
/// decodes but its length cannot be told, Err("cannot open: ..." / "cannot decode: ...").
pub fn probe(path: &Path) -> Result<Option<Duration>, String> {
    let mut dec = decoder(path)?;
    let channels = u64::from(dec.channels().get());
    let rate = dec.sample_rate().get();
    if let Some(d) = dec.total_duration() {
        // Decode a little to prove the data is audio, not just a plausible header.
        if dec.by_ref().take(4096).count() == 0 {
            return Err("cannot decode: no audio in the file".into());
        }
        return Ok(Some(d));
    }
    // No length in the headers: decode it all and count.
    let samples = dec.count() as u64;
    if samples == 0 {
        return Err("cannot decode: no audio in the file".into());
    }
    Ok(Some(super::backend::frames_to_duration(
        samples / channels.max(1),
        rate,
    )))
}
