//! The programs editor's model: one SPEC.md `[[program]]` table as the fields a
//! person fills in on a phone (every key: id, title, at / cron / on_start, days,
//! from / until, priority, max_duration, late_limit, volume, and the play list:
//! station files, feed categories, feed clips, silences, stream relays with
//! their fallbacks), and the way back and forth:
//!
//! ```text
//! mod.rs        ProgramForm / ItemForm, reading a posted form (rows added or
//!               removed by submit buttons, so it works without JavaScript)
//! from_toml.rs  TOML `[[program]]` tables -> forms
//! to_toml.rs    forms -> TOML, remembering which field wrote each line:column
//! fields.rs     a `loa check` diagnostic (line:col) -> the field it concerns,
//!               with the field's Vietnamese / English label
//! check.rs      validating a timetable with the station's own loader
//! time.rs       times as people write them ("11h30", "11 giờ 30") -> "11:30"
//! ids.rs        a program id from its title ("Bản tin trưa" -> ban-tin-trua)
//! tidy.rs       the whole form -> SPEC's forms, each refusal at its field
//! ```
//!
//! The HTML form itself is `pages/program_edit.rs`.
//!
//! Values stay the text the person typed; `tidy` turns their habits into
//! SPEC's forms (or says, beside the field, what it cannot read) before the
//! TOML is written, and `loa check`'s own checks then run on that TOML.

mod check;
mod fields;
mod from_toml;
mod ids;
mod tidy;
mod time;
mod to_toml;

#[cfg(test)]
mod tests;

pub use check::{check_timetable, timetable_config, CheckError};
pub use fields::{field_label, locate, place, FieldDiag};
pub use from_toml::{from_toml, FormError};
pub use ids::{fold_id, id_from_title, unique_id};
pub use tidy::{kept_rows, parse_day, parse_length, tidy, typed_field, Known};
pub use time::{parse_times, TimeError};
pub use to_toml::{to_toml, Written};

/// The seven day keys of `days`, Monday first.
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// How a program's starts are given (exactly one of SPEC's keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhenKind {
    #[default]
    At,
    Cron,
    OnStart,
}

impl WhenKind {
    pub fn key(self) -> &'static str {
        match self {
            WhenKind::At => "at",
            WhenKind::Cron => "cron",
            WhenKind::OnStart => "on_start",
        }
    }

    fn parse(s: &str) -> WhenKind {
        match s {
            "cron" => WhenKind::Cron,
            "on_start" => WhenKind::OnStart,
            _ => WhenKind::At,
        }
    }
}

/// One program, as the form holds it: text as typed; empty = key absent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgramForm {
    pub id: String,
    pub title: String,
    pub when: WhenKind,
    /// Times of day separated by commas or spaces: `05:00, 17:00`.
    pub at: String,
    pub cron: String,
    pub on_start: String,
    /// Monday first; all seven = no `days` key (every day).
    pub days: [bool; 7],
    pub from: String,
    pub until: String,
    pub priority: String,
    pub max_duration: String,
    pub late_limit: String,
    pub volume: String,
    pub items: Vec<ItemForm>,
}

/// The kinds of a play item (SPEC.md's `play` list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ItemKind {
    /// A file under the station's clips folder.
    File,
    /// Feed clips of a category (what a hub program mostly plays).
    #[default]
    Category,
    Clip,
    Silence,
    Stream,
}

impl ItemKind {
    pub const ALL: [ItemKind; 5] = [
        ItemKind::File,
        ItemKind::Category,
        ItemKind::Clip,
        ItemKind::Silence,
        ItemKind::Stream,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ItemKind::File => "file",
            ItemKind::Category => "category",
            ItemKind::Clip => "clip",
            ItemKind::Silence => "silence",
            ItemKind::Stream => "stream",
        }
    }

    pub fn parse(s: &str) -> ItemKind {
        ItemKind::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .unwrap_or_default()
    }
}

/// One row of the play list. `value` is the file name, category, clip id,
/// silence length or stream URL; `count` belongs to categories, `duration`
/// and `fallback` to streams.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemForm {
    pub kind: ItemKind,
    pub value: String,
    pub count: String,
    pub duration: String,
    pub fallback: Vec<ItemForm>,
}

impl ItemForm {
    fn blank(&self) -> bool {
        self.value.trim().is_empty()
            && self.count.trim().is_empty()
            && self.duration.trim().is_empty()
            && self.fallback.iter().all(ItemForm::blank)
    }
}

/// What a submit button asked for, besides saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Save,
    AddItem,
    RemoveItem(usize),
    AddFallback(usize),
    RemoveFallback(usize, usize),
}

impl Op {
    fn parse(s: &str) -> Op {
        let num = |p: &str| s.strip_prefix(p).and_then(|n| n.parse::<usize>().ok());
        if s == "add-item" {
            return Op::AddItem;
        }
        if let Some(i) = num("del-item-") {
            return Op::RemoveItem(i);
        }
        if let Some(i) = num("add-fb-") {
            return Op::AddFallback(i);
        }
        if let Some(rest) = s.strip_prefix("del-fb-") {
            if let Some((i, j)) = rest.split_once('-') {
                if let (Ok(i), Ok(j)) = (i.parse(), j.parse()) {
                    return Op::RemoveFallback(i, j);
                }
            }
        }
        Op::Save
    }
}

/// `i3.value` -> (3, None, "value"); `i3.f1.kind` -> (3, Some(1), "kind").
fn item_key(k: &str) -> Option<(usize, Option<usize>, &str)> {
    let rest = k.strip_prefix('i')?;
    let (n, rest) = rest.split_once('.')?;
    let n = n.parse().ok()?;
    if let Some(fb) = rest.strip_prefix('f') {
        if let Some((m, field)) = fb.split_once('.') {
            if let Ok(m) = m.parse() {
                return Some((n, Some(m), field));
            }
        }
    }
    Some((n, None, rest))
}

/// A posted row: its fields, and the value input of each kind (`i0.category`,
/// `i0.file`, … — the page shows the chosen kind's only).
#[derive(Default)]
struct Row {
    it: ItemForm,
    by_kind: Vec<(ItemKind, String)>,
}

impl Row {
    fn set(&mut self, field: &str, v: &str) {
        match field {
            "kind" => self.it.kind = ItemKind::parse(v),
            "value" => self.it.value = v.to_string(),
            "count" => self.it.count = v.to_string(),
            "duration" => self.it.duration = v.to_string(),
            other => {
                if let Some(k) = ItemKind::ALL.into_iter().find(|k| k.key() == other) {
                    self.by_kind.push((k, v.to_string()));
                }
            }
        }
    }

    /// The row, its value the one typed or picked for its kind.
    fn done(mut self) -> ItemForm {
        if let Some((_, v)) = self.by_kind.iter().find(|(k, _)| *k == self.it.kind) {
            if !v.trim().is_empty() || self.it.value.trim().is_empty() {
                self.it.value = v.clone();
            }
        }
        self.it
    }
}

impl ProgramForm {
    /// Reads a posted form (`application/x-www-form-urlencoded` pairs, in any
    /// order; item rows are `i{N}.kind|value|count|duration`, fallbacks
    /// `i{N}.f{M}.…`) and the button pressed (`op`). Unknown names are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> (ProgramForm, Op) {
        use std::collections::BTreeMap;
        let mut f = ProgramForm::default();
        let mut op = Op::Save;
        let mut rows: BTreeMap<usize, (Row, BTreeMap<usize, Row>)> = BTreeMap::new();
        for (k, v) in pairs {
            match k.as_str() {
                "id" => f.id = v.clone(),
                "title" => f.title = v.clone(),
                "when" => f.when = WhenKind::parse(v),
                "at" => f.at = v.clone(),
                "cron" => f.cron = v.clone(),
                "on_start" => f.on_start = v.clone(),
                "days" => {
                    if let Some(i) = DAYS.iter().position(|d| d == v) {
                        f.days[i] = true;
                    }
                }
                "from" => f.from = v.clone(),
                "until" => f.until = v.clone(),
                "priority" => f.priority = v.clone(),
                "max_duration" => f.max_duration = v.clone(),
                "late_limit" => f.late_limit = v.clone(),
                "volume" => f.volume = v.clone(),
                "op" => op = Op::parse(v),
                _ => {
                    if let Some((n, fb, field)) = item_key(k) {
                        let row = rows.entry(n).or_default();
                        match fb {
                            None => row.0.set(field, v),
                            Some(m) => row.1.entry(m).or_default().set(field, v),
                        }
                    }
                }
            }
        }
        f.items = rows
            .into_values()
            .map(|(row, fbs)| {
                let mut it = row.done();
                it.fallback = fbs.into_values().map(Row::done).collect();
                it
            })
            .collect();
        (f, op)
    }

    /// Applies a row button (add or remove a play item or a fallback).
    pub fn apply(&mut self, op: &Op) {
        match *op {
            Op::Save => {}
            Op::AddItem => {
                // A new row of the kind of the row above (two categories in a row).
                let kind = self.items.last().map(|i| i.kind).unwrap_or_default();
                self.items.push(ItemForm {
                    kind,
                    ..ItemForm::default()
                })
            }
            Op::RemoveItem(i) if i < self.items.len() => {
                self.items.remove(i);
            }
            Op::AddFallback(i) => {
                if let Some(it) = self.items.get_mut(i) {
                    it.fallback.push(ItemForm {
                        kind: ItemKind::Category,
                        ..ItemForm::default()
                    });
                }
            }
            Op::RemoveFallback(i, j) => {
                if let Some(it) = self.items.get_mut(i) {
                    if j < it.fallback.len() {
                        it.fallback.remove(j);
                    }
                }
            }
            Op::RemoveItem(_) => {}
        }
    }

    /// Drops empty rows (an added row left blank) before saving.
    pub fn drop_blank_rows(&mut self) {
        self.items.retain(|i| !i.blank());
        for it in &mut self.items {
            it.fallback.retain(|f| !f.blank());
        }
    }

    /// A new program's form: every day, two empty category rows (a row
    /// left empty is dropped on saving).
    pub fn new_program() -> ProgramForm {
        ProgramForm {
            days: [true; 7],
            items: vec![ItemForm::default(), ItemForm::default()],
            ..ProgramForm::default()
        }
    }
}
