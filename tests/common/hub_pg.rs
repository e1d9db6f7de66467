//! A private PostgreSQL cluster for hub tests: `initdb` in a temp folder,
//! `pg_ctl start` listening only on a Unix socket in that folder (no TCP
//! port, nothing shared with other tests or a system cluster), stopped and
//! removed on drop. As root, the server runs as the `postgres` user.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = "/usr/lib/postgresql/15/bin";
const PORT: u16 = 5432;

pub struct PgCluster {
    dir: tempfile::TempDir,
}

/// Whether the PostgreSQL server binaries are installed.
pub fn available() -> bool {
    Path::new(BIN).join("initdb").exists()
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

fn as_postgres(bin: &str) -> Command {
    let path = Path::new(BIN).join(bin);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    }
}

fn run(mut c: Command, what: &str) {
    let o = c
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

impl PgCluster {
    pub fn start() -> PgCluster {
        assert!(
            available(),
            "PostgreSQL is not installed ({BIN}): apt-get install postgresql"
        );
        let dir = tempfile::Builder::new().prefix("loa-pg").tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let data = dir.path().join("data");
        let mut init = as_postgres("initdb");
        init.arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "loa", "-E", "UTF8", "--no-sync"]);
        run(init, "initdb");
        let c = PgCluster { dir };
        c.start_again();
        let mut create = Command::new(Path::new(BIN).join("psql"));
        create.args(["-h"]).arg(c.socket_dir()).args([
            "-p",
            &PORT.to_string(),
            "-U",
            "loa",
            "-d",
            "postgres",
            "-c",
            "CREATE DATABASE hub",
        ]);
        run(create, "CREATE DATABASE");
        c
    }

    /// `pg_ctl start` (again, after `stop_fast`), waiting until it accepts connections.
    pub fn start_again(&self) {
        let mut start = as_postgres("pg_ctl");
        start
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .arg("-l")
            .arg(self.dir.path().join("pg.log"))
            .arg("-o")
            .arg(format!(
                "-k {} -p {PORT} -c listen_addresses='' -c fsync=off",
                self.dir.path().display()
            ))
            .args(["-w", "start"]);
        run(start, "pg_ctl start");
    }

    /// `pg_ctl stop -m fast`: the server ends every connection and stops.
    pub fn stop_fast(&self) {
        let mut stop = as_postgres("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "fast", "-w", "stop"]);
        run(stop, "pg_ctl stop");
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// `postgres://loa@localhost/hub?host=SOCKETDIR&port=5432`.
    pub fn url(&self) -> String {
        format!(
            "postgres://loa@localhost/hub?host={}&port={PORT}",
            self.socket_dir().display()
        )
    }

    /// Run SQL with psql; returns its unaligned output.
    pub fn psql(&self, sql: &str) -> String {
        let o = Command::new(Path::new(BIN).join("psql"))
            .arg("-h")
            .arg(self.socket_dir())
            .args([
                "-p",
                &PORT.to_string(),
                "-U",
                "loa",
                "-d",
                "hub",
                "-At",
                "-c",
                sql,
            ])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let mut stop = as_postgres("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        let _ = stop.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}
