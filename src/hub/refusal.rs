//! A station's refusal (a command not executed, a timetable not taken), as
//! the hub shows it: rendered from the code + arguments the station sent
//! (`programs_error_msg` in its heartbeat) in the reader's language, never
//! with a server path. An older station sends only English text: a
//! Vietnamese reader then gets a generic sentence, an English one the text
//! with its paths left out.

use crate::i18n::{Lang, Msg};

/// What a page shows of a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// A refused command (play now, stop), not a refused timetable.
    pub command: bool,
    /// "Đài từ chối lệnh" / "Đài từ chối lịch".
    pub title: String,
    pub text: String,
}

/// Codes a station may send for a refusal.
const PREFIXES: &[&str] = &["station-cmd-", "station-tt-"];

/// The refusal of `text` (the station's English) and `msg` (its message), in `lang`.
pub fn render(lang: Lang, text: &str, msg: Option<&Msg>) -> Refusal {
    let command = match msg {
        Some(m) => m.code.starts_with("station-cmd-"),
        // What older stations wrote: "play now X from hub user …", "stop from hub user …".
        None => text.contains(" from hub user "),
    };
    let title = if command {
        crate::tr!(lang, "station-refused-command")
    } else {
        crate::tr!(lang, "station-refused-timetable")
    };
    let rendered = msg.and_then(|m| m.render(lang, PREFIXES));
    let text = match (rendered, lang) {
        (Some(t), _) => t,
        (None, Lang::En) => without_paths(text),
        (None, Lang::Vi) if command => crate::tr!(lang, "station-refused-command-generic"),
        (None, Lang::Vi) => crate::tr!(lang, "station-refused-timetable-generic"),
    };
    Refusal {
        command,
        title,
        text,
    }
}

/// One line of a station's reported errors: its refusal rendered when it
/// is the refusal (`programs_error`), else the text without paths.
pub fn error_line(lang: Lang, info: &crate::hub::heartbeat::StationInfo, e: &str) -> String {
    if info.programs_error.as_deref() == Some(e) {
        let r = render(lang, e, info.programs_error_msg.as_ref());
        return format!("{}: {}", r.title, r.text);
    }
    without_paths(e)
}

/// `text` with every path-like word (`/tmp/x/clips`, `(/etc/loa.toml)`) as "…".
pub fn without_paths(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            if w.contains('/') && !w.contains("://") {
                "…"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "play now ban-tin from hub user van-hanh (sequence 4) was refused by the station: `ban-tin` is not a program (sang), a clip in /tmp/abc/clips, or a file";

    #[test]
    fn a_message_renders_in_both_languages_as_a_command_refusal() {
        let m = Msg::new("station-cmd-play-unknown")
            .arg("target", "ban-tin")
            .arg("by", "van-hanh")
            .arg("programs", "sang");
        let vi = render(Lang::Vi, OLD, Some(&m));
        assert!(vi.command);
        assert_eq!(vi.title, "Đài từ chối lệnh");
        assert_eq!(
            vi.text,
            "Lệnh phát ngay «ban-tin» của van-hanh bị từ chối: đài không có chương trình hay tệp nào tên «ban-tin». Chương trình của đài: sang."
        );
        let en = render(Lang::En, OLD, Some(&m));
        assert_eq!(en.title, "The station refused the command");
        assert!(en
            .text
            .starts_with("Play now «ban-tin» by van-hanh was refused"));
        assert!(!en.text.contains("/tmp"));
    }

    #[test]
    fn text_only_from_an_older_station() {
        let vi = render(Lang::Vi, OLD, None);
        assert!(vi.command);
        assert_eq!(
            vi.text,
            "Đài từ chối lệnh (đài dùng phiên bản cũ, không gửi lý do)."
        );
        let en = render(Lang::En, OLD, None);
        assert!(!en.text.contains("/tmp"), "{}", en.text);
        assert!(en.text.contains("a clip in … or a file"), "{}", en.text);
        let tt = render(
            Lang::Vi,
            "timetable from the hub refused: bad signature",
            None,
        );
        assert!(!tt.command);
        assert_eq!(tt.title, "Đài từ chối lịch");
    }

    #[test]
    fn timetable_codes_and_unknown_codes() {
        let m = Msg::new("station-tt-config-errors").arg("seq", 7);
        let vi = render(Lang::Vi, "x", Some(&m));
        assert!(!vi.command);
        assert!(vi.text.starts_with("Lịch số 7 được giữ"), "{}", vi.text);
        // A code of another kind (or a newer station's) is not rendered.
        let other = Msg::new("common-x");
        assert_eq!(
            render(Lang::Vi, "timetable refused", Some(&other)).text,
            Lang::Vi.tr("station-refused-timetable-generic")
        );
    }
}
