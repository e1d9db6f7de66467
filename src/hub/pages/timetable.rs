//! Lịch phát sóng of one station (`/stations/{id}/programs`): what the hub
//! last published and whether the station applied it ("đang chờ" while not),
//! what is on the station now (its heartbeat), play now / stop (signed
//! documents through `hub::timetable::command`), the week picture of the
//! hub's timetable, and the programs with edit / delete. Only an operator of
//! the station or an admin over it gets here (`hub::timetable::may_change`,
//! 403 otherwise). The editor itself is `timetable_edit.rs`.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;

use super::confirm::{self, Ask};
use super::ctx::Staff;
use super::days_words::days_text;
use super::i18n::Lang;
use super::layout::{url_escape, when, Note};
use super::now::Now;
use super::week::{layout, monday_of, week_picture};
use super::week_frame::{Drawn, Frame};
use crate::config::Item;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::db::col;
use crate::hub::error::HubError;
use crate::hub::heartbeat::{self, StationInfo};
use crate::hub::program_form::{from_toml, ProgramForm, WhenKind};
use crate::hub::timetable::{self, Remote, StationTimetable, TimetableError};
use crate::tr;

/// What every timetable page of a station starts from.
pub struct Loaded {
    pub st: StationInfo,
    pub tt: Option<StationTimetable>,
    pub forms: Vec<ProgramForm>,
}

/// The station (visible to `s`), the scope check, the hub's timetable as forms.
pub async fn load(state: &AppState, s: &Staff, id: &str) -> Result<Loaded, Response> {
    let st = heartbeat::one(state, &s.user, id)
        .await
        .map_err(|e| s.fail("stations", e))?;
    timetable::may_change(state, &s.user, id, &st.areas)
        .await
        .map_err(|e| s.fail("stations", e))?;
    let tt = timetable::current(&state.db, id)
        .await
        .map_err(|e| s.fail("stations", e))?;
    let forms = match &tt {
        Some(t) => {
            from_toml(&t.toml).map_err(|e| s.fail("stations", HubError::Internal(e.to_string())))?
        }
        None => Vec::new(),
    };
    Ok(Loaded { st, tt, forms })
}

/// A `TimetableError` as the hub's error (for pages).
pub fn hub_error(e: TimetableError) -> HubError {
    match e {
        TimetableError::Forbidden(r) => HubError::Forbidden(r),
        TimetableError::NoStation => HubError::not_found("err-no-such-station"),
        TimetableError::BadCommand(r) => HubError::Invalid(r),
        TimetableError::NotOnStation(r) => HubError::Invalid(r),
        TimetableError::Invalid(d) => HubError::invalid("err-timetable-has-errors")
            .arg_per_lang("first", |l| {
                d.first().map(|x| x.display_in(l)).unwrap_or_default()
            }),
        TimetableError::Hub(e) => e,
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    week: String,
    #[serde(default)]
    done: String,
    /// After a delete: the sequence before it and the program deleted (for "Khôi phục").
    #[serde(default)]
    from: Option<u64>,
    #[serde(default)]
    program: String,
}

/// Durations of the hub's approved clips (for `{ clip }` items in the picture).
async fn clip_lengths(state: &AppState) -> HashMap<String, Duration> {
    let rows = sqlx::query("SELECT id, duration_ms FROM clips WHERE state = 'approved'")
        .fetch_all(&state.db.pool)
        .await
        .unwrap_or_default();
    rows.iter()
        .filter_map(|r| {
            let id: String = col(r, "id").ok()?;
            let ms: i64 = col(r, "duration_ms").ok()?;
            Some((id, Duration::from_millis(u64::try_from(ms).ok()?)))
        })
        .collect()
}

/// "05:00, 17:00 · T2–T7" for a program card.
fn when_text(l: Lang, f: &ProgramForm) -> String {
    let when = match f.when {
        WhenKind::At => f.at.clone(),
        WhenKind::Cron => format!("cron {}", f.cron),
        WhenKind::OnStart => tr!(l, "stations-on-start", after = f.on_start.clone()),
    };
    match days_text(l, f.days) {
        Some(days) => tr!(l, "stations-when-days", when = when, days = days),
        None => tr!(l, "stations-when-every-day", when = when),
    }
}

fn status_card(
    l: Lang,
    tz: chrono_tz::Tz,
    st: &StationInfo,
    tt: &Option<StationTimetable>,
    now: Option<&Now>,
) -> Markup {
    let applied = st.programs_sequence;
    html! {
        div class="card" id="tt-status" {
            @match tt {
                None => p class="meta" { (tr!(l, "stations-tt-none-sent")) },
                Some(t) => {
                    p id="tt-seq" data-seq=(t.sequence) { (tr!(l, "stations-tt-number", n = t.sequence.to_string(), who = t.published_by.clone(), at = when(tz, t.published_at))) }
                    @if applied.is_some_and(|a| a >= t.sequence) {
                        p class="msg ok" id="applied" data-applied=(t.sequence) { (tr!(l, "stations-tt-applied")) }
                    } @else {
                        p class="msg info" id="waiting" {
                            strong { (tr!(l, "stations-tt-waiting")) } " — "
                            @match applied {
                                Some(a) => (tr!(l, "stations-tt-runs", n = a.to_string())),
                                None => (tr!(l, "stations-tt-runs-none")),
                            }
                            @if !st.online { " · " (tr!(l, "stations-tt-offline-later")) }
                        }
                    }
                    @if let Some(e) = &t.station_error {
                        @let r = crate::hub::refusal::render(l, e, t.station_error_msg.as_ref());
                        p class="msg err" id="station-error" data-command=(r.command) { strong { (r.title) ": " } (r.text) }
                    }
                }
            }
            h3 { (tr!(l, "stations-now-title")) }
            div id="now-on-air" {
                @match now {
                    Some(n) => (super::now::block(l, n)),
                    None => p class="meta" { (tr!(l, "stations-offline")) },
                }
            }
        }
    }
}

fn remote_card(l: Lang, id: &str, forms: &[ProgramForm], now: Option<&Now>) -> Markup {
    let base = format!("/stations/{}", url_escape(id));
    let files: &[String] = now.map(|n| n.files.as_slice()).unwrap_or_default();
    html! {
        div class="card" id="remote" {
            h3 { (tr!(l, "stations-remote-title")) }
            form method="post" action={ (base) "/play" } {
                label for="target" { (tr!(l, "stations-remote-target")) }
                input type="text" id="target" name="target" list="dl-programs" required autocapitalize="none";
                datalist id="dl-programs" {
                    @for f in forms { option value=(f.id) { (f.title) } }
                    @if let Some(n) = now { @for (p, t) in &n.own { option value=(p) { (t) } } }
                    @for f in files { option value=(f) {} }
                }
                label for="priority" { (tr!(l, "stations-remote-priority")) " " span class="hint" { (tr!(l, "stations-remote-priority-hint")) } }
                input type="number" id="priority" name="priority" min="1" max="999";
                div class="actions" { button type="submit" class="ok big" id="play" { (tr!(l, "stations-play-now")) } }
            }
            form method="post" action={ (base) "/stop" } class="actions" {
                button type="submit" class="no big" id="stop" { (tr!(l, "stations-stop")) }
            }
        }
    }
}

/// The week picture of the hub's timetable and the station's own programs
/// (nothing when there are none).
fn picture(
    l: Lang,
    drawn: &Drawn,
    frame: &Frame,
    lengths: &HashMap<String, Duration>,
    monday: NaiveDate,
    today: NaiveDate,
    id: &str,
) -> Markup {
    let Some(cfg) = drawn.config.as_ref() else {
        return html! {};
    };
    let mut dur = |i: &Item| match i {
        Item::Clip(c) => lengths.get(c).copied(),
        _ => None,
    };
    let mut days = match layout(cfg, monday, &mut dur) {
        Ok(days) => days,
        Err(dense) => return dense.show(l),
    };
    frame.mark_own(drawn, &mut days);
    let href = |m: NaiveDate| format!("/stations/{}/programs?week={m}", url_escape(id));
    week_picture(l, cfg, &days, today, &href)
}

/// `GET /stations/{id}/programs`.
pub async fn show(
    State(state): State<AppState>,
    s: Staff,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let l = s.lang;
    let Loaded { st, tt, forms } = match load(&state, &s, &id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let tz = state.cfg.timezone;
    let now = Now::load(&state, &s.user, &id).await.ok();
    let frame = Frame::load(&state, &st, tz).await;
    let today = chrono::Utc::now().with_timezone(&frame.tz).date_naive();
    let monday = NaiveDate::parse_from_str(&q.week, "%Y-%m-%d")
        .map(monday_of)
        .unwrap_or_else(|_| monday_of(today));
    let drawn = frame.config(tt.as_ref().map(|t| t.toml.as_str()), &st.name);
    let lengths = clip_lengths(&state).await;
    // What the station airs now when it has not applied the newest document:
    // the programs of the one it reported (`timetable::document`).
    let applied = match (&tt, st.programs_sequence) {
        (Some(t), Some(a)) if a < t.sequence => timetable::document(&state.db, &id, a)
            .await
            .ok()
            .flatten()
            .and_then(|doc| from_toml(&doc).ok())
            .map(|forms| crate::hub::program_form::to_toml(&forms).text)
            .map(|text| (a, frame.config(Some(&text), &st.name)))
            .filter(|(_, d)| d.config.is_some()),
        _ => None,
    };
    let note = match q.done.as_str() {
        "published" => Some(Note::Ok(tr!(l, "stations-done-published"))),
        "play" => Some(Note::Ok(tr!(l, "stations-done-play"))),
        "stop" => Some(Note::Ok(tr!(l, "stations-done-stop"))),
        "deleted" => Some(Note::Ok(tr!(l, "stations-done-deleted"))),
        "restored" => Some(Note::Ok(tr!(l, "stations-done-restored"))),
        _ => None,
    };
    let base = format!("/stations/{}", url_escape(&id));
    let seq = tt.as_ref().map(|t| t.sequence).unwrap_or(0);
    let undo = match (q.done.as_str(), q.from) {
        ("deleted", Some(from))
            if !q.program.is_empty() && !forms.iter().any(|f| f.id == q.program) =>
        {
            Some(from)
        }
        _ => None,
    };
    let body = html! {
        p class="meta" { a href=(base) { "← " (st.name) } }
        h1 id="timetable" data-station=(st.id) { (tr!(l, "stations-timetable")) }
        @if let Some(n) = &note { div id="note" { (n.show()) } }
        @if let Some(from) = undo {
            form method="post" action={ (base) "/programs/restore" } id="undo" class="actions" {
                input type="hidden" name="from" value=(from);
                input type="hidden" name="program" value=(q.program);
                input type="hidden" name="base" value=(seq);
                button type="submit" class="big" id="restore" { (tr!(l, "stations-restore", program = q.program.clone())) }
            }
        }
        (status_card(l, tz, &st, &tt, now.as_ref()))
        (remote_card(l, &id, &forms, now.as_ref()))
        h2 { (tr!(l, "stations-week")) }
        (frame.note(l, drawn.own_left_out.as_deref()))
        @if tt.is_none() { p class="meta" { (tr!(l, "stations-no-programs")) } }
        (picture(l, &drawn, &frame, &lengths, monday, today, &id))
        @if let Some((a, c)) = &applied {
            section id="on-station-week" data-sequence=(a) {
                h2 { (tr!(l, "stations-on-station-week", n = a.to_string())) }
                p class="meta" { (tr!(l, "stations-on-station-week-why")) }
                (picture(l, c, &frame, &lengths, monday, today, &id))
            }
        }
        h2 { (tr!(l, "stations-programs")) }
        @for (i, f) in forms.iter().enumerate() {
            div class="card prog" data-program=(f.id) {
                h3 { (if f.title.is_empty() { &f.id } else { &f.title }) }
                div class="meta" { (f.id) " · " (when_text(l, f)) }
                div class="actions" {
                    a class="btn plain" href={ (base) "/programs/edit?p=" (i) } { (tr!(l, "stations-edit")) }
                    form method="post" action={ (base) "/programs/delete?p=" (i) } {
                        input type="hidden" name="base" value=(seq);
                        button type="submit" class="no" { (tr!(l, "stations-delete")) }
                    }
                }
            }
        }
        p { a class="btn" id="add-program" href={ (base) "/programs/edit" } { "+ " (tr!(l, "stations-add-program")) } }
        script src="/static/live.js" defer {}
    };
    s.render("stations", &tr!(l, "stations-timetable"), body)
}

#[derive(Deserialize)]
pub struct RemoteForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    priority: String,
    /// Where to go after: "/" (the home) or the timetable page.
    #[serde(default)]
    back: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /stations/{id}/play` and `/stop`: stop, and play now inside the
/// station's quiet hours, go through the confirm step first.
pub async fn remote(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<RemoteForm>,
) -> Response {
    let l = s.lang;
    let page = format!("/stations/{}/programs", url_escape(&id));
    let back = if f.back == "/" {
        "/".to_string()
    } else {
        page.clone()
    };
    let now = match Now::load(&state, &s.user, &id).await {
        Ok(n) => n,
        Err(e) => return s.fail("stations", e),
    };
    // Out of scope: no confirm step; `command` refuses (403) and audits it.
    let may = timetable::may_change(&state, &s.user, &id, &now.areas)
        .await
        .is_ok();
    let confirmed = !may || confirm::confirmed(f.confirm.as_deref());
    let action_url = format!("/stations/{}/{action}", url_escape(&id));
    let cmd = match action.as_str() {
        "play" => {
            let priority = match f.priority.trim() {
                "" => None,
                p => match p.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        return s.fail(
                            "stations",
                            HubError::invalid("err-priority-not-number").arg("p", p),
                        )
                    }
                },
            };
            if !confirmed && now.in_quiet_hours() {
                return confirm::ask(
                    &s,
                    "stations",
                    Ask {
                        action: &action_url,
                        question: tr!(
                            l,
                            "stations-confirm-quiet",
                            name = now.name.clone(),
                            target = f.target.trim().to_string(),
                            hours = now.quiet_hours.join(", ")
                        ),
                        yes: tr!(l, "stations-play-now"),
                        fields: vec![
                            ("target", f.target.clone()),
                            ("priority", f.priority.clone()),
                            ("back", back.clone()),
                        ],
                        back: &back,
                    },
                );
            }
            Remote::Play {
                target: f.target,
                priority,
            }
        }
        "stop" => {
            if !confirmed {
                let question = match &now.on_air {
                    Some((title, _, _)) => tr!(
                        l,
                        "stations-confirm-stop",
                        name = now.name.clone(),
                        title = title.clone()
                    ),
                    None => tr!(l, "stations-confirm-stop-idle", name = now.name.clone()),
                };
                return confirm::ask(
                    &s,
                    "stations",
                    Ask {
                        action: &action_url,
                        question,
                        yes: tr!(l, "stations-stop"),
                        fields: vec![("back", back.clone())],
                        back: &back,
                    },
                );
            }
            Remote::Stop
        }
        _ => return s.fail("stations", HubError::not_found("err-no-such-action")),
    };
    match timetable::command(&state, &s.user, &addr.0, &id, cmd).await {
        Ok(_) => Redirect::to(&format!("{back}?done={action}")).into_response(),
        Err(e) => s.fail("stations", hub_error(e)),
    }
}
