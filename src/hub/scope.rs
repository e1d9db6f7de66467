//! Role and area-scope rules shared by the services: who may target which
//! areas, and who may decide on a proposal. Every refusal is a 403 with the
//! reason in both languages (logged by `HubError`'s response).

use super::areas::{check_known, AreaTree};
use super::error::{HubError, HubResult};
use super::users::{Role, User};

/// Refuse unless the user holds `role`.
pub fn require(user: &User, role: Role) -> HubResult<()> {
    if user.has(role) {
        Ok(())
    } else {
        Err(HubError::forbidden(
            format!("cần vai trò {} ({})", role.label_vi(), role.as_str()),
            format!("this needs the {} role", role.as_str()),
        ))
    }
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
            return Err(HubError::forbidden(
                "tài khoản chưa được giao địa bàn nào",
                "this account has no areas: an admin must give it some (--areas)",
            ));
        }
        return Ok(user.areas.clone());
    }
    check_known(tree, &areas)?;
    if let Some(out) = areas
        .iter()
        .find(|a| !covers(tree, user, std::slice::from_ref(a)))
    {
        return Err(HubError::forbidden(
            format!("địa bàn {out} nằm ngoài phạm vi của tài khoản"),
            format!("area {out} is outside this account's areas"),
        ));
    }
    Ok(areas)
}

/// An approver deciding on a proposal by `author` for `areas`.
pub fn may_decide(tree: &AreaTree, user: &User, author: i64, areas: &[String]) -> HubResult<()> {
    require(user, Role::Approver)?;
    if author == user.id {
        return Err(HubError::forbidden(
            "không được tự phê duyệt đề xuất của chính mình",
            "nobody approves or rejects their own proposal",
        ));
    }
    if !covers(tree, user, areas) {
        return Err(HubError::forbidden(
            "đề xuất nhắm tới địa bàn ngoài phạm vi phê duyệt của tài khoản",
            "the proposal targets areas outside this approver's areas",
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
}
