//! Stream windows, fallbacks and dead air, through the public API on `wav:`
//! outputs. Streams here are unreachable (a closed local port), so the relay fails
//! at once and the window's fallback is what airs; relaying real streams is tested
//! end to end in tests/relay.rs.

use std::time::{Duration, Instant};

use super::tests::{runs_of, tone, wav_left};
use super::*;

const RATE: f64 = 48_000.0;

fn file(path: &std::path::Path, name: &str) -> PlanItem {
    PlanItem::File {
        path: path.to_path_buf(),
        name: name.to_string(),
    }
}

/// A URL nothing listens on.
fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    format!("http://127.0.0.1:{port}/vov1")
}

fn run(items: Vec<PlanItem>, dead_air: Option<Duration>) -> (BroadcastReport, Vec<(f64, f64)>) {
    let d = tempfile::tempdir().expect("tempdir");
    let wav = d.path().join("air.wav");
    let out = Output::open(&OutputSpec::Wav(wav.clone()), 1.0).expect("open wav");
    let mut plan = BroadcastPlan::plain(items, 1.0, None);
    plan.dead_air = dead_air;
    let (tx, rx) = std::sync::mpsc::channel();
    let at = Instant::now() + Duration::from_millis(200);
    let _b = out.start(plan, at, Box::new(move |r| drop(tx.send(r))));
    let r = rx.recv_timeout(Duration::from_secs(20)).expect("report");
    drop(out);
    // Sound runs, in seconds from the first frame of the file.
    let rs = runs_of(&wav_left(&wav))
        .into_iter()
        .map(|(a, b)| (a as f64 / RATE, b as f64 / RATE))
        .collect();
    (r, rs)
}

/// The items, without the silence entries of stream windows (connecting: a few ms).
fn summary(r: &BroadcastReport) -> Vec<(String, f64, Option<String>)> {
    r.items
        .iter()
        .filter(|i| !i.name.starts_with("silence ("))
        .map(|i| {
            (
                i.name.clone(),
                (i.seconds * 100.0).round() / 100.0,
                i.error.clone(),
            )
        })
        .collect()
}

#[test]
fn failed_stream_airs_its_fallback_until_the_window_ends() {
    let d = tempfile::tempdir().expect("tempdir");
    let fb = d.path().join("fb.wav");
    let after = d.path().join("after.wav");
    tone(&fb, 3.0, 880.0, 0.5);
    tone(&after, 0.3, 660.0, 0.5);
    let url = dead_url();
    let (r, rs) = run(
        vec![
            PlanItem::Stream {
                url: url.clone(),
                window: Duration::from_millis(1500),
                fallback: vec![file(&fb, "fb")],
            },
            file(&after, "after"),
        ],
        None,
    );
    assert_eq!(r.ended_by, EndedBy::Completed);
    let s = summary(&r);
    assert_eq!(s.len(), 3, "{s:?}");
    assert_eq!(s[0].0, format!("stream {url}"));
    // Not an error: the window aired, the stream's loss and the fallback are events.
    assert_eq!(s[0].2, None, "{s:?}");
    let ev = &r.items[0].events;
    assert!(
        ev[0].starts_with("lost at +") && ev[0].ends_with(')'),
        "{ev:?}"
    );
    assert!(
        ev.last().unwrap().starts_with("fallback aired 1."),
        "{ev:?}"
    );
    // The fallback fills the rest of the window: it is cut at 1.5 s overall.
    assert_eq!(s[1].0, "fallback fb");
    let window: f64 = r
        .items
        .iter()
        .filter(|i| i.name != "after")
        .map(|i| i.seconds)
        .sum();
    assert!((window - 1.5).abs() < 0.011, "{:?}", r.items);
    assert!(s[0].1 < 0.5, "the unreachable stream held the window {s:?}");
    assert_eq!(s[1].2, None);
    assert_eq!((s[2].0.as_str(), s[2].1), ("after", 0.3));
    // On air: the fallback from the start, then the next item with no gap at the
    // window's end: one run of sound, 1.5 s + 0.3 s.
    assert_eq!(rs.len(), 1, "{rs:?}");
    assert!((rs[0].1 - rs[0].0 - 1.8).abs() < 0.01, "{rs:?}");
}

#[test]
fn short_fallback_ends_the_window_early_and_no_fallback_skips_it() {
    let d = tempfile::tempdir().expect("tempdir");
    let fb = d.path().join("fb.wav");
    let after = d.path().join("after.wav");
    tone(&fb, 0.4, 880.0, 0.5);
    tone(&after, 0.3, 660.0, 0.5);
    let (r, _) = run(
        vec![
            PlanItem::Stream {
                url: dead_url(),
                window: Duration::from_secs(30),
                fallback: vec![file(&fb, "fb")],
            },
            PlanItem::Stream {
                url: dead_url(),
                window: Duration::from_secs(30),
                fallback: vec![],
            },
            file(&after, "after"),
        ],
        None,
    );
    let s = summary(&r);
    assert_eq!(s.len(), 4, "{s:?}");
    assert_eq!((s[1].0.as_str(), s[1].1), ("fallback fb", 0.4));
    // The first window ended early when its fallback ran out, the second at once:
    // each is cut short (an error), its events end with what filled in.
    let err = |i: usize| s[i].2.clone().unwrap_or_default();
    assert!(err(0).starts_with("window ended 29."), "{s:?}");
    assert!(
        err(0).ends_with("stream down and the fallback ran out"),
        "{s:?}"
    );
    assert!(err(2).ends_with("stream down and no fallback"), "{s:?}");
    let streams: Vec<_> = r
        .items
        .iter()
        .filter(|i| i.name.starts_with("stream "))
        .collect();
    assert_eq!(streams[0].events.last().unwrap(), "fallback aired 0.4 s");
    assert_eq!(streams[1].events.last().unwrap(), "no fallback");
    assert_eq!((s[3].0.as_str(), s[3].1), ("after", 0.3));
    let total: f64 = s.iter().map(|x| x.1).sum();
    assert!(total < 2.0, "nothing waited out a 30 s window: {s:?}");
}

#[test]
fn dead_air_in_a_clip_skips_to_the_next_item_but_silence_items_never_count() {
    let d = tempfile::tempdir().expect("tempdir");
    let quiet = d.path().join("quiet.wav");
    let after = d.path().join("after.wav");
    // 0.3 s of tone, then 3 s at -60 dBFS: dead air after 0.5 s of it.
    tone(&quiet, 3.3, 440.0, 0.001);
    let loud = d.path().join("loud.wav");
    tone(&loud, 0.3, 440.0, 0.5);
    tone(&after, 0.3, 660.0, 0.5);
    let (r, _) = run(
        vec![
            file(&loud, "loud"),
            PlanItem::Silence(Duration::from_secs(1)),
            file(&quiet, "quiet"),
            file(&after, "after"),
        ],
        Some(Duration::from_millis(500)),
    );
    let s = summary(&r);
    assert_eq!(s.len(), 4, "{s:?}");
    assert_eq!(
        s[1],
        ("silence 1.000 s".into(), 1.0, None),
        "silence is not dead air"
    );
    assert_eq!(s[2].0, "quiet");
    assert_eq!(s[2].1, 0.5);
    assert_eq!(s[2].2.as_deref(), Some("dead air: 0.5 s below -50 dBFS"));
    assert_eq!(
        (s[3].0.as_str(), s[3].1, s[3].2.clone()),
        ("after", 0.3, None)
    );
}

use crate::relay::stream_server;

#[test]
fn a_backup_stream_in_a_fallback_connects_only_if_it_airs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(mp3) = stream_server::sox_stream(dir.path(), "tone.mp3", 10, &["vol", "0.3"]) else {
        eprintln!("SKIPPED: sox cannot make MP3 here");
        return;
    };
    let server = stream_server::StreamServer::start(vec![
        stream_server::Route::new("/main", mp3.clone(), "audio/mpeg", 16_000),
        stream_server::Route::new("/backup", mp3, "audio/mpeg", 16_000),
    ]);
    let relay = |main: String| PlanItem::Stream {
        url: main,
        window: Duration::from_millis(1500),
        fallback: vec![PlanItem::Stream {
            url: server.url("/backup"),
            window: Duration::from_secs(10),
            fallback: vec![],
        }],
    };
    // The main stream airs its window: the backup is never contacted.
    let (r, _) = run(vec![relay(server.url("/main"))], None);
    let s = summary(&r);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!((s[0].1, s[0].2.clone()), (1.5, None));
    assert_eq!(server.requests("/main"), 1);
    assert_eq!(server.requests("/backup"), 0);
    // The main stream is down: the backup airs the rest of the window.
    let (r, _) = run(vec![relay(dead_url())], None);
    let s = summary(&r);
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1].0, format!("fallback stream {}", server.url("/backup")));
    let all: f64 = r.items.iter().map(|i| i.seconds).sum();
    assert!(
        (all - 1.5).abs() < 0.011,
        "the window adds up: {:?}",
        r.items
    );
    assert!(s[1].1 > 1.0, "{s:?}");
    assert_eq!(server.requests("/backup"), 1);
}

#[test]
fn a_stream_lost_and_back_again_and_again_alternates_with_its_fallback_without_a_hole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(mp3) = stream_server::sox_stream(dir.path(), "tone.mp3", 20, &["vol", "0.3"]) else {
        eprintln!("SKIPPED: sox cannot make MP3 here");
        return;
    };
    // Every connection is cut 1.5 s after it was accepted (1 s burst + real time),
    // and the server then refuses for 3 s: longer than what is buffered.
    let mut route = stream_server::Route::new("/flaky", mp3, "audio/mpeg", 16_000);
    route.cut_after_secs = Some(1.5);
    route.refuse_for_secs = Some(3.0);
    let server = stream_server::StreamServer::start(vec![route]);
    let fb = dir.path().join("fb.wav");
    tone(&fb, 20.0, 880.0, 0.5);
    let url = server.url("/flaky");
    let (r, rs) = run(
        vec![PlanItem::Stream {
            url: url.clone(),
            window: Duration::from_secs(14),
            fallback: vec![file(&fb, "fb"), file(&fb, "fb2"), file(&fb, "fb3")],
        }],
        None,
    );
    assert_eq!(r.items[0].error, None, "{:?}", r.items);
    let why = r.items[0].events.join(", ");
    assert!(why.matches("lost at +").count() >= 2, "{:?}", r.items);
    assert!(why.matches("back at +").count() >= 2, "{:?}", r.items);
    assert!(why.contains(", fallback aired "), "{why}");
    // Stream, fallback items and silence add up to the window.
    let total: f64 = r.items.iter().map(|i| i.seconds).sum();
    assert!((total - 14.0).abs() < 0.011, "{:?}", r.items);
    let silence: f64 = r
        .items
        .iter()
        .filter(|i| i.name.starts_with("silence ("))
        .map(|i| i.seconds)
        .sum();
    assert!(silence < 0.1, "{:?}", r.items);
    assert!(r.items[0].seconds > 2.0, "{:?}", r.items);
    // On air: one run of sound for the whole window (gaps under 5 ms bridged).
    assert_eq!(rs.len(), 1, "holes on air: {rs:?}");
    assert!((rs[0].1 - rs[0].0 - 14.0).abs() < 0.05, "{rs:?}");
}
