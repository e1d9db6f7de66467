//! Local announcements (issue 12): a commune operator uploads a clip for
//! their own station(s). The clip is bound to those stations (`clip_stations`):
//! it targets their areas, goes into the feed with `stations = [...]`, and
//! only those stations download and air it (`feed::sync`). hub.toml's
//! `operator_clips` decides whether an approver in scope reviews it
//! (`approve`, the default) or it is approved at upload (`direct`).
//!
//! Owns the `clip_stations` table and the operator's station-scope check;
//! a refusal is a 403 with the reason, written to the audit log.

use std::collections::HashMap;

use super::app::AppState;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::db::{col, split};
use super::error::{HubError, HubResult};
use super::users::{Role, User};

/// The station ids of an upload form's `stations` field (comma or space
/// separated, duplicates dropped).
pub fn parse_stations(s: &str) -> Vec<String> {
    let mut v: Vec<String> = vec![];
    for id in s.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
        if !v.iter().any(|x| x == id) {
            v.push(id.to_string());
        }
    }
    v
}

/// Before an upload's body is read: editors upload clips, operators local
/// announcements (their stations are checked in `station_scope`).
pub fn may_upload(user: &User) -> HubResult<()> {
    if user.has(Role::Operator) {
        return Ok(());
    }
    super::scope::require(user, Role::Editor)
}

/// Checks that `user` may bind a clip to `stations` (an operator of each of
/// them, or an admin without areas) and returns the stations' areas, the
/// clip's targets. A refusal is audited (`clip_upload_refused`).
pub async fn station_scope(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    stations: &[String],
) -> HubResult<Vec<String>> {
    let whole_hub = user.has(Role::Admin) && user.areas.is_empty();
    if !whole_hub && !user.has(Role::Operator) {
        return refuse(
            state,
            user,
            addr,
            stations,
            HubError::forbidden("err-only-station-s-operator-sends"),
            "not an operator",
        )
        .await;
    }
    let mut areas: Vec<String> = vec![];
    for id in stations {
        if !whole_hub && !user.stations.iter().any(|s| s == id) {
            return refuse(
                state,
                user,
                addr,
                stations,
                HubError::forbidden("err-station-not-one-operator-s").arg("id", id),
                &format!("station {id} outside the operator's stations"),
            )
            .await;
        }
        let row = sqlx::query("SELECT areas FROM stations WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?;
        let Some(row) = row else {
            return Err(HubError::invalid("err-no-station-check-id-on").arg("id", id));
        };
        for a in split(&col::<String>(&row, "areas")?) {
            if !areas.contains(&a) {
                areas.push(a);
            }
        }
    }
    Ok(areas)
}

/// Writes the refusal to the audit log and gives it back.
async fn refuse(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    stations: &[String],
    e: HubError,
    why: &str,
) -> HubResult<Vec<String>> {
    let target = format!("stations:{}", stations.join(","));
    let mut ev = audit_event(user, addr, "clip_upload_refused", target);
    ev.after = why.to_string();
    state.audit(ev).await?;
    Err(e)
}

/// Binds `clip` to `stations` inside the upload's transaction.
pub async fn bind(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    clip: &str,
    stations: &[String],
) -> HubResult<()> {
    for s in stations {
        sqlx::query("INSERT INTO clip_stations (clip_id, station_id) VALUES ($1, $2)")
            .bind(clip)
            .bind(s)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The stations one clip is bound to (empty = an ordinary clip).
pub async fn stations_of(state: &AppState, clip: &str) -> HubResult<Vec<String>> {
    let rows =
        sqlx::query("SELECT station_id FROM clip_stations WHERE clip_id = $1 ORDER BY station_id")
            .bind(clip)
            .fetch_all(&state.db.pool)
            .await?;
    rows.iter()
        .map(|r| col::<String>(r, "station_id"))
        .collect()
}

/// Every station's name by id (for the pages' "Thông báo riêng của đài X").
pub async fn station_names(state: &AppState) -> HubResult<HashMap<String, String>> {
    let rows = sqlx::query("SELECT id, name FROM stations")
        .fetch_all(&state.db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((col(r, "id")?, col(r, "name")?)))
        .collect()
}

/// Every bound clip and its stations, for the manifest.
pub async fn all(state: &AppState) -> HubResult<HashMap<String, Vec<String>>> {
    let rows =
        sqlx::query("SELECT clip_id, station_id FROM clip_stations ORDER BY clip_id, station_id")
            .fetch_all(&state.db.pool)
            .await?;
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for r in &rows {
        m.entry(col(r, "clip_id")?)
            .or_default()
            .push(col(r, "station_id")?);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn station_lists() {
        assert_eq!(parse_stations(" xa-a, xa-b xa-a ,"), vec!["xa-a", "xa-b"]);
        assert!(parse_stations("  ").is_empty());
    }
}
