//! Who is on the other end of a control connection, and whether they may
//! command the daemon: root, the daemon's own user, or a member of its group.
//!
//! Reads SO_PEERCRED, `/proc/PID/status` and `/etc/passwd`/`/etc/group`;
//! never changes anything.

use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;

/// The credentials of a connected client (from SO_PEERCRED, at connect time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
}

impl Peer {
    /// The credentials of the process at the other end of `stream`.
    pub fn of(stream: &UnixStream) -> std::io::Result<Peer> {
        let mut cred = libc::ucred {
            pid: 0,
            uid: 0,
            gid: 0,
        };
        let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
        // SAFETY: `cred` and `len` are valid for writes of the sizes given, and
        // the fd is open for the duration of the call (borrowed from `stream`).
        let rc = unsafe {
            libc::getsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_PEERCRED,
                (&mut cred as *mut libc::ucred).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Peer {
            uid: cred.uid,
            gid: cred.gid,
            pid: cred.pid,
        })
    }

    /// "uid 1000 (nguyen) pid 4242"; the name is left out when unknown.
    pub fn describe(&self) -> String {
        match user_name(self.uid) {
            Some(name) => format!("uid {} ({name}) pid {}", self.uid, self.pid),
            None => format!("uid {} pid {}", self.uid, self.pid),
        }
    }

    /// The peer's supplementary groups, from `/proc/PID/status` (empty if
    /// the process is gone or the file unreadable).
    pub fn groups(&self) -> Vec<u32> {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .map(|s| parse_groups(&s))
            .unwrap_or_default()
    }
}

/// May `peer` command a daemon running as `daemon_uid`/`daemon_gid`?
/// Root, the daemon's own user, and members of the daemon's group may.
pub fn allowed(peer: &Peer, daemon_uid: u32, daemon_gid: u32, peer_groups: &[u32]) -> bool {
    peer.uid == 0
        || peer.uid == daemon_uid
        || peer.gid == daemon_gid
        || peer_groups.contains(&daemon_gid)
}

/// The daemon's effective uid and gid.
pub(crate) fn own_ids() -> (u32, u32) {
    // SAFETY: geteuid/getegid cannot fail and touch no memory.
    unsafe { (libc::geteuid(), libc::getegid()) }
}

/// The message a refused peer gets.
pub(crate) fn refusal(peer: &Peer, daemon_gid: u32) -> String {
    let group = match group_name(daemon_gid) {
        Some(g) => format!("group {g} (gid {daemon_gid})"),
        None => format!("gid {daemon_gid}"),
    };
    format!(
        "permission denied: {} is neither root, nor loa's user, nor in {group}; \
         run as root or add the user to that group",
        peer.describe()
    )
}

/// The `Groups:` line of a `/proc/PID/status` file.
fn parse_groups(status: &str) -> Vec<u32> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Groups:"))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|g| g.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn user_name(uid: u32) -> Option<String> {
    name_by_id(&std::fs::read_to_string("/etc/passwd").ok()?, uid)
}

fn group_name(gid: u32) -> Option<String> {
    name_by_id(&std::fs::read_to_string("/etc/group").ok()?, gid)
}

/// Look up `id` in a passwd/group style file (`name:x:id:...`).
fn name_by_id(file: &str, id: u32) -> Option<String> {
    file.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        let _password = f.next()?;
        let this: u32 = f.next()?.parse().ok()?;
        (this == id && !name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Peer = Peer {
        uid: 1000,
        gid: 1000,
        pid: 42,
    };

    #[test]
    fn who_is_allowed() {
        // Daemon runs as loa (uid 990, gid 991).
        assert!(allowed(&Peer { uid: 0, ..P }, 990, 991, &[]));
        assert!(allowed(&Peer { uid: 990, ..P }, 990, 991, &[]));
        assert!(allowed(&Peer { gid: 991, ..P }, 990, 991, &[]));
        assert!(allowed(&P, 990, 991, &[27, 991, 1000]));
        assert!(!allowed(&P, 990, 991, &[]));
        assert!(!allowed(&P, 990, 991, &[27, 29, 1000]));
        // A daemon running as root: only root and group root.
        assert!(!allowed(&P, 0, 0, &[1000]));
        assert!(allowed(&P, 0, 0, &[0]));
    }

    #[test]
    fn groups_from_proc_status() {
        let s = "Name:\tloa\nUid:\t1000\t1000\t1000\t1000\nGroups:\t4 24 27 991 \nNgid:\t0\n";
        assert_eq!(parse_groups(s), vec![4, 24, 27, 991]);
        assert_eq!(parse_groups("Name:\tx\nGroups:\t\n"), Vec::<u32>::new());
        assert_eq!(parse_groups("Name:\tx\n"), Vec::<u32>::new());
        // Our own process: the line exists and parses.
        let me = Peer {
            uid: 0,
            gid: 0,
            pid: std::process::id() as i32,
        };
        let ours = std::fs::read_to_string("/proc/self/status").unwrap();
        assert_eq!(me.groups(), parse_groups(&ours));
    }

    #[test]
    fn names_from_files() {
        let passwd =
            "root:x:0:0:root:/root:/bin/bash\n# c\nbad\nnguyen:x:1000:1000::/home/n:/bin/sh\n";
        assert_eq!(name_by_id(passwd, 1000).as_deref(), Some("nguyen"));
        assert_eq!(name_by_id(passwd, 0).as_deref(), Some("root"));
        assert_eq!(name_by_id(passwd, 7), None);
    }

    #[test]
    fn describe_and_refusal() {
        let p = Peer {
            uid: 4_000_000_001,
            gid: 4_000_000_001,
            pid: 4242,
        };
        assert_eq!(p.describe(), "uid 4000000001 pid 4242");
        assert_eq!(
            refusal(&p, 4_000_000_002),
            "permission denied: uid 4000000001 pid 4242 is neither root, nor loa's user, \
             nor in gid 4000000002; run as root or add the user to that group"
        );
        let root = Peer {
            uid: 0,
            gid: 0,
            pid: 1,
        };
        assert_eq!(root.describe(), "uid 0 (root) pid 1");
    }
}
