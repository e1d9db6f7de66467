//! Soạn bản tin bằng chữ (`/clips/tts`): a text bulletin typed on a phone —
//! title, category, its areas (or an operator's stations), a voice, the text
//! — with "Nghe thử" (the same form posted to `/clips/tts/preview`, the
//! audio opening in a new tab: no script needed) and a submit that makes the
//! clip through `hub::tts` (then the usual review). A refused form comes back
//! as typed with the reason; nothing is saved.

use std::collections::HashMap;

use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};

use super::ctx::Staff;
use super::layout::Note;
use super::service;
use super::upload::shown_on_form;
use crate::hub::app::AppState;
use crate::hub::auth::ClientAddr;
use crate::hub::users::Role;
use crate::tr;

fn form(
    s: &Staff,
    state: &AppState,
    areas: &[(String, String)],
    values: &HashMap<String, String>,
    note: Option<Note>,
) -> Markup {
    let l = s.lang;
    let get = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let chosen: Vec<&str> = get("areas").split(',').map(str::trim).collect();
    let stations: Vec<&str> = get("stations").split(',').map(str::trim).collect();
    let operator = s.user.has(Role::Operator) && !s.user.stations.is_empty();
    let voice = get("voice");
    html! {
        h1 { (tr!(l, "tts-title")) }
        @if let Some(n) = &note { div id="error" { (n.show()) } }
        p class="hint" { (tr!(l, "tts-intro")) }
        form method="post" action="/clips/tts" class="card upload" id="tts-form" {
            label for="title" { (tr!(l, "clips-field-title")) }
            input type="text" id="title" name="title" value=(get("title")) maxlength="200" required;
            label for="category" { (tr!(l, "clips-field-category")) " "
                span class="hint" { (tr!(l, "clips-field-category-hint")) } }
            input type="text" id="category" name="category" value=(get("category"))
                autocapitalize="none" required;
            @if operator {
                fieldset id="local" {
                    legend { (tr!(l, "clips-local-legend")) }
                    @for id in &s.user.stations {
                        label class="check" {
                            input type="checkbox" name={"station_" (id)} value="1"
                                checked[stations.contains(&id.as_str()) || s.user.stations.len() == 1];
                            (id)
                        }
                    }
                }
            }
            @if s.user.has(Role::Editor) {
                fieldset {
                    legend { (tr!(l, "clips-field-areas")) " "
                        span class="hint" { (tr!(l, "clips-field-areas-hint")) } }
                    @for (code, name) in areas {
                        label class="check" {
                            input type="checkbox" name={"area_" (code)} value="1" checked[chosen.contains(&code.as_str())];
                            (name) " (" (code) ")"
                        }
                    }
                }
            }
            label for="voice" { (tr!(l, "tts-field-voice")) }
            select id="voice" name="voice" {
                @for v in &state.cfg.tts.voices {
                    option value=(v.id) selected[v.id == voice] { (v.name) }
                }
            }
            label for="text" { (tr!(l, "tts-field-text")) " "
                span class="hint" { (tr!(l, "tts-field-text-hint")) } }
            textarea id="text" name="text" rows="10" maxlength=(crate::hub::tts::MAX_TEXT) required { (get("text")) }
            div class="actions" {
                button id="tts-preview" type="submit" class="plain" formaction="/clips/tts/preview"
                    formtarget="_blank" formnovalidate { (tr!(l, "tts-preview-button")) }
                button id="tts-submit" type="submit" { (tr!(l, "tts-submit-button")) }
            }
            p class="hint" { (tr!(l, "tts-preview-hint")) " " (tr!(l, "tts-wait-hint")) }
        }
    }
}

/// `GET /clips/tts`.
pub async fn show(State(state): State<AppState>, s: Staff) -> Response {
    if let Err(e) = crate::hub::local_clips::may_upload(&s.user) {
        return s.fail("clips", e);
    }
    let areas = match service::areas_for(&state, &s.user).await {
        Ok(a) => a,
        Err(e) => return s.fail("clips", e),
    };
    let body = form(&s, &state, &areas, &HashMap::new(), None);
    s.render("clips", &tr!(s.lang, "tts-title"), body)
}

/// The posted pairs as the service's fields (ticked `area_X` / `station_X`
/// boxes joined into `areas` / `stations`).
fn fields(pairs: Vec<(String, String)>) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    let (mut areas, mut stations) = (vec![], vec![]);
    for (k, v) in pairs {
        if let Some(a) = k.strip_prefix("area_") {
            areas.push(a.to_string());
        } else if let Some(st) = k.strip_prefix("station_") {
            stations.push(st.to_string());
        } else {
            fields.insert(k, v);
        }
    }
    if !areas.is_empty() {
        fields.insert("areas".into(), areas.join(","));
    }
    if !stations.is_empty() {
        fields.insert("stations".into(), stations.join(","));
    }
    fields
}

/// `POST /clips/tts`: speak the text and submit the clip.
pub async fn submit(
    State(state): State<AppState>,
    s: Staff,
    addr: ClientAddr,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = fields(pairs);
    let kept = fields.clone();
    match crate::hub::tts::create(&state, &s.user, &addr, fields).await {
        Ok(c) => Redirect::to(&format!("/clips/{}?done=upload", c.id)).into_response(),
        Err(e) if shown_on_form(&e) => {
            let areas = match service::areas_for(&state, &s.user).await {
                Ok(a) => a,
                Err(e) => return s.fail("clips", e),
            };
            let note = Note::Err(s.lang.reason(&e.reason()));
            let status = e.status();
            let page = s.render(
                "clips",
                &tr!(s.lang, "tts-title"),
                form(&s, &state, &areas, &kept, Some(note)),
            );
            (status, page).into_response()
        }
        Err(e) => s.fail("clips", e),
    }
}

/// `POST /clips/tts/preview`: the text spoken, as audio (a refusal is a page).
pub async fn preview(
    State(state): State<AppState>,
    s: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = fields(pairs);
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let audio = match crate::hub::tts::preview(&state, &s.user, get("text"), get("voice")).await {
        Ok(a) => a,
        Err(e) => return s.fail("clips", e),
    };
    match crate::hub::api::tts::audio_response(audio).await {
        Ok(r) => r,
        Err(e) => s.fail("clips", e),
    }
}

#[cfg(test)]
mod tests {
    use super::fields;

    #[test]
    fn ticked_boxes_become_lists() {
        let f = fields(vec![
            ("title".into(), "Bão".into()),
            ("area_01".into(), "1".into()),
            ("area_02".into(), "1".into()),
            ("station_xa-a".into(), "1".into()),
        ]);
        assert_eq!(f["areas"], "01,02");
        assert_eq!(f["stations"], "xa-a");
        assert_eq!(f["title"], "Bão");
    }
}
