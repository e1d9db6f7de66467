//! What the pages ask of the core, in one place: changing one's password
//! (`session::change_password`, shared with the API), accounts and the audit log for
//! admins, the areas a user may pick, the feed's current sequence. Role checks
//! happen here or in the core, never in the page handlers.

use crate::hub::app::AppState;
use crate::hub::auth::session::{self, SignedIn};
use crate::hub::auth::ClientAddr;
use crate::hub::error::HubResult;
use crate::hub::scope;
use crate::hub::users::{self, NewUser, Role, User};

/// Replace the signed-in user's password (also a one-time one): the core's
/// `session::change_password` (rate-limited old password, audited).
pub async fn change_password(
    state: &AppState,
    s: &SignedIn,
    addr: &ClientAddr,
    old: &str,
    new: &str,
) -> HubResult<()> {
    session::change_password(state, s, addr, old, new).await
}

/// An admin makes an account with a one-time password (the core's
/// `users::create_by_admin`: role, known areas inside the admin's, audited).
pub async fn add_account(
    state: &AppState,
    admin: &User,
    addr: &ClientAddr,
    name: &str,
    roles: Vec<Role>,
    area_codes: Vec<String>,
    stations: Vec<String>,
) -> HubResult<(User, String)> {
    users::create_by_admin(
        state,
        admin,
        addr,
        NewUser {
            name: name.trim().to_string(),
            roles,
            areas: area_codes,
            stations,
            password: None,
        },
    )
    .await
}

/// Every account, for admins.
pub async fn accounts(state: &AppState, admin: &User) -> HubResult<Vec<User>> {
    scope::require(admin, Role::Admin)?;
    users::list(&state.db).await
}

/// The sequence of the feed as published now (0 before the first).
pub async fn feed_sequence(state: &AppState) -> u64 {
    match crate::hub::store::latest(&state.db).await {
        Ok(Some(m)) => m.sequence,
        _ => 0,
    }
}

/// The administrative units a user may target (`code`, `name`): every unit
/// for an admin without areas, else those under its areas; province, then
/// district, then commune codes (official codes grow longer down the tree).
pub async fn areas_for(state: &AppState, user: &User) -> HubResult<Vec<(String, String)>> {
    let tree = state.area_tree(&[]).await?;
    let everywhere = user.has(Role::Admin) && user.areas.is_empty();
    let mut out: Vec<(String, String)> = tree
        .list()
        .into_iter()
        .filter(|a| everywhere || tree.in_scope(&user.areas, &a.code))
        .map(|a| (a.code, a.name))
        .collect();
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
