//! The programs editor's form (HTML), built for a commune operator on a
//! phone: the title (the id is made from it; a "mã" field waits under
//! "details" for whoever wants one), the times as they write them ("11h30"),
//! the days as T2…CN boxes, the play list as rows whose value is picked from
//! lists — the station's files (its heartbeat), the hub's categories and
//! clips — and the rarer settings (dates with a date picker, priority,
//! volume, lengths, cron / on start) folded under "details". Rows are added
//! and removed by submit buttons, so it works without JavaScript. Each
//! refusal sits beside its field, led by the field's name. Pure: markup from
//! a `ProgramForm`; words from `locales/*/programs.ftl`.

use maud::{html, Markup};

use super::i18n::Lang;
use crate::hub::program_form::{
    field_label, parse_day, FieldDiag, ItemForm, ItemKind, ProgramForm, WhenKind, DAYS,
};
use crate::i18n::format::weekday;

/// What the form offers to pick from.
#[derive(Debug, Default, Clone)]
pub struct Suggest {
    /// The hub's clip categories.
    pub categories: Vec<String>,
    /// Approved clips reaching the station: (id, title).
    pub clips: Vec<(String, String)>,
    /// The station's files, from its heartbeat (`None`: not reported).
    pub files: Option<Vec<String>>,
    /// Program ids in use: the hub's other programs and the station's own.
    pub programs: Vec<String>,
}

fn kind_label(l: Lang, k: ItemKind) -> String {
    l.tr(match k {
        ItemKind::File => "programs-kind-file",
        ItemKind::Category => "programs-kind-category",
        ItemKind::Clip => "programs-kind-clip",
        ItemKind::Silence => "programs-kind-silence",
        ItemKind::Stream => "programs-kind-stream",
    })
}

fn has_error(diags: &[FieldDiag], field: &str) -> bool {
    diags.iter().any(|d| d.field == field && d.error)
}

/// The messages for one input, the field's name first.
pub fn diags_for(l: Lang, diags: &[FieldDiag], field: &str) -> Markup {
    let label = field_label(l, field);
    html! {
        @for d in diags.iter().filter(|d| d.field == field) {
            div class={ "fdiag " @if d.error { "err" } @else { "warn" } } data-field=(field) data-line=(d.line) role=[d.error.then_some("alert")] {
                strong { (if d.error { crate::tr!(l, "programs-error", field = label.clone()) } else { crate::tr!(l, "programs-note", field = label.clone()) }) }
                " " (d.message)
            }
        }
    }
}

fn text_input(
    l: Lang,
    diags: &[FieldDiag],
    name: &str,
    value: &str,
    hint: Option<String>,
    placeholder: &str,
) -> Markup {
    html! {
        label for=(name) { (field_label(l, name)) @if let Some(h) = hint { " " span class="hint" { (h) } } }
        input type="text" id=(name) name=(name) value=(value) placeholder=(placeholder) aria-invalid=[has_error(diags, name).then_some("true")];
        (diags_for(l, diags, name))
    }
}

/// A date with the browser's date picker; a value the picker cannot show
/// (typed by hand, refused) stays a text box so it comes back as typed.
fn date_input(l: Lang, diags: &[FieldDiag], name: &str, value: &str) -> Markup {
    let t = value.trim();
    let picker =
        t.is_empty() || (parse_day(t).is_some() && t.len() == 10 && t.as_bytes()[4] == b'-');
    html! {
        label for=(name) { (field_label(l, name)) " " span class="hint" { (l.tr("programs-hint-optional")) } }
        input type=(if picker { "date" } else { "text" }) id=(name) name=(name) value=(value) placeholder="dd/mm/yyyy" aria-invalid=[has_error(diags, name).then_some("true")];
        (diags_for(l, diags, name))
    }
}

/// A `<select>` of `options` (value, label) with `value` chosen; a value not
/// among them is kept as an extra option, so nothing typed is lost.
fn pick(name: &str, aria: &str, first: &str, options: &[(String, String)], value: &str) -> Markup {
    let known = options.iter().any(|(v, _)| v == value);
    html! {
        select name=(name) aria-label=(aria) {
            option value="" selected[value.is_empty()] { (first) }
            @if !known && !value.is_empty() { option value=(value) selected { (value) } }
            @for (v, t) in options { option value=(v) selected[v == value] { (t) } }
        }
    }
}

/// The value control of one kind: a list when there is one to pick from.
fn value_control(l: Lang, sug: &Suggest, name: &str, k: ItemKind, it: &ItemForm) -> Markup {
    let field = format!("{name}.{}", k.key());
    let value = if it.kind == k { it.value.as_str() } else { "" };
    let aria = kind_label(l, k);
    let list = |v: &[String]| -> Vec<(String, String)> {
        v.iter().map(|x| (x.clone(), x.clone())).collect()
    };
    html! {
        div class={ "v v-" (k.key()) } {
            @match k {
                ItemKind::Category if !sug.categories.is_empty() => {
                    (pick(&field, &aria, &l.tr("programs-pick-category"), &list(&sug.categories), value))
                }
                ItemKind::File => {
                    @match &sug.files {
                        Some(files) if !files.is_empty() => {
                            (pick(&field, &aria, &l.tr("programs-pick-file"), &list(files), value))
                        }
                        _ => {
                            input type="text" name=(field) value=(value) placeholder="chuong.ogg" aria-label=(aria) autocapitalize="none";
                            span class="hint" { (l.tr("programs-no-files")) }
                        }
                    }
                }
                ItemKind::Clip if !sug.clips.is_empty() => {
                    @let opts: Vec<(String, String)> = sug.clips.iter().map(|(id, t)| (id.clone(), format!("{t} ({id})"))).collect();
                    (pick(&field, &aria, &l.tr("programs-pick-clip"), &opts, value))
                }
                ItemKind::Silence => {
                    input type="text" name=(field) value=(value) placeholder=(l.tr("programs-placeholder-silence")) aria-label=(aria);
                }
                ItemKind::Stream => {
                    input type="url" name=(field) value=(value) placeholder="http://radio.example.vn/vov1" aria-label=(aria) autocapitalize="none";
                }
                _ => {
                    input type="text" name=(field) value=(value) aria-label=(aria) autocapitalize="none";
                    @if k == ItemKind::Category { span class="hint" { (l.tr("programs-no-categories")) } }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn item_row(
    l: Lang,
    diags: &[FieldDiag],
    sug: &Suggest,
    name: &str,
    it: &ItemForm,
    number: &str,
    remove: &str,
    fallback_of: Option<usize>,
) -> Markup {
    let value = format!("{name}.value");
    let bad = diags.iter().any(|d| d.field.starts_with(name) && d.error);
    html! {
        div class={ "item" @if bad { " bad" } @if fallback_of.is_some() { " fb" } } data-row=(name) {
            div class="item-head" {
                strong { (number) }
                select name=(format!("{name}.kind")) aria-label=(l.tr("programs-item-kind")) {
                    @for k in ItemKind::ALL {
                        @if fallback_of.is_none() || k != ItemKind::Stream {
                            option value=(k.key()) selected[k == it.kind] { (kind_label(l, k)) }
                        }
                    }
                }
                button class="no small" type="submit" name="op" value=(remove) formnovalidate title=(l.tr("programs-item-remove")) { "✕" span class="sr" { " " (l.tr("programs-item-remove")) } }
            }
            // One value control per kind; the stylesheet shows the chosen
            // kind's (CSS :has, no script; without :has all show, labelled).
            @for k in ItemKind::ALL {
                @if fallback_of.is_none() || k != ItemKind::Stream {
                    (value_control(l, sug, name, k, it))
                }
            }
            (diags_for(l, diags, &value))
            label class="inline f-count" { (l.tr("programs-item-count")) " "
                input type="number" min="1" inputmode="numeric" name=(format!("{name}.count")) value=(it.count) placeholder="1"; }
            (diags_for(l, diags, &format!("{name}.count")))
            @if fallback_of.is_none() {
                label class="inline f-dur" { (l.tr("programs-item-relay-for")) " "
                    input type="text" name=(format!("{name}.duration")) value=(it.duration) placeholder=(l.tr("programs-placeholder-length")); }
                (diags_for(l, diags, &format!("{name}.duration")))
                (diags_for(l, diags, &format!("{name}.fallback")))
                @let i = name.trim_start_matches('i').parse::<usize>().unwrap_or(0);
                div class="fallbacks" {
                    span class="hint" { (l.tr("programs-item-fallbacks")) }
                    @for (m, fb) in it.fallback.iter().enumerate() {
                        (item_row(l, diags, sug, &format!("{name}.f{m}"), fb, &format!("↳{}", m + 1), &format!("del-fb-{i}-{m}"), Some(i)))
                    }
                    button class="plain small" type="submit" name="op" value=(format!("add-fb-{i}")) formnovalidate { "+ " (l.tr("programs-item-add-fallback")) }
                }
            }
        }
    }
}

const WEEK: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

/// The fields folded under "more": open when one is filled in or refused.
const MORE: [&str; 8] = [
    "from",
    "until",
    "priority",
    "volume",
    "max_duration",
    "late_limit",
    "cron",
    "on_start",
];

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
        .filter(|d| d.field == "program" || d.field.is_empty())
        .collect();
    let more_open = f.when != WhenKind::At
        || [
            &f.from,
            &f.until,
            &f.priority,
            &f.volume,
            &f.max_duration,
            &f.late_limit,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
        || diags.iter().any(|d| MORE.contains(&d.field.as_str()));
    let id_open = diags.iter().any(|d| d.field == "id");
    let others: Vec<&String> = sug.programs.iter().filter(|p| **p != f.id).collect();
    html! {
        form method="post" action=(action) class="card progform" id="program-form" novalidate {
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            @for d in &general {
                div class={ "fdiag " @if d.error { "err" } @else { "warn" } } data-field=(d.field) {
                    strong { (if d.error { l.tr("programs-error-plain") } else { l.tr("programs-note-plain") }) } " " (d.message)
                }
            }
            (text_input(l, diags, "title", &f.title, None, &l.tr("programs-placeholder-title")))
            details class="more" id="id-more" open[id_open] {
                summary { (l.tr("programs-id-summary")) }
                (text_input(l, diags, "id", &f.id, Some(l.tr("programs-hint-id")), "ban-tin-trua"))
                @if !others.is_empty() {
                    p class="hint" id="ids-taken" { (l.tr("programs-ids-taken")) " "
                        @for (n, p) in others.iter().enumerate() { @if n > 0 { ", " } code { (p) } } }
                }
            }
            (text_input(l, diags, "at", &f.at, Some(l.tr("programs-hint-at")), "11h30"))
            fieldset class="days-set" {
                legend { (field_label(l, "days")) }
                div class="days" {
                    @for (i, d) in DAYS.iter().enumerate() {
                        @let wd = WEEK[i];
                        label class="check day" { input type="checkbox" name="days" value=(d) checked[f.days[i]]; (weekday(l, wd)) }
                    }
                }
                (diags_for(l, diags, "days"))
            }
            fieldset {
                legend { (field_label(l, "play")) }
                (diags_for(l, diags, "play"))
                @for (i, it) in f.items.iter().enumerate() {
                    (item_row(l, diags, sug, &format!("i{i}"), it, &format!("{}.", i + 1), &format!("del-item-{i}"), None))
                }
                button class="plain" type="submit" name="op" value="add-item" id="add-item" formnovalidate { "+ " (l.tr("programs-add-item")) }
            }
            details class="more" id="more" open[more_open] {
                summary { (l.tr("programs-more-summary")) }
                div class="grid" {
                    div { (date_input(l, diags, "from", &f.from)) }
                    div { (date_input(l, diags, "until", &f.until)) }
                    div { (text_input(l, diags, "priority", &f.priority, Some(l.tr("programs-hint-priority")), "10")) }
                    div { (text_input(l, diags, "volume", &f.volume, Some(l.tr("programs-hint-volume")), "1,0")) }
                    div { (text_input(l, diags, "max_duration", &f.max_duration, Some(l.tr("programs-hint-max-duration")), &l.tr("programs-placeholder-length"))) }
                    div { (text_input(l, diags, "late_limit", &f.late_limit, Some(l.tr("programs-hint-late-limit")), "10 phút")) }
                }
                fieldset {
                    legend { (l.tr("programs-when")) }
                    @for (k, id) in [(WhenKind::At, "programs-when-at"), (WhenKind::Cron, "programs-when-cron"), (WhenKind::OnStart, "programs-when-on-start")] {
                        label class="check" { input type="radio" name="when" value=(k.key()) checked[f.when == k]; (l.tr(id)) }
                    }
                    (text_input(l, diags, "cron", &f.cron, Some(l.tr("programs-hint-cron")), "0 0 5 * * Mon-Sat"))
                    (text_input(l, diags, "on_start", &f.on_start, Some(l.tr("programs-hint-on-start")), "5 giây"))
                }
            }
            div class="actions" {
                button class="ok" type="submit" name="op" value="save" id="save" { (l.tr("programs-save")) }
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
            "i0.stream",
            "i0.category",
            "i0.file",
            "i0.duration",
            "i0.f0.category",
            "i0.f0.count",
        ] {
            assert!(html.contains(&format!("name=\"{name}\"")), "{name} missing");
        }
        assert!(html.contains("name=\"days\" value=\"mon\" checked"));
        assert!(html.contains("name=\"days\" value=\"tue\">"));
        assert!(html.contains("data-field=\"at\""), "{html}");
        assert!(html.contains("Lỗi ở «Giờ phát»:"), "{html}");
        assert!(
            html.contains(">T2</label>") && html.contains(">CN</label>"),
            "{html}"
        );
        assert!(html.contains("type=\"date\" id=\"from\""), "{html}");
        assert!(html.contains("data-field=\"i0.value\""), "{html}");
        assert!(html.contains("data-field=\"i0.f0.count\""), "{html}");
        assert!(html.contains("value=\"add-fb-0\""));
        assert!(html.contains("value=\"del-fb-0-0\""));
        assert!(
            html.contains(
                "id=\"at\" name=\"at\" value=\"25:00\" placeholder=\"11h30\" aria-invalid=\"true\""
            ),
            "{html}"
        );
    }
}
