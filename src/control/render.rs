//! The human form of `loa status`, in the reader's language (`cli-status-…`
//! in `locales/*/cli.ftl`): one fact per line, no column alignment (so
//! multi-byte Vietnamese text never skews a layout). Pure: formats a
//! [`Status`], nothing else.

use chrono::{DateTime, Datelike, FixedOffset};

use super::status::{ClockState, OutputState, Status};
use crate::i18n::{format, Lang};
use crate::tr;

/// Render `s` for a terminal in `lang`. `tz_name` labels the station's zone
/// (the times in `s` already carry its offset).
pub fn render_status(s: &Status, tz_name: &str, lang: Lang) -> String {
    let mut o = String::new();
    match &s.station {
        Some(name) => line(&mut o, format!("loa {} · {name}", s.version)),
        None => line(&mut o, format!("loa {}", s.version)),
    }
    let now = tr!(
        lang,
        "cli-status-now",
        now = stamp(lang, &s.now, true),
        tz = tz_name.to_string(),
        since = stamp(lang, &s.since, false)
    );
    line(&mut o, now);
    if s.clock == ClockState::Untrusted {
        line(&mut o, tr!(lang, "cli-status-clock-untrusted"));
    }
    match &s.on_air {
        None => line(&mut o, tr!(lang, "cli-status-on-air-none")),
        Some(a) => {
            let head = tr!(
                lang,
                "cli-status-on-air",
                title = a.title.clone(),
                program = a.program.clone(),
                priority = i64::from(a.priority)
            );
            line(&mut o, head);
            let since = tr!(
                lang,
                "cli-status-on-air-since",
                since = stamp(lang, &a.started, true),
                elapsed = clock_len(a.elapsed_s)
            );
            line(&mut o, format!("  {since}"));
            let item = match &a.item {
                Some(item) => tr!(
                    lang,
                    "cli-status-item",
                    item = item.clone(),
                    position = clock_len(a.position_s)
                ),
                None => tr!(lang, "cli-status-between-items"),
            };
            line(&mut o, format!("  {item}"));
        }
    }
    if s.next.is_empty() {
        line(&mut o, tr!(lang, "cli-status-next-none"));
    } else {
        line(&mut o, tr!(lang, "cli-status-next"));
        for n in &s.next {
            let secs = (n.start - s.now).num_seconds();
            let next = tr!(
                lang,
                "cli-status-next-item",
                start = stamp(lang, &n.start, false),
                day = format::weekday(lang, n.start.weekday()),
                title = n.title.clone(),
                program = n.program.clone(),
                due = if secs > 0 { "no" } else { "yes" },
                left = rough_len(lang, secs),
                emergency = if n.priority >= 100 { "yes" } else { "no" },
                priority = i64::from(n.priority)
            );
            line(&mut o, format!("  {next}"));
        }
    }
    match &s.feed {
        None => line(&mut o, tr!(lang, "cli-status-feed-none")),
        Some(f) => {
            let mut facts = vec![tr!(lang, "cli-status-feed", result = f.result.clone())];
            if let Some(seq) = f.sequence {
                facts.push(tr!(lang, "cli-status-feed-sequence", n = seq as i64));
            }
            facts.push(match &f.last_sync {
                Some(at) => tr!(lang, "cli-status-feed-at", at = stamp(lang, at, false)),
                None => tr!(lang, "cli-status-feed-never"),
            });
            if f.stale {
                facts.push(tr!(lang, "cli-status-feed-stale"));
            }
            line(&mut o, facts.join(" · "));
        }
    }
    let store = tr!(
        lang,
        "cli-status-store",
        clips = s.store.clips as i64,
        bytes = bytes(lang, s.store.bytes)
    );
    line(&mut o, store);
    let state = match s.output.state {
        OutputState::Closed => "closed",
        OutputState::Ready => "ready",
        OutputState::OnAir => "on-air",
        OutputState::Failed => "failed",
    };
    let out = match &s.output.error {
        None => tr!(
            lang,
            "cli-status-output",
            device = s.output.device.clone(),
            state = state
        ),
        Some(e) => tr!(
            lang,
            "cli-status-output-error",
            device = s.output.device.clone(),
            state = state,
            error = e.clone()
        ),
    };
    line(&mut o, out);
    o
}

fn line(o: &mut String, l: String) {
    o.push_str(&l);
    o.push('\n');
}

/// A moment as its reader writes it: "05:03:05 27/11/2026" (vi),
/// "2026-11-27 05:03:05" (en).
fn stamp(lang: Lang, t: &DateTime<FixedOffset>, secs: bool) -> String {
    let f = match (lang, secs) {
        (Lang::Vi, true) => "%H:%M:%S %d/%m/%Y",
        (Lang::Vi, false) => "%H:%M %d/%m/%Y",
        (Lang::En, true) => "%Y-%m-%d %H:%M:%S",
        (Lang::En, false) => "%Y-%m-%d %H:%M",
    };
    t.format(f).to_string()
}

/// `m:ss` or `h:mm:ss`.
fn clock_len(secs: f64) -> String {
    let s = if secs.is_finite() && secs > 0.0 {
        secs as u64
    } else {
        0
    };
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// `45s`, `12m`, `3h05m`, `2d04h` (en); "45 giây", "12 phút", "3 giờ 05 phút",
/// "2 ngày 04 giờ" (vi).
fn rough_len(lang: Lang, secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    match (lang, s) {
        (Lang::En, 0..=59) => format!("{s}s"),
        (Lang::En, 60..=3599) => format!("{m}m"),
        (Lang::En, 3600..=86_399) => format!("{}h{m:02}m", s / 3600),
        (Lang::En, _) => format!("{d}d{h:02}h"),
        (Lang::Vi, 0..=59) => format!("{s} giây"),
        (Lang::Vi, 60..=3599) => format!("{m} phút"),
        (Lang::Vi, 3600..=86_399) => format!("{} giờ {m:02} phút", s / 3600),
        (Lang::Vi, _) => format!("{d} ngày {h:02} giờ"),
    }
}

/// A size with the reader's decimal mark ("43,2 MiB" in vi).
fn bytes(lang: Lang, n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{} {}", format::decimal(lang, v, 1), UNITS[u])
}

#[cfg(test)]
mod tests {
    use super::super::status::{sample, FeedStatus};
    use super::*;

    #[test]
    fn on_air_render() {
        let text = render_status(&sample(), "Asia/Ho_Chi_Minh", Lang::Vi);
        assert_eq!(
            text,
            "loa 0.1.0 · Đài truyền thanh xã Phước Dinh\n\
             Bây giờ: 05:03:05 27/11/2026 (Asia/Ho_Chi_Minh) · chạy từ 04:58 26/11/2026\n\
             Đang phát: Bản tin buổi sáng [sang] · mức ưu tiên 10\n\
             \x20 từ 05:00:00 27/11/2026 · đã phát 3:05\n\
             \x20 mục: chime.ogg ở 0:12\n\
             Tiếp theo:\n\
             \x20 17:00 27/11/2026 (T6) Bản tin buổi chiều [chieu] · còn 11 giờ 56 phút\n\
             Nguồn tin: ok · số 42 · lúc 04:50 27/11/2026\n\
             Kho: 12 tệp · 43,2 MiB\n\
             Đầu ra: default · đang phát\n"
        );
        let en = render_status(&sample(), "Asia/Ho_Chi_Minh", Lang::En);
        assert_eq!(
            en,
            "loa 0.1.0 · Đài truyền thanh xã Phước Dinh\n\
             Now: 2026-11-27 05:03:05 (Asia/Ho_Chi_Minh) · up since 2026-11-26 04:58\n\
             On air: Bản tin buổi sáng [sang] · priority 10\n\
             \x20 since 2026-11-27 05:00:00 · elapsed 3:05\n\
             \x20 item: chime.ogg @ 0:12\n\
             Next:\n\
             \x20 2026-11-27 17:00 (Fri) Bản tin buổi chiều [chieu] · in 11h56m\n\
             Feed: ok · sequence 42 · at 2026-11-27 04:50\n\
             Store: 12 clips · 43.2 MiB\n\
             Output: default · on air\n"
        );
    }

    #[test]
    fn idle_render() {
        let mut s = sample();
        s.on_air = None;
        s.next.clear();
        s.station = None;
        s.clock = ClockState::Untrusted;
        s.feed = Some(FeedStatus {
            last_sync: None,
            result: "connection refused".into(),
            sequence: None,
            stale: true,
        });
        s.output.state = OutputState::Failed;
        s.output.error = Some("no device \"hw:9\"".into());
        let text = render_status(&s, "Asia/Ho_Chi_Minh", Lang::Vi);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "loa 0.1.0");
        assert!(lines[2].starts_with("Đồng hồ: CHƯA ĐÁNG TIN"));
        assert_eq!(lines[3], "Đang phát: không");
        assert_eq!(lines[4], "Tiếp theo: không có");
        assert_eq!(
            lines[5],
            "Nguồn tin: connection refused · chưa đồng bộ lần nào · HẾT HẠN (đang phát từ kho)"
        );
        assert_eq!(
            lines[7],
            "Đầu ra: default · LỖI, đang thử lại: no device \"hw:9\""
        );
        assert_eq!(lines.len(), 8);
    }

    #[test]
    fn lengths() {
        assert_eq!(clock_len(0.0), "0:00");
        assert_eq!(clock_len(59.9), "0:59");
        assert_eq!(clock_len(3725.0), "1:02:05");
        assert_eq!(clock_len(f64::NAN), "0:00");
        assert_eq!(rough_len(Lang::En, 45), "45s");
        assert_eq!(rough_len(Lang::En, 3600 + 5 * 60), "1h05m");
        assert_eq!(rough_len(Lang::En, 2 * 86_400 + 4 * 3600), "2d04h");
        assert_eq!(rough_len(Lang::Vi, 45), "45 giây");
        assert_eq!(rough_len(Lang::Vi, 3600 + 5 * 60), "1 giờ 05 phút");
        assert_eq!(rough_len(Lang::Vi, 2 * 86_400 + 4 * 3600), "2 ngày 04 giờ");
        assert_eq!(bytes(Lang::En, 512), "512 B");
        assert_eq!(bytes(Lang::En, 1536), "1.5 KiB");
        assert_eq!(bytes(Lang::Vi, 1536), "1,5 KiB");
        assert_eq!(bytes(Lang::En, 4 * 1024 * 1024 * 1024), "4.0 GiB");
    }
}
