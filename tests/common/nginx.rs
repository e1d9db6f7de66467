//! A real nginx on 127.0.0.1 serving a folder, for feed end-to-end tests and
//! benchmarks. Started with its own prefix and config; stopped on drop.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Nginx {
    child: Child,
    pub port: u16,
    pub root: PathBuf,
    pub access_log: PathBuf,
}

/// Whether nginx is installed; under CI it must be (.ci/run installs it).
pub fn required_or_skip(test: &str) -> bool {
    if Path::new("/usr/sbin/nginx").exists() {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: nginx is not installed, and CI=true requires it (apt-get install nginx)");
    }
    eprintln!(
        "{test}: SKIPPED — nginx is not installed (apt-get install --no-install-recommends nginx)"
    );
    false
}

impl Nginx {
    pub fn start(root: &Path, prefix: &Path) -> Nginx {
        Nginx::start_with(root, prefix, None)
    }

    /// `limit_rate`: e.g. "1m" (bytes per second per connection), to make
    /// downloads slow enough to cut.
    pub fn start_with(root: &Path, prefix: &Path, limit_rate: Option<&str>) -> Nginx {
        std::fs::create_dir_all(prefix.join("logs")).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let access_log = prefix.join("logs/access.log");
        let conf = format!(
            "daemon off;\nmaster_process off;\nuser root;\npid {p}/nginx.pid;\nerror_log {p}/logs/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  log_format loa '$status $request_length $bytes_sent \"$http_range\" \"$request\"';\n  access_log {log} loa;\n  {rate}\n  client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n  \
             fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n  \
             types {{ application/json json; audio/mpeg mp3; audio/ogg ogg; audio/wav wav; audio/flac flac; }}\n  \
             server {{ listen 127.0.0.1:{port}; root {root}; }}\n}}\n",
            p = prefix.display(),
            log = access_log.display(),
            root = root.display(),
            rate = limit_rate.map(|r| format!("limit_rate {r};")).unwrap_or_default()
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .args(["-p"])
            .arg(prefix)
            .arg("-c")
            .arg(&conf_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(t.elapsed() < Duration::from_secs(10), "nginx did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            child,
            port,
            root: root.to_path_buf(),
            access_log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// (status, request bytes, response bytes, range header, request line) per request.
    pub fn log(&self) -> Vec<(u16, u64, u64, String, String)> {
        self.requests()
            .iter()
            .filter_map(|l| {
                let mut it = l.splitn(4, ' ');
                let status = it.next()?.parse().ok()?;
                let req = it.next()?.parse().ok()?;
                let sent = it.next()?.parse().ok()?;
                let rest = it.next()?;
                let (range, request) = rest.split_once("\" \"")?;
                Some((
                    status,
                    req,
                    sent,
                    range.trim_start_matches('"').to_string(),
                    request.trim_end_matches('"').to_string(),
                ))
            })
            .collect()
    }

    /// Lines of the access log (one per request).
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.access_log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
