//! The week picture (lịch phát sóng theo tuần): seven day columns of one week
//! in the station's zone, each broadcast a block at its start and length.
//! The broadcasts and their decisions come from `schedule::agenda`, the
//! engine behind `loa agenda` (air / skipped by quiet hours / conflict), so
//! the picture shows exactly what the station would do. Colours by priority
//! (thường < 50, cao 50–99, khẩn cấp ≥ 100); conflicts outlined red with "!";
//! skipped ones striped; quiet hours shaded grey; previous / next week links.
//!
//! At 360 px the seven columns are compact (about 44 px each, no horizontal
//! scroll): a block is a link at least 44 px tall showing its start time;
//! tapping it (phones have no hover) goes to its entry in the list under the
//! picture — program, start–end, priority, what it plays, the decision —
//! which is highlighted (`:target`). Blocks that would touch at 44 px stand
//! side by side. Pure: markup from a `Config` and a week.
//!
//! Bounded: a week holds at most `MAX_BLOCKS` blocks, counted while the
//! starts are expanded (`schedule::agenda_capped`), never after; a denser
//! timetable is not drawn and the page says which program is to blame.

use std::time::Duration;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use maud::{html, Markup};

use super::i18n::Lang;
use crate::config::{Config, Item, QuietHours};
use crate::schedule::{agenda_capped, AgendaEntry, Decision};

/// The most blocks one week's picture draws (a commune's two sessions a day
/// are 14; a program every 5 minutes all week is 2,016). Past it, nothing is
/// drawn: a page of tens of thousands of blocks helps nobody and costs the
/// hub memory and time for every visit.
pub const MAX_BLOCKS: usize = 2000;

/// A week too dense to draw: the program with the most starts in it.
#[derive(Debug, Clone, PartialEq)]
pub struct TooDense {
    pub program: String,
    pub title: String,
}

impl TooDense {
    /// The page's sentence ("Lịch phát quá dày, không vẽ được: …").
    pub fn show(&self, l: Lang) -> Markup {
        let name = if self.title.is_empty() || self.title == self.program {
            format!("«{}»", self.program)
        } else {
            format!("«{}» ({})", self.title, self.program)
        };
        let max = crate::i18n::format::count(l, MAX_BLOCKS as i64);
        html! {
            p class="msg err" id="week-too-dense" data-program=(self.program) {
                (crate::tr!(l, "week-too-dense", program = name, max = max))
            }
        }
    }
}

/// Unknown durations are drawn this long, so the block can be seen.
const UNKNOWN_LEN_MIN: u32 = 10;
const DAY_MIN: u32 = 24 * 60;

/// One broadcast placed in its day column.
#[derive(Debug, Clone)]
pub struct Block {
    pub entry: AgendaEntry,
    /// Minutes after local midnight.
    pub top_min: u32,
    /// Drawn length in minutes (cut at midnight).
    pub len_min: u32,
    /// Side-by-side lane among overlapping blocks, and how many lanes the day has.
    pub lane: usize,
    pub lanes: usize,
    /// A program of the station's own config file (not the hub's timetable).
    pub own: bool,
}

/// A day of the picture.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    pub blocks: Vec<Block>,
}

/// The Monday of the week holding `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

fn local_midnight_utc(cfg: &Config, d: NaiveDate) -> chrono::DateTime<Utc> {
    let tz = cfg.station.timezone;
    let naive = d.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::TimeDelta::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// The week starting on `monday`, laid out: the agenda of those seven days,
/// each entry in its local day's column; `Err` when it has more than
/// `MAX_BLOCKS` (found while expanding, nothing more is built).
pub fn layout(
    cfg: &Config,
    monday: NaiveDate,
    duration_of: &mut dyn FnMut(&Item) -> Option<Duration>,
) -> Result<Vec<Day>, TooDense> {
    let from = local_midnight_utc(cfg, monday);
    let to = local_midnight_utc(cfg, monday + chrono::Days::new(7));
    let entries = agenda_capped(cfg, from, to, None, duration_of, MAX_BLOCKS).map_err(|i| {
        let p = &cfg.programs[i];
        TooDense {
            program: p.id.clone(),
            title: p.title.clone(),
        }
    })?;
    let mut days: Vec<Day> = (0..7)
        .map(|i| Day {
            date: monday + chrono::Days::new(i),
            blocks: Vec::new(),
        })
        .collect();
    for e in entries {
        let local = e.occ.start;
        let Some(day) = days.iter_mut().find(|d| d.date == local.date_naive()) else {
            continue;
        };
        let top_min = local.hour() * 60 + local.minute();
        let len = e
            .duration
            .map(|d| {
                u32::try_from(d.as_secs().div_ceil(60))
                    .unwrap_or(DAY_MIN)
                    .max(1)
            })
            .unwrap_or(UNKNOWN_LEN_MIN);
        day.blocks.push(Block {
            entry: e,
            top_min,
            len_min: len.min(DAY_MIN - top_min),
            lane: 0,
            lanes: 1,
            own: false,
        });
    }
    for day in &mut days {
        assign_lanes(&mut day.blocks);
    }
    Ok(days)
}

/// A block is drawn at least this many minutes tall (44 px at the picture's
/// 40 px an hour, `.col-body` in base.css): lanes keep such blocks apart.
const DRAWN_MIN: u32 = 66;

/// Greedy lanes so blocks that would overlap as drawn stand side by side.
fn assign_lanes(blocks: &mut [Block]) {
    let mut ends: Vec<u32> = Vec::new();
    for b in blocks.iter_mut() {
        let lane = match ends.iter().position(|&end| end <= b.top_min) {
            Some(i) => i,
            None => {
                ends.push(0);
                ends.len() - 1
            }
        };
        ends[lane] = b.top_min + b.len_min.max(DRAWN_MIN);
        b.lane = lane;
    }
    let lanes = ends.len().max(1);
    for b in blocks.iter_mut() {
        b.lanes = lanes;
    }
}

fn priority_class(p: u32) -> &'static str {
    match p {
        0..=49 => "pr-n",
        50..=99 => "pr-h",
        _ => "pr-e",
    }
}

fn pct(min: u32) -> String {
    format!("{:.3}%", f64::from(min) * 100.0 / f64::from(DAY_MIN))
}

/// Quiet-hour bands of one day, as (top, length) in minutes.
fn quiet_bands(q: &[QuietHours]) -> Vec<(u32, u32)> {
    let m = |t: NaiveTime| t.hour() * 60 + t.minute();
    let mut v = Vec::new();
    for w in q {
        let (a, b) = (m(w.start), m(w.end));
        if a < b {
            v.push((a, b - a));
        } else {
            v.push((a, DAY_MIN - a));
            if b > 0 {
                v.push((0, b));
            }
        }
    }
    v
}

fn decision_text(l: Lang, d: Decision) -> String {
    match d {
        Decision::Air => crate::tr!(l, "week-decision-air"),
        Decision::Skipped => crate::tr!(l, "week-decision-skipped"),
        Decision::Conflict => crate::tr!(l, "week-decision-conflict"),
    }
}

/// The anchor of a block's entry in the list (day index, block index).
fn anchor(day: usize, i: usize) -> String {
    format!("b{day}-{i}")
}

/// "06:00 – 06:30" (the end unknown: the start alone).
fn span_text(l: Lang, b: &Block) -> String {
    let start = b.entry.occ.start;
    match b.entry.duration {
        Some(d) => {
            let end = start + chrono::TimeDelta::seconds(i64::try_from(d.as_secs()).unwrap_or(0));
            crate::tr!(
                l,
                "week-block-time",
                start = start.format("%H:%M").to_string(),
                end = end.format("%H:%M").to_string()
            )
        }
        None => start.format("%H:%M").to_string(),
    }
}

/// The whole picture: navigation, the seven columns, a legend and the list.
/// `week_href(monday)` links another week; `today` is highlighted.
pub fn week_picture(
    l: Lang,
    cfg: &Config,
    days: &[Day],
    today: NaiveDate,
    week_href: &dyn Fn(NaiveDate) -> String,
) -> Markup {
    let Some(first) = days.first() else {
        return html! {};
    };
    let prev = first.date - chrono::Days::new(7);
    let next = first.date + chrono::Days::new(7);
    let bands = quiet_bands(&cfg.output.quiet_hours);
    let last = first.date + chrono::Days::new(6);
    let wd = |d: NaiveDate| crate::i18n::format::weekday(l, d.weekday());
    let any = days.iter().any(|d| !d.blocks.is_empty());
    html! {
        section class="week" data-monday=(first.date) {
            div class="week-nav" {
                a href=(week_href(prev)) class="week-prev" rel="prev" { (crate::tr!(l, "week-prev")) }
                strong { (crate::tr!(l, "week-range", from = first.date.format("%d/%m").to_string(), to = crate::i18n::format::date(last))) }
                a href=(week_href(next)) class="week-next" rel="next" { (crate::tr!(l, "week-next")) }
            }
            div class="week-grid" {
                div class="axis" aria-hidden="true" {
                    div class="dh" {}
                    div class="col-body" {
                        @for h in (0..24).step_by(3) { span style={ "top:" (pct(h * 60)) } { (format!("{h:02}")) } }
                    }
                }
                @for (i, d) in days.iter().enumerate() {
                    div class={ "day" @if d.date == today { " today" } } data-date=(d.date) {
                        div class="dh" { (wd(d.date)) br; span { (d.date.format("%d/%m")) } }
                        div class="col-body" {
                            @for (top, len) in &bands {
                                div class="quiet" style={ "top:" (pct(*top)) ";height:" (pct(*len)) } {}
                            }
                            @for (j, b) in d.blocks.iter().enumerate() {
                                @let e = &b.entry;
                                @let w = 100.0 / b.lanes as f64;
                                a class={ "blk " (priority_class(e.occ.priority)) " d-" (e.decision.as_str()) @if b.own { " own" } }
                                    href={ "#" (anchor(i, j)) }
                                    style={ "top:" (pct(b.top_min)) ";height:" (pct(b.len_min)) ";left:" (format!("{:.1}%", w * b.lane as f64)) ";width:" (format!("{w:.1}%")) }
                                    aria-label={ (wd(d.date)) " " (e.occ.start.format("%H:%M")) " " (e.occ.title) " · " (decision_text(l, e.decision)) }
                                    data-program=(e.occ.program) data-start=(e.occ.start.to_rfc3339()) data-decision=(e.decision.as_str()) {
                                    @if e.decision == Decision::Conflict { b { "!" } }
                                    (e.occ.start.format("%H:%M"))
                                }
                            }
                        }
                    }
                }
            }
            p class="legend meta" {
                span class="key pr-n" {} (crate::tr!(l, "week-key-normal")) " "
                span class="key pr-h" {} (crate::tr!(l, "week-key-high")) " "
                span class="key pr-e" {} (crate::tr!(l, "week-key-emergency")) " "
                span class="key conflict" {} (crate::tr!(l, "week-decision-conflict")) " "
                span class="key skipped" {} (crate::tr!(l, "week-decision-skipped")) " "
                span class="key quietk" {} (crate::tr!(l, "week-quiet"))
                @if days.iter().any(|d| d.blocks.iter().any(|b| b.own)) {
                    " " span class="key ownk" {} (crate::tr!(l, "week-own"))
                }
            }
            @if any {
                p class="meta" { (crate::tr!(l, "week-tap-hint")) }
                h3 class="week-list-title" { (crate::tr!(l, "week-list-title")) }
            }
            ol class="week-list" {
                @for (i, d) in days.iter().enumerate() { @for (j, b) in d.blocks.iter().enumerate() {
                    @let e = &b.entry;
                    li id=(anchor(i, j)) class={ "d-" (e.decision.as_str()) } data-program=(e.occ.program) {
                        strong { (wd(d.date)) " " (e.occ.start.format("%d/%m")) " " (span_text(l, b)) }
                        " " (e.occ.title) " · " (decision_text(l, e.decision))
                        @if b.own { span class="meta" { " · " (crate::tr!(l, "week-own")) } }
                        @if let Some(r) = &e.reason { span class="meta" { " — " (r) } }
                        span class="meta wl-more" {
                            (crate::tr!(l, "week-block-program", program = e.occ.program.clone()))
                            " · " (crate::tr!(l, "week-block-priority", priority = e.occ.priority))
                            @if !e.items.is_empty() {
                                " · " (crate::tr!(l, "week-block-items", items = e.items.iter().map(|it| it.name.clone()).collect::<Vec<_>>().join(", ")))
                            }
                        }
                    }
                } }
            }
        }
    }
}

#[cfg(test)]
#[path = "week_tests.rs"]
mod tests;
