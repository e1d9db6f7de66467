//! Turns a program's config items into playout items at air time: station files,
//! silences, feed clips picked now (category rotation, clip ids) and stream relays
//! with their fallbacks resolved the same way; for a station program with priority
//! < 100, the `priority`-level feed clips still due today go first, each named
//! `priority ID` (Circular 39: once a day, at the start of the next program). Items
//! that cannot air are returned as skipped with the reason. Pure apart from reading
//! the feed view it is given.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::outcome::human;
use crate::config::{Config, Item};
use crate::feed::select;
use crate::feed::view::FeedView;
use crate::playout::PlanItem;
use crate::record::ItemAired;

/// What `resolve` needs besides the items.
pub(super) struct Context<'a> {
    pub cfg: &'a Config,
    pub view: &'a FeedView,
    /// Clip sha256 -> when it last aired (category rotation).
    pub last_aired: &'a HashMap<String, DateTime<Utc>>,
    pub today: NaiveDate,
    /// For a pushed broadcast: the feed its clip ids belong to.
    pub feed: Option<&'a str>,
    /// Put today's due `priority` clips first (a scheduled station program with
    /// priority < 100).
    pub priority_first: bool,
}

/// How the as-run log names a priority clip aired at a program's start.
pub(super) const PRIORITY_PREFIX: &str = "priority ";

/// The resolved plan: items to air, items skipped (with why), feed clips used.
#[derive(Default)]
pub(super) struct Resolved {
    pub items: Vec<PlanItem>,
    pub skipped: Vec<ItemAired>,
    pub shas: HashSet<String>,
    /// The feed clips in the plan, for the as-run items' `clip`.
    pub fed: Vec<Fed>,
}

/// A feed clip put in a plan: its id and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fed {
    pub id: String,
    pub sha256: String,
}

/// Give each aired item that is one of `fed` its feed clip id: same bytes,
/// and named by that id (`ID`, or `priority ID` / `fallback ID`). Two feed
/// clips may share one audio file; the name tells them apart.
pub(super) fn tag_clips(items: &mut [ItemAired], fed: &[Fed]) {
    for item in items.iter_mut().filter(|i| i.clip.is_none()) {
        let Some(sha) = item.sha256.as_deref() else {
            continue;
        };
        let named = |id: &str| {
            item.name == id
                || item
                    .name
                    .strip_suffix(id)
                    .is_some_and(|lead| lead.ends_with(' '))
        };
        if let Some(f) = fed.iter().find(|f| f.sha256 == sha && named(&f.id)) {
            item.clip = Some(f.id.clone());
        }
    }
}

pub(super) fn resolve(cx: &Context<'_>, play: &[Item]) -> Resolved {
    let mut out = Resolved::default();
    if cx.priority_first {
        let st = select::Station {
            areas: &cx.cfg.station.areas,
            lang: &cx.cfg.station.lang,
            today: cx.today,
        };
        let tz = cx.cfg.station.timezone;
        for c in select::priority_due(&cx.view.clips, &st, cx.last_aired, tz) {
            out.shas.insert(c.sha256.clone());
            out.fed.push(fed(c));
            out.items.push(PlanItem::File {
                path: cx.view.clip_path(&c.sha256),
                name: format!("{PRIORITY_PREFIX}{}", c.id),
            });
        }
    }
    let items = resolve_into(cx, play, "", &mut out);
    out.items.extend(items);
    out
}

fn resolve_into(
    cx: &Context<'_>,
    play: &[Item],
    prefix: &str,
    out: &mut Resolved,
) -> Vec<PlanItem> {
    let st = select::Station {
        areas: &cx.cfg.station.areas,
        lang: &cx.cfg.station.lang,
        today: cx.today,
    };
    let clips = &cx.view.clips;
    let mut items = Vec::new();
    let skip = |skipped: &mut Vec<ItemAired>, item: &Item, why: &str| {
        skipped.push(ItemAired {
            name: format!("{prefix}{}", item_name(item)),
            clip: None,
            sha256: None,
            seconds: 0.0,
            error: Some(why.to_string()),
            events: Vec::new(),
        })
    };
    for item in play {
        match item {
            Item::File(path) => {
                let name = path
                    .strip_prefix(&cx.cfg.paths.clips)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                items.push(PlanItem::File {
                    path: path.clone(),
                    name,
                });
            }
            Item::Silence(d) => items.push(PlanItem::Silence(*d)),
            Item::Category { category, count } => {
                let picked = select::category(clips, category, *count, &st, cx.last_aired);
                if picked.is_empty() {
                    skip(
                        &mut out.skipped,
                        item,
                        "no clip of this category is valid today for this station",
                    );
                }
                for c in picked {
                    out.shas.insert(c.sha256.clone());
                    out.fed.push(fed(c));
                    items.push(PlanItem::File {
                        path: cx.view.clip_path(&c.sha256),
                        name: c.id.clone(),
                    });
                }
            }
            Item::Clip(id) => {
                let found = match cx.feed {
                    Some(f) => clips
                        .iter()
                        .find(|c| c.feed == f && &c.id == id && select::eligible(c, &st)),
                    None => select::by_id(clips, id, &st),
                };
                match found {
                    Some(c) => {
                        out.shas.insert(c.sha256.clone());
                        out.fed.push(fed(c));
                        items.push(PlanItem::File {
                            path: cx.view.clip_path(&c.sha256),
                            name: c.id.clone(),
                        });
                    }
                    None => skip(
                        &mut out.skipped,
                        item,
                        "not in the store, or not valid today for this station",
                    ),
                }
            }
            Item::Stream {
                url,
                duration,
                fallback,
            } => {
                let inner = format!("{prefix}fallback ");
                let fallback = resolve_into(cx, fallback, &inner, out);
                items.push(PlanItem::Stream {
                    url: url.clone(),
                    window: *duration,
                    fallback,
                });
            }
        }
    }
    items
}

fn fed(c: &crate::feed::store::StoredClip) -> Fed {
    Fed {
        id: c.id.clone(),
        sha256: c.sha256.clone(),
    }
}

/// How reports name a config item.
pub(super) fn item_name(item: &Item) -> String {
    match item {
        Item::Category { category, count } => format!("category {category} x{count}"),
        Item::Clip(id) => format!("clip {id}"),
        Item::Stream { url, .. } => format!("stream {url}"),
        Item::File(p) => p.display().to_string(),
        Item::Silence(d) => format!("silence {}", human(*d)),
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
