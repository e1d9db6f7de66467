//! `/api/v1/clips/tts`: a text bulletin (JSON `{"text","title","category",
//! "areas","voice", …}`, the upload form's other fields too) becomes a clip
//! through the hub's speech engine (201 and the clip, its `text` kept);
//! `/api/v1/clips/tts/preview` (`{"text","voice"}`) answers with the audio
//! and stores nothing. Thin: the rules are `hub::tts`'s.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Map, Value};

use crate::hub::app::AppState;
use crate::hub::auth::{ClientAddr, CurrentUser};
use crate::hub::clips::ClipInfo;
use crate::hub::error::{HubError, HubResult};
use crate::hub::tts;
use crate::hub::upload::TempAudio;

/// The fields a text bulletin may carry (the upload form's, plus text and voice).
const FIELDS: &[&str] = &[
    "text",
    "voice",
    "title",
    "category",
    "areas",
    "lang",
    "valid_from",
    "valid_until",
    "level",
    "stations",
    "draft",
    "id",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clips/tts", post(create))
        .route("/clips/tts/preview", post(preview))
}

/// JSON → the form's text fields: lists joined with commas, `true`/`false`
/// and numbers as written; an unknown field is refused by name.
pub fn fields(body: Map<String, Value>) -> HubResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (k, v) in body {
        if !FIELDS.contains(&k.as_str()) {
            return Err(HubError::invalid("err-tts-unknown-field")
                .arg("field", k)
                .arg("fields", FIELDS.join(", ")));
        }
        let s = match v {
            Value::String(s) => s,
            Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
            Value::Null => continue,
            other => other.to_string(),
        };
        out.insert(k, s);
    }
    Ok(out)
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    addr: ClientAddr,
    Json(body): Json<Map<String, Value>>,
) -> HubResult<(StatusCode, Json<ClipInfo>)> {
    let clip = tts::create(&state, &user, &addr, fields(body)?).await?;
    Ok((StatusCode::CREATED, Json(clip)))
}

/// The audio of a preview, from its temp file (removed once read).
pub async fn audio_response(audio: TempAudio) -> HubResult<Response> {
    let bytes = tokio::fs::read(&audio.path).await?;
    let mime = match audio.ext {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "flac" => "audio/flac",
        _ => "audio/mp4",
    };
    drop(audio);
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_DISPOSITION, "inline"),
        ],
        bytes,
    )
        .into_response())
}

async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Map<String, Value>>,
) -> HubResult<Response> {
    let f = fields(body)?;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let audio = tts::preview(&state, &user, get("text"), get("voice")).await?;
    audio_response(audio).await
}
