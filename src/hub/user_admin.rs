//! An admin changing an existing account (the accounts page): edit its
//! roles, areas and stations, reset its password to a new one-time one,
//! disable or enable it. Every change passes `scope::may_grant` twice — on
//! what the account holds now (an admin touches only accounts inside its own
//! scope) and on what it would hold — so that rule stays the only one.
//! Every change and every refusal is audited; a reset or a disable ends the
//! account's sessions.
//!
//! A disabled account keeps its password hash behind a `!` (as in
//! /etc/shadow): no password matches it, and enabling removes the mark.

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::{password, ClientAddr};
use super::db::{col, join, split};
use super::error::{HubError, HubResult};
use super::scope::{self, Grant};
use super::users::{self, Role, User};

/// The mark in front of a disabled account's password hash.
pub const DISABLED_MARK: &str = "!";

/// Each station id with its areas (`None`: no such station), for `may_grant`.
pub async fn station_areas(
    state: &AppState,
    ids: &[String],
) -> HubResult<Vec<(String, Option<Vec<String>>)>> {
    let mut out = vec![];
    for id in ids {
        let row = sqlx::query("SELECT areas FROM stations WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?;
        let areas = match row {
            Some(r) => Some(split(&col::<String>(&r, "areas")?)),
            None => None,
        };
        out.push((id.clone(), areas));
    }
    Ok(out)
}

/// `may_grant` on roles, areas and stations.
async fn check(
    state: &AppState,
    actor: &User,
    roles: &[Role],
    areas: &[String],
    stations: &[String],
) -> HubResult<()> {
    let tree = state.area_tree(areas).await?;
    let st = station_areas(state, stations).await?;
    scope::may_grant(
        &tree,
        actor,
        &Grant {
            roles,
            areas,
            stations: &st,
        },
    )
}

/// The account `id`, if `actor` may change it: it exists, and what it holds
/// now lies inside the actor's scope (else 403; a missing one is 404).
async fn target(state: &AppState, actor: &User, addr: &ClientAddr, id: i64) -> HubResult<User> {
    scope::require(actor, Role::Admin)?;
    let Some(u) = users::by_id(&state.db, id).await? else {
        return Err(HubError::not_found("err-no-such-account"));
    };
    if let Err(e) = check(state, actor, &u.roles, &u.areas, &u.stations).await {
        let e = match e {
            HubError::Forbidden(_) => {
                HubError::forbidden("err-account-outside-your-scope").arg("name", &u.name)
            }
            other => other,
        };
        refused(state, actor, addr, &u.name, "-", &e).await?;
        return Err(e);
    }
    Ok(u)
}

async fn refused(
    state: &AppState,
    actor: &User,
    addr: &ClientAddr,
    name: &str,
    what: &str,
    e: &HubError,
) -> HubResult<()> {
    if e.status() != axum::http::StatusCode::FORBIDDEN {
        return Ok(());
    }
    let mut ev = audit_event(actor, addr, "user_change_refused", format!("user:{name}"));
    ev.after =
        serde_json::json!({ "change": what, "reason": e.reason().text(crate::i18n::Lang::En) })
            .to_string();
    state.audit(ev).await
}

async fn end_sessions(state: &AppState, id: i64) -> HubResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    Ok(())
}

/// What an account holds after an edit.
pub struct Change {
    pub roles: Vec<Role>,
    pub areas: Vec<String>,
    pub stations: Vec<String>,
}

/// Give account `id` new roles, areas and stations (inside the actor's scope).
pub async fn edit(
    state: &AppState,
    actor: &User,
    addr: &ClientAddr,
    id: i64,
    c: Change,
) -> HubResult<User> {
    let before = target(state, actor, addr, id).await?;
    if c.roles.is_empty() {
        return Err(HubError::invalid("err-account-needs-at-least-one"));
    }
    if before.id == actor.id && !c.roles.contains(&Role::Admin) {
        return Err(HubError::forbidden("err-admin-cannot-take-admin-role"));
    }
    let tree = state.area_tree(&c.areas).await?;
    super::areas::check_known(&tree, &c.areas)?;
    if let Err(e) = check(state, actor, &c.roles, &c.areas, &c.stations).await {
        refused(state, actor, addr, &before.name, "edit", &e).await?;
        return Err(e);
    }
    let roles: Vec<String> = c.roles.iter().map(|r| r.as_str().to_string()).collect();
    sqlx::query("UPDATE users SET roles = $1, areas = $2, stations = $3 WHERE id = $4")
        .bind(join(&roles))
        .bind(join(&c.areas))
        .bind(join(&c.stations))
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    let after = users::by_id(&state.db, id)
        .await?
        .ok_or_else(|| HubError::not_found("err-no-such-account"))?;
    let mut ev = audit_event(actor, addr, "user_edit", format!("user:{}", after.name));
    ev.before = serde_json::to_string(&before).unwrap_or_default();
    ev.after = serde_json::to_string(&after).unwrap_or_default();
    state.audit(ev).await?;
    Ok(after)
}

/// A new one-time password for account `id` (changed at its next sign-in);
/// its sessions end. A disabled account stays disabled.
pub async fn reset_password(
    state: &AppState,
    actor: &User,
    addr: &ClientAddr,
    id: i64,
) -> HubResult<(User, String)> {
    let u = target(state, actor, addr, id).await?;
    if u.id == actor.id {
        return Err(HubError::forbidden("err-change-your-own-password-on"));
    }
    let pw = password::one_time();
    let mut hash = password::hash_limited(&pw).await?;
    if u.disabled {
        hash = format!("{DISABLED_MARK}{hash}");
    }
    sqlx::query("UPDATE users SET password_hash = $1, must_change = 1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    end_sessions(state, id).await?;
    let ev = audit_event(
        actor,
        addr,
        "user_password_reset",
        format!("user:{}", u.name),
    );
    state.audit(ev).await?;
    let u = users::by_id(&state.db, id).await?.unwrap_or(u);
    Ok((u, pw))
}

/// Disable (`true`) or enable account `id`. A disabled account cannot sign
/// in and its sessions end; nobody disables their own account.
pub async fn set_disabled(
    state: &AppState,
    actor: &User,
    addr: &ClientAddr,
    id: i64,
    disabled: bool,
) -> HubResult<User> {
    let u = target(state, actor, addr, id).await?;
    if u.id == actor.id {
        return Err(HubError::forbidden("err-nobody-disables-their-own-account"));
    }
    let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await?;
    let hash: String = col(&row, "password_hash")?;
    let bare = hash.strip_prefix(DISABLED_MARK).unwrap_or(&hash);
    let new = if disabled {
        format!("{DISABLED_MARK}{bare}")
    } else {
        bare.to_string()
    };
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(new)
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    if disabled {
        end_sessions(state, id).await?;
    }
    let action = if disabled {
        "user_disable"
    } else {
        "user_enable"
    };
    state
        .audit(audit_event(actor, addr, action, format!("user:{}", u.name)))
        .await?;
    Ok(users::by_id(&state.db, id).await?.unwrap_or(u))
}
