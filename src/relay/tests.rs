//! Relay tests: fast ones for the content-type rules, the body reader, the buffer and
//! the consumer; real-time ones against the std-only test stream server with sox-made
//! MP3/Ogg streams (skipped, with a printed reason, when sox cannot make them).

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::RelayError;
use super::http::{classify_type, Body, Kind, Link};
use super::shared::Shared;
use super::*;

use super::stream_server::{sox_stream, unused_port_url, Route, StreamServer};

const RATE: u32 = 48_000;
const TICK: Duration = Duration::from_millis(100);
const PER_TICK: usize = 4800;

// ---------- fast tests ----------

#[test]
fn content_types_are_classified() {
    assert_eq!(classify_type(Some("audio/mpeg")), Ok(Kind::Mp3));
    assert_eq!(classify_type(Some("Audio/MPEG; charset=x")), Ok(Kind::Mp3));
    assert_eq!(classify_type(Some("audio/mp3")), Ok(Kind::Mp3));
    assert_eq!(classify_type(Some("application/ogg")), Ok(Kind::Ogg));
    assert_eq!(classify_type(Some("audio/ogg")), Ok(Kind::Ogg));
    assert_eq!(classify_type(Some("audio/vorbis")), Ok(Kind::Ogg));
    assert_eq!(classify_type(None), Ok(Kind::Probe));
    assert_eq!(
        classify_type(Some("application/octet-stream")),
        Ok(Kind::Probe)
    );
    assert_eq!(
        classify_type(Some("text/html; charset=utf-8")),
        Err(RelayError::NotAudio("text/html; charset=utf-8".into()))
    );
    assert_eq!(
        classify_type(Some("application/json")),
        Err(RelayError::NotAudio("application/json".into()))
    );
    assert_eq!(
        classify_type(Some("audio/x-mpegurl")),
        Err(RelayError::Playlist("audio/x-mpegurl".into()))
    );
    assert_eq!(
        classify_type(Some("audio/aacp")),
        Err(RelayError::Unsupported("audio/aacp".into()))
    );
    assert_eq!(
        RelayError::NotAudio("text/html".into()).to_string(),
        "not an audio stream (content-type text/html)"
    );
    assert_eq!(
        RelayError::Status {
            code: 404,
            reason: "Not Found".into()
        }
        .to_string(),
        "HTTP 404 Not Found"
    );
}

/// A reader following a script of results.
struct Script(Vec<io::Result<Vec<u8>>>);

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Ok(0);
        }
        match self.0.remove(0) {
            Ok(b) => {
                buf[..b.len()].copy_from_slice(&b);
                Ok(b.len())
            }
            Err(e) => Err(e),
        }
    }
}

fn timed_out() -> io::Result<Vec<u8>> {
    Err(io::Error::new(io::ErrorKind::WouldBlock, "slice"))
}

fn link(no_data: Duration) -> (Arc<Link>, Arc<AtomicBool>, Arc<AtomicU64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let bytes = Arc::new(AtomicU64::new(0));
    (
        Link::new(stop.clone(), bytes.clone(), no_data, None),
        stop,
        bytes,
    )
}

#[test]
fn body_rides_over_read_slices_and_reports_close() {
    let (l, _, bytes) = link(Duration::from_secs(5));
    let script = Script(vec![Ok(vec![1, 2]), timed_out(), timed_out(), Ok(vec![3])]);
    let mut b = Body::new(script, l.clone());
    let mut buf = [0u8; 8];
    assert_eq!(b.read(&mut buf).unwrap(), 2);
    assert_eq!(b.read(&mut buf).unwrap(), 1);
    assert_eq!(buf[0], 3);
    assert_eq!(b.stream_position().unwrap(), 3);
    assert!(b.seek(SeekFrom::Start(0)).is_err());
    assert!(b.read(&mut buf).is_err());
    assert_eq!(l.reason(), Some(RelayError::Closed));
    // Sticky.
    assert!(b.read(&mut buf).is_err());
    assert_eq!(bytes.load(Ordering::Relaxed), 3);
}

#[test]
fn body_gives_up_after_no_data_and_on_stop() {
    let (l, _, _) = link(Duration::from_millis(30));
    let slow = Script((0..100).map(|_| timed_out()).collect());
    let mut b = Body::new(slow, l.clone());
    std::thread::sleep(Duration::from_millis(40));
    assert!(b.read(&mut [0u8; 4]).is_err());
    assert_eq!(l.reason(), Some(RelayError::NoData("0.0 s".into())));

    let (l, stop, _) = link(Duration::from_secs(5));
    let mut b = Body::new(Script(vec![Ok(vec![1])]), l.clone());
    stop.store(true, Ordering::SeqCst);
    assert!(b.read(&mut [0u8; 4]).is_err());
    assert_eq!(l.reason(), Some(RelayError::Stopped));
}

#[test]
fn body_gives_up_when_bytes_never_decode() {
    let (l, _, _) = link(Duration::from_millis(30));
    let mut b = Body::new(
        Script((0..1000).map(|_| Ok(vec![7u8; 4])).collect()),
        l.clone(),
    );
    let t = Instant::now();
    let mut n = 0;
    while b.read(&mut [0u8; 4]).is_ok() {
        n += 1;
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(n > 3 && t.elapsed() < Duration::from_secs(1), "{n}");
    assert!(matches!(l.reason(), Some(RelayError::NoAudio(_))));
}

#[test]
fn buffer_keeps_newest_prebuffer_until_first_read_then_max() {
    // 2 channels, prebuffer 4 frames, max 10 frames.
    let sh = Shared::new(2, 8, 20);
    sh.push(&[1.0; 12]); // 6 frames
    assert_eq!(sh.available.load(Ordering::SeqCst), 8);
    assert_eq!(sh.frames_dropped.load(Ordering::SeqCst), 2);
    sh.started.store(true, Ordering::SeqCst);
    sh.push(&[2.0; 16]); // 8 + 16 = 24 > 20
    assert_eq!(sh.available.load(Ordering::SeqCst), 20);
    assert_eq!(sh.frames_dropped.load(Ordering::SeqCst), 4);
    assert_eq!(sh.frames_decoded.load(Ordering::SeqCst), 14);
    let q = sh.queue.lock().unwrap();
    assert_eq!(q.front(), Some(&1.0));
    assert_eq!(q.iter().filter(|s| **s == 1.0).count(), 4);
}

fn bare_feed(prebuffer_frames: usize) -> LiveFeed {
    let shared = Arc::new(Shared::new(2, prebuffer_frames * 2, 1000));
    LiveFeed {
        shared,
        local: Vec::with_capacity(LOCAL_FRAMES * 2),
        pos: 0,
        channels: 2,
        playing: false,
        started: false,
        underruns: 0,
    }
}

#[test]
fn consumer_prebuffers_underruns_and_fails_after_draining() {
    let mut f = bare_feed(3);
    let mut fr = [9.0f32; 2];
    assert_eq!(f.read_frame(&mut fr), LiveRead::Buffering);
    assert_eq!(fr, [0.0, 0.0]);
    f.shared.push(&[0.5, -0.5, 0.25, -0.25]);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Buffering); // 2 < 3 frames
    f.shared.push(&[0.1, 0.2]);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Audio);
    assert_eq!(fr, [0.5, -0.5]);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Audio);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Audio);
    assert_eq!(fr, [0.1, 0.2]);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Buffering);
    assert_eq!(f.stats().underruns, 1);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Buffering);
    assert_eq!(f.stats().underruns, 1);
    // A failure still plays what is buffered, then reports Failed.
    f.shared.push(&[0.3, 0.3]);
    f.shared.fail("stream lost: test".into());
    assert_eq!(f.failure().as_deref(), Some("stream lost: test"));
    assert_eq!(f.read_frame(&mut fr), LiveRead::Audio);
    assert_eq!(fr, [0.3, 0.3]);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Failed);
    assert_eq!(f.read_frame(&mut fr), LiveRead::Failed);
    assert_eq!(fr, [0.0, 0.0]);
}

#[test]
fn live_feed_is_send() {
    fn send<T: Send>() {}
    send::<LiveFeed>();
}

// ---------- real-time tests against the stream server ----------

fn opts() -> RelayOptions {
    RelayOptions::new(2, RATE)
}

/// Makes a sox stream or prints why the test is skipped.
fn stream(name: &str, secs: u32) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().ok()?;
    let b = sox_stream(dir.path(), name, secs, &[]);
    if b.is_none() {
        eprintln!("SKIP: sox cannot make {name} (apt-get install sox libsox-fmt-mp3)");
    }
    b
}

#[derive(Default, Debug)]
struct Tally {
    /// Audio frames per tick.
    ticks: Vec<usize>,
    audio: usize,
    failed_at: Option<Duration>,
    peak: f32,
}

/// Read `PER_TICK` frames every `TICK` (real time) for `secs`, or until Failed.
fn play(f: &mut LiveFeed, secs: f64) -> Tally {
    let mut t = Tally::default();
    let start = Instant::now();
    let mut fr = [0f32; 2];
    for i in 0..(secs * 10.0) as u32 {
        let due = start + TICK * i;
        if let Some(d) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(d);
        }
        let mut n = 0;
        for _ in 0..PER_TICK {
            match f.read_frame(&mut fr) {
                LiveRead::Audio => {
                    n += 1;
                    t.peak = t.peak.max(fr[0].abs()).max(fr[1].abs());
                }
                LiveRead::Buffering => {}
                LiveRead::Failed => {
                    t.failed_at.get_or_insert(start.elapsed());
                }
            }
        }
        t.ticks.push(n);
        t.audio += n;
        if t.failed_at.is_some() {
            break;
        }
    }
    t
}

/// Poll one frame per ms until Audio or Failed; the time it took.
fn first_audio(f: &mut LiveFeed, limit: Duration) -> (Option<Duration>, LiveRead) {
    let start = Instant::now();
    let mut fr = [0f32; 2];
    while start.elapsed() < limit {
        match f.read_frame(&mut fr) {
            LiveRead::Audio => return (Some(start.elapsed()), LiveRead::Audio),
            LiveRead::Failed => return (Some(start.elapsed()), LiveRead::Failed),
            LiveRead::Buffering => std::thread::sleep(Duration::from_millis(1)),
        }
    }
    (None, LiveRead::Buffering)
}

#[test]
fn mp3_endless_body_relays_tone_in_real_time() {
    let Some(mp3) = stream("tone.mp3", 10) else {
        return;
    };
    let srv = StreamServer::start(vec![Route::new("/vov1", mp3, "audio/mpeg", 16_000)]);
    let t0 = Instant::now();
    let mut f = connect(&srv.url("/vov1"), opts());
    let (at, what) = first_audio(&mut f, Duration::from_secs(3));
    assert_eq!(what, LiveRead::Audio, "{:?}", f.failure());
    eprintln!(
        "first Audio frame {} ms after connect()",
        at.unwrap().as_millis()
    );
    let t = play(&mut f, 3.0);
    let st = f.stats();
    assert_eq!(t.failed_at, None);
    // Audio on (almost) every frame read over 3 s of real time.
    assert!(
        t.audio >= 30 * PER_TICK * 95 / 100,
        "{} {:?}",
        t.audio,
        t.ticks
    );
    assert!(t.peak > 0.5, "peak {}", t.peak);
    // Decoded about real time: the 1 s burst plus the time elapsed (± slack).
    let secs = st.frames_decoded as f64 / f64::from(RATE);
    let elapsed = t0.elapsed().as_secs_f64();
    assert!(
        secs > elapsed - 0.5 && secs < elapsed + 1.6,
        "{secs} s decoded in {elapsed} s"
    );
    assert_eq!((st.connects, st.reconnects, st.underruns), (1, 0, 0));
    assert!(st.bytes > 50_000, "{st:?}");
    assert_eq!(srv.requests("/vov1"), 1);
}

#[test]
fn ogg_over_chunked_relays() {
    // 20 s: no loop within the test (chaining is tested below).
    let Some(ogg) = stream("tone.ogg", 20) else {
        return;
    };
    let rate = ogg.len() as u64 / 20;
    let mut r = Route::new("/ogg", ogg, "application/ogg", rate);
    r.chunked = true;
    let srv = StreamServer::start(vec![r]);
    let mut f = connect(&srv.url("/ogg"), opts());
    let (_, what) = first_audio(&mut f, Duration::from_secs(3));
    assert_eq!(what, LiveRead::Audio, "{:?}", f.failure());
    let t = play(&mut f, 3.0);
    assert_eq!(t.failed_at, None);
    assert!(
        t.audio >= 30 * PER_TICK * 90 / 100,
        "{} {:?}",
        t.audio,
        t.ticks
    );
    assert!(t.peak > 0.5, "peak {}", t.peak);
    assert_eq!(f.stats().reconnects, 0);
}

#[test]
fn cut_with_refusal_fails_after_retry_window() {
    let Some(mp3) = stream("tone.mp3", 10) else {
        return;
    };
    let mut r = Route::new("/cut", mp3, "audio/mpeg", 16_000);
    r.cut_after_secs = Some(2.0);
    r.refuse_after_cut = true;
    let srv = StreamServer::start(vec![r]);
    let mut o = opts();
    o.retry_for = Duration::from_secs(3);
    let mut f = connect(&srv.url("/cut"), o);
    let t = play(&mut f, 10.0);
    let failed_at = t.failed_at.expect("Failed");
    // Cut at 2 s + 3 s of retrying + up to ~1.5 s of buffered audio played out.
    assert!(
        failed_at > Duration::from_secs(5) && failed_at < Duration::from_millis(7000),
        "{failed_at:?}"
    );
    let why = f.failure().unwrap();
    eprintln!(
        "cut+refuse: Failed after {failed_at:?}: {why}; {:?}",
        f.stats()
    );
    assert!(
        why.starts_with("stream lost: the server closed the stream;"),
        "{why}"
    );
    assert!(why.contains("HTTP 503"), "{why}");
    let st = f.stats();
    assert!(st.reconnects >= 2, "{st:?}");
    assert_eq!(st.connects, 1);
    assert_eq!(srv.requests("/cut"), 1 + st.reconnects as usize);
}

#[test]
fn cut_without_refusal_reconnects_and_audio_resumes() {
    let Some(mp3) = stream("tone.mp3", 10) else {
        return;
    };
    let mut r = Route::new("/flaky", mp3, "audio/mpeg", 16_000);
    r.cut_after_secs = Some(2.0);
    let srv = StreamServer::start(vec![r]);
    let mut f = connect(&srv.url("/flaky"), opts());
    let t = play(&mut f, 5.0);
    assert_eq!(t.failed_at, None, "{:?}", f.failure());
    let st = f.stats();
    eprintln!("flaky: {st:?} ticks {:?}", t.ticks);
    assert!(st.reconnects >= 1 && st.connects >= 2, "{st:?}");
    // Audio in the last second, well after the first cut.
    let late: usize = t.ticks[40..].iter().sum();
    assert!(late > PER_TICK * 5, "{:?}", t.ticks);
    assert_eq!(f.failure(), None);
}

fn fails_fast(url: &str, limit: Duration) -> String {
    let mut f = connect(url, opts());
    let (at, what) = first_audio(&mut f, Duration::from_secs(8));
    assert_eq!(what, LiveRead::Failed);
    assert!(at.unwrap() < limit, "{at:?}");
    let st = f.stats();
    assert_eq!(st.reconnects, 0);
    f.failure().unwrap()
}

#[test]
fn unreachable_port_fails_at_once() {
    let url = unused_port_url();
    let why = fails_fast(&url, Duration::from_secs(1));
    assert!(why.starts_with("cannot connect to 127.0.0.1:"), "{why}");
    assert!(why.contains("connection refused"), "{why}");
}

#[test]
fn http_404_and_html_fail_at_once() {
    let srv = StreamServer::start(vec![Route::new(
        "/page",
        b"<html>hello</html>".to_vec(),
        "text/html; charset=utf-8",
        1000,
    )]);
    let why = fails_fast(&srv.url("/nothing"), Duration::from_secs(1));
    assert_eq!(why, "HTTP 404 Not Found");
    let why = fails_fast(&srv.url("/page"), Duration::from_secs(1));
    assert_eq!(
        why,
        "not an audio stream (content-type text/html; charset=utf-8)"
    );
}

#[test]
fn garbage_with_audio_type_never_plays_and_does_not_panic() {
    let junk: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let srv = StreamServer::start(vec![Route::new("/junk", junk, "audio/mpeg", 16_000)]);
    let mut o = opts();
    o.no_data_timeout = Duration::from_secs(2);
    let mut f = connect(&srv.url("/junk"), o);
    let t = play(&mut f, 4.0);
    eprintln!(
        "garbage: {:?} {:?} {:?}",
        t.failed_at,
        f.failure(),
        f.stats()
    );
    assert_eq!(t.audio, 0);
    if t.failed_at.is_some() {
        let why = f.failure().unwrap();
        assert!(
            why.starts_with("cannot decode the stream") || why.starts_with("no audio decoded"),
            "{why}"
        );
    }
}

#[test]
fn drop_closes_the_connection_promptly_while_the_server_stalls() {
    let mut r = Route::new("/stall", b"never sent".to_vec(), "audio/mpeg", 0);
    r.burst_secs = 0.0;
    let srv = StreamServer::start(vec![r]);
    let f = connect(&srv.url("/stall"), opts());
    let t = Instant::now();
    while srv.open_connections("/stall") == 0 && t.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(srv.open_connections("/stall"), 1);
    std::thread::sleep(Duration::from_millis(500));
    drop(f);
    let t = Instant::now();
    while srv.open_connections("/stall") > 0 && t.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(srv.open_connections("/stall"), 0);
    eprintln!("stalled connection closed {:?} after drop", t.elapsed());
    assert!(
        t.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn process_runs_on_the_worker() {
    let Some(mp3) = stream("tone.mp3", 10) else {
        return;
    };
    let srv = StreamServer::start(vec![Route::new("/p", mp3, "audio/mpeg", 16_000)]);
    let process: Process = Box::new(|input: &[f32], out: &mut Vec<f32>| {
        out.extend(input.iter().map(|_| 0.25));
    });
    let mut f = connect_with(&srv.url("/p"), opts(), Some(process));
    let (_, what) = first_audio(&mut f, Duration::from_secs(3));
    assert_eq!(what, LiveRead::Audio);
    let mut fr = [0f32; 2];
    assert_eq!(f.read_frame(&mut fr), LiveRead::Audio);
    assert_eq!(fr, [0.25, 0.25]);
}

#[test]
fn chained_ogg_plays_on_without_reconnecting() {
    // Two Ogg files back to back, looped: a new Ogg stream starts every 3 s (as Icecast
    // Vorbis streams do at each track change). Symphonia ends its iterator once at each
    // new stream; rodio's converter asks again and decoding goes on.
    let dir = tempfile::tempdir().unwrap();
    let (Some(mut a), Some(b)) = (
        sox_stream(dir.path(), "a.ogg", 3, &[]),
        sox_stream(dir.path(), "b.ogg", 3, &["vol", "0.3"]),
    ) else {
        eprintln!("SKIP: sox cannot make Ogg files");
        return;
    };
    a.extend(b);
    let rate = a.len() as u64 / 6;
    let srv = StreamServer::start(vec![Route::new("/chain", a, "audio/ogg", rate)]);
    let mut f = connect(&srv.url("/chain"), opts());
    let (_, what) = first_audio(&mut f, Duration::from_secs(3));
    assert_eq!(what, LiveRead::Audio, "{:?}", f.failure());
    let mut fr = [0f32; 2];
    let start = Instant::now();
    let mut peaks = vec![];
    for i in 0..75u32 {
        if let Some(d) = (start + TICK * i).checked_duration_since(Instant::now()) {
            std::thread::sleep(d);
        }
        let mut p = 0f32;
        for _ in 0..PER_TICK {
            f.read_frame(&mut fr);
            p = p.max(fr[0].abs());
        }
        peaks.push((p * 100.0).round() as u32);
    }
    let st = f.stats();
    eprintln!("chained ogg: {st:?} peaks {peaks:?}");
    assert_eq!((st.connects, st.reconnects), (1, 0), "{:?}", f.failure());
    let loud = peaks.iter().filter(|p| (65..=75).contains(*p)).count();
    let soft = peaks.iter().filter(|p| (25..=35).contains(*p)).count();
    assert!(loud >= 20 && soft >= 20, "{peaks:?}");
    // Loud, then soft, then loud again: two chain boundaries crossed.
    let first_soft = peaks.iter().position(|p| (25..=35).contains(p)).unwrap();
    assert!(
        peaks[first_soft..].iter().any(|p| (65..=75).contains(p)),
        "{peaks:?}"
    );
}

#[test]
fn connect_at_holds_the_connection_until_then_or_the_first_read() {
    let Some(mp3) = stream("tone.mp3", 5) else {
        return;
    };
    let srv = StreamServer::start(vec![Route::new("/vov1", mp3, "audio/mpeg", 16_000)]);
    // Due in 30 s: no connection yet after 0.6 s.
    let mut later = opts();
    later.connect_at = Some(Instant::now() + Duration::from_secs(30));
    let mut f = connect(&srv.url("/vov1"), later);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(srv.requests("/vov1"), 0, "connected before connect_at");
    // The program reached the item sooner: the first read connects at once.
    let (at, what) = first_audio(&mut f, Duration::from_secs(3));
    assert_eq!(what, LiveRead::Audio, "{:?}", f.failure());
    assert!(at.unwrap() < Duration::from_millis(800), "{at:?}");
    // Due in 0.4 s and never read: connects by itself then.
    let mut soon = opts();
    soon.connect_at = Some(Instant::now() + Duration::from_millis(400));
    let _g = connect(&srv.url("/vov1"), soon);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(srv.requests("/vov1"), 1);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(srv.requests("/vov1"), 2);
}

#[test]
fn hostile_vorbis_header_fails_the_relay_instead_of_aborting_the_daemon() {
    // Without the guard the decoder would try to allocate about 4 TB and abort.
    // Also when served as MP3: the decoder probes the bytes, not the label.
    let evil = super::ogg_guard::tests::hostile_stream();
    let srv = StreamServer::start(vec![
        Route::new("/evil.ogg", evil.clone(), "application/ogg", 16_000),
        Route::new("/evil.mp3", evil, "audio/mpeg", 16_000),
    ]);
    for path in ["/evil.ogg", "/evil.mp3"] {
        let why = fails_fast(&srv.url(path), Duration::from_secs(3));
        assert!(why.contains("refused Ogg stream"), "{path}: {why}");
    }
}
