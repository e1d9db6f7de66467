//! The human form of `loa status`: short bilingual labels (Vietnamese /
//! English), one fact per line, no column alignment (so multi-byte
//! Vietnamese text never skews a layout). Pure: formats a [`Status`], nothing else.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset, Weekday};

use super::status::{ClockState, OutputState, Status};

/// Render `s` for a terminal. `tz_name` labels the station's zone (the
/// times in `s` already carry its offset).
pub fn render_status(s: &Status, tz_name: &str) -> String {
    let mut o = String::new();
    match &s.station {
        Some(name) => line(&mut o, format!("loa {} · {name}", s.version)),
        None => line(&mut o, format!("loa {}", s.version)),
    }
    line(
        &mut o,
        format!(
            "Bây giờ / Now: {} ({tz_name}) · chạy từ / up since {}",
            stamp(&s.now, true),
            stamp(&s.since, false)
        ),
    );
    if s.clock == ClockState::Untrusted {
        line(
            &mut o,
            "Đồng hồ / Clock: CHƯA ĐÁNG TIN / UNTRUSTED: giờ hệ thống sớm hơn bản ghi phát sóng \
             mới nhất, chưa lên lịch gì / the clock reads earlier than the as-run log, nothing \
             is scheduled until it is set"
                .into(),
        );
    }
    match &s.on_air {
        None => line(&mut o, "Đang phát / On air: không / nothing".into()),
        Some(a) => {
            line(
                &mut o,
                format!(
                    "Đang phát / On air: {} [{}] · ưu tiên / priority {}",
                    a.title, a.program, a.priority
                ),
            );
            line(
                &mut o,
                format!(
                    "  từ / since {} · đã phát / elapsed {}",
                    stamp(&a.started, true),
                    clock_len(a.elapsed_s)
                ),
            );
            match &a.item {
                Some(item) => line(
                    &mut o,
                    format!("  mục / item: {item} @ {}", clock_len(a.position_s)),
                ),
                None => line(
                    &mut o,
                    "  mục / item: (giữa hai mục / between items)".into(),
                ),
            }
        }
    }
    if s.next.is_empty() {
        line(&mut o, "Tiếp theo / Next: không có / none".into());
    } else {
        line(&mut o, "Tiếp theo / Next:".into());
        for n in &s.next {
            let secs = (n.start - s.now).num_seconds();
            let when = if secs > 0 {
                format!(" · còn / in {}", rough_len(secs))
            } else {
                " · đến giờ / due".to_string()
            };
            let prio = if n.priority >= 100 {
                format!(" · KHẨN / EMERGENCY ({})", n.priority)
            } else {
                String::new()
            };
            line(
                &mut o,
                format!(
                    "  {} {} {} [{}]{when}{prio}",
                    stamp(&n.start, false),
                    weekday(n.start.weekday()),
                    n.title,
                    n.program
                ),
            );
        }
    }
    match &s.feed {
        None => line(
            &mut o,
            "Nguồn tin / Feed: chưa cấu hình / not configured".into(),
        ),
        Some(f) => {
            let mut t = format!("Nguồn tin / Feed: {}", f.result);
            if let Some(seq) = f.sequence {
                let _ = write!(t, " · số / sequence {seq}");
            }
            match &f.last_sync {
                Some(at) => {
                    let _ = write!(t, " · lúc / at {}", stamp(at, false));
                }
                None => t.push_str(" · chưa đồng bộ / never synced"),
            }
            if f.stale {
                t.push_str(" · HẾT HẠN / STALE (phát từ kho / airing from the store)");
            }
            line(&mut o, t);
        }
    }
    line(
        &mut o,
        format!(
            "Kho / Store: {} clip · {}",
            s.store.clips,
            bytes(s.store.bytes)
        ),
    );
    let state = match s.output.state {
        OutputState::Closed => "đóng / closed (mở trước giờ phát / opens before a broadcast)",
        OutputState::Ready => "sẵn sàng / ready",
        OutputState::OnAir => "đang phát / on air",
        OutputState::Failed => "LỖI / FAILED, đang thử lại / retrying",
    };
    let mut out = format!("Đầu ra / Output: {} · {state}", s.output.device);
    if let Some(e) = &s.output.error {
        let _ = write!(out, ": {e}");
    }
    line(&mut o, out);
    o
}

fn line(o: &mut String, l: String) {
    o.push_str(&l);
    o.push('\n');
}

fn stamp(t: &DateTime<FixedOffset>, secs: bool) -> String {
    if secs {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M").to_string()
    }
}

fn weekday(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "(T2/Mon)",
        Weekday::Tue => "(T3/Tue)",
        Weekday::Wed => "(T4/Wed)",
        Weekday::Thu => "(T5/Thu)",
        Weekday::Fri => "(T6/Fri)",
        Weekday::Sat => "(T7/Sat)",
        Weekday::Sun => "(CN/Sun)",
    }
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

/// `45s`, `12m`, `3h05m`, `2d04h`.
fn rough_len(secs: i64) -> String {
    let s = secs.max(0);
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m", s / 60)
    } else if s < 86_400 {
        format!("{}h{:02}m", s / 3600, s / 60 % 60)
    } else {
        format!("{}d{:02}h", s / 86_400, s / 3600 % 24)
    }
}

fn bytes(n: u64) -> String {
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
    format!("{v:.1} {}", UNITS[u])
}

#[cfg(test)]
mod tests {
    use super::super::status::{sample, FeedStatus};
    use super::*;

    #[test]
    fn on_air_render() {
        let text = render_status(&sample(), "Asia/Ho_Chi_Minh");
        assert_eq!(
            text,
            "loa 0.1.0 · Đài truyền thanh xã Phước Dinh\n\
             Bây giờ / Now: 2026-11-27 05:03:05 (Asia/Ho_Chi_Minh) · chạy từ / up since 2026-11-26 04:58\n\
             Đang phát / On air: Bản tin buổi sáng [sang] · ưu tiên / priority 10\n\
             \x20 từ / since 2026-11-27 05:00:00 · đã phát / elapsed 3:05\n\
             \x20 mục / item: chime.ogg @ 0:12\n\
             Tiếp theo / Next:\n\
             \x20 2026-11-27 17:00 (T6/Fri) Bản tin buổi chiều [chieu] · còn / in 11h56m\n\
             Nguồn tin / Feed: ok · số / sequence 42 · lúc / at 2026-11-27 04:50\n\
             Kho / Store: 12 clip · 43.2 MiB\n\
             Đầu ra / Output: default · đang phát / on air\n"
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
        let text = render_status(&s, "Asia/Ho_Chi_Minh");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "loa 0.1.0");
        assert!(lines[2].starts_with("Đồng hồ / Clock: CHƯA ĐÁNG TIN / UNTRUSTED"));
        assert_eq!(lines[3], "Đang phát / On air: không / nothing");
        assert_eq!(lines[4], "Tiếp theo / Next: không có / none");
        assert_eq!(
            lines[5],
            "Nguồn tin / Feed: connection refused · chưa đồng bộ / never synced · HẾT HẠN / STALE (phát từ kho / airing from the store)"
        );
        assert_eq!(
            lines[7],
            "Đầu ra / Output: default · LỖI / FAILED, đang thử lại / retrying: no device \"hw:9\""
        );
        assert_eq!(lines.len(), 8);
    }

    #[test]
    fn lengths() {
        assert_eq!(clock_len(0.0), "0:00");
        assert_eq!(clock_len(59.9), "0:59");
        assert_eq!(clock_len(3725.0), "1:02:05");
        assert_eq!(clock_len(f64::NAN), "0:00");
        assert_eq!(rough_len(45), "45s");
        assert_eq!(rough_len(3600 + 5 * 60), "1h05m");
        assert_eq!(rough_len(2 * 86_400 + 4 * 3600), "2d04h");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(4 * 1024 * 1024 * 1024), "4.0 GiB");
    }
}
