//! One bulletin as citizens see it, shared by the listen-again page and the
//! embed: title, date, length, a player that loads nothing until
//! pressed (`preload="none"`: 3G), a download link, and the bulletin's text.

use chrono::TimeZone;
use maud::{html, Markup};

use super::i18n::Lang;
use crate::hub::clips::ClipInfo;
use crate::hub::public::bulletin_text;
use crate::tr;

/// The address of a public bulletin's audio under `area`'s pages.
pub fn audio_href(area: &str, c: &ClipInfo) -> String {
    format!("/p/{area}/audio/{}.{}", c.id, c.format)
}

/// The day a bulletin was published, dd/mm/yyyy in the hub's zone.
pub fn day(tz: chrono_tz::Tz, c: &ClipInfo) -> String {
    match tz.timestamp_opt(c.created_at, 0).single() {
        Some(t) => crate::i18n::format::date(t.date_naive()),
        None => String::new(),
    }
}

/// A length as m:ss.
pub fn length(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as i64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The bulletin as an `article` (its heading an `h2`).
pub fn item(l: Lang, tz: chrono_tz::Tz, area: &str, c: &ClipInfo) -> Markup {
    let href = audio_href(area, c);
    html! {
        article class="item" id={"b-" (c.id)} {
            h2 { (c.title) }
            p class="meta" {
                span { (tr!(l, "public-date", date = day(tz, c))) }
                span { (tr!(l, "public-duration", time = length(c.duration_s))) }
            }
            audio controls preload="none" src=(href)
                aria-label=(tr!(l, "public-player-label", title = c.title.clone())) {}
            // A text bulletin's written text (clips.text).
            @if let Some(t) = bulletin_text(c) { p class="text" { (t) } }
            a class="dl" href=(href) download
                aria-label=(tr!(l, "public-download-label", title = c.title.clone())) { (tr!(l, "public-download")) }
        }
    }
}
