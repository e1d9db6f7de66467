//! Listen again (issue 21): the clips citizens see for an area, without
//! signing in. A clip is shown only when it is approved, public (not marked
//! `public = false` at upload), valid today (neither expired nor not yet
//! started, in the hub's zone) and reached the area: it targets the area
//! itself or one above it (its district, its province), or the whole
//! province (no areas). A local announcement targets its stations' areas,
//! so it reaches its own commune the same way; one whose stations have no
//! area reaches no public page (never the whole province). Everything else — drafts,
//! pending, rejected, withdrawn, private, expired, another commune's —
//! answers exactly like a missing clip.
//!
//! Owns only reading: the pages (`pages/public*`), the podcast and the
//! audio route ask here.

use super::app::AppState;
use super::areas::AreaTree;
use super::clips::{from_row, ClipInfo, COLUMNS};
use super::db::col;
use super::error::{HubError, HubResult};

/// One page of an area's bulletins, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub clips: Vec<ClipInfo>,
    /// Bulletins matching, on all pages.
    pub total: usize,
    /// The page shown (1-based, clamped into `1..=pages`).
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
}

/// The area a citizen asked for, known to the hub (its code and name), or
/// a 404 in both languages.
pub async fn area(state: &AppState, code: &str) -> HubResult<(AreaTree, String)> {
    let tree = state.area_tree(&[code.to_string()]).await?;
    match tree.name(code) {
        Some(name) => {
            let name = name.to_string();
            Ok((tree, name))
        }
        None => Err(unknown_area(code)),
    }
}

/// The refusal for an area the hub does not know.
pub fn unknown_area(code: &str) -> HubError {
    HubError::not_found("err-public-unknown-area").arg("code", code)
}

/// `code` and every unit above it: the areas whose bulletins reach it.
pub fn reach(tree: &AreaTree, code: &str) -> Vec<String> {
    let mut out = vec![code.to_string()];
    let mut cur = code;
    for _ in 0..16 {
        match tree.parent(cur) {
            Some(p) if !out.iter().any(|c| c == p) => {
                out.push(p.to_string());
                cur = p;
            }
            _ => break,
        }
    }
    out
}

/// The most local of `areas` (a station's commune rather than its
/// district): the one with the most units above it; none when empty.
pub fn deepest(tree: &AreaTree, areas: &[String]) -> Option<String> {
    areas
        .iter()
        .filter(|a| tree.contains(a))
        .max_by_key(|a| reach(tree, a).len())
        .cloned()
}

/// Today's date in the hub's zone, as clips store their validity.
pub fn today(state: &AppState) -> String {
    chrono::Utc::now()
        .with_timezone(&state.cfg.timezone)
        .date_naive()
        .to_string()
}

/// The `WHERE` of "public in `reach` today", binding `$1`…`$n`.
struct Filter {
    sql: String,
    args: Vec<String>,
}

impl Filter {
    fn new(today: &str, reach: &[String]) -> Filter {
        let mut args = vec![today.to_string(), today.to_string()];
        let mut marks = vec![];
        for a in reach {
            args.push(a.clone());
            marks.push(format!("${}", args.len()));
        }
        let sql = format!(
            "WHERE state = 'approved' AND public <> 0 \
             AND (valid_until IS NULL OR valid_until >= $1) \
             AND (valid_from IS NULL OR valid_from <= $2) \
             AND ((NOT EXISTS (SELECT 1 FROM clip_areas x WHERE x.clip_id = clips.id) \
             AND NOT EXISTS (SELECT 1 FROM clip_stations y WHERE y.clip_id = clips.id)) \
             OR EXISTS (SELECT 1 FROM clip_areas x WHERE x.clip_id = clips.id \
             AND x.code IN ({})))",
            marks.join(", ")
        );
        Filter { sql, args }
    }

    fn with_id(mut self, id: &str) -> Filter {
        self.args.push(id.to_string());
        self.sql = format!("{} AND id = ${}", self.sql, self.args.len());
        self
    }

    async fn rows(&self, state: &AppState, sql: &str) -> HubResult<Vec<sqlx::any::AnyRow>> {
        let mut q = sqlx::query(sql);
        for a in &self.args {
            q = q.bind(a.clone());
        }
        Ok(q.fetch_all(&state.db.pool).await?)
    }

    async fn clips(&self, state: &AppState, window: &str) -> HubResult<Vec<ClipInfo>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM clips {} ORDER BY created_at DESC, id{window}",
            self.sql
        );
        self.rows(state, &sql).await?.iter().map(from_row).collect()
    }

    async fn count(&self, state: &AppState) -> HubResult<usize> {
        let sql = format!("SELECT COUNT(*) AS n FROM clips {}", self.sql);
        let rows = self.rows(state, &sql).await?;
        let n: i64 = match rows.first() {
            Some(r) => col(r, "n")?,
            None => 0,
        };
        Ok(n.max(0) as usize)
    }
}

/// Page `page` of `area`'s bulletins, `per_page` a page; with `words`, only
/// those whose title holds them (without accents or case: "ban tin" finds
/// "Bản tin").
pub async fn page(
    state: &AppState,
    tree: &AreaTree,
    area: &str,
    words: &str,
    page: usize,
    per_page: usize,
) -> HubResult<Page> {
    let per_page = per_page.max(1);
    let f = Filter::new(&today(state), &reach(tree, area));
    let folded = crate::feed::publish::slug(words.trim());
    if folded.is_empty() {
        let total = f.count(state).await?;
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let window = format!(" LIMIT {per_page} OFFSET {}", (page - 1) * per_page);
        let clips = f.clips(state, &window).await?;
        return Ok(Page {
            clips,
            total,
            page,
            pages,
        });
    }
    let mut all = f.clips(state, "").await?;
    all.retain(|c| crate::feed::publish::slug(&c.title).contains(&folded));
    let total = all.len();
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let clips = all
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Ok(Page {
        clips,
        total,
        page,
        pages,
    })
}

/// The newest `n` of `area`'s bulletins (podcast, embed, board).
pub async fn latest(
    state: &AppState,
    tree: &AreaTree,
    area: &str,
    n: usize,
) -> HubResult<Vec<ClipInfo>> {
    Filter::new(&today(state), &reach(tree, area))
        .clips(state, &format!(" LIMIT {n}"))
        .await
}

/// One of `area`'s bulletins by id, or a 404 like any missing clip.
pub async fn one(state: &AppState, tree: &AreaTree, area: &str, id: &str) -> HubResult<ClipInfo> {
    Filter::new(&today(state), &reach(tree, area))
        .with_id(id)
        .clips(state, "")
        .await?
        .pop()
        .ok_or_else(|| HubError::not_found("err-public-no-bulletin"))
}

/// A bulletin's written text for the citizens: a text bulletin's own text
/// (`clips.text`, `hub::tts`); none for a recorded clip.
pub fn bulletin_text(clip: &ClipInfo) -> Option<String> {
    clip.text.clone().filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::reach;
    use crate::hub::areas::{Area, AreaTree};

    #[test]
    fn a_commune_is_reached_from_above() {
        let a = |c: &str, p: Option<&str>| Area {
            code: c.into(),
            name: c.into(),
            parent: p.map(Into::into),
        };
        let tree = AreaTree::from_list(vec![
            a("58", None),
            a("589", Some("58")),
            a("22936", Some("589")),
            a("590", Some("58")),
        ]);
        assert_eq!(reach(&tree, "22936"), ["22936", "589", "58"]);
        assert_eq!(reach(&tree, "58"), ["58"]);
        let st = ["58".to_string(), "22936".to_string(), "589".to_string()];
        assert_eq!(super::deepest(&tree, &st).as_deref(), Some("22936"));
        assert_eq!(super::deepest(&tree, &[]), None);
    }
}
