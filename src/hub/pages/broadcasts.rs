//! Phát ngay: pushed broadcasts — the list, the proposal form (title, clips
//! to play, now or at a time in the hub's zone, normal or emergency level
//! (khẩn cấp = priority 100), areas) and the life cycle buttons (phê duyệt,
//! từ chối with a reason, thu hồi: the clips' page's forms). The rules are
//! `hub::broadcasts`' and `hub::lifecycle`'s.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::TimeZone;
use maud::{html, Markup};

use super::clips::{ask_withdraw, decision_forms, done_location, done_note, ActionForm};
use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::{areas_text, level_badge, state_badge, when, Note};
use super::service;
use crate::hub::app::AppState;
use crate::hub::areas::AreaTree;
use crate::hub::auth::ClientAddr;
use crate::hub::broadcasts::{self, BroadcastInfo, Proposal, EMERGENCY};
use crate::hub::clips::{self, ClipInfo};
use crate::hub::error::HubError;
use crate::hub::lifecycle;
use crate::hub::users::{Role, User};
use crate::tr;

/// One broadcast as a card, with the buttons that fit (the service decides).
pub fn card(
    l: Lang,
    tz: chrono_tz::Tz,
    tree: &AreaTree,
    names: &HashMap<i64, String>,
    u: &User,
    b: &BroadcastInfo,
    back: &str,
) -> Markup {
    let level = if b.emergency { "emergency" } else { "normal" };
    let base = format!("/broadcasts/{}", b.id);
    let decide = b.state == "submitted" && u.has(Role::Approver) && b.created_by != u.id;
    let withdraw = matches!(b.state.as_str(), "submitted" | "approved")
        && (b.created_by == u.id || u.has(Role::Approver) || u.has(Role::Admin));
    html! {
        div class="card broadcast" data-id=(b.id) {
            h3 class="title" { (b.title) }
            div { (state_badge(l, &b.state)) " " (level_badge(l, level)) }
            div class="meta" {
                @match b.at {
                    Some(at) => { (tr!(l, "clips-bc-at", when = when(tz, at))) }
                    None => { (tr!(l, "clips-bc-now")) }
                }
                " · " (tr!(l, "clips-bc-priority", n = b.priority))
            }
            div class="meta" { (tr!(l, "clips-bc-plays", clips = b.play.join(", "))) }
            div class="meta" { (tr!(l, "clips-card-areas", areas = areas_text(tree, l, &b.areas))) }
            div class="meta" { (tr!(l, "clips-card-by", who = names.get(&b.created_by).cloned().unwrap_or_else(|| "?".into()), when = when(tz, b.created_at))) }
            @if let Some(r) = &b.reason { div class="meta reason" { (tr!(l, "clips-card-reason", reason = r.clone())) } }
            div class="actions" { (decision_forms(l, &base, back, decide, withdraw)) }
        }
    }
}

fn proposal_form(
    l: Lang,
    playable: &[ClipInfo],
    areas: &[(String, String)],
    v: &[(String, String)],
) -> Markup {
    let get = |k: &str| {
        v.iter()
            .find(|(a, _)| a == k)
            .map(|(_, b)| b.as_str())
            .unwrap_or("")
    };
    let has = |k: &str, val: &str| v.iter().any(|(a, b)| a == k && b == val);
    let mode = if get("mode").is_empty() {
        "now"
    } else {
        get("mode")
    };
    let level = if get("level").is_empty() {
        "normal"
    } else {
        get("level")
    };
    html! {
        form method="post" action="/broadcasts" class="card" id="propose" {
            h2 { (tr!(l, "clips-bc-propose")) }
            label for="b-title" { (tr!(l, "clips-field-title")) }
            input type="text" id="b-title" name="title" value=(get("title")) maxlength="200" required;
            fieldset {
                legend { (tr!(l, "clips-bc-clips")) }
                @if playable.is_empty() { p class="hint" { (tr!(l, "clips-bc-no-clip")) } }
                @for c in playable {
                    label class="check" {
                        input type="checkbox" name="play" value=(c.id) checked[has("play", &c.id)];
                        (c.title) " " span class="hint" { "(" (l.state(&c.state)) ")" }
                    }
                }
            }
            fieldset {
                legend { (tr!(l, "clips-bc-when")) }
                label class="check" { input type="radio" name="mode" value="now" checked[mode == "now"]; (tr!(l, "clips-bc-mode-now")) }
                label class="check" { input type="radio" name="mode" value="at" checked[mode == "at"]; (tr!(l, "clips-bc-mode-at")) }
                input type="datetime-local" name="at" value=(get("at")) aria-label=(tr!(l, "clips-bc-at-label"));
            }
            fieldset {
                legend { (tr!(l, "clips-field-level")) }
                label class="check" { input type="radio" name="level" value="normal" checked[level == "normal"]; (tr!(l, "clips-level-normal")) }
                label class="check" { input type="radio" name="level" value="emergency" checked[level == "emergency"]; (tr!(l, "clips-bc-emergency")) }
            }
            fieldset {
                legend { (tr!(l, "clips-field-areas")) " " span class="hint" { (tr!(l, "clips-field-areas-hint")) } }
                @for (code, name) in areas {
                    label class="check" { input type="checkbox" name="areas" value=(code) checked[has("areas", code)]; (name) " (" (code) ")" }
                }
            }
            div class="actions" { button type="submit" id="propose-btn" { (tr!(l, "clips-bc-propose-button")) } }
        }
    }
}

/// The form's fields → the service's proposal (`at` is local time in the hub's zone).
fn proposal(tz: chrono_tz::Tz, v: &[(String, String)]) -> Result<Proposal, HubError> {
    let get = |k: &str| {
        v.iter()
            .find(|(a, _)| a == k)
            .map(|(_, b)| b.trim().to_string())
            .unwrap_or_default()
    };
    let all = |k: &str| {
        v.iter()
            .filter(|(a, _)| a == k)
            .map(|(_, b)| b.clone())
            .collect::<Vec<_>>()
    };
    let now = get("mode") != "at";
    let at = if now {
        None
    } else {
        let s = get("at");
        let local = chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| HubError::invalid("clips-bc-err-at"))?;
        let t = tz
            .from_local_datetime(&local)
            .earliest()
            .ok_or_else(|| HubError::invalid("clips-bc-err-gap").arg("at", &s))?;
        Some(t.to_rfc3339())
    };
    let priority = if get("level") == "emergency" {
        EMERGENCY
    } else {
        i64::from(crate::config::DEFAULT_PRIORITY)
    };
    Ok(Proposal {
        id: None,
        title: get("title"),
        at,
        now,
        play: all("play"),
        priority,
        areas: all("areas"),
    })
}

async fn page(
    state: &AppState,
    s: &Staff,
    v: &[(String, String)],
    note: Option<Note>,
    status: StatusCode,
) -> Response {
    let l = s.lang;
    let loaded = async {
        let list = broadcasts::list(state, &s.user).await?;
        let mut playable = clips::list(state, &s.user, Some("approved")).await?;
        playable.extend(clips::list(state, &s.user, Some("submitted")).await?);
        playable.truncate(200);
        Ok::<_, HubError>((
            list,
            playable,
            service::areas_for(state, &s.user).await?,
            state.area_tree(&[]).await?,
            service::names(state).await?,
        ))
    }
    .await;
    let (list, playable, areas, tree, names) = match loaded {
        Ok(x) => x,
        Err(e) => return s.fail("broadcasts", e),
    };
    let tz = state.cfg.timezone;
    let body = html! {
        h1 { (tr!(l, "clips-bc-title")) }
        @if let Some(n) = &note { div id="error" { (n.show()) } }
        @if s.user.has(Role::Editor) { (proposal_form(l, &playable, &areas, v)) }
        h2 { (tr!(l, "clips-bc-list")) }
        @if list.is_empty() { p class="meta" { (tr!(l, "clips-bc-none")) } }
        @for b in &list { (card(l, tz, &tree, &names, &s.user, b, "/broadcasts")) }
    };
    (
        status,
        s.render("broadcasts", &tr!(l, "clips-bc-title"), body),
    )
        .into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

/// `GET /broadcasts`.
pub async fn list(State(state): State<AppState>, s: Staff, Query(q): Query<Done>) -> Response {
    page(
        &state,
        &s,
        &[],
        done_note(s.lang, q.done.as_deref()),
        StatusCode::OK,
    )
    .await
}

/// `POST /broadcasts`: propose.
pub async fn propose(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Form(v): Form<Vec<(String, String)>>,
) -> Response {
    let r = match proposal(state.cfg.timezone, &v) {
        Ok(p) => broadcasts::propose(&state, &s.user, &addr, p).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => Redirect::to("/broadcasts?done=propose").into_response(),
        Err(
            e @ (HubError::Invalid(_)
            | HubError::Conflict(_)
            | HubError::Forbidden(_)
            | HubError::NotFound(_)),
        ) => {
            let note = Note::Err(s.lang.reason(&e.reason()));
            page(&state, &s, &v, Some(note), e.status()).await
        }
        Err(e) => s.fail("broadcasts", e),
    }
}

/// `POST /broadcasts/{id}/{approve|reject|withdraw}`.
pub async fn act(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path((id, what)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    if what == "withdraw" {
        let b = match broadcasts::get(&state, &s.user, &id).await {
            Ok(b) => b,
            Err(e) => return s.fail("broadcasts", e),
        };
        let action = format!("/broadcasts/{id}/withdraw");
        let question = tr!(s.lang, "clips-bc-withdraw-ask", title = b.title.clone());
        if let Some(page) = ask_withdraw(&s, "broadcasts", &action, question, &f) {
            return page;
        }
    }
    match lifecycle::act::<BroadcastInfo>(&state, &s.user, &addr, &id, &what, &f.reason).await {
        Ok(_) => Redirect::to(&done_location(&f.back, "/broadcasts", &what)).into_response(),
        Err(e) => s.fail("broadcasts", e),
    }
}
