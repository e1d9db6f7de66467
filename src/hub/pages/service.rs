//! Two thin services the pages need and the core does not offer as functions
//! yet: changing one's password (the same steps as `POST
//! /api/v1/session/password`: check the old one, refuse an unchanged one, set
//! it, end the other sessions, audit) and an admin making an account from the
//! accounts page (the same as `loa hub user add`: known areas, a one-time
//! password, audited). Role checks happen here, never in the page handlers.

use crate::hub::app::AppState;
use crate::hub::areas;
use crate::hub::auth::session::{self, audit_event, SignedIn};
use crate::hub::auth::{password, ClientAddr};
use crate::hub::error::{HubError, HubResult};
use crate::hub::scope;
use crate::hub::users::{self, NewUser, Role, User};

/// Replace the signed-in user's password (also a one-time one).
pub async fn change_password(
    state: &AppState,
    s: &SignedIn,
    addr: &ClientAddr,
    old: &str,
    new: &str,
) -> HubResult<()> {
    let (_, hash) = users::by_name_with_hash(&state.db, &s.user.name)
        .await?
        .ok_or_else(|| HubError::unauthorized("chưa đăng nhập", "not signed in"))?;
    let old_owned = old.to_string();
    let ok = tokio::task::spawn_blocking(move || password::verify(&old_owned, &hash))
        .await
        .map_err(HubError::internal)?;
    if !ok {
        return Err(HubError::forbidden(
            "mật khẩu hiện tại không đúng",
            "the current password is wrong",
        ));
    }
    if new == old {
        return Err(HubError::invalid(
            "mật khẩu mới phải khác mật khẩu cũ",
            "the new password must differ from the old one",
        ));
    }
    users::set_password(&state.db, s.user.id, new).await?;
    session::end_others(state, s.user.id, &s.token).await?;
    state
        .audit(audit_event(
            &s.user,
            addr,
            "password_change",
            format!("user:{}", s.user.name),
        ))
        .await
}

/// An admin makes an account; returns it and its one-time password.
pub async fn add_account(
    state: &AppState,
    admin: &User,
    addr: &ClientAddr,
    name: &str,
    roles: Vec<Role>,
    area_codes: Vec<String>,
) -> HubResult<(User, String)> {
    scope::require(admin, Role::Admin)?;
    let tree = state.area_tree(&area_codes).await?;
    areas::check_known(&tree, &area_codes)?;
    let (user, pw) = users::add(
        &state.db,
        NewUser {
            name: name.trim().to_string(),
            roles,
            areas: area_codes,
            stations: vec![],
            password: None,
        },
    )
    .await?;
    let mut ev = audit_event(admin, addr, "user_add", format!("user:{}", user.name));
    ev.after = serde_json::to_string(&user).unwrap_or_default();
    state.audit(ev).await?;
    Ok((user, pw))
}

/// Every account, for admins.
pub async fn accounts(state: &AppState, admin: &User) -> HubResult<Vec<User>> {
    scope::require(admin, Role::Admin)?;
    users::list(&state.db).await
}

/// The audit log and the chain's verdict, for admins (newest first).
pub async fn audit_log(
    state: &AppState,
    admin: &User,
) -> HubResult<(Vec<crate::hub::audit::Entry>, crate::hub::audit::Verdict)> {
    scope::require(admin, Role::Admin)?;
    let mut entries = crate::hub::audit::list(&state.db, i64::MIN, i64::MAX).await?;
    let verdict = crate::hub::audit::verify(&state.db).await?;
    entries.reverse();
    Ok((entries, verdict))
}

/// The sequence of the feed as published now (0 before the first).
pub async fn feed_sequence(state: &AppState) -> u64 {
    let p = state.cfg.feed_dir().join("manifest.json");
    match tokio::fs::read(&p).await {
        Ok(b) => serde_json::from_slice::<serde_json::Value>(&b)
            .ok()
            .and_then(|v| v["sequence"].as_u64())
            .unwrap_or(0),
        Err(_) => 0,
    }
}

/// The administrative units a user may target (`code`, `name`), by code:
/// every unit for an admin without areas, else those under its areas.
pub async fn areas_for(state: &AppState, user: &User) -> HubResult<Vec<(String, String)>> {
    use crate::hub::db::col;
    let rows = sqlx::query("SELECT code, name FROM areas ORDER BY code")
        .fetch_all(&state.db.pool)
        .await?;
    let tree = state.area_tree(&[]).await?;
    let everywhere = user.has(Role::Admin) && user.areas.is_empty();
    let mut out = vec![];
    for r in &rows {
        let code: String = col(r, "code")?;
        if everywhere || tree.in_scope(&user.areas, &code) {
            out.push((code, col(r, "name")?));
        }
    }
    // Province, then district, then commune codes (the official codes grow
    // longer down the tree).
    out.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
    Ok(out)
}

/// Account names by id (for "who proposed it").
pub async fn names(state: &AppState) -> HubResult<std::collections::HashMap<i64, String>> {
    Ok(users::list(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}
