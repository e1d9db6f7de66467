//! A real hub for tests: `Hub::start(Backend::Sqlite)` writes a hub.toml in a
//! temp folder, runs `loa hub init --json` and `loa hub run` on a free port
//! (SQLite in the state folder, or a private PostgreSQL cluster from
//! `hub_pg`), and waits until it answers. `Client` is a small HTTP/1.1
//! client over a plain TCP socket that keeps the session cookie, so tests see
//! exactly the bytes the hub sends (and can cut an upload halfway).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::hub_pg::PgCluster;
use super::loa;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Knobs for a test hub.
#[derive(Debug, Clone)]
pub struct HubOptions {
    pub backend: Backend,
    pub max_upload: String,
    pub session_idle: String,
    /// What browsers use (default: the listen address over http).
    pub public_url: Option<String>,
    /// More `key = value` lines for the `[hub]` table.
    pub extra: String,
}

impl HubOptions {
    pub fn new(backend: Backend) -> HubOptions {
        HubOptions {
            backend,
            max_upload: "8MiB".into(),
            session_idle: "1h".into(),
            public_url: None,
            extra: String::new(),
        }
    }
}

pub struct Hub {
    pub dir: tempfile::TempDir,
    pub addr: SocketAddr,
    pub url: String,
    pub admin_password: String,
    pub public_key: String,
    child: Option<Child>,
    pub log: PathBuf,
    pg: Option<PgCluster>,
    /// Extra environment of the next `spawn` (e.g. `LOA_HUB_FAULT`).
    pub env: Vec<(String, String)>,
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Hub {
    pub fn start(backend: Backend) -> Hub {
        Hub::start_with(HubOptions::new(backend))
    }

    pub fn start_with(o: HubOptions) -> Hub {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let url = format!("http://{addr}");
        let (pg, database) = match o.backend {
            Backend::Sqlite => (None, "sqlite:hub.db".to_string()),
            Backend::Postgres => {
                let pg = PgCluster::start();
                let db = pg.url();
                (Some(pg), db)
            }
        };
        std::fs::write(
            dir.path().join("hub.toml"),
            format!(
                "[hub]\nlisten = \"{addr}\"\npublic_url = \"{url}\"\nstate = \"state\"\ndatabase = \"{database}\"\nkey = \"minisign.key\"\ntimezone = \"Asia/Ho_Chi_Minh\"\nlang = \"vi\"\nmax_upload = \"{}\"\nsession_idle = \"{}\"\n",
                o.max_upload, o.session_idle
            )
            .replace(
                &format!("public_url = \"{url}\""),
                &format!("public_url = \"{}\"", o.public_url.as_deref().unwrap_or(&url)),
            ) + &o.extra,
        )
        .unwrap();
        let mut hub = Hub {
            log: dir.path().join("hub.log"),
            dir,
            addr,
            url,
            admin_password: String::new(),
            public_key: String::new(),
            child: None,
            pg,
            env: vec![],
        };
        let out = hub.cmd(&["hub", "init", "--json"], None);
        assert!(out.0 == Some(0), "hub init failed: {} {}", out.1, out.2);
        let v: serde_json::Value = serde_json::from_str(out.1.trim()).unwrap();
        hub.admin_password = v["password"].as_str().unwrap().to_string();
        hub.public_key = v["public_key"].as_str().unwrap().to_string();
        hub.spawn();
        hub
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("hub.toml")
    }

    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    pub fn database_url(&self) -> String {
        match &self.pg {
            Some(pg) => pg.url(),
            None => format!("sqlite://{}", self.state().join("hub.db").display()),
        }
    }

    /// `loa --config hub.toml ARGS` with optional stdin: (exit code, stdout, stderr).
    pub fn cmd(&self, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
        let mut c = loa();
        c.arg("--config").arg(self.config()).args(args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        {
            let mut i = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                i.write_all(s.as_bytes()).unwrap();
            }
        }
        let o = child.wait_with_output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }

    /// Start `loa hub run` and wait until it answers. Another test's hub
    /// may have taken the port between `free_port` and the bind (nextest
    /// runs tests as parallel processes): then ours exits with "address in
    /// use", and it is started again on a new port — a hub answering with a
    /// key that is not ours is never taken for ours.
    pub fn spawn(&mut self) {
        for _ in 0..5 {
            match self.spawn_once() {
                Ok(()) => return,
                Err(why) if why.contains("in use") => {
                    self.move_to(free_port());
                }
                Err(why) => panic!("{why}"),
            }
        }
        panic!("loa hub run found no free port: {}", self.stderr());
    }

    /// Listen on `port` from now on (hub.toml and this handle).
    fn move_to(&mut self, port: u16) {
        let old = self.addr.to_string();
        self.addr = format!("127.0.0.1:{port}").parse().unwrap();
        self.url = format!("http://{}", self.addr);
        let toml = std::fs::read_to_string(self.config()).unwrap();
        std::fs::write(self.config(), toml.replace(&old, &self.addr.to_string())).unwrap();
    }

    /// Is the hub answering on `addr` this one (its feed key)?
    fn answers_as_ours(&self) -> bool {
        let key = self.public_key.split_whitespace().last().unwrap_or("");
        let Ok(mut s) = TcpStream::connect(self.addr) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let req = format!(
            "GET /feed/minisign.pub HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        if s.write_all(req.as_bytes()).is_err() {
            return false;
        }
        let mut got = String::new();
        let _ = s.read_to_string(&mut got);
        got.starts_with("HTTP/1.1 200") && got.contains(key)
    }

    fn spawn_once(&mut self) -> Result<(), String> {
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = loa()
            .arg("--config")
            .arg(self.config())
            .args(["hub", "run"])
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(30) {
            if let Some(Ok(Some(st))) = self.child.as_mut().map(|c| c.try_wait()) {
                self.child = None;
                return Err(format!("loa hub run exited ({st}): {}", self.stderr()));
            }
            if TcpStream::connect(self.addr).is_ok() && self.answers_as_ours() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!(
            "loa hub run did not listen in 30 s: {}",
            self.stderr()
        ))
    }

    /// SIGTERM and wait; returns the exit code.
    pub fn stop(&mut self) -> Option<i32> {
        let mut c = self.child.take()?;
        unsafe {
            libc::kill(c.id() as i32, libc::SIGTERM);
        }
        let t0 = Instant::now();
        loop {
            if let Ok(Some(st)) = c.try_wait() {
                return st.code();
            }
            if t0.elapsed() > Duration::from_secs(15) {
                let _ = c.kill();
                let _ = c.wait();
                panic!("loa hub run did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `kill -9` the hub and reap it.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            unsafe {
                libc::kill(c.id() as i32, libc::SIGKILL);
            }
            let _ = c.wait();
        }
    }

    /// Wait until the hub died by itself (a fault hook); its exit status.
    pub fn wait_dead(&mut self) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("a running hub");
        let t0 = Instant::now();
        loop {
            if let Ok(Some(st)) = c.try_wait() {
                return st;
            }
            if t0.elapsed() > Duration::from_secs(60) {
                let _ = c.kill();
                panic!("the hub did not die at its fault point: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The private PostgreSQL cluster, if the backend is PostgreSQL.
    pub fn pg(&self) -> Option<&PgCluster> {
        self.pg.as_ref()
    }

    /// The pid of `loa hub run`.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn client(&self) -> Client {
        Client::new(self.addr)
    }

    /// `loa hub user add NAME --role ROLES [--areas A] --password-stdin --json`.
    pub fn add_user(&self, name: &str, roles: &str, areas: &str, password: &str) {
        let mut args = vec![
            "hub",
            "user",
            "add",
            name,
            "--role",
            roles,
            "--password-stdin",
            "--json",
        ];
        if !areas.is_empty() {
            args.extend(["--areas", areas]);
        }
        let (code, out, err) = self.cmd(&args, Some(password));
        assert_eq!(code, Some(0), "user add {name}: {out} {err}");
    }

    /// A client signed in as `name`.
    pub fn login(&self, name: &str, password: &str) -> Client {
        let mut c = self.client();
        let r = c.post_json(
            "/api/v1/session",
            &serde_json::json!({"user": name, "password": password}),
        );
        assert_eq!(r.status, 200, "login {name}: {}", r.text());
        c
    }

    /// Admin signed in, its one-time password changed to `new`.
    pub fn admin(&mut self, new: &str) -> Client {
        let mut c = self.client();
        let r = c.post_json(
            "/api/v1/session",
            &serde_json::json!({"user": "admin", "password": self.admin_password}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let r = c.post_json(
            "/api/v1/session/password",
            &serde_json::json!({"old": self.admin_password, "new": new}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        self.admin_password = new.to_string();
        c
    }

    /// Run SQL on the hub's database behind its back (sqlite3 or psql),
    /// e.g. to tamper with the audit log; returns the output.
    pub fn sql(&self, sql: &str) -> String {
        match &self.pg {
            Some(pg) => pg.psql(sql),
            None => {
                let o = std::process::Command::new("sqlite3")
                    .args(["-cmd", ".timeout 5000"])
                    .arg(self.state().join("hub.db"))
                    .arg(sql)
                    .output()
                    .expect("sqlite3 (apt-get install sqlite3)");
                assert!(
                    o.status.success(),
                    "sqlite3: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                String::from_utf8_lossy(&o.stdout).into_owned()
            }
        }
    }

    /// The feed's current manifest.
    pub fn manifest(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.feed_dir().join("manifest.json")).unwrap())
            .unwrap()
    }

    /// The feed folder as the hub serves it.
    pub fn feed_dir(&self) -> PathBuf {
        self.state().join("feed")
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            unsafe {
                libc::kill(c.id() as i32, libc::SIGTERM);
            }
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One HTTP answer.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 client with one cookie (the session).
pub struct Client {
    pub addr: SocketAddr,
    pub cookie: Option<String>,
    /// Sent with every request (e.g. an `Origin` header).
    pub extra: Vec<(String, String)>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            cookie: None,
            extra: vec![],
        }
    }

    fn head(&self, method: &str, path: &str, headers: &[(&str, &str)], len: usize) -> String {
        let mut h = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {len}\r\n",
            self.addr
        );
        if let Some(c) = &self.cookie {
            h.push_str(&format!("Cookie: {c}\r\n"));
        }
        for (k, v) in headers {
            h.push_str(&format!("{k}: {v}\r\n"));
        }
        for (k, v) in &self.extra {
            h.push_str(&format!("{k}: {v}\r\n"));
        }
        h.push_str("\r\n");
        h
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.write_all(self.head(method, path, headers, body.len()).as_bytes())
            .unwrap();
        s.write_all(body).unwrap();
        let mut raw = vec![];
        s.read_to_end(&mut raw).unwrap();
        let r = parse_response(&raw);
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap_or("").trim().to_string();
                if pair.ends_with('=') || v.contains("Max-Age=0") {
                    self.cookie = None;
                } else {
                    self.cookie = Some(pair);
                }
            }
        }
        r
    }

    /// Send the head and only the first `sent` bytes of `body`, then close.
    pub fn cut_request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        sent: usize,
    ) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.write_all(self.head(method, path, headers, body.len()).as_bytes())
            .unwrap();
        s.write_all(&body[..sent]).unwrap();
        s.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        drop(s);
    }

    pub fn get(&mut self, path: &str) -> Resp {
        self.request("GET", path, &[], b"")
    }

    pub fn post_json(&mut self, path: &str, v: &serde_json::Value) -> Resp {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            v.to_string().as_bytes(),
        )
    }

    /// `POST` a multipart form: text fields and an optional file field `file`.
    pub fn post_form(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Resp {
        let (ct, body) = multipart(fields, file);
        self.request("POST", path, &[("Content-Type", &ct)], &body)
    }
}

pub const BOUNDARY: &str = "loa-test-boundary-7d1c";

/// A `multipart/form-data` body and its content type.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let mut b = vec![];
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, data)) = file {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), b)
}

fn parse_response(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = vec![];
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16).unwrap();
            rest = &rest[nl + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// Every file under `dir` (recursively), for "nothing was left" checks.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
