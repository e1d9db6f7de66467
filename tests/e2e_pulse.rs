//! End to end on the real audio path: `loa run --output default` through ALSA
//! into a PulseAudio null sink, recorded by `parec` from the sink's monitor.
//! Each clip must be found in the recording at its instant.

mod common;

use std::time::Duration;

use chrono::TimeDelta;
use common::pulse::{self, Parec};
use common::*;

#[test]
fn default_output_airs_each_clip_at_its_instant_on_the_real_audio_path() {
    if !pulse::required_or_skip("e2e_pulse") {
        return;
    }
    let st = Station::new();
    st.tone("a.wav", 440.0, 0.8);
    st.tone("b.wav", 880.0, 0.8);
    let starts: Vec<_> = (0..4).map(|i| whole_second_in(4 + 3 * i)).collect();
    let mut body = String::new();
    for (i, t) in starts.iter().enumerate() {
        let clip = if i % 2 == 0 { "a.wav" } else { "b.wav" };
        body += &format!(
            "[[program]]\nid = \"p{i}\"\nat = [\"{}\"]\nplay = [\"{clip}\"]\n\n",
            st.local_hms(*t)
        );
    }
    st.write_config(&body);
    let parec = Parec::start();
    let mut d = st.spawn_with(&["--output", "default"]);
    st.wait_for(Duration::from_secs(25), "four aired", |r| {
        r.iter().filter(|x| x["outcome"] == "aired").count() == 4
    });
    std::thread::sleep(Duration::from_millis(300));
    let rec = parec.stop();
    assert!(d.alive(), "{}", d.stderr());
    d.term();
    let onsets = rec.onsets(0.02, Duration::from_millis(500));
    assert_eq!(onsets.len(), 4, "onsets {onsets:?}\n{}", d.stderr());
    for (i, (on, want)) in onsets.iter().zip(&starts).enumerate() {
        let late = late_ms(*on, *want);
        eprintln!("e2e program {i}: {late:.1} ms late (parec recording)");
        assert!(
            (-20.0..=50.0).contains(&late),
            "program {i}: {late:.1} ms from its instant\n{}",
            d.stderr()
        );
        let tone = rec.sound_between(*on, *on + TimeDelta::milliseconds(700), 0.02);
        assert!(tone > 0.4, "program {i}: {tone}s of sound");
    }
}
