//! The station's own programs as the hub sees them: the `[[program]]` tables
//! of the station's config file, re-written as TOML with any user:password in
//! a stream URL masked, and their SHA-256. The heartbeat always carries the
//! digest and carries the text only when the hub holds another, so a 3G link
//! pays for the text once per change. The hub draws them in the week picture.

use std::path::Path;

use sha2::{Digest, Sha256};

/// Own programs bigger than this are not sent (the hub takes heartbeats up to 128 KiB).
pub const MAX_OWN_PROGRAMS: usize = 32 * 1024;

/// The programs text and its SHA-256 (hex); both empty-text when the file has
/// none, cannot be read, or is too big to send.
pub fn own_programs(config: &Path) -> (String, String) {
    let text = std::fs::read_to_string(config)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|mut t| t.remove("program"))
        .map(|mut programs| {
            mask_userinfo(&mut programs);
            let mut out = toml::Table::new();
            out.insert("program".into(), programs);
            toml::to_string(&out).unwrap_or_default()
        })
        .unwrap_or_default();
    let text = if text.len() > MAX_OWN_PROGRAMS {
        tracing::warn!(
            "hub link: the config's programs are {} bytes, over {MAX_OWN_PROGRAMS}: the hub's week picture will not show them",
            text.len()
        );
        String::new()
    } else {
        text
    };
    let sha = hex::encode(Sha256::digest(text.as_bytes()));
    (text, sha)
}

/// `http(s)://user:pass@host/…` → `http(s)://***@host/…`, anywhere inside.
fn mask_userinfo(v: &mut toml::Value) {
    match v {
        toml::Value::String(s) => {
            if let Some(rest) = s
                .strip_prefix("http://")
                .map(|r| ("http://", r))
                .or_else(|| s.strip_prefix("https://").map(|r| ("https://", r)))
            {
                let (scheme, r) = rest;
                let authority = r.split(['/', '?', '#']).next().unwrap_or("");
                if let Some(at) = authority.rfind('@') {
                    *s = format!("{scheme}***{}", &r[at..]);
                }
            }
        }
        toml::Value::Array(a) => a.iter_mut().for_each(mask_userinfo),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| mask_userinfo(v)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_only_with_credentials_masked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("loa.toml");
        std::fs::write(
            &p,
            "[station]\nname = \"Xã\"\ntimezone = \"Asia/Ho_Chi_Minh\"\n\n[output]\ndevice = \"null\"\n\n\
             [[program]]\nid = \"sang\"\nat = [\"05:00\"]\n\
             play = [\"a.ogg\", { stream = \"http://dai:mat-khau@radio.vn:8000/vov1?x=@y\", duration = \"5m\", fallback = [\"b.ogg\"] }]\n\n\
             [[program]]\nid = \"chieu\"\nat = [\"17:00\"]\nplay = [{ stream = \"https://radio.vn/a@b\", duration = \"1m\" }]\n",
        )
        .unwrap();
        let (text, sha) = own_programs(&p);
        assert!(
            !text.contains("[station]") && !text.contains("[output]"),
            "{text}"
        );
        assert!(!text.contains("mat-khau"), "{text}");
        assert!(
            text.contains("http://***@radio.vn:8000/vov1?x=@y"),
            "{text}"
        );
        assert!(
            text.contains("https://radio.vn/a@b"),
            "an @ in the path is not userinfo: {text}"
        );
        let back: toml::Table = text.parse().unwrap();
        assert_eq!(back["program"].as_array().unwrap().len(), 2);
        assert_eq!(sha, hex::encode(Sha256::digest(text.as_bytes())));
    }

    #[test]
    fn none_unreadable_or_too_big_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("loa.toml");
        std::fs::write(&p, "[station]\nname = \"Xã\"\n").unwrap();
        assert_eq!(own_programs(&p).0, "");
        assert_eq!(own_programs(&dir.path().join("missing.toml")).0, "");
        let big = format!(
            "[[program]]\nid = \"p\"\nat = [\"05:00\"]\ntitle = \"{}\"\nplay = [\"a.ogg\"]\n",
            "x".repeat(MAX_OWN_PROGRAMS)
        );
        std::fs::write(&p, big).unwrap();
        let (text, sha) = own_programs(&p);
        assert_eq!(text, "");
        assert_eq!(sha, hex::encode(Sha256::digest(b"")));
    }
}
