//! One clip as a card (the list, the queue, the clip's page): state and
//! level, category, length, where it goes ("Thông báo riêng của đài X" for
//! a local announcement, never the province), who uploaded it and who
//! approved or rejected it and when, the rejection's reason; and the
//! life-cycle buttons that fit the clip and the reader (the services decide).

use std::collections::HashMap;

use maud::{html, Markup};

use super::i18n::Lang;
use super::layout::{areas_text, level_badge, state_badge, when};
use crate::hub::areas::AreaTree;
use crate::hub::clip_edit::may_resubmit;
use crate::hub::clips::ClipInfo;
use crate::hub::users::{Role, User};
use crate::tr;

/// What a card needs to name things.
pub struct Look<'a> {
    pub l: Lang,
    pub tz: chrono_tz::Tz,
    pub tree: &'a AreaTree,
    /// Account id → name.
    pub names: &'a HashMap<i64, String>,
    /// Station id → name.
    pub stations: &'a HashMap<String, String>,
}

impl Look<'_> {
    fn who(&self, id: i64) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| "?".into())
    }

    /// Where a clip goes, in words.
    pub fn reach(&self, c: &ClipInfo) -> String {
        let l = self.l;
        if c.stations.is_empty() {
            return tr!(
                l,
                "clips-card-areas",
                areas = areas_text(self.tree, l, &c.areas)
            );
        }
        let names: Vec<String> = c
            .stations
            .iter()
            .map(|s| self.stations.get(s).cloned().unwrap_or_else(|| s.clone()))
            .collect();
        tr!(l, "clips-card-local", stations = names.join(", "))
    }

    /// "Phê duyệt bởi … lúc …" / "Từ chối bởi … lúc …" from the life cycle.
    pub fn decided(&self, c: &ClipInfo) -> Option<String> {
        let l = self.l;
        let who = self.who(c.decided_by?);
        let at = when(self.tz, c.updated_at);
        match c.state.as_str() {
            "approved" => Some(tr!(l, "clips-card-approved", who = who, when = at)),
            "rejected" => Some(tr!(l, "clips-card-rejected", who = who, when = at)),
            _ => None,
        }
    }

    /// One clip as a card with `extra` (a player, buttons) at its foot.
    pub fn card(&self, c: &ClipInfo, extra: Markup) -> Markup {
        let l = self.l;
        let local = !c.stations.is_empty();
        html! {
            div class={"card clip" @if local { " local" }} data-id=(c.id) {
                h3 { a href={"/clips/" (c.id)} class="title" { (c.title) } }
                div { (state_badge(l, &c.state)) " " (level_badge(l, &c.level)) }
                div class="meta" {
                    (tr!(l, "clips-card-meta", category = c.category.clone(), lang = c.lang.clone(),
                        seconds = c.duration_s.round() as i64))
                    @if let Some(v) = c.lufs {
                        " · " (tr!(l, "clips-card-lufs", lufs = crate::i18n::format::decimal(l, v, 1)))
                    }
                }
                div class={"meta reach" @if local { " local" }} { (self.reach(c)) }
                div class="meta" {
                    (tr!(l, "clips-card-by", who = self.who(c.created_by), when = when(self.tz, c.created_at)))
                }
                @if let Some(d) = self.decided(c) { div class="meta decided" { (d) } }
                @if let Some(r) = &c.reason {
                    @if c.state == "rejected" {
                        div class="meta reason" { (tr!(l, "clips-card-reason", reason = r.clone())) }
                    } @else if c.state == "submitted" {
                        div class="meta reason" { (tr!(l, "clips-card-reason-before", reason = r.clone())) }
                    }
                }
                (extra)
            }
        }
    }
}

/// The buttons that fit a clip's state and the user (the service decides).
pub fn actions(l: Lang, u: &User, c: &ClipInfo, back: &str) -> Markup {
    let base = format!("/clips/{}", c.id);
    let decide = c.state == "submitted" && u.has(Role::Approver) && c.created_by != u.id;
    let withdraw = c.state != "withdrawn"
        && (c.created_by == u.id || u.has(Role::Approver) || u.has(Role::Admin));
    html! {
        div class="actions" {
            @if c.state == "draft" && c.created_by == u.id {
                form method="post" action={(base) "/submit"} {
                    input type="hidden" name="back" value=(back);
                    button type="submit" class="plain" { (tr!(l, "clips-submit")) }
                }
            }
            @if may_resubmit(u, c) {
                a class="btn edit" href={(base) "/edit"} { (tr!(l, "clips-edit")) }
            }
            (decision_forms(l, &base, back, decide, withdraw))
        }
    }
}

/// The life-cycle forms of a clip or broadcast at `base`: phê duyệt and từ
/// chối (with a reason) when `decide`, thu hồi when `withdraw` (its handler
/// asks to confirm first).
pub fn decision_forms(l: Lang, base: &str, back: &str, decide: bool, withdraw: bool) -> Markup {
    html! {
        @if decide {
            form method="post" action={(base) "/approve"} {
                input type="hidden" name="back" value=(back);
                button type="submit" class="ok approve" { (tr!(l, "clips-approve")) }
            }
            form method="post" action={(base) "/reject"} class="reject" {
                input type="hidden" name="back" value=(back);
                input type="text" name="reason" required
                    placeholder=(tr!(l, "clips-reject-reason")) aria-label=(tr!(l, "clips-reject-reason"));
                button type="submit" class="no" { (tr!(l, "clips-reject")) }
            }
        }
        @if withdraw {
            form method="post" action={(base) "/withdraw"} {
                input type="hidden" name="back" value=(back);
                button type="submit" class="no withdraw" { (tr!(l, "clips-withdraw")) }
            }
        }
    }
}
