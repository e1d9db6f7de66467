//! An account said in words and the pick lists of the account forms: its
//! reach ("Vận hành đài Tân Hòa", "Biên tập, phê duyệt — Huyện X"), its
//! state, and the role, area and station checkboxes (only what the signed-in
//! admin may give: `scope::may_grant` decides on submit all the same).

use std::collections::HashMap;

use maud::{html, Markup};

use super::i18n::Lang;
use crate::hub::app::AppState;
use crate::hub::areas::AreaTree;
use crate::hub::db::{col, split};
use crate::hub::error::HubResult;
use crate::hub::users::{Role, User};
use crate::tr;

/// A station an admin may bind: id, name, areas.
pub struct StationPick {
    pub id: String,
    pub name: String,
    /// The names of the station's areas ("Xã Phước Dinh"): two stations
    /// may share a name, their places tell them apart.
    pub place: String,
}

/// Every station's name by id (for the reach of accounts).
pub async fn station_names(state: &AppState) -> HubResult<HashMap<String, String>> {
    let rows = sqlx::query("SELECT id, name FROM stations ORDER BY name")
        .fetch_all(&state.db.pool)
        .await?;
    let mut out = HashMap::new();
    for r in &rows {
        out.insert(col::<String>(r, "id")?, col::<String>(r, "name")?);
    }
    Ok(out)
}

/// The stations `admin` may bind an account to: all for the whole province's
/// admin, else its own stations and those whose areas lie inside its areas.
pub async fn stations_for(
    state: &AppState,
    tree: &AreaTree,
    admin: &User,
) -> HubResult<Vec<StationPick>> {
    let rows = sqlx::query("SELECT id, name, areas FROM stations ORDER BY name, id")
        .fetch_all(&state.db.pool)
        .await?;
    let whole = admin.areas.is_empty() && admin.stations.is_empty();
    let mut out = vec![];
    for r in &rows {
        let id: String = col(r, "id")?;
        let areas = split(&col::<String>(r, "areas")?);
        let inside = whole
            || admin.stations.contains(&id)
            || (!areas.is_empty() && areas.iter().all(|a| tree.in_scope(&admin.areas, a)));
        if inside {
            let place = areas
                .iter()
                .map(|a| tree.name(a).unwrap_or(a).to_string())
                .collect::<Vec<_>>()
                .join(", ");
            out.push(StationPick {
                id,
                name: col(r, "name")?,
                place,
            });
        }
    }
    Ok(out)
}

fn roles_text(l: Lang, roles: &[Role]) -> String {
    let s = roles
        .iter()
        .map(|r| l.role(*r))
        .collect::<Vec<_>>()
        .join(", ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

fn area_names(tree: &AreaTree, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| {
            tree.name(c)
                .map(str::to_string)
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A station's name without a leading "Đài" (the sentence says it).
fn bare(name: &str) -> &str {
    ["Đài ", "đài ", "Trạm ", "trạm "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// What an account may do and where, in one sentence.
pub fn reach(l: Lang, tree: &AreaTree, names: &HashMap<String, String>, u: &User) -> String {
    let roles = roles_text(l, &u.roles);
    let stations = u
        .stations
        .iter()
        .map(|s| names.get(s).map(|n| bare(n)).unwrap_or(s))
        .collect::<Vec<_>>()
        .join(", ");
    let areas = area_names(tree, &u.areas);
    match (u.areas.is_empty(), u.stations.is_empty()) {
        (true, false) if u.roles == [Role::Operator] => {
            tr!(l, "admin-reach-operator", stations = stations)
        }
        (true, true) => tr!(l, "admin-reach-all", roles = roles),
        (true, false) => tr!(
            l,
            "admin-reach-stations",
            roles = roles,
            stations = stations
        ),
        (false, true) => tr!(l, "admin-reach-areas", roles = roles, areas = areas),
        (false, false) => tr!(
            l,
            "admin-reach-both",
            roles = roles,
            areas = areas,
            stations = stations
        ),
    }
}

/// The account's state in words, with a class for its badge.
pub fn state(l: Lang, u: &User) -> (String, &'static str) {
    if u.disabled {
        (tr!(l, "admin-state-disabled"), "st-rejected")
    } else if u.must_change_password {
        (tr!(l, "admin-state-one-time"), "st-submitted")
    } else {
        (tr!(l, "admin-state-active"), "st-approved")
    }
}

/// The role, area and station checkboxes, ticked as in `v`.
pub fn pick_lists(
    l: Lang,
    v: &[(String, String)],
    areas: &[(String, String)],
    stations: &[StationPick],
) -> Markup {
    let has = |k: &str, val: &str| v.iter().any(|(a, b)| a == k && b == val);
    html! {
        fieldset {
            legend { (tr!(l, "admin-field-roles")) }
            @for r in Role::ALL {
                label class="check" { input type="checkbox" name="role" value=(r.as_str()) checked[has("role", r.as_str())]; (l.role(r)) }
            }
        }
        fieldset {
            legend { (tr!(l, "admin-field-stations")) }
            p class="hint" { (tr!(l, "admin-hint-stations")) }
            @if stations.is_empty() {
                p class="meta" { (tr!(l, "admin-no-stations")) }
            }
            @for st in stations {
                label class="check" { input type="checkbox" name="stations" value=(st.id) checked[has("stations", &st.id)];
                    (st.name)
                    @if !st.place.is_empty() { " · " span class="meta" { (st.place) } }
                }
            }
        }
        fieldset {
            legend { (tr!(l, "admin-field-areas")) }
            p class="hint" { (tr!(l, "admin-hint-areas")) }
            @for (code, name) in areas {
                label class="check" { input type="checkbox" name="areas" value=(code) checked[has("areas", code)]; (name) }
            }
        }
    }
}

/// The values of the form field `k`.
pub fn all(v: &[(String, String)], k: &str) -> Vec<String> {
    v.iter()
        .filter(|(a, _)| a == k)
        .map(|(_, x)| x.clone())
        .collect()
}

/// The roles ticked in a form.
pub fn roles(v: &[(String, String)]) -> Vec<Role> {
    all(v, "role")
        .iter()
        .filter_map(|x| x.parse().ok())
        .collect()
}

/// An account's current choices as form values (to tick its boxes).
pub fn values_of(u: &User) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = u
        .roles
        .iter()
        .map(|r| ("role".to_string(), r.as_str().to_string()))
        .collect();
    v.extend(u.areas.iter().map(|a| ("areas".to_string(), a.clone())));
    v.extend(
        u.stations
            .iter()
            .map(|s| ("stations".to_string(), s.clone())),
    );
    v
}
