//! A full disk (a small tmpfs mounted over the state folder, or over the
//! feed folder only): an upload is refused with 507 and the reason, its temp
//! file removed, nothing recorded; a re-sign that cannot write keeps the old
//! feed served intact and the approval says so; once space is freed the next
//! re-sign succeeds. Needs root (mount); skipped with a message elsewhere,
//! except in CI.

use super::*;
use std::path::PathBuf;

const DISK_FULL_VI: &str = "Máy chủ hết dung lượng đĩa";

/// A tmpfs of `size` mounted over `dir` (its contents copied in); unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// None (with a message) when mounting is impossible outside CI.
    fn over(dir: &Path, size: &str) -> Option<Tmpfs> {
        let aside = dir.with_extension("orig");
        std::fs::rename(dir, &aside).unwrap();
        std::fs::create_dir(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            std::fs::remove_dir(dir).unwrap();
            std::fs::rename(&aside, dir).unwrap();
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "cannot mount a tmpfs (needs root or CAP_SYS_ADMIN)"
            );
            eprintln!(
                "SKIPPED: cannot mount a tmpfs over {} (not root?)",
                dir.display()
            );
            return None;
        }
        let cp = Command::new("cp")
            .arg("-a")
            .arg(format!("{}/.", aside.display()))
            .arg(dir)
            .status()
            .unwrap();
        assert!(cp.success());
        Some(Tmpfs {
            dir: dir.to_path_buf(),
        })
    }

    fn free(&self) -> u64 {
        let c = std::ffi::CString::new(self.dir.to_string_lossy().as_bytes()).unwrap();
        let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::statvfs(c.as_ptr(), &mut s) }, 0);
        s.f_bavail * s.f_frsize
    }

    /// Fill it until only about `left` bytes are free.
    fn fill(&self, left: u64) -> PathBuf {
        let p = self.dir.join("filler");
        let n = self.free().saturating_sub(left);
        std::fs::write(&p, vec![0x55u8; n as usize]).unwrap();
        p
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

#[test]
fn a_full_disk_refuses_an_upload_and_keeps_nothing() {
    let mut hub = start(Backend::Sqlite);
    hub.stop();
    let Some(fs) = Tmpfs::over(&hub.state(), "16m") else {
        return;
    };
    respawn(&mut hub);
    let mut ed = hub.login("bientap", "mat-khau-bien-tap");
    let rows = hub.sql("SELECT COUNT(*) FROM clips");
    let audit_rows = hub.sql("SELECT COUNT(*) FROM audit");
    let filler = fs.fill(256 * 1024);
    let data = wav(&hub, "dai.wav", 6.0); // 1.1 MB
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "tin-day"),
            ("title", "Tin"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", &data)),
    );
    assert_eq!(r.status, 507, "{}", r.text());
    let (vi, en) = reasons(&r);
    assert!(vi.starts_with(DISK_FULL_VI), "{vi}");
    assert!(en.contains("disk is full"), "{en}");
    assert_eq!(hub.sql("SELECT COUNT(*) FROM clips"), rows);
    assert_eq!(hub.sql("SELECT COUNT(*) FROM audit"), audit_rows);
    nothing_half_written(&hub);
    feed_verifies(&hub);

    // Space freed: the same upload is stored.
    std::fs::remove_file(filler).unwrap();
    let r = ed.post_form(
        "/api/v1/clips",
        &[
            ("id", "tin-day"),
            ("title", "Tin"),
            ("category", "tin-tuc"),
            ("areas", "22936"),
        ],
        Some(("a.wav", &data)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    nothing_half_written(&hub);
    audit_ok(&mut hub);
    hub.stop();
}

/// The signed feed lives in the database (`hub::store`); `STATE/feed/` is a
/// cache for nginx. A full disk under that cache must not stop an approval
/// nor leave a half-written file: stations fetch the new feed from the
/// database at once, and the cache catches up once there is space.
#[test]
fn a_full_disk_during_a_resign_keeps_the_old_feed() {
    let mut hub = start(Backend::Sqlite);
    let first = upload(&hub, "tin-mot", 1.0);
    assert_eq!(approve(&hub, &first).status, 200);
    let second = upload(&hub, "tin-hai", 6.0);
    let third = upload(&hub, "tin-ba", 1.0);
    hub.stop();
    // Only the feed folder is small: the database and the uploads have room,
    // so the approval commits and the cache's copy is what fails.
    let Some(fs) = Tmpfs::over(&hub.feed_dir(), "8m") else {
        return;
    };
    respawn(&mut hub);
    let before = std::fs::read(hub.feed_dir().join("manifest.json")).unwrap();
    let filler = fs.fill(128 * 1024);
    let r = approve(&hub, &second);
    assert_eq!(r.status, 200, "{}", r.text());
    // What stations fetch has it, signed, straight from the database.
    let mut c = hub.client();
    let served = c.get("/feed/manifest.json");
    assert_eq!(served.status, 200);
    let sig = c.get("/feed/manifest.json.minisig");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.json"), &served.body).unwrap();
    std::fs::write(dir.path().join("m.json.minisig"), &sig.body).unwrap();
    assert!(minisign_ok(
        &hub,
        &dir.path().join("m.json"),
        &dir.path().join("m.json.minisig")
    ));
    let ids: serde_json::Value = serde_json::from_slice(&served.body).unwrap();
    assert_eq!(ids["clips"].as_array().unwrap().len(), 2, "{ids}");
    // The cache is the old feed, whole, still verifying; nothing half-written.
    assert_eq!(
        std::fs::read(hub.feed_dir().join("manifest.json")).unwrap(),
        before
    );
    feed_verifies(&hub);
    nothing_half_written(&hub);

    // Space freed: the next publish brings the cache up to the database.
    std::fs::remove_file(filler).unwrap();
    let r = approve(&hub, &third);
    assert_eq!(r.status, 200, "{}", r.text());
    let mut ids = manifest_ids(&hub);
    ids.sort();
    assert_eq!(ids, vec![third, second, first]);
    feed_verifies(&hub);
    nothing_half_written(&hub);
    audit_ok(&mut hub);
    hub.stop();
}
