//! Server and client together over real sockets in a temp directory.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use super::status::sample;
use super::*;

const T: Duration = Duration::from_secs(5);

fn dir() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = socket_path(d.path());
    (d, p)
}

/// Echoes what it got: status → the sample; play → its target and the peer.
fn echo() -> Dispatch {
    Arc::new(|req: Request, peer: Peer| match req {
        Request::Status => Reply::status(&sample()),
        Request::Play { target, priority } => Reply::ok(json!({
            "occurrence": format!("{target}@now"),
            "priority": priority, "uid": peer.uid, "pid": peer.pid,
        })),
        Request::Stop => panic!("boom"),
        Request::Reload => Reply::err_with(2, "invalid config", json!({"errors": ["x:1:1: bad"]})),
    })
}

fn play(t: &str) -> Request {
    Request::Play {
        target: t.into(),
        priority: None,
    }
}

#[test]
fn socket_path_is_in_state_dir() {
    assert_eq!(
        socket_path(Path::new("/var/lib/loa")),
        PathBuf::from("/var/lib/loa/control.sock")
    );
}

#[test]
fn status_and_peer_reach_dispatch() {
    let (_d, path) = dir();
    let _srv = Server::start(&path, echo()).unwrap();
    let r = request(&path, &Request::Status, T).unwrap();
    assert!(r.ok);
    assert_eq!(r.to_status().unwrap(), sample());

    let r = request(&path, &play("sang"), T).unwrap();
    let (uid, _) = peer::own_ids();
    assert_eq!(
        r.data,
        json!({"occurrence": "sang@now", "priority": null, "uid": uid,
               "pid": std::process::id()})
    );
    let r = request(&path, &Request::Reload, T).unwrap();
    assert_eq!((r.ok, r.exit_code()), (false, 2));
    assert_eq!(r.data, json!({"errors": ["x:1:1: bad"]}));
}

#[test]
fn several_requests_per_connection_and_bad_lines() {
    let (_d, path) = dir();
    let _srv = Server::start(&path, echo()).unwrap();
    let mut c = Client::connect(&path, T).unwrap();
    assert_eq!(c.call(&play("a")).unwrap().data["occurrence"], "a@now");
    // A panicking handler answers with an error and the connection lives on.
    let r = c.call(&Request::Stop).unwrap();
    assert_eq!(
        r,
        Reply::err(1, "loa failed while handling `stop`; see its log")
    );
    assert_eq!(c.call(&play("b")).unwrap().data["occurrence"], "b@now");

    // Raw lines: blank lines are skipped, garbage gets an error, then more work.
    let s = UnixStream::connect(&path).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    (&s).write_all(b"\n{\"cmd\":\"dance\"}\n{\"cmd\":\"play\",\"target\":\"c\"}\n")
        .unwrap();
    let mut r = BufReader::new(&s);
    let mut l = String::new();
    r.read_line(&mut l).unwrap();
    let bad: Reply = serde_json::from_str(&l).unwrap();
    assert_eq!((bad.ok, bad.code), (false, Some(1)));
    assert!(
        bad.error
            .as_deref()
            .unwrap()
            .starts_with("bad request: unknown variant `dance`"),
        "{l}"
    );
    l.clear();
    r.read_line(&mut l).unwrap();
    assert!(
        l.starts_with("{\"ok\":true,\"occurrence\":\"c@now\""),
        "{l}"
    );
}

#[test]
fn twenty_concurrent_clients() {
    let (_d, path) = dir();
    let _srv = Server::start(&path, echo()).unwrap();
    let go = Arc::new(Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let (path, go) = (path.clone(), go.clone());
            std::thread::spawn(move || {
                go.wait();
                request(&path, &play(&format!("p{i}")), T).map(|r| r.data["occurrence"].clone())
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.join().unwrap().unwrap(), json!(format!("p{i}@now")));
    }
}

#[test]
fn silent_client_blocks_nobody() {
    let (_d, path) = dir();
    let _srv = Server::start(&path, echo()).unwrap();
    let silent = UnixStream::connect(&path).unwrap();
    let t0 = Instant::now();
    let r = request(&path, &Request::Status, T).unwrap();
    assert!(r.ok);
    assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
    // The silent one is still connected (not answered, not closed).
    silent.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 8];
    let e = (&silent).read(&mut buf).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
}

#[test]
fn slow_dispatch_blocks_only_its_client() {
    let (_d, path) = dir();
    let gate = Arc::new(Mutex::new(()));
    let held = gate.lock().unwrap();
    let g2 = gate.clone();
    let d: Dispatch = Arc::new(move |req, _| {
        if req == play("slow") {
            let _wait = g2.lock().unwrap();
        }
        Reply::ok(json!({"req": req.name()}))
    });
    let _srv = Server::start(&path, d).unwrap();
    let p2 = path.clone();
    let slow = std::thread::spawn(move || request(&p2, &play("slow"), T).unwrap());
    let t0 = Instant::now();
    assert_eq!(
        request(&path, &Request::Status, T).unwrap().data,
        json!({"req": "status"})
    );
    assert!(t0.elapsed() < Duration::from_secs(1));
    drop(held);
    assert_eq!(slow.join().unwrap().data, json!({"req": "play"}));
}

#[test]
fn overlong_line_is_refused_and_closed() {
    let (_d, path) = dir();
    let _srv = Server::start(&path, echo()).unwrap();
    let s = UnixStream::connect(&path).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    let mut big = vec![b'a'; 70_000];
    big.push(b'\n');
    let _ = (&s).write_all(&big);
    let mut r = BufReader::new(&s);
    let mut l = String::new();
    r.read_line(&mut l).unwrap();
    assert_eq!(
        l,
        "{\"ok\":false,\"error\":\"request too long: over 65536 bytes without a newline\",\"code\":1}\n"
    );
    l.clear();
    // Closed: end of stream (or a reset, since our bytes went unread).
    assert!(matches!(r.read_line(&mut l), Ok(0) | Err(_)));
    assert_eq!(l, "");
    // The server still serves others.
    assert!(request(&path, &Request::Status, T).unwrap().ok);
}

#[test]
fn over_the_connection_cap_is_refused() {
    let (_d, path) = dir();
    let limits = Limits {
        max_connections: 2,
        slot_wait: Duration::from_millis(50),
        ..Limits::default()
    };
    let _srv = Server::start_with(&path, echo(), limits).unwrap();
    let a = UnixStream::connect(&path).unwrap();
    let b = UnixStream::connect(&path).unwrap();
    let r = request(&path, &Request::Status, T).unwrap();
    assert_eq!(
        r,
        Reply::err(1, "loa is busy: 2 control connections are open; try again")
    );
    drop((a, b));
    // Slots free up once those close.
    let t0 = Instant::now();
    loop {
        let r = request(&path, &Request::Status, T).unwrap();
        if r.ok {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(2), "slots never freed");
    }
}

#[test]
fn socket_mode_is_0660_and_drop_removes_it() {
    let (_d, path) = dir();
    let srv = Server::start(&path, echo()).unwrap();
    assert_eq!(srv.path(), path.as_path());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o660);
    let t0 = Instant::now();
    drop(srv);
    assert!(t0.elapsed() < Duration::from_secs(1));
    assert!(!path.exists());
    match request(&path, &Request::Status, T) {
        Err(ClientError::NoDaemon { stale: false, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn stale_socket_is_replaced() {
    let (_d, path) = dir();
    drop(UnixListener::bind(&path).unwrap()); // leaves the file, nobody listening
    match request(&path, &Request::Status, T) {
        Err(e @ ClientError::NoDaemon { stale: true, .. }) => assert_eq!(
            e.to_string(),
            format!(
                "loa is not running (nothing answers on its control socket {}): \
                 start it with `systemctl start loa` or `loa run`",
                path.display()
            )
        ),
        other => panic!("{other:?}"),
    }
    let _srv = Server::start(&path, echo()).unwrap();
    assert!(request(&path, &Request::Status, T).unwrap().ok);
}

#[test]
fn live_socket_and_plain_file_are_refused() {
    let (_d, path) = dir();
    let _srv = Server::start(&path, echo()).unwrap();
    match Server::start(&path, echo()) {
        Err(e @ ControlError::AlreadyRunning(_)) => assert!(e
            .to_string()
            .starts_with("another loa is running: it answers on the control socket")),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("second server started"),
    }
    // The first one is unharmed.
    assert!(request(&path, &Request::Status, T).unwrap().ok);

    let (_d2, file) = dir();
    std::fs::write(&file, "keep me").unwrap();
    assert!(matches!(
        Server::start(&file, echo()),
        Err(ControlError::NotASocket(_))
    ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn client_errors() {
    let (_d, path) = dir();
    let e = request(&path, &Request::Status, T).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "loa is not running (no control socket at {}): \
             start it with `systemctl start loa` or `loa run`",
            path.display()
        )
    );
    let e = ClientError::PermissionDenied {
        path: "/var/lib/loa/control.sock".into(),
    };
    assert_eq!(
        e.to_string(),
        "cannot reach loa's control socket /var/lib/loa/control.sock: permission denied — \
         run as root or as a member of the loa group"
    );

    // A listener that never answers: Timeout.
    let l = UnixListener::bind(&path).unwrap();
    let t0 = Instant::now();
    match request(&path, &Request::Status, Duration::from_millis(100)) {
        Err(ClientError::Timeout { after, .. }) => {
            assert_eq!(after, Duration::from_millis(100))
        }
        other => panic!("{other:?}"),
    }
    assert!(t0.elapsed() < Duration::from_secs(2));
    drop(l);
    std::fs::remove_file(&path).unwrap();

    // A listener that answers nonsense: Protocol.
    let l = UnixListener::bind(&path).unwrap();
    let srv = std::thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        let mut line = String::new();
        BufReader::new(&s).read_line(&mut line).unwrap();
        (&s).write_all(b"hello\n").unwrap();
        line
    });
    match request(&path, &Request::Stop, T) {
        Err(e @ ClientError::Protocol { .. }) => {
            assert!(e.to_string().contains("in \"hello\""), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(srv.join().unwrap(), "{\"cmd\":\"stop\"}\n");
}

/// A client running as user nobody (fork + setuid) is refused by a daemon
/// running as root, even on a socket anyone may open.
#[test]
fn nobody_is_refused() {
    if peer::own_ids() != (0, 0) {
        eprintln!("skipped: needs root to become nobody");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = socket_path(d.path());
    let _srv = Server::start(&path, echo()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();

    let out = as_user_request(&path, 65534, 65534, b"{\"cmd\":\"status\"}\n").unwrap();
    let reply: Reply = serde_json::from_slice(&out).unwrap();
    assert!(!reply.ok);
    assert_eq!(reply.code, Some(1));
    let msg = reply.error.unwrap();
    assert!(msg.starts_with("permission denied: uid 65534"), "{msg}");
    assert!(
        msg.ends_with("run as root or add the user to that group"),
        "{msg}"
    );
    // And root still gets in.
    assert!(request(&path, &Request::Status, T).unwrap().ok);
}

/// Send `line` to the socket at `path` from a forked child running as
/// `uid`/`gid` (no supplementary groups) and return the first reply line.
/// Test-only; needs root. The child uses only async-signal-safe calls.
pub(crate) fn as_user_request(
    path: &Path,
    uid: u32,
    gid: u32,
    line: &[u8],
) -> Result<Vec<u8>, String> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    // SAFETY: plain C structs, zero is a valid value for all of them.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    if bytes.len() >= addr.sun_path.len() {
        return Err("socket path too long".into());
    }
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, s) in addr.sun_path.iter_mut().zip(bytes) {
        *d = *s as libc::c_char;
    }
    let addr_len = std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds has room for two descriptors.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err("pipe failed".into());
    }
    // SAFETY: after fork the child only calls async-signal-safe functions on
    // memory prepared before the fork, then _exit()s.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err("fork failed".into());
    }
    if pid == 0 {
        unsafe {
            libc::close(fds[0]);
            libc::alarm(5);
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(gid) != 0
                || libc::setuid(uid) != 0
            {
                libc::_exit(10);
            }
            let s = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
            if s < 0 {
                libc::_exit(11);
            }
            if libc::connect(s, (&addr as *const libc::sockaddr_un).cast(), addr_len) != 0 {
                libc::_exit(12);
            }
            if libc::write(s, line.as_ptr().cast(), line.len()) != line.len() as isize {
                libc::_exit(13);
            }
            let mut buf = [0u8; 4096];
            let mut n = 0usize;
            while n < buf.len() {
                let r = libc::read(s, buf.as_mut_ptr().add(n).cast(), buf.len() - n);
                if r <= 0 {
                    break;
                }
                n += r as usize;
                if buf[..n].contains(&b'\n') {
                    break;
                }
            }
            libc::write(fds[1], buf.as_ptr().cast(), n);
            libc::_exit(0);
        }
    }
    // SAFETY: fds[1] is ours to close; fds[0] is handed to a File that owns it.
    unsafe { libc::close(fds[1]) };
    let mut out = Vec::new();
    let mut f = unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fds[0]) };
    let _ = f.read_to_end(&mut out);
    let mut status = 0;
    // SAFETY: pid is our child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("child failed: wait status {status}"));
    }
    Ok(out)
}
