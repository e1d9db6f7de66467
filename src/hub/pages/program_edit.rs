//! The programs editor's form (HTML): every field of one `[[program]]` as
//! simple phone inputs, the play list as rows (kind, value, count, relay
//! length, fallbacks) added and removed by submit buttons so it works without
//! JavaScript, and each `loa check` diagnostic beside the field it concerns,
//! led by the field's Vietnamese name. Pure: markup from a `ProgramForm`.

use maud::{html, Markup};

use super::i18n::Lang;
use crate::hub::program_form::{
    field_label, FieldDiag, ItemForm, ItemKind, ProgramForm, WhenKind, DAYS,
};

/// Choices offered while typing (HTML datalists): feed categories, feed
/// clip ids the hub holds, station files already used in the timetable.
#[derive(Debug, Default, Clone)]
pub struct Suggest {
    pub categories: Vec<String>,
    pub clips: Vec<String>,
    pub files: Vec<String>,
}

const DAY_NAMES: [(&str, &str); 7] = [
    ("Thứ Hai", "Mon"),
    ("Thứ Ba", "Tue"),
    ("Thứ Tư", "Wed"),
    ("Thứ Năm", "Thu"),
    ("Thứ Sáu", "Fri"),
    ("Thứ Bảy", "Sat"),
    ("Chủ nhật", "Sun"),
];

fn kind_label(l: Lang, k: ItemKind) -> &'static str {
    match k {
        ItemKind::File => l.t("Tệp của đài", "Station file"),
        ItemKind::Category => l.t("Bản tin theo chủ đề", "Feed category"),
        ItemKind::Clip => l.t("Một bản tin (mã)", "One feed clip (id)"),
        ItemKind::Silence => l.t("Khoảng lặng", "Silence"),
        ItemKind::Stream => l.t("Tiếp sóng (luồng)", "Stream relay"),
    }
}

/// The messages for one input, Vietnamese field name first.
pub fn diags_for(l: Lang, diags: &[FieldDiag], field: &str) -> Markup {
    let (vi, en) = field_label(field);
    html! {
        @for d in diags.iter().filter(|d| d.field == field) {
            div class={ "fdiag " @if d.error { "err" } @else { "warn" } } data-field=(field) data-line=(d.line) {
                strong { (if d.error { l.t("Lỗi", "Error") } else { l.t("Lưu ý", "Note") }) " · " (l.t(&vi, &en)) ": " }
                (d.message)
            }
        }
    }
}

fn text_input(
    l: Lang,
    diags: &[FieldDiag],
    name: &str,
    value: &str,
    hint: (&str, &str),
    placeholder: &str,
) -> Markup {
    let (vi, en) = field_label(name);
    let bad = diags.iter().any(|d| d.field == name && d.error);
    html! {
        label for=(name) { (l.t(&vi, &en)) " " span class="hint" { (l.t(hint.0, hint.1)) } }
        input type="text" id=(name) name=(name) value=(value) placeholder=(placeholder) aria-invalid=[bad.then_some("true")];
        (diags_for(l, diags, name))
    }
}

fn item_row(
    l: Lang,
    diags: &[FieldDiag],
    name: &str,
    it: &ItemForm,
    number: &str,
    remove: &str,
    fallback_of: Option<usize>,
) -> Markup {
    let value = format!("{name}.value");
    let list = match it.kind {
        ItemKind::Category => Some("dl-category"),
        ItemKind::Clip => Some("dl-clip"),
        ItemKind::File => Some("dl-file"),
        _ => None,
    };
    let placeholder = match it.kind {
        ItemKind::File => "chime.ogg",
        ItemKind::Category => "cai-cach-hanh-chinh",
        ItemKind::Clip => "cchc-2026-11-27",
        ItemKind::Silence => "2s",
        ItemKind::Stream => "http://radio.example.vn/vov1",
    };
    let bad = diags.iter().any(|d| d.field.starts_with(name) && d.error);
    html! {
        div class={ "item" @if bad { " bad" } @if fallback_of.is_some() { " fb" } } data-row=(name) {
            div class="item-head" {
                strong { (number) }
                select name=(format!("{name}.kind")) aria-label=(l.t("Loại mục", "Item kind")) {
                    @for k in ItemKind::ALL {
                        @if fallback_of.is_none() || k != ItemKind::Stream {
                            option value=(k.key()) selected[k == it.kind] { (kind_label(l, k)) }
                        }
                    }
                }
                button class="no small" type="submit" name="op" value=(remove) formnovalidate { "✕" span class="sr" { (l.t(" Bỏ mục", " Remove")) } }
            }
            input type="text" name=(value) value=(it.value) placeholder=(placeholder) list=[list] aria-label=(l.t("Nội dung", "Value"));
            (diags_for(l, diags, &value))
            // Every row carries the count, relay length and fallbacks; the
            // stylesheet shows only those of the chosen kind (CSS :has, no
            // script; a browser without :has shows them all).
            label class="inline f-count" { (l.t("Số bản tin", "Count")) " "
                input type="number" min="1" name=(format!("{name}.count")) value=(it.count) placeholder="1"; }
            (diags_for(l, diags, &format!("{name}.count")))
            @if fallback_of.is_none() {
                label class="inline f-dur" { (l.t("Tiếp sóng trong", "Relay for")) " "
                    input type="text" name=(format!("{name}.duration")) value=(it.duration) placeholder="15m"; }
                (diags_for(l, diags, &format!("{name}.duration")))
                (diags_for(l, diags, &format!("{name}.fallback")))
                @let i = name.trim_start_matches('i').parse::<usize>().unwrap_or(0);
                div class="fallbacks" {
                    span class="hint" { (l.t("Dự phòng khi mất sóng:", "Fallback if the stream fails:")) }
                    @for (m, fb) in it.fallback.iter().enumerate() {
                        (item_row(l, diags, &format!("{name}.f{m}"), fb, &format!("↳{}", m + 1), &format!("del-fb-{i}-{m}"), Some(i)))
                    }
                    button class="plain small" type="submit" name="op" value=(format!("add-fb-{i}")) formnovalidate { "+ " (l.t("Thêm dự phòng", "Add fallback")) }
                }
            }
        }
    }
}

/// The whole form for one program. `action` is where it posts; `diags` are
/// this program's placed diagnostics.
pub fn program_form(
    l: Lang,
    action: &str,
    f: &ProgramForm,
    diags: &[FieldDiag],
    sug: &Suggest,
    hidden: &[(&str, String)],
) -> Markup {
    let general: Vec<&FieldDiag> = diags
        .iter()
        .filter(|d| d.field == "program" || d.field == "play" || d.field.is_empty())
        .collect();
    html! {
        form method="post" action=(action) class="card progform" id="program-form" {
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            @for d in &general {
                div class={ "fdiag " @if d.error { "err" } @else { "warn" } } data-field=(d.field) {
                    strong { (if d.error { l.t("Lỗi", "Error") } else { l.t("Lưu ý", "Note") }) ": " } (d.message)
                }
            }
            (text_input(l, diags, "id", &f.id, ("chữ thường không dấu, số, gạch nối", "a-z, 0-9, -"), "sang"))
            (text_input(l, diags, "title", &f.title, ("", ""), "Bản tin buổi sáng"))
            fieldset {
                legend { (l.t("Khi nào phát", "When")) }
                @for (k, vi, en) in [(WhenKind::At, "Giờ cố định", "Times of day"), (WhenKind::Cron, "Cron", "Cron"), (WhenKind::OnStart, "Khi đài khởi động", "On start")] {
                    label class="check" { input type="radio" name="when" value=(k.key()) checked[f.when == k]; (l.t(vi, en)) }
                }
                (text_input(l, diags, "at", &f.at, ("HH:MM, cách nhau dấu phẩy", "HH:MM, comma separated"), "05:00, 17:00"))
                (text_input(l, diags, "cron", &f.cron, ("giây phút giờ ngày tháng thứ", "sec min hour dom month dow"), "0 0 5 * * Mon-Sat"))
                (text_input(l, diags, "on_start", &f.on_start, ("ví dụ 5s", "e.g. 5s"), "5s"))
            }
            fieldset {
                legend { (l.t("Ngày trong tuần", "Days")) }
                div class="days" {
                    @for (i, d) in DAYS.iter().enumerate() {
                        label class="check" { input type="checkbox" name="days" value=(d) checked[f.days[i]]; (l.t(DAY_NAMES[i].0, DAY_NAMES[i].1)) }
                    }
                }
                (diags_for(l, diags, "days"))
            }
            div class="grid" {
                div { (text_input(l, diags, "from", &f.from, ("YYYY-MM-DD, không bắt buộc", "YYYY-MM-DD, optional"), "2026-12-01")) }
                div { (text_input(l, diags, "until", &f.until, ("YYYY-MM-DD, không bắt buộc", "YYYY-MM-DD, optional"), "2026-12-31")) }
                div { (text_input(l, diags, "priority", &f.priority, ("mặc định 10; từ 100 là khẩn cấp", "default 10; 100+ is an emergency"), "10")) }
                div { (text_input(l, diags, "volume", &f.volume, ("0.0–1.0", "0.0–1.0"), "1.0")) }
                div { (text_input(l, diags, "max_duration", &f.max_duration, ("ví dụ 30m", "e.g. 30m"), "30m")) }
                div { (text_input(l, diags, "late_limit", &f.late_limit, ("mặc định 10m", "default 10m"), "10m")) }
            }
            fieldset {
                legend { (l.t("Danh sách phát", "Play list")) }
                @for (i, it) in f.items.iter().enumerate() {
                    (item_row(l, diags, &format!("i{i}"), it, &format!("{}.", i + 1), &format!("del-item-{i}"), None))
                }
                button class="plain" type="submit" name="op" value="add-item" id="add-item" formnovalidate { "+ " (l.t("Thêm mục", "Add item")) }
            }
            datalist id="dl-category" { @for c in &sug.categories { option value=(c) {} } }
            datalist id="dl-clip" { @for c in &sug.clips { option value=(c) {} } }
            datalist id="dl-file" { @for c in &sug.files { option value=(c) {} } }
            div class="actions" {
                button class="ok" type="submit" name="op" value="save" id="save" { (l.t("Lưu và gửi xuống đài", "Save and publish")) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::program_form::{check_timetable, from_toml};

    #[test]
    fn every_field_is_an_input_and_errors_sit_beside_them() {
        let forms = from_toml(
            "[[program]]\nid = \"sang\"\nat = [\"25:00\"]\ndays = [\"mon\"]\nplay = [{ stream = \"ftp://x\", duration = \"5m\", fallback = [{ category = \"tin\", count = 0 }] }]\n",
        )
        .unwrap();
        let (_, diags, _) = check_timetable(&forms, "Xã", chrono_tz::Asia::Ho_Chi_Minh, &[]);
        let html = program_form(
            Lang::Vi,
            "/x",
            &forms[0],
            &diags,
            &Suggest::default(),
            &[("base", "3".into())],
        )
        .into_string();
        assert!(html.contains("name=\"base\" value=\"3\""));
        for name in [
            "id",
            "title",
            "at",
            "cron",
            "on_start",
            "from",
            "until",
            "priority",
            "max_duration",
            "late_limit",
            "volume",
            "i0.value",
            "i0.duration",
            "i0.f0.value",
            "i0.f0.count",
        ] {
            assert!(html.contains(&format!("name=\"{name}\"")), "{name} missing");
        }
        assert!(html.contains("name=\"days\" value=\"mon\" checked"));
        assert!(html.contains("name=\"days\" value=\"tue\">"));
        assert!(html.contains("data-field=\"at\""), "{html}");
        assert!(html.contains("Lỗi · Giờ phát: "), "{html}");
        assert!(html.contains("data-field=\"i0.value\""), "{html}");
        assert!(html.contains("data-field=\"i0.f0.count\""), "{html}");
        assert!(html.contains("value=\"add-fb-0\""));
        assert!(html.contains("value=\"del-fb-0-0\""));
        assert!(html.contains("id=\"at\" name=\"at\" value=\"25:00\" placeholder=\"05:00, 17:00\" aria-invalid=\"true\""), "{html}");
    }
}
