//! Text bulletins (issue 20, HUB.md "Warnings that repeat, and text
//! bulletins"): a notice typed as text becomes a clip through hub.toml's
//! speech engine. The text is checked (1–5,000 characters), made speakable
//! (`normalise`: numbers, dates, times, units, abbreviations read the
//! Vietnamese way), spoken in a configured voice (`engine`), and the audio
//! then goes exactly where an upload goes (`clips::create`: measured,
//! stored, submitted, approved, signed), the text kept with the clip.
//! A preview speaks the text without making a clip. Synthesis waits its
//! turn in the decode queue (`measure::DECODES`), like an upload's decode.
//! Same rights as an upload (`local_clips::may_upload`).

pub mod config;
pub mod engine;
pub mod normalise;
pub mod numbers;

use std::collections::HashMap;

use super::app::AppState;
use super::auth::ClientAddr;
use super::clips::{self, ClipInfo};
use super::error::{HubError, HubResult, Reason};
use super::upload::{TempAudio, Upload};
use super::users::{Role, User};

/// The longest text accepted, in characters.
pub const MAX_TEXT: usize = 5000;

/// A `tts-…` message in both languages, as a refusal's reason.
pub fn reason(id: &'static str, args: &[(&'static str, String)]) -> Reason {
    args.iter().fold(Reason::new(id), |r, (k, v)| r.arg(k, v))
}

/// The text, trimmed: refused when empty or over `MAX_TEXT` characters.
pub fn check_text(text: &str) -> HubResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(HubError::Invalid(reason("tts-err-text-empty", &[])));
    }
    let n = t.chars().count();
    if n > MAX_TEXT {
        return Err(HubError::TooLarge(reason(
            "tts-err-text-long",
            &[("count", n.to_string())],
        )));
    }
    Ok(t.replace("\r\n", "\n"))
}

/// The voice asked for (the first configured one when none is).
pub fn check_voice<'a>(state: &'a AppState, id: &str) -> HubResult<&'a config::Voice> {
    let cfg = &state.cfg.tts;
    cfg.voice(id.trim()).ok_or_else(|| {
        let offered: Vec<&str> = cfg.voices.iter().map(|v| v.id.as_str()).collect();
        HubError::Invalid(reason(
            "tts-err-voice",
            &[
                ("voice", id.trim().to_string()),
                ("voices", offered.join(", ")),
            ],
        ))
    })
}

/// Speak `text` (as written) in `voice`: an audio file, as an upload gives.
async fn speak(state: &AppState, text: &str, voice: &str) -> HubResult<TempAudio> {
    let spoken = normalise::normalise(text);
    let _turn = super::measure::DECODES
        .acquire()
        .await
        .map_err(HubError::internal)?;
    engine::speak(
        &state.cfg.tts,
        &state.cfg.tmp_dir(),
        &spoken,
        voice,
        state.cfg.max_upload,
    )
    .await
}

/// The preview: the text spoken, nothing stored (the caller serves the
/// file; it is removed when dropped).
pub async fn preview(
    state: &AppState,
    user: &User,
    text: &str,
    voice: &str,
) -> HubResult<TempAudio> {
    super::local_clips::may_upload(user)?;
    let text = check_text(text)?;
    let voice = check_voice(state, voice)?.id.clone();
    speak(state, &text, &voice).await
}

/// A text bulletin → a clip. `fields` are an upload form's (`title`,
/// `category`, `areas`, `lang`, `valid_from`, `valid_until`, `level`,
/// `stations`, `draft`, `id`) plus `text` and `voice`. What can be checked
/// without speaking is checked first, so a refusal costs no synthesis.
pub async fn create(
    state: &AppState,
    user: &User,
    addr: &ClientAddr,
    mut fields: HashMap<String, String>,
) -> HubResult<ClipInfo> {
    super::local_clips::may_upload(user)?;
    let stations = fields.get("stations").is_some_and(|s| !s.trim().is_empty());
    if !stations {
        super::scope::require(user, Role::Editor)?;
    }
    let text = check_text(fields.get("text").map(String::as_str).unwrap_or(""))?;
    let voice = check_voice(state, fields.get("voice").map(String::as_str).unwrap_or(""))?
        .id
        .clone();
    clips::check_title(fields.get("title").map(String::as_str).unwrap_or(""))?;
    clips::check_category(fields.get("category").map(String::as_str).unwrap_or(""))?;
    let file = speak(state, &text, &voice).await?;
    fields.remove("text");
    fields.remove("voice");
    let up = Upload {
        fields,
        file: Some(file),
        file_error: None,
        text: Some(text),
    };
    clips::create(state, user, addr, up).await
}
