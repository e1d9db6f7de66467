//! Stations as the hub knows them (HUB.md "Station API"): registering one
//! (`loa hub station add`, a one-time enrolment code valid 7 days, stored
//! hashed), trading that code for a bearer token (`POST /api/v1/enroll`, the
//! token stored hashed), and recognising a station by its token.
//!
//! Owns the `stations` table's identity columns (id, name, areas, code,
//! token). Heartbeats live in `heartbeat.rs`, the as-run upload in `asrun.rs`.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::app::AppState;
use super::audit::{self, Event};
use super::auth::password::{one_time, random_token};
use super::db::{col, join, now_s, Db};
use super::error::{HubError, HubResult};

/// How long an enrolment code is good for.
pub const CODE_VALID_S: i64 = 7 * 24 * 3600;
/// The heartbeat interval assumed until a station says its own.
pub const DEFAULT_HEARTBEAT_S: i64 = 60;

/// SHA-256 (hex) of a secret (codes and tokens are random, so no slow hash is needed).
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(
        secret.trim().to_ascii_lowercase().as_bytes(),
    ))
}

/// Refuse an id that is not `[a-z0-9-]+` (it is used in URLs and paths).
pub fn check_id(id: &str) -> HubResult<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(HubError::invalid("err-station-id-must-be-z0").arg("id", id))
    }
}

/// Register a station; returns its one-time enrolment code.
pub async fn add(db: &Db, id: &str, name: &str, areas: &[String]) -> HubResult<String> {
    check_id(id)?;
    if name.trim().is_empty() {
        return Err(HubError::invalid("err-station-needs-name-name"));
    }
    if areas.is_empty() {
        return Err(HubError::invalid("err-station-needs-at-least-one"));
    }
    let exists = sqlx::query("SELECT id FROM stations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_some() {
        return Err(HubError::conflict("err-station-exists-already-choose-another").arg("id", id));
    }
    let code = one_time();
    let now = now_s();
    sqlx::query(
        "INSERT INTO stations (id, name, areas, code_hash, code_expires, created_at, heartbeat_s, asrun_last, asrun_lines) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
    )
    .bind(id)
    .bind(name.trim())
    .bind(join(areas))
    .bind(secret_hash(&code))
    .bind(now + CODE_VALID_S)
    .bind(now)
    .bind(DEFAULT_HEARTBEAT_S)
    .bind(crate::record::GENESIS)
    .execute(&db.pool)
    .await?;
    Ok(code)
}

/// What a station gets for its enrolment code.
#[derive(Debug, Serialize)]
pub struct Enrolled {
    pub station: String,
    pub token: String,
    pub feed_url: String,
    pub programs_url: String,
    pub public_key: String,
}

fn bad_code() -> HubError {
    HubError::forbidden("err-enrolment-code-wrong-used-already")
}

/// Trade a one-time code for the station's token (the code then stops working).
pub async fn enroll(state: &AppState, address: &str, code: &str) -> HubResult<Enrolled> {
    // Guessing codes is rate-limited per address like failed sign-ins.
    let bucket = format!("enroll@{address}");
    // The slot is taken before the code is looked at (concurrent guesses
    // cannot pass the count together) and given back for a real code.
    let slot = super::auth::ratelimit::reserve(&state.db, &bucket, address).await?;
    let h = secret_hash(code);
    let row = sqlx::query("SELECT id, code_expires FROM stations WHERE code_hash = $1")
        .bind(&h)
        .fetch_optional(&state.db.pool)
        .await?;
    let fail = |why: &str| Event {
        actor: "-".into(),
        address: address.into(),
        action: "station_enroll_failed".into(),
        target: "station:?".into(),
        before: String::new(),
        after: serde_json::json!({ "why": why }).to_string(),
    };
    let Some(row) = row else {
        state.audit(fail("unknown or used code")).await?;
        return Err(bad_code());
    };
    super::auth::ratelimit::release(&state.db, slot).await?;
    let id: String = col(&row, "id")?;
    let expires: Option<i64> = col(&row, "code_expires")?;
    let now = now_s();
    if expires.is_none_or(|e| e < now) {
        state.audit(fail("expired code")).await?;
        return Err(bad_code());
    }
    let token = random_token(32);
    // The code is spent in the same statement that sets the token: two
    // enrolments racing with one code cannot both win.
    let done = sqlx::query(
        "UPDATE stations SET code_hash = NULL, code_expires = NULL, token_hash = $1, enrolled_at = $2 \
         WHERE id = $3 AND code_hash = $4",
    )
    .bind(secret_hash(&token))
    .bind(now)
    .bind(&id)
    .bind(&h)
    .execute(&state.db.pool)
    .await?;
    if done.rows_affected() != 1 {
        state.audit(fail("code used concurrently")).await?;
        return Err(bad_code());
    }
    state
        .audit(Event {
            actor: format!("station:{id}"),
            address: address.into(),
            action: "station_enroll".into(),
            target: format!("station:{id}"),
            before: String::new(),
            after: serde_json::json!({ "enrolled_at": now }).to_string(),
        })
        .await?;
    let base = state.cfg.public_url.trim_end_matches('/');
    let public_key = crate::feed::sign::public_key_of(&state.key).map_err(HubError::internal)?;
    Ok(Enrolled {
        feed_url: format!("{base}/feed/manifest.json"),
        programs_url: format!("{base}/feed/stations/{id}/programs.toml"),
        station: id,
        token,
        public_key,
    })
}

/// A request made with a station's bearer token: the station's id.
#[derive(Debug, Clone)]
pub struct StationAuth(pub String);

impl StationAuth {
    /// Refuse (403) unless the token's station is `id`.
    pub fn require(&self, id: &str) -> HubResult<()> {
        if self.0 == id {
            Ok(())
        } else {
            Err(HubError::forbidden("err-station-acts-for-other")
                .arg("own", &self.0)
                .arg("id", id))
        }
    }
}

impl FromRequestParts<AppState> for StationAuth {
    type Rejection = HubError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> HubResult<StationAuth> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(HubError::unauthorized(
                "err-no-station-token-authorization-bearer",
            ));
        };
        let row = sqlx::query("SELECT id FROM stations WHERE token_hash = $1")
            .bind(secret_hash(token))
            .fetch_optional(&state.db.pool)
            .await?;
        match row {
            Some(r) => Ok(StationAuth(col(&r, "id")?)),
            None => Err(HubError::unauthorized(
                "err-unknown-station-token-enrol-station",
            )),
        }
    }
}

/// Audit row of a CLI station change.
pub fn cli_added(id: &str, name: &str, areas: &[String], who: String) -> audit::Event {
    audit::Event {
        actor: who,
        address: "local".into(),
        action: "station_add".into(),
        target: format!("station:{id}"),
        before: String::new(),
        after: serde_json::json!({ "name": name, "areas": areas }).to_string(),
    }
}
