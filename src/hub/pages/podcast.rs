//! `GET /p/{area}/podcast.xml`: an area's public bulletins as an RSS 2.0
//! podcast (the iTunes namespace podcast apps read), newest first, at most
//! `ITEMS`: each item with a stable guid (the clip id), its date, its text
//! (or its title and date) and an enclosure — the absolute address of its
//! audio under `public_url`, its length in bytes and its content type.
//! Unknown areas answer 404 like the pages.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;

use super::i18n::Lang;
use super::public_frame::error;
use super::public_item::{audio_href, day};
use crate::hub::app::AppState;
use crate::hub::clips::{mime, ClipInfo};
use crate::hub::public::{self, bulletin_text};
use crate::tr;

/// Items in the feed at most (podcast apps keep what they fetched).
pub const ITEMS: usize = 100;

/// Text escaped for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc2822(tz: chrono_tz::Tz, s: i64) -> String {
    tz.timestamp_opt(s, 0)
        .single()
        .map(|t| t.to_rfc2822())
        .unwrap_or_default()
}

/// The feed's XML for `clips` of `area` (named `name`), addresses under `base`.
pub fn feed(
    l: Lang,
    tz: chrono_tz::Tz,
    base: &str,
    area: &str,
    name: &str,
    clips: &[ClipInfo],
) -> String {
    let base = base.trim_end_matches('/');
    let page = format!("{base}/p/{area}");
    let title = tr!(l, "public-podcast-title", area = name.to_string());
    let about = tr!(l, "public-podcast-description", area = name.to_string());
    let built = clips.first().map_or(0, |c| c.created_at);
    let mut x = String::with_capacity(1024 + clips.len() * 700);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    x.push_str(&format!("<title>{}</title>\n", esc(&title)));
    x.push_str(&format!("<link>{}</link>\n", esc(&page)));
    x.push_str(&format!(
        "<atom:link href=\"{}/podcast.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        esc(&page)
    ));
    x.push_str(&format!("<description>{}</description>\n", esc(&about)));
    x.push_str(&format!("<language>{}</language>\n", l.code()));
    if built > 0 {
        x.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            rfc2822(tz, built)
        ));
    }
    x.push_str(&format!("<itunes:author>{}</itunes:author>\n", esc(name)));
    x.push_str(&format!(
        "<itunes:summary>{}</itunes:summary>\n",
        esc(&about)
    ));
    x.push_str("<itunes:explicit>false</itunes:explicit>\n");
    x.push_str("<itunes:category text=\"News\"/>\n");
    for c in clips {
        let text = bulletin_text(c).unwrap_or_else(|| {
            tr!(
                l,
                "public-podcast-item",
                title = c.title.clone(),
                date = day(tz, c)
            )
        });
        x.push_str("<item>\n");
        x.push_str(&format!("<title>{}</title>\n", esc(&c.title)));
        x.push_str(&format!(
            "<guid isPermaLink=\"false\">loa-{}</guid>\n",
            esc(&c.id)
        ));
        x.push_str(&format!("<link>{}#b-{}</link>\n", esc(&page), esc(&c.id)));
        x.push_str(&format!(
            "<pubDate>{}</pubDate>\n",
            rfc2822(tz, c.created_at)
        ));
        x.push_str(&format!("<description>{}</description>\n", esc(&text)));
        x.push_str(&format!(
            "<enclosure url=\"{}{}\" length=\"{}\" type=\"{}\"/>\n",
            esc(base),
            esc(&audio_href(area, c)),
            c.bytes,
            mime(&c.format)
        ));
        x.push_str(&format!(
            "<itunes:duration>{}</itunes:duration>\n",
            c.duration_s.round() as i64
        ));
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

/// `GET /p/{area}/podcast.xml`.
pub async fn show(State(state): State<AppState>, l: Lang, Path(area): Path<String>) -> Response {
    let path = format!("/p/{area}/podcast.xml");
    let (tree, name) = match public::area(&state, &area).await {
        Ok(x) => x,
        Err(e) => return error(l, &path, e),
    };
    let clips = match public::latest(&state, &tree, &area, ITEMS).await {
        Ok(c) => c,
        Err(e) => return error(l, &path, e),
    };
    let body = feed(
        l,
        state.cfg.timezone,
        &state.cfg.public_url,
        &area,
        &name,
        &clips,
    );
    (
        [
            (CONTENT_TYPE, "application/rss+xml; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            esc("Tin <b>\"A\" & 'B'</b>\u{1}"),
            "Tin &lt;b&gt;&quot;A&quot; &amp; &apos;B&apos;&lt;/b&gt;"
        );
    }
}
