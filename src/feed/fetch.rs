//! Getting bytes of a feed: `http://`, `https://` (reqwest on the network runtime,
//! through [`crate::net`]'s blocking front door) or `file://`
//! (read directly), with the same caps and checks for both. Small documents
//! (manifest, signature) are read under a hard cap; clips are streamed into a
//! partial file, resumed with `Range`, and never written past their declared size.
//!
//! Knows nothing of manifests' meaning, signatures or the index. Trusts nothing
//! it receives: the caller verifies the signature and the hashes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::manifest::check_path;
use crate::net::{self, NetError};

/// Timeouts and proxy use for a sync.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Resolving and connecting (default 10 s).
    pub connect_timeout: Duration,
    /// No byte received for this long = stalled (default 30 s).
    pub stall_timeout: Duration,
    /// Honour `HTTPS_PROXY` / `NO_PROXY`... from the environment (default true).
    pub env_proxy: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(30),
            env_proxy: true,
        }
    }
}

/// Why a fetch failed; messages name the URL or file.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FetchError {
    #[error("bad feed URL `{0}`: {1}")]
    BadUrl(String, String),
    #[error("HTTP {code} for {url}")]
    Status { code: u16, url: String },
    #[error("no such file {0}")]
    Missing(String),
    #[error("connection refused by {0}: is the feed server up?")]
    Refused(String),
    #[error("could not connect to {url} within {secs}: check the network")]
    ConnectTimeout { url: String, secs: String },
    #[error("cannot resolve the host of {0}: check DNS and the network")]
    HostNotFound(String),
    #[error("no data for {secs} from {url}")]
    Stalled { url: String, secs: String },
    #[error("connection closed early after {got} bytes from {url}")]
    Closed { url: String, got: u64 },
    #[error("body longer than declared {declared} bytes from {url}")]
    TooLong { url: String, declared: u64 },
    #[error("{url} has {actual} bytes, the manifest declares {declared}")]
    SizeMismatch {
        url: String,
        actual: u64,
        declared: u64,
    },
    #[error("{url} is over the {cap}-byte limit")]
    TooLarge { url: String, cap: u64 },
    #[error("bad range response from {url}: {detail}")]
    BadRange { url: String, detail: String },
    #[error("{url}: {msg}")]
    Net { url: String, msg: String },
    #[error("{path}: {msg}")]
    Local { path: String, msg: String },
}

/// One thing to fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Http(String),
    File(PathBuf),
}

impl Source {
    pub fn display(&self) -> String {
        match self {
            Source::Http(u) => u.clone(),
            Source::File(p) => format!("file://{}", p.display()),
        }
    }
}

/// A feed's manifest URL, split so clip paths can only be appended to its folder.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedUrl {
    /// `dir` ends with `/`; `manifest` is `dir` + file name.
    Http {
        dir: String,
        manifest: String,
    },
    File {
        dir: PathBuf,
        manifest: PathBuf,
    },
}

impl FeedUrl {
    /// Accept `http://HOST/.../NAME`, `https://...` or `file:///ABS/PATH/NAME`
    /// (or `file://localhost/...`); no query, fragment, spaces or controls.
    pub fn parse(url: &str) -> Result<FeedUrl, FetchError> {
        let bad = |m: &str| Err(FetchError::BadUrl(url.to_string(), m.to_string()));
        if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return bad("contains spaces or control characters");
        }
        if url.contains('?') || url.contains('#') {
            return bad("a feed URL has no query (`?`) or fragment (`#`)");
        }
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("file://") {
            let rest = &url["file://".len()..];
            let rest = rest.strip_prefix("localhost").unwrap_or(rest);
            if !rest.starts_with('/') {
                return bad("use file:///absolute/path/manifest.json");
            }
            let path =
                PathBuf::from(percent_decode(rest).ok_or_else(|| {
                    FetchError::BadUrl(url.into(), "bad percent-encoding".into())
                })?);
            if rest.ends_with('/') {
                return bad("name the manifest file, not a folder");
            }
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            return Ok(FeedUrl::File {
                dir,
                manifest: path,
            });
        }
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return bad("use http://, https:// or file://");
        }
        let uri =
            reqwest::Url::parse(url).map_err(|e| FetchError::BadUrl(url.into(), format!("{e}")))?;
        if uri.host_str().is_none_or(str::is_empty) {
            return bad("no host");
        }
        let path = uri.path();
        if !path.starts_with('/') || path.ends_with('/') || !url.ends_with(path) {
            return bad("name the manifest file, e.g. https://host/feed/manifest.json");
        }
        let cut = url.len() - path.len() + path.rfind('/').unwrap_or(0) + 1;
        Ok(FeedUrl::Http {
            dir: url[..cut].to_string(),
            manifest: url.to_string(),
        })
    }

    pub fn manifest(&self) -> Source {
        match self {
            FeedUrl::Http { manifest, .. } => Source::Http(manifest.clone()),
            FeedUrl::File { manifest, .. } => Source::File(manifest.clone()),
        }
    }

    /// `manifest.json.minisig` next to the manifest.
    pub fn signature(&self) -> Source {
        match self {
            FeedUrl::Http { manifest, .. } => Source::Http(format!("{manifest}.minisig")),
            FeedUrl::File { manifest, .. } => {
                let mut p = manifest.as_os_str().to_owned();
                p.push(".minisig");
                Source::File(PathBuf::from(p))
            }
        }
    }

    /// A clip's `path` (checked again here) appended to the manifest's folder.
    pub fn clip(&self, path: &str) -> Result<Source, FetchError> {
        check_path(path).map_err(|e| FetchError::BadUrl(path.into(), e))?;
        Ok(match self {
            FeedUrl::Http { dir, .. } => Source::Http(format!("{dir}{}", percent_encode(path))),
            FeedUrl::File { dir, .. } => Source::File(dir.join(path)),
        })
    }
}

/// Percent-encode everything but unreserved characters and `/`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// "30 s", "0.3 s".
pub fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A small document's outcome.
#[derive(Debug, PartialEq)]
pub enum Small {
    NotModified,
    Body {
        data: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Does the requests of one sync and counts them.
pub struct Fetcher {
    opts: FetchOptions,
    /// Requests made (HTTP requests and file opens).
    pub requests: u32,
    /// Body bytes received.
    pub bytes: u64,
}

impl Fetcher {
    pub fn new(opts: &FetchOptions) -> Fetcher {
        Fetcher {
            opts: opts.clone(),
            requests: 0,
            bytes: 0,
        }
    }

    /// One GET on the network runtime: connect within `connect_timeout`, the head
    /// and then each body read within `stall_timeout`.
    fn get(&mut self, url: &str, headers: &[(&str, &str)]) -> Result<net::Response, FetchError> {
        self.requests += 1;
        let req = net::Request {
            url: url.to_string(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            client: net::ClientKey {
                connect_timeout: self.opts.connect_timeout,
                env_proxy: self.opts.env_proxy,
            },
            head_timeout: self.opts.connect_timeout + self.opts.stall_timeout,
            read_timeout: self.opts.stall_timeout,
        };
        net::get(req, &|| false).map_err(|e| self.classify(e, url, 0))
    }

    fn classify(&self, e: NetError, url: &str, got: u64) -> FetchError {
        let url = url.to_string();
        match e {
            NetError::ConnectTimeout(_) => FetchError::ConnectTimeout {
                url,
                secs: secs(self.opts.connect_timeout),
            },
            NetError::HeadTimeout(_) | NetError::Stalled(_) => FetchError::Stalled {
                url,
                secs: secs(self.opts.stall_timeout),
            },
            NetError::HostNotFound(_) => FetchError::HostNotFound(url),
            NetError::Refused(_) => FetchError::Refused(url),
            NetError::Cut { .. } => FetchError::Closed { url, got },
            NetError::BadUrl { msg, .. } => FetchError::BadUrl(url, msg),
            other => FetchError::Net {
                url,
                msg: other.to_string(),
            },
        }
    }

    fn classify_io(&self, e: &io::Error, url: &str, got: u64) -> FetchError {
        if let Some(inner) = e.get_ref().and_then(|x| x.downcast_ref::<NetError>()) {
            return self.classify(inner.clone(), url, got);
        }
        let url = url.to_string();
        match e.kind() {
            io::ErrorKind::ConnectionRefused => FetchError::Refused(url),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => FetchError::Stalled {
                url,
                secs: secs(self.opts.stall_timeout),
            },
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => FetchError::Closed { url, got },
            _ => FetchError::Net {
                url,
                msg: e.to_string(),
            },
        }
    }

    /// Get a small document, reading at most `cap + 1` bytes (over `cap` is an
    /// error). Conditional when validators are given; 304 = `NotModified`.
    pub fn get_small(
        &mut self,
        src: &Source,
        cap: u64,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Small, FetchError> {
        let (reader, etag, last_modified, url): (Box<dyn Read>, _, _, String) = match src {
            Source::File(p) => {
                self.requests += 1;
                let f = open_file(p)?;
                if f.metadata().is_ok_and(|m| m.len() > cap) {
                    return Err(FetchError::TooLarge {
                        url: src.display(),
                        cap,
                    });
                }
                (Box::new(f), None, None, src.display())
            }
            Source::Http(url) => {
                let mut h = Vec::new();
                if let Some(e) = etag {
                    h.push(("If-None-Match", e));
                }
                if let Some(m) = last_modified {
                    h.push(("If-Modified-Since", m));
                }
                let resp = self.get(url, &h)?;
                match resp.status {
                    304 => return Ok(Small::NotModified),
                    200 => {}
                    code => {
                        return Err(FetchError::Status {
                            code,
                            url: url.clone(),
                        })
                    }
                }
                if content_length(&resp).is_some_and(|n| n > cap) {
                    return Err(FetchError::TooLarge {
                        url: url.clone(),
                        cap,
                    });
                }
                let etag = resp.header("etag");
                let lm = resp.header("last-modified");
                (Box::new(resp.body), etag, lm, url.clone())
            }
        };
        let mut data = Vec::new();
        let res = reader.take(cap + 1).read_to_end(&mut data);
        self.bytes += data.len() as u64;
        res.map_err(|e| self.classify_io(&e, &url, data.len() as u64))?;
        if data.len() as u64 > cap {
            return Err(FetchError::TooLarge { url, cap });
        }
        Ok(Small::Body {
            data,
            etag,
            last_modified,
        })
    }

    /// Download `src` into the partial file `part` until it holds `total`
    /// bytes, resuming from its current length with `Range: bytes=N-`.
    /// Never writes past `total`. A source longer than `total`, or a bad range
    /// answer, deletes the partial; a cut or stall keeps it for the next try.
    /// `progress(done)` is called as bytes arrive. The caller verifies the hash.
    pub fn download(
        &mut self,
        src: &Source,
        part: &Path,
        total: u64,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), FetchError> {
        let local = |e: io::Error| FetchError::Local {
            path: part.display().to_string(),
            msg: e.to_string(),
        };
        let mut have = fs::metadata(part).map(|m| m.len()).unwrap_or(0);
        if have > total {
            fs::remove_file(part).map_err(local)?;
            have = 0;
        }
        if have == total {
            return Ok(());
        }
        let url = src.display();
        let (mut reader, start): (Box<dyn Read>, u64) = match src {
            Source::File(p) => {
                self.requests += 1;
                let mut f = open_file(p)?;
                let len = f.metadata().map(|m| m.len()).unwrap_or(0);
                check_len(&url, len, total)?;
                f.seek(SeekFrom::Start(have)).map_err(local)?;
                (Box::new(f), have)
            }
            Source::Http(u) => {
                let range = format!("bytes={have}-");
                let h: Vec<(&str, &str)> = if have > 0 {
                    vec![("Range", range.as_str())]
                } else {
                    vec![]
                };
                let resp = self.get(u, &h)?;
                let start = match resp.status {
                    200 => {
                        if let Some(n) = content_length(&resp) {
                            check_len(&url, n, total)?;
                        }
                        0
                    }
                    206 if have > 0 => {
                        let cr = resp.header("content-range").unwrap_or_default();
                        if let Err(detail) = check_content_range(&cr, have, total) {
                            let _ = fs::remove_file(part);
                            return Err(FetchError::BadRange { url, detail });
                        }
                        have
                    }
                    code @ (206 | 416) => {
                        let _ = fs::remove_file(part);
                        return Err(FetchError::BadRange {
                            url,
                            detail: format!("HTTP {code} for a request from byte {have}"),
                        });
                    }
                    code => return Err(FetchError::Status { code, url }),
                };
                (Box::new(resp.body), start)
            }
        };
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(part)
            .map_err(local)?;
        if start == 0 {
            file.set_len(0).map_err(local)?;
        }
        file.seek(SeekFrom::Start(start)).map_err(local)?;
        let mut pos = start;
        let mut buf = vec![0u8; 64 * 1024];
        progress(pos);
        while pos < total {
            let n = match reader.read(&mut buf) {
                Ok(0) => return Err(FetchError::Closed { url, got: pos }),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.classify_io(&e, &url, pos)),
            };
            self.bytes += n as u64;
            let room = (total - pos) as usize;
            file.write_all(&buf[..n.min(room)]).map_err(local)?;
            pos += n.min(room) as u64;
            progress(pos);
            if n > room {
                drop(file);
                let _ = fs::remove_file(part);
                return Err(FetchError::TooLong {
                    url,
                    declared: total,
                });
            }
        }
        // One more byte must not exist (errors here are left to the hash check).
        if let Ok(n) = reader.read(&mut buf[..1]) {
            if n > 0 {
                self.bytes += n as u64;
                drop(file);
                let _ = fs::remove_file(part);
                return Err(FetchError::TooLong {
                    url,
                    declared: total,
                });
            }
        }
        Ok(())
    }
}

/// Open a regular file (never a FIFO or device: opening those can block).
fn open_file(p: &Path) -> Result<File, FetchError> {
    let local = |msg: String| FetchError::Local {
        path: p.display().to_string(),
        msg,
    };
    match fs::metadata(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(FetchError::Missing(p.display().to_string()))
        }
        Err(e) => return Err(local(e.to_string())),
        Ok(m) if !m.is_file() => return Err(local("not a regular file".into())),
        Ok(_) => {}
    }
    File::open(p).map_err(|e| local(e.to_string()))
}

fn check_len(url: &str, actual: u64, declared: u64) -> Result<(), FetchError> {
    if actual > declared {
        Err(FetchError::TooLong {
            url: url.into(),
            declared,
        })
    } else if actual < declared {
        Err(FetchError::SizeMismatch {
            url: url.into(),
            actual,
            declared,
        })
    } else {
        Ok(())
    }
}

fn content_length(resp: &net::Response) -> Option<u64> {
    resp.header("content-length")
        .and_then(|v| v.trim().parse().ok())
}

/// `bytes START-END/TOTAL` must continue exactly at `have` to the end of `total`.
pub fn check_content_range(cr: &str, have: u64, total: u64) -> Result<(), String> {
    let parsed = cr.trim().strip_prefix("bytes ").and_then(|r| {
        let (range, len) = r.split_once('/')?;
        let (a, b) = range.split_once('-')?;
        let len = if len == "*" {
            None
        } else {
            Some(len.parse::<u64>().ok()?)
        };
        Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?, len))
    });
    match parsed {
        Some((a, b, len)) if a == have && b + 1 == total && len.is_none_or(|l| l == total) => {
            Ok(())
        }
        Some(_) => Err(format!(
            "Content-Range `{cr}` does not continue from byte {have} to the declared {total}"
        )),
        None => Err(format!("missing or unreadable Content-Range `{cr}`")),
    }
}
