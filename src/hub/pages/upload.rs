//! Tải lên: the upload form (file, title, category, language, areas, valid
//! dates, level) and its post, a normal multipart form streamed by the core's
//! `hub::upload` and stored by `hub::clips::create` (which checks everything).
//! A refused upload shows the form again with the reason on top and the
//! text the user typed kept.

use std::collections::HashMap;

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};

use super::ctx::Staff;
use super::layout::Note;
use super::service;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::clips;
use crate::hub::error::HubError;
use crate::hub::upload;
use crate::hub::users::Role;

fn form(
    s: &Staff,
    areas: &[(String, String)],
    v: &HashMap<String, String>,
    note: Option<Note>,
    max: std::time::Duration,
) -> Markup {
    let l = s.lang;
    let max_len = format!("{} {}", max.as_secs().div_ceil(60), l.t("phút", "minutes"));
    let get = |k: &str| v.get(k).map(String::as_str).unwrap_or("");
    let lang = if get("lang").is_empty() {
        "vi"
    } else {
        get("lang")
    };
    let chosen: Vec<&str> = v
        .get("areas")
        .map(|a| a.split(',').map(str::trim).collect())
        .unwrap_or_default();
    // Operators send local announcements to their own stations (local_clips.rs).
    let operator = s.user.has(Role::Operator) && !s.user.stations.is_empty();
    let stations: Vec<&str> = get("stations").split(',').map(str::trim).collect();
    let level = if get("level").is_empty() {
        "normal"
    } else {
        get("level")
    };
    html! {
        h1 { (l.t("Tải lên bản tin", "Upload a clip")) }
        @if let Some(n) = &note { div id="error" { (n.show()) } }
        form method="post" action="/clips/new" enctype="multipart/form-data" class="card" {
            label for="file" { (l.t("Tệp âm thanh", "Audio file")) " "
                span class="hint" { "WAV, MP3, Ogg Vorbis, FLAC, M4A" } }
            input type="file" id="file" name="file" accept="audio/*,.m4a,.mp3,.wav,.ogg,.flac" required;
            label for="title" { (l.t("Tiêu đề", "Title")) }
            input type="text" id="title" name="title" value=(get("title")) maxlength="200" required;
            div class="grid" {
                div {
                    label for="category" { (l.t("Chuyên mục", "Category")) " "
                        span class="hint" { (l.t("(vd. tin-tuc, thoi-tiet)", "(e.g. tin-tuc, thoi-tiet)")) } }
                    input type="text" id="category" name="category" value=(get("category"))
                        pattern="[a-z0-9._-]+" autocapitalize="none" required;
                }
                div {
                    label for="lang" { (l.t("Ngôn ngữ", "Language")) " " span class="hint" { "(vi, cjm, …)" } }
                    input type="text" id="lang" name="lang" value=(lang) pattern="[a-z]{2,3}" autocapitalize="none" required;
                }
                div {
                    label for="valid_from" { (l.t("Hiệu lực từ ngày", "Valid from")) }
                    input type="date" id="valid_from" name="valid_from" value=(get("valid_from"));
                }
                div {
                    label for="valid_until" { (l.t("Đến hết ngày", "Valid until")) }
                    input type="date" id="valid_until" name="valid_until" value=(get("valid_until"));
                }
            }
            fieldset {
                legend { (l.t("Mức", "Level")) }
                @for (val, vi, en) in [("normal", "thông thường", "normal"), ("priority", "ưu tiên", "priority")] {
                    label class="check" {
                        input type="radio" name="level" value=(val) checked[level == val];
                        (l.t(vi, en))
                    }
                }
                p class="hint" { (l.t("Khẩn cấp: dùng trang Phát ngay.", "Emergency: use the Broadcasts page.")) }
            }
            @if operator {
                fieldset id="local" {
                    legend { (l.t("Thông báo của đài (chỉ đài được chọn phát)", "Local announcement (only the chosen stations air it)")) }
                    @for id in &s.user.stations {
                        label class="check" {
                            input type="checkbox" name={"station_" (id)} value="1" checked[stations.contains(&id.as_str()) || s.user.stations.len() == 1];
                            (id)
                        }
                    }
                }
            }
            @if s.user.has(Role::Editor) {
            fieldset {
                legend { (l.t("Địa bàn", "Areas")) " "
                    span class="hint" { (l.t("(không chọn: toàn bộ địa bàn của tài khoản)", "(none: all of this account's areas)")) } }
                @for (code, name) in areas {
                    label class="check" {
                        input type="checkbox" name={"area_" (code)} value="1" checked[chosen.contains(&code.as_str())];
                        (name) " (" (code) ")"
                    }
                }
            }
            }
            div class="actions" {
                button id="upload" type="submit" { (l.t("Tải lên", "Upload")) }
            }
            p class="hint" id="decode-queue" {
                (l.t("Hệ thống giải mã và đo âm lượng từng tệp theo lượt: khi nhiều người cùng tải lên, tệp của bạn chờ lượt xử lý (trang tải lâu hơn, không bị từ chối). Bản tin dài tối đa ",
                     "The hub decodes and measures uploads in turn: when several arrive at once, yours waits for its turn (the page takes longer; it is not refused). Clips last at most "))
                (max_len) "."
            }
        }
    }
}

/// `GET /clips/new`.
pub async fn show(State(state): State<AppState>, s: Staff) -> Response {
    let areas = match service::areas_for(&state, &s.user).await {
        Ok(a) => a,
        Err(e) => return s.fail("clips", e),
    };
    let body = form(&s, &areas, &HashMap::new(), None, state.cfg.max_duration);
    s.render("clips", s.lang.t("Tải lên bản tin", "Upload a clip"), body)
}

/// The ticked `station_ID` boxes → the `stations` list of a local announcement.
fn join_stations(fields: &mut HashMap<String, String>) {
    let mut ids: Vec<String> = fields
        .keys()
        .filter_map(|k| k.strip_prefix("station_"))
        .map(String::from)
        .collect();
    if ids.is_empty() {
        return;
    }
    ids.sort();
    fields.retain(|k, _| !k.starts_with("station_"));
    fields.insert("stations".into(), ids.join(","));
}

/// The ticked `area_CODE` boxes → the `areas` comma list the service reads
/// (a typed `areas` field, from a script, is kept as it is).
fn join_areas(fields: &mut HashMap<String, String>) {
    let mut codes: Vec<String> = fields
        .keys()
        .filter_map(|k| k.strip_prefix("area_"))
        .map(String::from)
        .collect();
    if codes.is_empty() {
        return;
    }
    codes.sort();
    fields.retain(|k, _| !k.starts_with("area_"));
    fields.insert("areas".into(), codes.join(","));
}

/// `POST /clips/new`: the upload form (multipart).
pub async fn submit(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    body: Multipart,
) -> Response {
    let mut kept = HashMap::new();
    let result = async {
        crate::hub::local_clips::may_upload(&s.user)?;
        let mut up = upload::receive(body, &state.cfg.tmp_dir(), state.cfg.max_upload).await?;
        join_areas(&mut up.fields);
        join_stations(&mut up.fields);
        kept = up.fields.clone();
        clips::create(&state, &s.user, &addr, up).await
    }
    .await;
    match result {
        Ok(c) => Redirect::to(&format!("/clips/{}?done=upload", c.id)).into_response(),
        Err(
            e @ (HubError::Invalid(_)
            | HubError::TooLarge(_)
            | HubError::Conflict(_)
            | HubError::Forbidden(_)),
        ) => {
            let areas = match service::areas_for(&state, &s.user).await {
                Ok(a) => a,
                Err(e) => return s.fail("clips", e),
            };
            let status = e.status();
            let note = Note::Err(s.lang.reason(&e.reason()));
            let page = s.render(
                "clips",
                s.lang.t("Tải lên bản tin", "Upload a clip"),
                form(&s, &areas, &kept, Some(note), state.cfg.max_duration),
            );
            (status, page).into_response()
        }
        Err(e) => s.fail("clips", e),
    }
}
