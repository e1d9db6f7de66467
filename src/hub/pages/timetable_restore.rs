//! "Khôi phục": undo a program's deletion. The timetable page, after a
//! delete, shows a button posting `from` (the document sequence before the
//! delete), `program` (the deleted id) and `base` (the timetable now); this
//! takes that program whole from the timetable history
//! (`hub::timetable::document`), adds it back and publishes (signed,
//! sequence + 1, audited like any edit). Refused, changing nothing, when the
//! program is back already, the history lacks it, or the timetable changed
//! since the page was drawn.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::ctx::Staff;
use super::layout::url_escape;
use super::timetable::{hub_error, load};
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::error::HubError;
use crate::hub::program_form::{from_toml, to_toml};
use crate::hub::timetable;

#[derive(Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    from: u64,
    #[serde(default)]
    program: String,
    #[serde(default)]
    base: u64,
}

/// `POST /stations/{id}/programs/restore`.
pub async fn restore(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path(id): Path<String>,
    Form(f): Form<RestoreForm>,
) -> Response {
    let loaded = match load(&state, &s, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let now = loaded.tt.as_ref().map(|t| t.sequence).unwrap_or(0);
    if f.base != now {
        return s.fail(
            "stations",
            HubError::conflict("err-timetable-changed-after-delete-open"),
        );
    }
    if loaded.forms.iter().any(|p| p.id == f.program) {
        return s.fail(
            "stations",
            HubError::conflict("err-program-in-timetable-already").arg("program", f.program),
        );
    }
    let old = match timetable::document(&state.db, &id, f.from).await {
        Ok(Some(doc)) => from_toml(&doc).unwrap_or_default(),
        Ok(None) => vec![],
        Err(e) => return s.fail("stations", e),
    };
    let Some(p) = old.into_iter().find(|p| p.id == f.program) else {
        return s.fail(
            "stations",
            HubError::not_found("err-timetable-no-has-no-program")
                .arg("from", f.from)
                .arg("program", f.program),
        );
    };
    let mut all = loaded.forms.clone();
    all.push(p);
    match timetable::publish(&state, &s.user, &addr.0, &id, &to_toml(&all).text).await {
        Ok(_) => Redirect::to(&format!(
            "/stations/{}/programs?done=restored",
            url_escape(&id)
        ))
        .into_response(),
        Err(e) => s.fail("stations", hub_error(e)),
    }
}
