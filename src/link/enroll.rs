//! `loa enroll URL CODE`: trade the one-time enrolment code for the station's
//! credentials and the hub's public key, store them in `STATE/hub.json`
//! (0600) and print the key's fingerprint (compare it with the hub's before
//! trusting it). Exit 0 on success, 1 when the hub refuses or cannot be
//! reached (nothing is written then), 2 for an invalid config.

use std::path::Path;
use std::process::ExitCode;

use serde_json::{json, Value};

use super::creds::Credentials;
use super::http::{block_on, post_json, LinkError};

/// Run the command.
pub fn run_enroll(config: &Path, url: &str, code: &str) -> anyhow::Result<ExitCode> {
    let cfg = match crate::cli::load(config) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let base = url.trim().trim_end_matches('/').to_string();
    let lower = base.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        eprintln!("loa enroll: the hub URL must start with https:// (or http://), e.g. https://loa.example.vn");
        return Ok(ExitCode::from(2));
    }
    match enroll(&base, code.trim()) {
        Ok(creds) => {
            creds.write(&cfg.paths.state)?;
            // A new enrolment starts a new upload cursor.
            let _ = std::fs::remove_file(cfg.paths.state.join(super::CURSOR_FILE));
            println!(
                "đã đăng ký trạm / enrolled station {} with {}",
                creds.station, creds.hub
            );
            println!(
                "  khóa công khai của hub / hub public key: {}",
                creds.public_key
            );
            println!(
                "  dấu vân tay / fingerprint: {}",
                Credentials::fingerprint(&creds.public_key)
            );
            println!(
                "  lưu tại / stored in {} (0600); `loa run` follows the hub's feed from now on",
                cfg.paths.state.join(super::CREDS_FILE).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("loa enroll: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

fn enroll(base: &str, code: &str) -> Result<Credentials, LinkError> {
    let url = format!("{base}/api/v1/enroll");
    let net = crate::net::shared().map_err(|e| LinkError::Net(e.to_string()))?;
    let client = net
        .client(crate::net::ClientKey::default())
        .map_err(|e| LinkError::Net(e.to_string()))?;
    let u = url.clone();
    let body = json!({ "code": code });
    let v = block_on(async move { post_json(&client, &u, None, &body).await })??;
    let s = |k: &str| -> Result<String, LinkError> {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(String::from)
            .ok_or_else(|| LinkError::BadAnswer {
                url: url.clone(),
                msg: format!("field `{k}` is missing"),
            })
    };
    let public_key = s("public_key")?;
    // Refuse a key that is not a minisign public key before storing it.
    minisign_verify::PublicKey::from_base64(public_key.trim()).map_err(|e| {
        LinkError::BadAnswer {
            url: url.clone(),
            msg: format!("`public_key` is not a minisign public key: {e}"),
        }
    })?;
    let station = s("station")?;
    if !station
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(LinkError::BadAnswer {
            url,
            msg: format!("station id `{station}` is not [a-z0-9-]+"),
        });
    }
    Ok(Credentials {
        hub: base.to_string(),
        token: s("token")?,
        feed_url: s("feed_url")?,
        programs_url: s("programs_url")?,
        public_key: public_key.trim().to_string(),
        station,
        enrolled_at: chrono::Utc::now().to_rfc3339(),
    })
}
