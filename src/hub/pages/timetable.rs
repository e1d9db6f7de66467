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

use super::ctx::Staff;
use super::i18n::Lang;
use super::layout::{url_escape, when, Note};
use super::week::{layout, monday_of, week_picture};
use super::week_frame::{Drawn, Frame};
use crate::config::Item;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::db::col;
use crate::hub::error::HubError;
use crate::hub::heartbeat::{self, StationInfo};
use crate::hub::program_form::{from_toml, ProgramForm, WhenKind, DAYS};
use crate::hub::timetable::{self, Remote, StationTimetable, TimetableError};

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
        TimetableError::NoStation => HubError::not_found("không có đài này", "no such station"),
        TimetableError::BadCommand(r) => HubError::Invalid(r),
        TimetableError::NotOnStation(r) => HubError::Invalid(r),
        TimetableError::Invalid(d) => HubError::invalid(
            format!(
                "lịch có lỗi: {}",
                d.first()
                    .map(|x| x.display_in(Lang::Vi))
                    .unwrap_or_default()
            ),
            format!(
                "the timetable has errors: {}",
                d.first().map(|x| x.to_string()).unwrap_or_default()
            ),
        ),
        TimetableError::Hub(e) => e,
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    week: String,
    #[serde(default)]
    done: String,
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
        WhenKind::OnStart => format!("{} {}", l.t("khi khởi động +", "on start +"), f.on_start),
    };
    if f.days == [true; 7] {
        return format!("{when} · {}", l.t("mọi ngày", "every day"));
    }
    let days: Vec<&str> = DAYS
        .iter()
        .zip(f.days)
        .filter(|(_, on)| *on)
        .map(|(d, _)| *d)
        .collect();
    format!("{when} · {}", days.join(" "))
}

fn status_card(
    l: Lang,
    tz: chrono_tz::Tz,
    st: &StationInfo,
    tt: &Option<StationTimetable>,
) -> Markup {
    let applied = st.programs_sequence;
    html! {
        div class="card" id="tt-status" {
            @match tt {
                None => p class="meta" { (l.t("Hub chưa gửi lịch nào cho đài này; đài phát theo lịch riêng của mình.", "The hub has sent no timetable to this station yet; it airs its own programs.")) },
                Some(t) => {
                    p { (l.t("Lịch số", "Timetable no.")) " " strong id="tt-seq" { (t.sequence) } " · " (t.published_by) " · " (when(tz, t.published_at)) }
                    @if applied.is_some_and(|a| a >= t.sequence) {
                        p class="msg ok" id="applied" data-applied=(t.sequence) { (l.t("Đài đã nhận và áp dụng lịch này.", "The station has applied it.")) }
                    } @else {
                        p class="msg info" id="waiting" {
                            strong { (l.t("Đang chờ đài nhận lịch", "Waiting for the station")) } " — "
                            @match applied {
                                Some(a) => { (l.t("đài đang dùng lịch số", "the station runs no.")) " " (a) }
                                None => { (l.t("đài chưa nhận lịch nào từ hub", "the station has applied none from the hub yet")) }
                            }
                            @if !st.online { " · " (l.t("đài đang mất kết nối: lịch sẽ được áp dụng khi đài kết nối lại", "the station is offline: it applies when it is back")) }
                        }
                    }
                    @if let Some(e) = &t.station_error {
                        @let r = crate::hub::refusal::render(l, e, t.station_error_msg.as_ref());
                        p class="msg err" id="station-error" data-command=(r.command) { strong { (r.title) ": " } (r.text) }
                    }
                }
            }
            h3 { (l.t("Trên đài lúc này", "On the station now")) }
            @if st.online && st.on_air.is_object() {
                p id="now-on-air" { span class="badge air" { (l.t("đang phát", "on air")) } " "
                    strong { (st.on_air.get("program").and_then(|v| v.as_str()).unwrap_or("")) } }
            } @else {
                p class="meta" id="now-on-air" { @if st.online { (l.t("Không phát gì", "Nothing on air")) } @else { (l.t("mất kết nối", "offline")) } }
            }
        }
    }
}

fn remote_card(l: Lang, id: &str, forms: &[ProgramForm]) -> Markup {
    let base = format!("/stations/{}", url_escape(id));
    html! {
        div class="card" id="remote" {
            h3 { (l.t("Phát ngay / Dừng phát", "Play now / Stop")) }
            form method="post" action={ (base) "/play" } {
                label for="target" { (l.t("Chương trình hoặc tệp của đài", "Program or station file")) }
                input type="text" id="target" name="target" list="dl-programs" required autocapitalize="none";
                datalist id="dl-programs" { @for f in forms { option value=(f.id) {} } }
                label for="priority" { (l.t("Mức ưu tiên", "Priority")) " " span class="hint" { (l.t("(không bắt buộc, 1–99)", "(optional, 1–99)")) } }
                input type="number" id="priority" name="priority" min="1" max="999";
                div class="actions" { button type="submit" class="ok" id="play" { (l.t("Phát ngay", "Play now")) } }
            }
            form method="post" action={ (base) "/stop" } class="actions" {
                button type="submit" class="no" id="stop" { (l.t("Dừng phát", "Stop")) }
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
        "published" => Some(Note::Ok(
            l.t("Đã lưu và gửi lịch xuống đài.", "Saved and published.")
                .into(),
        )),
        "play" => Some(Note::Ok(
            l.t("Đã gửi lệnh phát ngay.", "Play now sent.").into(),
        )),
        "stop" => Some(Note::Ok(l.t("Đã gửi lệnh dừng phát.", "Stop sent.").into())),
        _ => None,
    };
    let base = format!("/stations/{}", url_escape(&id));
    let body = html! {
        p class="meta" { a href=(base) { "← " (st.name) } }
        h1 id="timetable" data-station=(st.id) { (l.t("Lịch phát sóng", "Broadcast timetable")) }
        @if let Some(n) = &note { div id="note" { (n.show()) } }
        (status_card(l, tz, &st, &tt))
        (remote_card(l, &id, &forms))
        h2 { (l.t("Tuần", "Week")) }
        (frame.note(l, drawn.own_left_out.as_deref()))
        @if tt.is_none() { p class="meta" { (l.t("Chưa có chương trình nào từ hub.", "No programs from the hub yet.")) } }
        (picture(l, &drawn, &frame, &lengths, monday, today, &id))
        @if let Some((a, c)) = &applied {
            section id="on-station-week" data-sequence=(a) {
                h2 { (l.t("Trên đài lúc này: lịch số", "On the station now: no.")) " " (a) }
                p class="meta" { (l.t("Đài chưa áp dụng lịch mới; đây là lịch đài đang phát.", "The station has not applied the newest timetable; this is what it airs.")) }
                (picture(l, c, &frame, &lengths, monday, today, &id))
            }
        }
        h2 { (l.t("Chương trình", "Programs")) }
        @for (i, f) in forms.iter().enumerate() {
            div class="card prog" data-program=(f.id) {
                h3 { (if f.title.is_empty() { &f.id } else { &f.title }) }
                div class="meta" { (f.id) " · " (when_text(l, f)) }
                div class="actions" {
                    a class="btn plain" href={ (base) "/programs/edit?p=" (i) } { (l.t("Sửa", "Edit")) }
                    form method="post" action={ (base) "/programs/delete?p=" (i) } {
                        input type="hidden" name="base" value=(tt.as_ref().map(|t| t.sequence).unwrap_or(0));
                        button type="submit" class="no" { (l.t("Xoá", "Delete")) }
                    }
                }
            }
        }
        p { a class="btn" id="add-program" href={ (base) "/programs/edit" } { "+ " (l.t("Thêm chương trình", "Add a program")) } }
    };
    s.render(
        "stations",
        l.t("Lịch phát sóng", "Broadcast timetable"),
        body,
    )
}

#[derive(Deserialize)]
pub struct RemoteForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    priority: String,
}

/// `POST /stations/{id}/play` and `/stop`.
pub async fn remote(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<RemoteForm>,
) -> Response {
    let cmd = match action.as_str() {
        "play" => {
            let priority = match f.priority.trim() {
                "" => None,
                p => match p.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        return s.fail(
                            "stations",
                            HubError::invalid(
                                format!("mức ưu tiên `{p}` không phải số"),
                                format!("priority `{p}` is not a number"),
                            ),
                        )
                    }
                },
            };
            Remote::Play {
                target: f.target,
                priority,
            }
        }
        "stop" => Remote::Stop,
        _ => {
            return s.fail(
                "stations",
                HubError::not_found("không có thao tác này", "no such action"),
            )
        }
    };
    match timetable::command(&state, &s.user, &addr.0, &id, cmd).await {
        Ok(_) => Redirect::to(&format!(
            "/stations/{}/programs?done={action}",
            url_escape(&id)
        ))
        .into_response(),
        Err(e) => s.fail("stations", hub_error(e)),
    }
}
