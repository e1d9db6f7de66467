//! The one life cycle of what the hub reviews — clips and pushed broadcasts
//! (HUB.md "Content life cycle"): draft → submitted → approved | rejected →
//! withdrawn. Owns what every kind shares: who may approve, reject or
//! withdraw and from which state (an approver in scope, never the author:
//! `scope::may_decide`), the refusal texts (vi + en, named by the kind), and
//! the audited transition — the state change and its audit row in one
//! `begin_write` transaction, then the feed re-signed when an approved item
//! came in or went out. A kind says what differs through [`Reviewed`].

use std::future::Future;

use serde::Serialize;
use serde_json::Value;

use super::app::AppState;
use super::audit;
use super::auth::session::audit_event;
use super::auth::ClientAddr;
use super::db::now_s;
use super::error::{HubError, HubResult, Reason};
use super::scope;
use super::users::{Role, User};

/// A reviewed kind's names.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Its table, e.g. `clips`.
    pub table: &'static str,
    /// English name, also the audit target (`clip:ID`) and the audit
    /// actions' prefix (`clip_approve`).
    pub en: &'static str,
}

/// What a kind tells the life cycle.
pub trait Reviewed: Serialize + Sized + Send + Sync + 'static {
    const KIND: Kind;
    /// The columns `from_row` reads.
    const COLUMNS: &'static str;
    fn from_row(r: &sqlx::any::AnyRow) -> HubResult<Self>;
    fn id(&self) -> &str;
    fn state(&self) -> &str;
    fn author(&self) -> i64;
    fn areas(&self) -> &[String];
    /// The whole item, as the services return it (404 when missing).
    fn load(state: &AppState, id: &str) -> impl Future<Output = HubResult<Self>> + Send;
    /// The audit row's `before` and `after`.
    fn audit_before(&self) -> Value;
    fn audit_after(&self) -> Value;
    /// A column every step also writes, and its value given what the step
    /// fixes (broadcasts: `at`, fixed at approval). None: nothing more.
    fn fixed(&self, _step: Option<i64>) -> Option<(&'static str, i64)> {
        None
    }
    /// The kind's own checks before approval, once the shared ones passed;
    /// what approval fixes (see `fixed`).
    fn ready_to_approve(
        &self,
        _state: &AppState,
    ) -> impl Future<Output = HubResult<Option<i64>>> + Send {
        async { Ok(None) }
    }
    /// The kind's own checks before withdrawal, once the shared ones passed.
    fn free_to_withdraw(&self, _state: &AppState) -> impl Future<Output = HubResult<()>> + Send {
        async { Ok(()) }
    }
}

/// 404: no such item.
pub fn not_found(k: &Kind, id: &str) -> HubError {
    HubError::not_found("err-item-not-found")
        .arg("kind", k.en)
        .arg("id", id)
}

/// 409: the item is in state `st`, which cannot become `want`.
pub fn wrong_state(k: &Kind, id: &str, st: &str, want: &str) -> HubError {
    HubError::conflict("err-item-wrong-state")
        .arg("kind", k.en)
        .arg("id", id)
        .arg("state", st)
        .arg("want", want)
}

/// The step is committed but the feed could not be re-signed: a full disk
/// says so plainly (the old feed stays served; `publish::refresh_loop` re-signs once
/// there is space); anything else is passed on.
fn not_yet_signed(k: &Kind, id: &str, e: HubError) -> HubError {
    match e {
        HubError::DiskFull(_) => HubError::DiskFull(
            Reason::new("err-item-disk-full-unsigned")
                .arg("kind", k.en)
                .arg("id", id),
        ),
        e => e,
    }
}

/// One step: the new state, its reason, what it fixes (see
/// `Reviewed::fixed`), and the audit action's verb (`clip_` + verb).
#[derive(Debug, Clone)]
pub struct Step {
    pub to: &'static str,
    pub reason: Option<String>,
    pub fixed: Option<i64>,
    pub verb: &'static str,
}

impl Step {
    pub fn to(to: &'static str, verb: &'static str) -> Step {
        Step {
            to,
            reason: None,
            fixed: None,
            verb,
        }
    }
}

/// Read one row inside `tx` (the transition's own view).
async fn read_in<I: Reviewed>(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
) -> HubResult<I> {
    let k = I::KIND;
    let row = sqlx::query(&format!(
        "SELECT {} FROM {} WHERE id = $1",
        I::COLUMNS,
        k.table
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| not_found(&k, id))?;
    I::from_row(&row)
}

/// Change an item's state (only from the state `before` was read in), with
/// its audit row in the same write transaction; then re-sign the feed when
/// an approved item came in or went out. A state changed meanwhile is a 409
/// naming the state it is in now.
pub async fn transition<I: Reviewed>(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    before: &I,
    step: Step,
) -> HubResult<I> {
    let k = I::KIND;
    let id = before.id();
    let fixed = before.fixed(step.fixed);
    let (extra, n) = match fixed {
        Some((column, _)) => (format!(", {column} = $5"), 6),
        None => (String::new(), 5),
    };
    let sql = format!(
        "UPDATE {} SET state = $1, reason = $2, decided_by = $3, updated_at = $4{extra} WHERE id = ${n} AND state = ${}",
        k.table,
        n + 1
    );
    let mut ev = audit_event(
        user,
        addr,
        &format!("{}_{}", k.en, step.verb),
        format!("{}:{id}", k.en),
    );
    ev.before = before.audit_before().to_string();
    {
        let _g = state.audit_lock.lock().await;
        let mut tx = state.db.begin_write().await?;
        let mut q = sqlx::query(&sql)
            .bind(step.to)
            .bind(step.reason)
            .bind(user.id)
            .bind(now_s());
        if let Some((_, v)) = fixed {
            q = q.bind(v);
        }
        let changed = q.bind(id).bind(before.state()).execute(&mut *tx).await?;
        let after: I = read_in(&mut tx, id).await?;
        if changed.rows_affected() == 0 {
            return Err(wrong_state(&k, id, after.state(), step.to));
        }
        ev.after = after.audit_after().to_string();
        audit::append_in(state.db.dialect, &mut tx, &ev).await?;
        tx.commit().await?;
    }
    audit::trace(&ev);
    if step.to == "approved" || before.state() == "approved" {
        super::fault::point("after-approve-commit");
        super::publish::publish_now(state)
            .await
            .map_err(|e| not_yet_signed(&k, id, e))?;
    }
    I::load(state, id).await
}

/// Load an item `user` may see; one outside its sight (`scope::sees`)
/// answers exactly like a missing one — same 404, same body — so decisions
/// cannot be used to learn which ids exist elsewhere.
async fn load_seen<I: Reviewed>(
    state: &AppState,
    user: &User,
    id: &str,
) -> HubResult<(I, super::areas::AreaTree)> {
    let it = I::load(state, id).await?;
    let tree = state.area_tree(it.areas()).await?;
    if !scope::sees(&tree, user, it.author(), it.areas()) {
        return Err(not_found(&I::KIND, id));
    }
    Ok((it, tree))
}

/// Load an item for a decision by `user`: an approver whose areas cover it,
/// never its author.
async fn for_decision<I: Reviewed>(state: &AppState, user: &User, id: &str) -> HubResult<I> {
    let (it, tree) = load_seen::<I>(state, user, id).await?;
    scope::may_decide(&tree, user, it.author(), it.areas())?;
    Ok(it)
}

/// submitted → approved (in the signed feed at once).
pub async fn approve<I: Reviewed>(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<I> {
    let it: I = for_decision(state, user, id).await?;
    if it.state() != "submitted" {
        return Err(wrong_state(&I::KIND, id, it.state(), "approved"));
    }
    let fixed = it.ready_to_approve(state).await?;
    let step = Step {
        fixed,
        ..Step::to("approved", "approve")
    };
    transition(state, user, addr, &it, step).await
}

/// submitted → rejected, with a reason.
pub async fn reject<I: Reviewed>(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
    reason: &str,
) -> HubResult<I> {
    let it: I = for_decision(state, user, id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(HubError::invalid("err-rejection-needs-reason"));
    }
    if it.state() != "submitted" {
        return Err(wrong_state(&I::KIND, id, it.state(), "rejected"));
    }
    let step = Step {
        reason: Some(reason.to_string()),
        ..Step::to("rejected", "reject")
    };
    transition(state, user, addr, &it, step).await
}

/// Any state but withdrawn → withdrawn (out of the feed): by its author, or
/// an approver or admin whose areas cover it.
pub async fn withdraw<I: Reviewed>(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
) -> HubResult<I> {
    let (it, tree) = load_seen::<I>(state, user, id).await?;
    let may = it.author() == user.id
        || ((user.has(Role::Admin) || user.has(Role::Approver))
            && scope::covers(&tree, user, it.areas()));
    if !may {
        return Err(HubError::forbidden("err-item-withdraw-who").arg("kind", I::KIND.en));
    }
    if it.state() == "withdrawn" {
        return Err(wrong_state(&I::KIND, id, it.state(), "withdrawn"));
    }
    it.free_to_withdraw(state).await?;
    transition(state, user, addr, &it, Step::to("withdrawn", "withdraw")).await
}

/// A page's or the API's action by name: `approve`, `reject` (with
/// `reason`) or `withdraw`; anything else is a 404.
pub async fn act<I: Reviewed>(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    id: &str,
    what: &str,
    reason: &str,
) -> HubResult<I> {
    match what {
        "approve" => approve(state, user, addr, id).await,
        "reject" => reject(state, user, addr, id, reason).await,
        "withdraw" => withdraw(state, user, addr, id).await,
        _ => Err(HubError::not_found("err-no-action").arg("what", what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    const BROADCAST: Kind = Kind {
        table: "broadcasts",
        en: "broadcast",
    };

    const CLIP: Kind = Kind {
        table: "clips",
        en: "clip",
    };

    #[test]
    fn refusals_name_the_kind_in_both_languages() {
        let e = wrong_state(&CLIP, "tin-1", "draft", "approved");
        assert_eq!(e.status(), axum::http::StatusCode::CONFLICT);
        let r = e.reason();
        assert_eq!(
            r.text(Lang::Vi),
            "bản tin `tin-1` đang ở trạng thái bản nháp, không thể chuyển sang đã phê duyệt"
        );
        assert_eq!(
            r.text(Lang::En),
            "clip `tin-1` is draft: it cannot be approved"
        );
        let e = not_found(&CLIP, "x");
        assert_eq!(e.status(), axum::http::StatusCode::NOT_FOUND);
        assert_eq!(e.reason().text(Lang::En), "no clip `x`");
        assert_eq!(e.reason().text(Lang::Vi), "không có bản tin `x`");
        let e = not_found(&BROADCAST, "p");
        assert_eq!(e.reason().text(Lang::Vi), "không có lượt phát `p`");
    }
}
