//! The network side of a relay: one GET of the stream URL on the network runtime
//! ([`crate::net`], reqwest; status and
//! content-type checked), and [`Body`], the response body as the decoder's
//! `Read + Seek` source. `Body` waits in short read slices so a stop is noticed
//! within ~1 s, and turns silence on the wire, a close, an I/O error or bytes that
//! never decode into one sticky [`RelayError`] the worker reads back.
//!
//! Knows nothing of decoding, buffering or reconnect policy.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::{secs, RelayError};
use crate::net::{self, NetError};

/// Longest single wait for bytes: bounds how long a stop takes to be noticed.
pub(crate) const READ_SLICE: Duration = Duration::from_millis(1000);

/// What the content-type says about the body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Mp3,
    Ogg,
    /// Missing or unknown but plausible: let the decoder probe.
    Probe,
}

impl Kind {
    /// File-extension hint for the decoder.
    pub(crate) fn hint(self) -> Option<&'static str> {
        match self {
            Kind::Mp3 => Some("mp3"),
            Kind::Ogg => Some("ogg"),
            Kind::Probe => None,
        }
    }
}

/// Classify a Content-Type header value (parameters ignored, case-insensitive).
pub(crate) fn classify_type(ctype: Option<&str>) -> Result<Kind, RelayError> {
    let Some(raw) = ctype else {
        return Ok(Kind::Probe);
    };
    let mime = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let shown = || raw.trim().chars().take(100).collect::<String>();
    match mime.as_str() {
        "audio/mpeg" | "audio/mp3" | "audio/mpeg3" | "audio/x-mpeg" | "audio/x-mp3" => {
            Ok(Kind::Mp3)
        }
        "application/ogg" | "audio/ogg" | "audio/vorbis" | "audio/x-ogg" | "audio/x-vorbis"
        | "audio/x-vorbis+ogg" => Ok(Kind::Ogg),
        "" | "application/octet-stream" | "binary/octet-stream" | "audio/unknown" => {
            Ok(Kind::Probe)
        }
        "audio/x-mpegurl"
        | "audio/mpegurl"
        | "application/vnd.apple.mpegurl"
        | "application/x-mpegurl"
        | "audio/x-scpls"
        | "application/pls+xml"
        | "video/x-ms-asf"
        | "application/xspf+xml" => Err(RelayError::Playlist(shown())),
        "audio/aac" | "audio/aacp" | "audio/x-aac" | "audio/mp4" | "audio/opus" | "audio/webm"
        | "audio/flac" | "audio/x-flac" | "audio/wav" | "audio/x-wav" => {
            Err(RelayError::Unsupported(shown()))
        }
        m if m.starts_with("text/")
            || m.starts_with("image/")
            || m.starts_with("video/")
            || m.starts_with("multipart/")
            || m.contains("json")
            || m.contains("xml")
            || m.contains("html")
            || m.contains("javascript") =>
        {
            Err(RelayError::NotAudio(shown()))
        }
        _ => Ok(Kind::Probe),
    }
}

/// `host:port` of a URL, for messages.
pub(crate) fn addr_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("?");
            let port = u.port_or_known_default().unwrap_or(80);
            format!("{host}:{port}")
        }
        Err(_) => url.to_string(),
    }
}

/// A stream that answered 200 with an acceptable content-type.
pub(crate) struct Opened {
    pub reader: net::Body,
    pub ctype: String,
    pub kind: Kind,
}

/// GET `url` (no `Icy-MetaData`, so no metadata is interleaved): resolve, connect
/// and the response head all within `budget`, one request however slowly the head
/// comes (a congested link may take seconds). `connect_timeout` picks the client.
/// The body then fails a read only after `no_data` without bytes; meanwhile reads
/// return every [`READ_SLICE`] so a stop is noticed.
pub(crate) fn open(
    url: &str,
    connect_timeout: Duration,
    budget: Duration,
    no_data: Duration,
    stop: &AtomicBool,
) -> Result<Opened, RelayError> {
    let req = net::Request {
        url: url.to_string(),
        headers: Vec::new(),
        client: net::ClientKey {
            connect_timeout,
            env_proxy: true,
        },
        head_timeout: budget,
        read_timeout: no_data,
    };
    let resp =
        net::get(req, &|| stop.load(Ordering::Acquire)).map_err(|e| classify(e, url, budget))?;
    if resp.status != 200 {
        let reason = reqwest::StatusCode::from_u16(resp.status)
            .ok()
            .and_then(|c| c.canonical_reason())
            .unwrap_or("");
        return Err(RelayError::Status {
            code: resp.status,
            reason: reason.to_string(),
        });
    }
    let ctype = resp.header("content-type");
    let kind = classify_type(ctype.as_deref())?;
    let mut reader = resp.body;
    reader.set_slice(Some(READ_SLICE));
    Ok(Opened {
        reader,
        ctype: ctype.unwrap_or_else(|| "none".into()),
        kind,
    })
}

fn classify(e: NetError, url: &str, budget: Duration) -> RelayError {
    let addr = addr_of(url);
    match e {
        NetError::ConnectTimeout(_) | NetError::HeadTimeout(_) => RelayError::ConnectTimeout {
            addr,
            secs: secs(budget),
        },
        NetError::HostNotFound(_) => RelayError::HostNotFound { addr },
        NetError::Refused(_) => RelayError::Refused { addr },
        NetError::BadUrl { msg, .. } => RelayError::BadUrl {
            url: url.to_string(),
            msg,
        },
        NetError::Cancelled(_) => RelayError::Stopped,
        NetError::Connect { msg, .. } | NetError::Cut { msg, .. } => {
            RelayError::Connect { addr, msg }
        }
        other => RelayError::Connect {
            addr,
            msg: other.to_string(),
        },
    }
}

/// State one connection shares between its [`Body`] (inside the decoder) and the worker.
pub(crate) struct Link {
    stop: Arc<AtomicBool>,
    bytes: Arc<AtomicU64>,
    no_data: Duration,
    state: Mutex<LinkState>,
}

struct LinkState {
    /// Sticky: once set, every read fails with it.
    reason: Option<RelayError>,
    /// Last decoded audio (or the connection's start).
    last_audio: Instant,
    /// No audio yet in this connection: give up at this instant (reconnect window).
    audio_deadline: Option<Instant>,
    audio_seen: bool,
}

impl Link {
    pub(crate) fn new(
        stop: Arc<AtomicBool>,
        bytes: Arc<AtomicU64>,
        no_data: Duration,
        audio_deadline: Option<Instant>,
    ) -> Arc<Link> {
        Arc::new(Link {
            stop,
            bytes,
            no_data,
            state: Mutex::new(LinkState {
                reason: None,
                last_audio: Instant::now(),
                audio_deadline,
                audio_seen: false,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, LinkState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The worker got decoded audio from this connection.
    pub(crate) fn audio(&self) {
        let mut s = self.lock();
        s.last_audio = Instant::now();
        s.audio_seen = true;
    }

    /// Why reading stopped, if it did.
    pub(crate) fn reason(&self) -> Option<RelayError> {
        self.lock().reason.clone()
    }

    /// Record `e` (the first reason wins) and return it as an I/O error.
    pub(crate) fn fail(&self, e: RelayError) -> io::Error {
        let mut s = self.lock();
        let e = s.reason.get_or_insert(e).clone();
        io::Error::other(e)
    }

    /// A reason to stop now, apart from the wire itself.
    fn check(&self) -> Option<RelayError> {
        if self.stop.load(Ordering::Acquire) {
            return Some(RelayError::Stopped);
        }
        let s = self.lock();
        if let Some(r) = &s.reason {
            return Some(r.clone());
        }
        if !s.audio_seen && s.audio_deadline.is_some_and(|d| Instant::now() >= d) {
            return Some(RelayError::GaveUp);
        }
        None
    }

    fn since_audio(&self) -> Duration {
        self.lock().last_audio.elapsed()
    }
}

/// The response body as a non-seekable `Read + Seek` for the decoder.
pub(crate) struct Body<R> {
    inner: Mutex<R>,
    link: Arc<Link>,
    pos: u64,
    last_byte: Instant,
}

impl<R: Read + Send> Body<R> {
    pub(crate) fn new(inner: R, link: Arc<Link>) -> Body<R> {
        Body {
            inner: Mutex::new(inner),
            link,
            pos: 0,
            last_byte: Instant::now(),
        }
    }
}

/// A read slice passed with no data: the connection is untouched, ask again.
fn is_slice(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

/// The network side's verdict on a body, as the relay's reason.
fn body_error(e: &io::Error, no_data: Duration) -> RelayError {
    match e.get_ref().and_then(|x| x.downcast_ref::<NetError>()) {
        Some(NetError::Stalled(_)) => RelayError::NoData(secs(no_data)),
        Some(NetError::Cut { msg, .. }) => RelayError::Io(msg.clone()),
        Some(other) => RelayError::Io(other.to_string()),
        None if e.kind() == io::ErrorKind::TimedOut => RelayError::NoData(secs(no_data)),
        None => RelayError::Io(e.to_string()),
    }
}

impl<R: Read + Send> Read for Body<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(e) = self.link.check() {
                return Err(self.link.fail(e));
            }
            let no_data = self.link.no_data;
            if self.last_byte.elapsed() >= no_data {
                return Err(self.link.fail(RelayError::NoData(secs(no_data))));
            }
            if self.link.since_audio() >= no_data {
                return Err(self.link.fail(RelayError::NoAudio(secs(no_data))));
            }
            let inner = self.inner.get_mut().unwrap_or_else(|p| p.into_inner());
            match inner.read(buf) {
                Ok(0) => return Err(self.link.fail(RelayError::Closed)),
                Ok(n) => {
                    self.last_byte = Instant::now();
                    self.pos += n as u64;
                    self.link.bytes.fetch_add(n as u64, Ordering::Relaxed);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_slice(&e) => {}
                Err(e) => return Err(self.link.fail(body_error(&e, no_data))),
            }
        }
    }
}

impl<R> Seek for Body<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        position_only(pos, self.pos)
    }
}

/// The one seek a live stream answers: where it is (`at`), for `SeekFrom::Current(0)`.
pub(crate) fn position_only(pos: SeekFrom, at: u64) -> io::Result<u64> {
    match pos {
        SeekFrom::Current(0) => Ok(at),
        _ => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "a live stream cannot seek",
        )),
    }
}
