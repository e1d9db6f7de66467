//! Accounts: roles, area and station scope, creation (`loa hub user add`, and
//! later the accounts page), lookup, and password changes.
//!
//! Owns the `users` table. Role and scope *checks* live in `scope.rs` (who may
//! give which roles and scope: `scope::may_grant`); this file applies them.

use std::str::FromStr;

use serde::Serialize;

use super::auth::password;
use super::db::{col, join, now_s, split, Db};
use super::error::{HubError, HubResult};

/// HUB.md's roles; an account may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Editor,
    Approver,
    Operator,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Editor,
        Role::Approver,
        Role::Operator,
        Role::Viewer,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
        }
    }
    /// The role's name in the pages (Vietnamese).
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "quản trị",
            Role::Editor => "biên tập",
            Role::Approver => "phê duyệt",
            Role::Operator => "vận hành đài",
            Role::Viewer => "xem báo cáo",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                format!("unknown role `{s}`: use admin, editor, approver, operator or viewer")
            })
    }
}

/// One account as the hub holds it (never with its password hash).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub roles: Vec<Role>,
    pub areas: Vec<String>,
    pub stations: Vec<String>,
    pub must_change_password: bool,
    /// Disabled by an admin (`user_admin::set_disabled`): cannot sign in.
    #[serde(default)]
    pub disabled: bool,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// What a new account gets.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub roles: Vec<Role>,
    pub areas: Vec<String>,
    pub stations: Vec<String>,
    /// `None`: a one-time password is made (changed at first login).
    pub password: Option<String>,
}

/// Account names: 2–64 letters, digits, `.`, `_`, `-`, `@` (Vietnamese letters allowed).
pub fn check_name(name: &str) -> HubResult<()> {
    let n = name.chars().count();
    let ok = (2..=64).contains(&n)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(HubError::invalid("err-account-name-invalid-2-64").arg("name", name))
    }
}

/// Make an account; returns it and the password it was given.
pub async fn add(db: &Db, new: NewUser) -> HubResult<(User, String)> {
    check_name(&new.name)?;
    if new.roles.is_empty() {
        return Err(HubError::invalid("err-account-needs-at-least-one"));
    }
    let (pw, must_change) = match new.password {
        Some(p) => {
            password::check_new(&p)?;
            (p, false)
        }
        None => (password::one_time(), true),
    };
    let hash = password::hash_limited(&pw).await?;
    let roles: Vec<String> = new.roles.iter().map(|r| r.as_str().to_string()).collect();
    let exists = sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(&new.name)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_some() {
        return Err(HubError::conflict("err-account-already-exists").arg("name", new.name));
    }
    let row = sqlx::query(
        "INSERT INTO users (name, password_hash, must_change, roles, areas, stations, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&new.name)
    .bind(&hash)
    .bind(i64::from(must_change))
    .bind(join(&roles))
    .bind(join(&new.areas))
    .bind(join(&new.stations))
    .bind(now_s())
    .fetch_one(&db.pool)
    .await?;
    let id: i64 = col(&row, "id")?;
    let user = User {
        id,
        name: new.name,
        roles: new.roles,
        areas: new.areas,
        stations: new.stations,
        must_change_password: must_change,
        disabled: false,
    };
    Ok((user, pw))
}

fn from_row(r: &sqlx::any::AnyRow) -> HubResult<User> {
    let roles: String = col(r, "roles")?;
    let must: i64 = col(r, "must_change")?;
    let disabled: i64 = col(r, "disabled")?;
    Ok(User {
        id: col(r, "id")?,
        name: col(r, "name")?,
        roles: split(&roles)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
        areas: split(&col::<String>(r, "areas")?),
        stations: split(&col::<String>(r, "stations")?),
        must_change_password: must != 0,
        disabled: disabled != 0,
    })
}

const COLUMNS: &str = "id, name, roles, areas, stations, must_change, \
     CAST(CASE WHEN password_hash LIKE '!%' THEN 1 ELSE 0 END AS BIGINT) AS disabled";

/// The account and its password hash, by name.
pub async fn by_name_with_hash(db: &Db, name: &str) -> HubResult<Option<(User, String)>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, password_hash FROM users WHERE name = $1"
    ))
    .bind(name)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(r) => Ok(Some((from_row(&r)?, col(&r, "password_hash")?))),
        None => Ok(None),
    }
}

pub async fn by_id(db: &Db, id: i64) -> HubResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every account, by name.
pub async fn list(db: &Db) -> HubResult<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users ORDER BY name"))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Set a new password chosen by the user (clears the one-time flag).
pub async fn set_password(db: &Db, id: i64, new_password: &str) -> HubResult<()> {
    password::check_new(new_password)?;
    let hash = password::hash_limited(new_password).await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change = 0 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// An admin makes an account (the accounts page, `POST /api/v1/users`):
/// `scope::may_grant` decides (roles at most the admin's own, areas and
/// stations inside its scope, an empty scope only from an admin with an empty
/// scope). A refusal is audited (`user_add_refused`) and nothing is written.
pub async fn create_by_admin(
    state: &super::app::AppState,
    admin: &User,
    addr: &super::auth::ClientAddr,
    new: NewUser,
) -> HubResult<(User, String)> {
    let tree = state.area_tree(&new.areas).await?;
    let stations = super::user_admin::station_areas(state, &new.stations).await?;
    let grant = super::scope::Grant {
        roles: &new.roles,
        areas: &new.areas,
        stations: &stations,
    };
    let checked = super::scope::require(admin, Role::Admin)
        .and_then(|_| super::areas::check_known(&tree, &new.areas))
        .and_then(|_| super::scope::may_grant(&tree, admin, &grant));
    if let Err(e) = checked {
        if e.status() == axum::http::StatusCode::FORBIDDEN {
            let mut ev = super::auth::session::audit_event(
                admin,
                addr,
                "user_add_refused",
                format!("user:{}", new.name),
            );
            ev.after = serde_json::json!({
                "roles": new.roles,
                "areas": new.areas,
                "stations": new.stations,
                "reason": e.reason().text(crate::i18n::Lang::En),
            })
            .to_string();
            state.audit(ev).await?;
        }
        return Err(e);
    }
    let (user, password) = add(&state.db, new).await?;
    let mut ev =
        super::auth::session::audit_event(admin, addr, "user_add", format!("user:{}", user.name));
    ev.after = serde_json::to_string(&user).unwrap_or_default();
    state.audit(ev).await?;
    Ok((user, password))
}
