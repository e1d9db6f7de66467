//! The count on the navigation's "Chờ duyệt": clips awaiting approval that
//! an approver sees (the queue's clips), one `COUNT` per page an approver
//! opens (`refresh`, from the page extractor), read by the layout's
//! navigation (`get`) without a query of its own.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::app::AppState;
use super::users::{Role, User};

static COUNTS: LazyLock<Mutex<HashMap<i64, usize>>> = LazyLock::new(Default::default);

/// Count what awaits `user` now (approvers only; others have no count).
pub async fn refresh(state: &AppState, user: &User) {
    if !user.has(Role::Approver) {
        return;
    }
    let n = super::clip_list::count(state, user, Some("submitted"))
        .await
        .unwrap_or(0);
    if let Ok(mut m) = COUNTS.lock() {
        m.insert(user.id, n);
    }
}

/// The last count for this account (None: not an approver or not counted).
pub fn get(user: &User) -> Option<usize> {
    if !user.has(Role::Approver) {
        return None;
    }
    COUNTS.lock().ok()?.get(&user.id).copied()
}
