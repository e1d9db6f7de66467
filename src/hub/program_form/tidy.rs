//! What a person typed -> what SPEC.md wants, before `loa check` sees it:
//! times as they write them (`time.rs`), the id made from the title
//! (`ids.rs`), dates as dd/mm/yyyy or the date picker's yyyy-mm-dd,
//! durations in Vietnamese words ("30 phút"), a volume with a decimal comma
//! or in percent, and what the hub knows the station has (its files). Every
//! refusal is a `FieldDiag` on the field, in the reader's language; the form
//! itself is left as typed (the caller re-shows it).

use chrono::NaiveDate;

use super::fields::FieldDiag;
use super::ids::{fold_id, id_from_title};
use super::time::{parse_times, TimeError};
use super::{ItemForm, ItemKind, ProgramForm, WhenKind};
use crate::i18n::Lang;

/// What the form is checked against.
#[derive(Debug, Clone, Default)]
pub struct Known<'a> {
    /// Ids in use by the other programs (the hub's and the station's own).
    pub taken: &'a [String],
    /// The station's files (its heartbeat), when it reported them.
    pub files: Option<&'a [String]>,
}

fn err(field: &str, message: String) -> FieldDiag {
    FieldDiag {
        program: None,
        field: field.to_string(),
        line: 0,
        col: 0,
        message,
        error: true,
    }
}

fn time_message(l: Lang, e: &TimeError) -> String {
    match e {
        TimeError::Empty => crate::tr!(l, "programs-err-time-empty"),
        TimeError::NotATime(t) => crate::tr!(l, "programs-err-time-bad", text = t.clone()),
        TimeError::Hour(t, h) => {
            crate::tr!(l, "programs-err-time-hour", text = t.clone(), hour = *h)
        }
        TimeError::Minute(t, m) => {
            crate::tr!(l, "programs-err-time-minute", text = t.clone(), minute = *m)
        }
    }
}

/// "31/12/2026", "31-12-2026", "2026-12-31" (the picker) -> "2026-12-31".
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .ok()
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
}

/// "30 phút" -> "30m", "1 giờ 30 phút" -> "1h30m", "2 giây" -> "2s", a bare
/// number in `unit`; the result checked by the station's own reader.
pub fn parse_length(s: &str, unit: &str) -> Option<String> {
    let t = s.trim().to_lowercase();
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| -> bool {
        let u = match word.as_str() {
            "" => return true,
            "giờ" | "gio" | "tiếng" | "tieng" | "h" => "h",
            "phút" | "phut" | "p" | "m" | "min" => "m",
            "giây" | "giay" | "s" => "s",
            "ms" => "ms",
            "ngày" | "ngay" | "d" => "d",
            _ => return false,
        };
        out.push_str(u);
        word.clear();
        true
    };
    for c in t.chars() {
        if c.is_ascii_digit() {
            if !flush(&mut word, &mut out) {
                return None;
            }
            out.push(c);
        } else if c.is_alphabetic() {
            word.push(c);
        } else if !c.is_whitespace() {
            return None;
        }
    }
    if !flush(&mut word, &mut out) {
        return None;
    }
    if !out.is_empty() && out.chars().all(|c| c.is_ascii_digit()) {
        out.push_str(unit);
    }
    crate::config::parse_duration(&out).ok().map(|_| out)
}

/// "0,8", "0.8", "80%" -> 0.8 (0 to 1).
fn parse_volume(s: &str) -> Option<String> {
    let t = s.trim().replace(',', ".");
    let (t, pct) = match t.strip_suffix('%') {
        Some(p) => (p.trim().to_string(), true),
        None => (t, false),
    };
    let mut v: f64 = t.parse().ok()?;
    if pct {
        v /= 100.0;
    }
    (v.is_finite() && (0.0..=1.0).contains(&v)).then(|| {
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0');
        if s.ends_with('.') {
            format!("{s}0")
        } else {
            s.to_string()
        }
    })
}

fn tidy_item(l: Lang, k: &Known, it: &mut ItemForm, name: &str, out: &mut Vec<FieldDiag>) {
    let value = format!("{name}.value");
    it.value = it.value.trim().to_string();
    if it.value.is_empty() {
        let id = match it.kind {
            ItemKind::File => "programs-err-item-file-empty",
            ItemKind::Category => "programs-err-item-category-empty",
            ItemKind::Clip => "programs-err-item-clip-empty",
            ItemKind::Silence => "programs-err-item-silence-empty",
            ItemKind::Stream => "programs-err-item-stream-empty",
        };
        out.push(err(&value, l.tr(id)));
    }
    match it.kind {
        ItemKind::File => {
            if let Some(files) = k.files {
                if !it.value.is_empty() && !files.contains(&it.value) {
                    out.push(err(
                        &value,
                        crate::tr!(l, "programs-err-item-file-unknown", file = it.value.clone()),
                    ));
                }
            }
        }
        ItemKind::Silence if !it.value.is_empty() => match parse_length(&it.value, "s") {
            Some(v) => it.value = v,
            None => out.push(err(
                &value,
                crate::tr!(l, "programs-err-length", text = it.value.clone()),
            )),
        },
        ItemKind::Stream if !it.duration.trim().is_empty() => {
            match parse_length(&it.duration, "m") {
                Some(v) => it.duration = v,
                None => out.push(err(
                    &format!("{name}.duration"),
                    crate::tr!(l, "programs-err-length", text = it.duration.clone()),
                )),
            }
        }
        _ => {}
    }
    let count = it.count.trim();
    if it.kind == ItemKind::Category && !count.is_empty() {
        match count.parse::<u32>() {
            Ok(n) if n >= 1 => it.count = n.to_string(),
            _ => out.push(err(
                &format!("{name}.count"),
                crate::tr!(l, "programs-err-count", text = count.to_string()),
            )),
        }
    }
    if it.kind == ItemKind::Stream {
        for (m, fb) in it.fallback.iter_mut().enumerate() {
            if !fb.blank() {
                tidy_item(l, k, fb, &format!("{name}.f{m}"), out);
            }
        }
    }
}

/// The form as SPEC.md wants it (times "HH:MM", an id, dates yyyy-mm-dd,
/// units) as far as it reads, and every refusal at its field (none: ready
/// to save). Refusals name the rows as typed; blank rows are skipped, then
/// dropped from the result (`kept_rows` maps its rows back).
pub fn tidy(l: Lang, f: &ProgramForm, k: &Known) -> (ProgramForm, Vec<FieldDiag>) {
    let mut f = f.clone();
    let mut out = vec![];
    f.title = f.title.trim().to_string();
    let typed_id = f.id.trim();
    if typed_id.is_empty() {
        if f.title.is_empty() {
            out.push(err("title", crate::tr!(l, "programs-err-title-empty")));
        } else {
            f.id = id_from_title(&f.title, k.taken);
        }
    } else {
        let id = fold_id(typed_id);
        if id.is_empty() {
            out.push(err(
                "id",
                crate::tr!(l, "programs-err-id-bad", text = typed_id.to_string()),
            ));
        } else if k.taken.contains(&id) {
            out.push(err(
                "id",
                crate::tr!(l, "programs-err-id-taken", id = id.clone()),
            ));
        }
        f.id = id;
    }
    if f.when == WhenKind::At {
        match parse_times(&f.at) {
            Ok(v) => f.at = v.join(", "),
            Err(e) => out.push(err("at", time_message(l, &e))),
        }
    }
    if f.when == WhenKind::OnStart {
        match parse_length(&f.on_start, "s") {
            Some(v) => f.on_start = v,
            None => out.push(err(
                "on_start",
                crate::tr!(l, "programs-err-length", text = f.on_start.clone()),
            )),
        }
    }
    if f.days.iter().all(|d| !d) {
        out.push(err("days", crate::tr!(l, "programs-err-days-none")));
    }
    let mut dates = [None, None];
    for (i, (name, v)) in [("from", &mut f.from), ("until", &mut f.until)]
        .into_iter()
        .enumerate()
    {
        if v.trim().is_empty() {
            v.clear();
            continue;
        }
        match parse_day(v) {
            Some(d) => {
                *v = d.format("%Y-%m-%d").to_string();
                dates[i] = Some(d);
            }
            None => out.push(err(
                name,
                crate::tr!(l, "programs-err-date", text = v.trim().to_string()),
            )),
        }
    }
    if let [Some(a), Some(b)] = dates {
        if b < a {
            out.push(err(
                "until",
                crate::tr!(
                    l,
                    "programs-err-date-order",
                    from = crate::i18n::format::date(a),
                    until = crate::i18n::format::date(b)
                ),
            ));
        }
    }
    let p = f.priority.trim().to_string();
    if !p.is_empty() {
        match p.parse::<u32>() {
            Ok(n) if (1..=999).contains(&n) => f.priority = n.to_string(),
            _ => out.push(err(
                "priority",
                crate::tr!(l, "programs-err-priority", text = p),
            )),
        }
    }
    if !f.volume.trim().is_empty() {
        match parse_volume(&f.volume) {
            Some(v) => f.volume = v,
            None => out.push(err(
                "volume",
                crate::tr!(l, "programs-err-volume", text = f.volume.trim().to_string()),
            )),
        }
    }
    for (name, unit) in [("max_duration", "m"), ("late_limit", "m")] {
        let v = if name == "max_duration" {
            &mut f.max_duration
        } else {
            &mut f.late_limit
        };
        if v.trim().is_empty() {
            continue;
        }
        match parse_length(v, unit) {
            Some(x) => *v = x,
            None => out.push(err(
                name,
                crate::tr!(l, "programs-err-length", text = v.trim().to_string()),
            )),
        }
    }
    if f.items.iter().all(ItemForm::blank) {
        out.push(err("play", crate::tr!(l, "programs-err-play-empty")));
    }
    for (n, it) in f.items.iter_mut().enumerate() {
        if !it.blank() {
            tidy_item(l, k, it, &format!("i{n}"), &mut out);
        }
    }
    f.drop_blank_rows();
    (f, out)
}

/// The typed row number of each row `tidy` keeps (blank rows dropped).
pub fn kept_rows(f: &ProgramForm) -> Vec<usize> {
    (0..f.items.len())
        .filter(|n| !f.items[*n].blank())
        .collect()
}

/// A field of the tidied form (`i1.count`) as the typed form names it
/// (`i2.count` when a blank row 1 was dropped).
pub fn typed_field(field: &str, kept: &[usize]) -> String {
    let Some(rest) = field.strip_prefix('i') else {
        return field.to_string();
    };
    let (n, tail) = rest.split_once('.').unwrap_or((rest, ""));
    match n.parse::<usize>().ok().and_then(|n| kept.get(n)) {
        Some(t) if tail.is_empty() => format!("i{t}"),
        Some(t) => format!("i{t}.{tail}"),
        None => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(l: Lang, f: &ProgramForm, k: &Known) -> ProgramForm {
        let (f, e) = tidy(l, f, k);
        assert!(e.is_empty(), "{e:?}");
        f
    }

    fn refused(l: Lang, f: &ProgramForm, k: &Known) -> Vec<FieldDiag> {
        let (_, e) = tidy(l, f, k);
        assert!(!e.is_empty());
        e
    }

    fn form(at: &str) -> ProgramForm {
        let mut f = ProgramForm::new_program();
        f.title = "Bản tin trưa".into();
        f.at = at.into();
        f.items[0].kind = ItemKind::Category;
        f.items[0].value = "thong-bao-xa".into();
        f
    }

    #[test]
    fn a_program_as_they_write_it_becomes_spec() {
        let mut f = form("11h30");
        f.from = "01/12/2026".into();
        f.until = "2026-12-31".into();
        f.volume = "0,8".into();
        f.max_duration = "30 phút".into();
        f.late_limit = "1 giờ 30 phút".into();
        f.priority = " 20 ".into();
        let taken = vec!["ban-tin-trua".to_string()];
        let k = Known {
            taken: &taken,
            files: None,
        };
        let t = ok(Lang::Vi, &f, &k);
        assert_eq!(t.id, "ban-tin-trua-2");
        assert_eq!(t.at, "11:30");
        assert_eq!(
            (t.from.as_str(), t.until.as_str()),
            ("2026-12-01", "2026-12-31")
        );
        assert_eq!(t.volume, "0.8");
        assert_eq!(t.max_duration, "30m");
        assert_eq!(t.late_limit, "1h30m");
        assert_eq!(t.priority, "20");
        assert_eq!(parse_volume("80%").as_deref(), Some("0.8"));
        assert_eq!(parse_volume("1").as_deref(), Some("1.0"));
        assert_eq!(parse_length("2", "s").as_deref(), Some("2s"));
        assert_eq!(parse_length("15 giây", "m").as_deref(), Some("15s"));
        assert_eq!(parse_length("nửa giờ", "m"), None);
    }

    #[test]
    fn refusals_are_at_their_fields_in_vietnamese() {
        let mut f = form("25h");
        f.title = String::new();
        f.days = [false; 7];
        f.from = "31/02/2026".into();
        f.volume = "1,5".into();
        f.items[0].count = "0".into();
        f.items.push(ItemForm {
            kind: ItemKind::File,
            value: "khong-co.mp3".into(),
            ..ItemForm::default()
        });
        let files = vec!["chuong.wav".to_string()];
        let k = Known {
            taken: &[],
            files: Some(&files),
        };
        let e = refused(Lang::Vi, &f, &k);
        let at = |field: &str| {
            e.iter()
                .find(|d| d.field == field)
                .unwrap_or_else(|| panic!("no error at {field}: {e:?}"))
                .message
                .clone()
        };
        assert!(at("title").contains("tên chương trình"), "{}", at("title"));
        assert!(at("at").contains("25"), "{}", at("at"));
        assert!(at("at").contains("giờ"), "{}", at("at"));
        assert!(at("days").contains("ngày"), "{}", at("days"));
        assert!(at("from").contains("31/02/2026"), "{}", at("from"));
        assert!(at("volume").contains("1,5"), "{}", at("volume"));
        assert!(at("i0.count").contains("0"), "{}", at("i0.count"));
        assert!(
            at("i2.value").contains("khong-co.mp3"),
            "{}",
            at("i2.value")
        );
        assert!(e.iter().all(|d| d.error));
        // The same in English with the switch.
        let e = refused(Lang::En, &f, &k);
        assert!(e
            .iter()
            .any(|d| d.field == "at" && d.message.contains("hour")));
    }

    #[test]
    fn typed_ids_fold_and_must_be_free() {
        let mut f = form("7h");
        f.id = "Sáng Sớm".into();
        let k = Known::default();
        assert_eq!(ok(Lang::Vi, &f, &k).id, "sang-som");
        let taken = vec!["sang-som".to_string()];
        let k = Known {
            taken: &taken,
            files: None,
        };
        let e = refused(Lang::Vi, &f, &k);
        assert_eq!(e[0].field, "id");
        assert!(e[0].message.contains("sang-som"));
        f.id = "!!!".into();
        assert_eq!(refused(Lang::Vi, &f, &Known::default())[0].field, "id");
        // Rows as typed: a blank row 0 is skipped, row 1 keeps its number.
        f.items.insert(0, ItemForm::default());
        f.items[1].value.clear();
        f.items[1].count = "2".into();
        let e = refused(Lang::Vi, &f, &Known::default());
        assert!(e.iter().any(|d| d.field == "i1.value"), "{e:?}");
        assert_eq!(kept_rows(&f), [1]);
        assert_eq!(typed_field("i0.count", &[1, 3]), "i1.count");
        assert_eq!(typed_field("i1.f0.value", &[1, 3]), "i3.f0.value");
        assert_eq!(typed_field("at", &[1]), "at");
        f.id.clear();
        f.items.clear();
        let e = refused(Lang::Vi, &f, &Known::default());
        assert_eq!(e[0].field, "play");
    }
}
