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

/// Check `name`'s password from `address` under the rate limit: the slot
/// is reserved first (429 when none is left), the check waits for its turn
/// (`password::verify_limited`); a wrong password keeps the slot as a
/// failure, a right one gives it back and clears the account's failures.
/// An unknown name costs the same as a wrong password and counts alike.
async fn check_password(
    state: &AppState,
    name: &str,
    pw: &str,
    address: &str,
) -> HubResult<Option<User>> {
    let slot = ratelimit::reserve(&state.db, name, address).await?;
    let found = users::by_name_with_hash(&state.db, name).await?;
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    // A disabled account's hash costs the same check and never opens.
    let hash = hash.map(|h| {
        h.strip_prefix(crate::hub::user_admin::DISABLED_MARK)
            .map(str::to_string)
            .unwrap_or(h)
    });
    let ok = password::verify_limited(pw, hash).await?;
    match user {
        Some(u) if ok && u.disabled => {
            Err(HubError::unauthorized("err-account-disabled-ask-admin"))
        }
        Some(u) if ok => {
            ratelimit::release_and_clear_account(&state.db, slot).await?;
            Ok(Some(u))
        }
        _ => Ok(None),
    }
}

/// Check a password and open a session; returns the token and the user.
pub async fn login(
    state: &AppState,
    name: &str,
    pw: &str,
    address: &str,
) -> HubResult<(String, User)> {
    let Some(user) = check_password(state, name, pw, address).await? else {
        state
            .audit(Event {
                actor: "-".into(),
                address: address.into(),
                action: "login_failed".into(),
                target: format!("user:{name}"),
                ..Event::default()
            })
            .await?;
        return Err(HubError::unauthorized("err-wrong-account-name-password"));
    };
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

/// Replace the signed-in user's password (also a one-time one): the old one
/// is checked under the same rate limit as a sign-in (a wrong one counts
/// against the account and the address; 429 when over), an unchanged one is
/// refused, the other sessions end, and it is audited. The API and the
/// pages both call this.
pub async fn change_password(
    state: &AppState,
    s: &SignedIn,
    addr: &ClientAddr,
    old: &str,
    new: &str,
) -> HubResult<()> {
    if check_password(state, &s.user.name, old, &addr.0)
        .await?
        .is_none()
    {
        state
            .audit(audit_event(
                &s.user,
                addr,
                "password_change_failed",
                format!("user:{}", s.user.name),
            ))
            .await?;
        return Err(HubError::forbidden("err-current-password-wrong"));
    }
    if new == old {
        return Err(HubError::invalid("err-new-password-must-differ-from"));
    }
    users::set_password(&state.db, s.user.id, new).await?;
    end_others(state, s.user.id, &s.token).await?;
    state
        .audit(audit_event(
            &s.user,
            addr,
            "password_change",
            format!("user:{}", s.user.name),
        ))
        .await
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
    let none = || HubError::unauthorized("err-not-signed-in");
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
        return Err(HubError::unauthorized("err-session-has-expired-sign-in"));
    }
    if now > last_seen {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash(&token))
            .execute(&state.db.pool)
            .await?;
    }
    let user = users::by_id(&state.db, user_id).await?.ok_or_else(none)?;
    if user.disabled {
        logout(state, &token).await?;
        return Err(none());
    }
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
            return Err(HubError::forbidden("err-change-one-time-password-first"));
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
