//! Server-side sessions: sign-in (rate-limited, audited), the session cookie
//! (HttpOnly, SameSite=Lax, Secure when the public URL is https), and the
//! extractors handlers take to know who asks:
//!
//! - `CurrentUser`: a signed-in user whose password is not a one-time one
//!   any more (what nearly every handler wants);
//! - `SignedIn`: any valid session, also one that must still change its
//!   one-time password (password change, sign-out, "who am I");
//! - `ClientAddr`: the client's IP (from a trusted proxy's X-Forwarded-For).
//!
//! Only the SHA-256 of a session token is stored.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use sha2::{Digest, Sha256};

use super::password;
use super::ratelimit;
use crate::hub::app::AppState;
use crate::hub::audit::{self, Event};
use crate::hub::db::{col, now_s};
use crate::hub::error::{HubError, HubResult};
use crate::hub::users::{self, User};

pub const COOKIE_NAME: &str = "loa_session";

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Check a password and open a session; returns the token and the user.
pub async fn login(
    state: &AppState,
    name: &str,
    pw: &str,
    address: &str,
) -> HubResult<(String, User)> {
    ratelimit::check(&state.db, name, address).await?;
    let found = users::by_name_with_hash(&state.db, name).await?;
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let pw_owned = pw.to_string();
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw_owned, &hash))
        .await
        .map_err(HubError::internal)?;
    let user = match (found, ok) {
        (Some((u, _)), true) => u,
        _ => {
            ratelimit::record_failure(&state.db, name, address).await?;
            state
                .audit(Event {
                    actor: "-".into(),
                    address: address.into(),
                    action: "login_failed".into(),
                    target: format!("user:{name}"),
                    ..Event::default()
                })
                .await?;
            return Err(HubError::unauthorized(
                "sai tên tài khoản hoặc mật khẩu",
                "wrong account name or password",
            ));
        }
    };
    ratelimit::clear_account(&state.db, name).await?;
    let token = password::random_token(32);
    let now = now_s();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(user.id)
    .bind(now)
    .bind(now)
    .execute(&state.db.pool)
    .await?;
    state
        .audit(Event {
            actor: user.name.clone(),
            address: address.into(),
            action: "login".into(),
            target: format!("user:{}", user.name),
            ..Event::default()
        })
        .await?;
    Ok((token, user))
}

/// End the session with this token.
pub async fn logout(state: &AppState, token: &str) -> HubResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// End every session of a user but `keep` (after a password change).
pub async fn end_others(state: &AppState, user_id: i64, keep: &str) -> HubResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(token_hash(keep))
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value that stores `token` (or clears it when `None`).
pub fn cookie(state: &AppState, token: Option<&str>) -> HeaderValue {
    let secure = if state.cfg.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let v = match token {
        Some(t) => format!("{COOKIE_NAME}={t}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `SET_COOKIE` as a header pair for responses.
pub fn set_cookie(
    state: &AppState,
    token: Option<&str>,
) -> [(axum::http::HeaderName, HeaderValue); 1] {
    [(SET_COOKIE, cookie(state, token))]
}

/// The session token a request carries, if any.
pub fn token_of(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Any valid session (a one-time password not changed yet included).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub token: String,
}

/// A signed-in user who may act (password already changed).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl std::ops::Deref for CurrentUser {
    type Target = User;
    fn deref(&self) -> &User {
        &self.0
    }
}

async fn session_user(parts: &Parts, state: &AppState) -> HubResult<SignedIn> {
    let none = || HubError::unauthorized("chưa đăng nhập", "not signed in");
    let token = token_of(parts).ok_or_else(none)?;
    let row = sqlx::query("SELECT user_id, last_seen FROM sessions WHERE token_hash = $1")
        .bind(token_hash(&token))
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(none)?;
    let user_id: i64 = col(&row, "user_id")?;
    let last_seen: i64 = col(&row, "last_seen")?;
    let now = now_s();
    let idle = state.cfg.session_idle.as_secs() as i64;
    if now - last_seen >= idle {
        logout(state, &token).await?;
        return Err(HubError::unauthorized(
            "phiên làm việc đã hết hạn; hãy đăng nhập lại",
            "the session has expired; sign in again",
        ));
    }
    if now > last_seen {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash(&token))
            .execute(&state.db.pool)
            .await?;
    }
    let user = users::by_id(&state.db, user_id).await?.ok_or_else(none)?;
    Ok(SignedIn { user, token })
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = HubError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> HubResult<SignedIn> {
        session_user(parts, state).await
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = HubError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> HubResult<CurrentUser> {
        let s = session_user(parts, state).await?;
        if s.user.must_change_password {
            return Err(HubError::forbidden(
                "hãy đổi mật khẩu dùng một lần trước khi làm việc khác",
                "change the one-time password first (POST /api/v1/session/password)",
            ));
        }
        Ok(CurrentUser(s.user))
    }
}

/// The client's address: the peer, or the last `X-Forwarded-For` hop when
/// the peer is a trusted proxy.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = HubError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> HubResult<ClientAddr> {
        let peer: Option<IpAddr> = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|s| s.trim().to_string())
            .filter(|s| s.parse::<IpAddr>().is_ok());
        let addr = match (peer, forwarded) {
            (Some(p), Some(f)) if state.cfg.trusted_proxies.contains(&p) => f,
            (Some(p), _) => p.to_string(),
            (None, _) => "-".into(),
        };
        Ok(ClientAddr(addr))
    }
}

/// Who did it, for audit rows.
pub fn audit_event(user: &User, addr: &ClientAddr, action: &str, target: String) -> audit::Event {
    audit::Event {
        actor: user.name.clone(),
        address: addr.0.clone(),
        action: action.into(),
        target,
        ..audit::Event::default()
    }
}
