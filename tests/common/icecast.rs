//! A real Icecast 2 (Debian `icecast2`) on 127.0.0.1 with a config in a temp
//! folder — dropping to the `icecast2` user when run as root — fed live by `ffmpeg
//! -re` with a sine tone (MP3 or Ogg Vorbis). Both stopped on drop, by pid.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PW: &str = "loa-test-pw";

/// Whether icecast2 and ffmpeg are installed; under CI they must be.
pub fn required_or_skip(test: &str) -> bool {
    let ok = Path::new("/usr/bin/icecast2").exists() && Path::new("/usr/bin/ffmpeg").exists();
    if ok {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: icecast2 or ffmpeg is missing, and CI=true requires them");
    }
    eprintln!("{test}: SKIPPED — apt-get install --no-install-recommends icecast2 ffmpeg");
    false
}

pub struct Icecast {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn wait_port(port: u16, what: &str) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{what} did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Icecast {
    pub fn start() -> Icecast {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let root = unsafe { libc::geteuid() } == 0;
        let log = dir.path().join("log");
        std::fs::create_dir_all(&log).unwrap();
        let owner = if root {
            // Icecast refuses to run as root: it drops to its own user, which must
            // reach its log folder.
            let _ = Command::new("chown")
                .args(["-R", "icecast2:icecast"])
                .arg(dir.path())
                .status();
            "<security><chroot>0</chroot><changeowner><user>icecast2</user><group>icecast</group></changeowner></security>"
        } else {
            ""
        };
        let cfg = format!(
            r#"<icecast>
  <limits><clients>100</clients><sources>4</sources><burst-size>65535</burst-size><source-timeout>10</source-timeout></limits>
  <authentication><source-password>{PW}</source-password><admin-user>admin</admin-user><admin-password>{PW}</admin-password></authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths><basedir>/usr/share/icecast2</basedir><logdir>{log}</logdir><webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
  {owner}
</icecast>"#,
            log = log.display()
        );
        let path = dir.path().join("icecast.xml");
        std::fs::write(&path, cfg).unwrap();
        if root {
            let _ = Command::new("chown")
                .args(["icecast2:icecast"])
                .arg(&path)
                .status();
        }
        let child = Command::new("/usr/bin/icecast2")
            .arg("-c")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start icecast2");
        wait_port(port, "icecast2");
        Icecast { child, port, dir }
    }

    pub fn url(&self, mount: &str) -> String {
        format!("http://127.0.0.1:{}{mount}", self.port)
    }

    /// A live source on `mount`: a `hz` sine, `ogg` or MP3 at 128 kbit/s, paced by
    /// `ffmpeg -re`. Returns once Icecast lists the mount.
    pub fn source(&self, mount: &str, hz: u32, ogg: bool) -> Source {
        let (codec, fmt, ctype) = if ogg {
            ("libvorbis", "ogg", "application/ogg")
        } else {
            ("libmp3lame", "mp3", "audio/mpeg")
        };
        let child = Command::new("ffmpeg")
            .args([
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-f",
                "lavfi",
                "-i",
            ])
            .arg(format!("sine=frequency={hz}:sample_rate=44100"))
            .args([
                "-af",
                "volume=0.3",
                "-ac",
                "2",
                "-c:a",
                codec,
                "-b:a",
                "128k",
            ])
            .args(["-content_type", ctype, "-f", fmt])
            .arg(format!(
                "icecast://source:{PW}@127.0.0.1:{}{mount}",
                self.port
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ffmpeg");
        let src = Source { child };
        let t = Instant::now();
        loop {
            let st = Command::new("curl")
                .args([
                    "-s",
                    "-o",
                    "/dev/null",
                    "-m",
                    "1",
                    "-w",
                    "%{http_code}",
                    "-r",
                    "0-0",
                ])
                .arg(self.url(mount))
                .output();
            if st.is_ok_and(|o| o.stdout.starts_with(b"200")) {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "mount {mount} never came up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        src
    }

    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for Icecast {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An `ffmpeg` source; killed on drop.
pub struct Source {
    child: Child,
}

impl Source {
    /// Kill the source now (Icecast drops its listeners).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
