//! Role and area-scope rules shared by the services: who may target which
//! areas, and who may decide on a proposal. Every refusal is a 403 with the
//! reason in both languages (logged by `HubError`'s response).

use super::areas::{check_known, AreaTree};
use super::error::{HubError, HubResult, Reason};
use super::users::{Role, User};

/// Refuse unless the user holds `role`.
pub fn require(user: &User, role: Role) -> HubResult<()> {
    if user.has(role) {
        Ok(())
    } else {
        Err(HubError::forbidden("err-role-needed")
            .arg_msg("role", role_name(role))
            .arg("code", role.as_str()))
    }
}

/// A role's name in the catalogue's (HUB.md's) words, as a message.
pub fn role_name(role: Role) -> Reason {
    Reason::new(match role {
        Role::Admin => "layout-role-admin",
        Role::Editor => "layout-role-editor",
        Role::Approver => "layout-role-approver",
        Role::Operator => "layout-role-operator",
        Role::Viewer => "layout-role-viewer",
    })
}

/// An admin without areas holds the whole hub (province IT).
fn everywhere(user: &User) -> bool {
    user.has(Role::Admin) && user.areas.is_empty()
}

/// True when `user`'s scope covers every one of `areas` (empty = everywhere).
pub fn covers(tree: &AreaTree, user: &User, areas: &[String]) -> bool {
    if everywhere(user) {
        return true;
    }
    !areas.is_empty() && areas.iter().all(|a| tree.in_scope(&user.areas, a))
}

/// The areas a proposal targets: the ones asked for (known, inside the
/// user's scope), or the user's own areas when none are asked for.
pub fn target_areas(tree: &AreaTree, user: &User, asked: Vec<String>) -> HubResult<Vec<String>> {
    let mut areas: Vec<String> = vec![];
    for a in asked {
        if !areas.contains(&a) {
            areas.push(a);
        }
    }
    if areas.is_empty() {
        if everywhere(user) {
            return Ok(vec![]);
        }
        if user.areas.is_empty() {
            return Err(HubError::forbidden("err-account-has-no-areas-admin"));
        }
        return Ok(user.areas.clone());
    }
    check_known(tree, &areas)?;
    if let Some(out) = areas
        .iter()
        .find(|a| !covers(tree, user, std::slice::from_ref(a)))
    {
        return Err(HubError::forbidden("err-area-outside-account-s-areas").arg("out", out));
    }
    Ok(areas)
}

/// Whether `user` holds the whole province for reading: an admin or a report
/// reader (viewer) with neither areas nor stations. Only such an admin may
/// give an empty scope (`may_grant`), so this is province IT's choice.
pub fn sees_everything(user: &User) -> bool {
    (user.has(Role::Admin) || user.has(Role::Viewer))
        && user.areas.is_empty()
        && user.stations.is_empty()
}

/// True when `user`'s areas and `areas` meet: one of `areas` lies under one
/// of the user's (an item for its commune), or covers one (a bulletin for the
/// province reaches the communes under it). An item without areas targets
/// the whole province, so it reaches every account that has areas.
pub fn overlaps(tree: &AreaTree, user: &User, areas: &[String]) -> bool {
    if user.areas.is_empty() {
        return false;
    }
    areas.is_empty()
        || areas.iter().any(|a| {
            user.areas
                .iter()
                .any(|u| tree.covers(u, a) || tree.covers(a, u))
        })
}

/// Whether `user` may see an item (clip, broadcast) by `author` for `areas`:
/// its author, an account that sees everything, or one whose areas overlap
/// the item's. Everything else answers exactly like a missing item (404).
pub fn sees(tree: &AreaTree, user: &User, author: i64, areas: &[String]) -> bool {
    sees_everything(user) || author == user.id || overlaps(tree, user, areas)
}

/// What an account would be given: roles, areas, and its stations with
/// each station's areas (`None`: no such station).
pub struct Grant<'a> {
    pub roles: &'a [Role],
    pub areas: &'a [String],
    pub stations: &'a [(String, Option<Vec<String>>)],
}

/// Whether `user`'s roles reach `role`: it holds it, or it is an admin (the
/// admin role ranks above every other: province IT makes the editorial
/// board's accounts without sitting on it).
pub fn holds_at_least(user: &User, role: Role) -> bool {
    user.has(role) || user.has(Role::Admin)
}

/// THE rule for making or changing accounts (README, "Vai trò và phạm vi"):
/// an account can only create or change accounts whose roles are at most its
/// own and whose areas and stations lie inside its own scope; an empty scope
/// is only for an admin with an empty scope. Only admins make accounts.
pub fn may_grant(tree: &AreaTree, actor: &User, g: &Grant) -> HubResult<()> {
    require(actor, Role::Admin)?;
    if let Some(r) = g.roles.iter().find(|r| !holds_at_least(actor, **r)) {
        return Err(HubError::forbidden("err-role-not-held")
            .arg_msg("role", role_name(*r))
            .arg("code", r.as_str()));
    }
    let whole = actor.areas.is_empty() && actor.stations.is_empty();
    if whole {
        if let Some((id, _)) = g.stations.iter().find(|(_, a)| a.is_none()) {
            return Err(HubError::invalid("err-no-station-id").arg("id", id));
        }
        return Ok(());
    }
    if g.areas.is_empty() && g.stations.is_empty() {
        return Err(HubError::forbidden("err-only-admin-whole-province-makes"));
    }
    if let Some(out) = g.areas.iter().find(|a| !tree.in_scope(&actor.areas, a)) {
        return Err(HubError::forbidden("err-area-outside-account-s-areas")
            .arg("out", format!("{:?}", out)));
    }
    // A station outside the scope and a station that does not exist answer
    // alike, so the refusal tells nothing about other areas' stations.
    let inside = |(id, areas): &(String, Option<Vec<String>>)| {
        actor.stations.contains(id)
            || areas
                .as_ref()
                .is_some_and(|a| !a.is_empty() && a.iter().all(|x| tree.in_scope(&actor.areas, x)))
    };
    if let Some((id, _)) = g.stations.iter().find(|s| !inside(s)) {
        return Err(HubError::forbidden("err-station-outside-account-s-scope")
            .arg("id", format!("{:?}", id)));
    }
    Ok(())
}

/// An approver deciding on a proposal by `author` for `areas`.
pub fn may_decide(tree: &AreaTree, user: &User, author: i64, areas: &[String]) -> HubResult<()> {
    require(user, Role::Approver)?;
    if author == user.id {
        return Err(HubError::forbidden("err-nobody-approves-rejects-their-own"));
    }
    if !covers(tree, user, areas) {
        return Err(HubError::forbidden(
            "err-proposal-targets-areas-outside-approver",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::areas::{parse_csv, BUNDLED_CSV};

    fn user(id: i64, roles: &[Role], areas: &[&str]) -> User {
        User {
            id,
            name: format!("u{id}"),
            roles: roles.to_vec(),
            areas: areas.iter().map(|s| s.to_string()).collect(),
            stations: vec![],
            must_change_password: false,
            disabled: false,
        }
    }

    #[test]
    fn scope_rules() {
        let t = AreaTree::from_list(parse_csv(BUNDLED_CSV).unwrap());
        let ed = user(1, &[Role::Editor], &["589"]);
        assert_eq!(target_areas(&t, &ed, vec![]).unwrap(), vec!["589"]);
        assert!(target_areas(&t, &ed, vec!["22936".into()]).is_ok());
        assert!(target_areas(&t, &ed, vec!["58".into()]).is_err());
        assert!(target_areas(&t, &ed, vec!["nope".into()]).is_err());
        let ap = user(2, &[Role::Approver], &["58"]);
        assert!(may_decide(&t, &ap, 1, &["22936".into()]).is_ok());
        assert!(may_decide(&t, &ap, 2, &["22936".into()]).is_err());
        assert!(may_decide(&t, &ap, 1, &["56".into()]).is_err());
        assert!(may_decide(&t, &ap, 1, &[]).is_err());
        assert!(may_decide(&t, &ed, 2, &["589".into()]).is_err());
        let root = user(3, &[Role::Admin, Role::Approver], &[]);
        assert!(may_decide(&t, &root, 1, &[]).is_ok());
    }

    fn grant<'a>(
        roles: &'a [Role],
        areas: &'a [String],
        stations: &'a [(String, Option<Vec<String>>)],
    ) -> Grant<'a> {
        Grant {
            roles,
            areas,
            stations,
        }
    }

    #[test]
    fn accounts_are_made_only_inside_the_makers_roles_and_scope() {
        let t = AreaTree::from_list(parse_csv(BUNDLED_CSV).unwrap());
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let st = |id: &str, a: Option<&[&str]>| (id.to_string(), a.map(s));
        let root = user(1, &[Role::Admin, Role::Approver, Role::Operator], &[]);
        let a56 = user(2, &[Role::Admin, Role::Approver, Role::Operator], &["56"]);
        let (admin_ap, ed, op) = (
            [Role::Admin, Role::Approver],
            [Role::Editor],
            [Role::Operator],
        );
        // The whole province's admin gives anything it holds, any scope.
        assert!(may_grant(&t, &root, &grant(&admin_ap, &[], &[])).is_ok());
        assert!(may_grant(&t, &root, &grant(&op, &[], &[st("a", Some(&["589"]))])).is_ok());
        assert_eq!(
            may_grant(&t, &root, &grant(&op, &[], &[st("nope", None)]))
                .unwrap_err()
                .status(),
            422
        );
        // A scoped admin: never an empty scope, never outside its own.
        let e = may_grant(&t, &a56, &grant(&admin_ap, &[], &[])).unwrap_err();
        assert_eq!(e.status(), 403);
        assert!(may_grant(&t, &a56, &grant(&admin_ap, &s(&["56"]), &[])).is_ok());
        assert!(may_grant(&t, &a56, &grant(&admin_ap, &s(&["58"]), &[])).is_err());
        assert!(may_grant(&t, &a56, &grant(&admin_ap, &s(&["56", "589"]), &[])).is_err());
        assert!(may_grant(&t, &a56, &grant(&op, &[], &[st("b", Some(&["589"]))])).is_err());
        assert!(may_grant(&t, &a56, &grant(&op, &[], &[st("c", None)])).is_err());
        assert!(may_grant(&t, &a56, &grant(&op, &[], &[st("d", Some(&[]))])).is_err());
        // Roles: at most its own (an admin's reach every role).
        assert!(may_grant(&t, &a56, &grant(&ed, &s(&["56"]), &[])).is_ok());
        assert!(may_grant(&t, &a56, &grant(&op, &[], &[st("e", Some(&["568"]))])).is_ok());
        let ed_user = user(4, &[Role::Editor], &["56"]);
        assert!(may_grant(&t, &ed_user, &grant(&ed, &s(&["56"]), &[])).is_err());
    }

    #[test]
    fn seeing_is_overlapping() {
        let t = AreaTree::from_list(parse_csv(BUNDLED_CSV).unwrap());
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let commune = user(1, &[Role::Viewer], &["22936"]);
        assert!(sees(&t, &commune, 9, &s(&["22936"])));
        assert!(
            sees(&t, &commune, 9, &s(&["58"])),
            "the province's bulletin reaches it"
        );
        assert!(
            sees(&t, &commune, 9, &s(&["589"])),
            "so does its district's"
        );
        assert!(sees(&t, &commune, 9, &[]), "and one for the whole hub");
        assert!(
            !sees(&t, &commune, 9, &s(&["22939"])),
            "not a sister commune's"
        );
        assert!(
            !sees(&t, &commune, 9, &s(&["56"])),
            "nor another province's"
        );
        assert!(sees(&t, &commune, 1, &s(&["56"])), "its own, always");
        let province_reader = user(2, &[Role::Viewer], &[]);
        assert!(sees(&t, &province_reader, 9, &s(&["56"])));
        let operator = user(3, &[Role::Operator], &[]);
        assert!(!sees(&t, &operator, 9, &[]));
    }
}
