//! Listing clips: which clips an account may see, newest first, optionally
//! in one state, paged in SQL. The scope test is `scope::sees` written as
//! SQL, so a page reads only its own rows: the whole province's admins and
//! report readers see every clip, others their own, those without areas
//! (for the whole province) and those with an area (`clip_areas`) under one
//! of the account's areas or above one (a province's bulletin reaches its
//! communes). Under and above are the area tree walked from the account's
//! codes by recursive queries, at most 15 levels — the walk
//! `AreaTree::covers` makes, so the list agrees with `clips::get`.
//! The list page's search (`Search`): category and upload dates in SQL; a
//! title's words folded to ASCII ("ban tin" finds "Bản tin"), so with words
//! the visible rows are read, matched and paged here.

use super::app::AppState;
use super::clips::{from_row, ClipInfo, COLUMNS};
use super::db::col;
use super::error::HubResult;
use super::scope;
use super::users::User;

/// One page of the list, with what a pager needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipPage {
    pub clips: Vec<ClipInfo>,
    /// Clips the account may see in this state, on all pages.
    pub total: usize,
    /// The page shown (1-based, clamped to `1..=pages`).
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
}

/// What the list page searches for (all optional; empty = everything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    /// Words of the title, matched without accents or case.
    pub words: String,
    /// One category, exactly.
    pub category: Option<String>,
    /// Uploaded at or after (Unix seconds).
    pub from: Option<i64>,
    /// Uploaded before (Unix seconds).
    pub until: Option<i64>,
}

impl Search {
    /// The title's words folded to ASCII (empty: no title search).
    fn folded(&self) -> String {
        crate::feed::publish::slug(self.words.trim())
    }
}

/// Does a title contain the folded words?
fn title_matches(title: &str, folded: &str) -> bool {
    folded.is_empty() || crate::feed::publish::slug(title).contains(folded)
}

/// A bound value of the query.
enum Arg {
    Text(String),
    Int(i64),
}

/// The `WITH` prefix and `WHERE` clause of "clips `user` may see (in
/// `in_state`)", and their values for `$1`, `$2`, … in order.
struct Visible {
    with: String,
    filter: String,
    args: Vec<Arg>,
}

impl Visible {
    fn new(user: &User, in_state: Option<&str>) -> Visible {
        Visible::search(user, in_state, &Search::default())
    }

    fn search(user: &User, in_state: Option<&str>, q: &Search) -> Visible {
        let mut args = vec![];
        let mut with = String::new();
        let mut conds = vec![];
        if !scope::sees_everything(user) {
            let mut seeds = vec![];
            for a in &user.areas {
                args.push(Arg::Text(a.clone()));
                seeds.push(format!("SELECT CAST(${} AS TEXT), 0", args.len()));
            }
            args.push(Arg::Int(user.id));
            let own = format!("created_by = ${}", args.len());
            if seeds.is_empty() {
                conds.push(own);
            } else {
                let seeds = seeds.join(" UNION ");
                with = format!(
                    "WITH RECURSIVE covered(code, depth) AS ({seeds} UNION \
                     SELECT a.code, c.depth + 1 FROM areas a JOIN covered c ON a.parent = c.code \
                     WHERE c.depth < 15), \
                     above(code, depth) AS ({seeds} UNION \
                     SELECT a.parent, b.depth + 1 FROM areas a JOIN above b ON a.code = b.code \
                     WHERE a.parent IS NOT NULL AND b.depth < 15) "
                );
                conds.push(format!(
                    "({own} OR NOT EXISTS (SELECT 1 FROM clip_areas x WHERE x.clip_id = clips.id) \
                     OR EXISTS (SELECT 1 FROM clip_areas x WHERE x.clip_id = clips.id \
                     AND (x.code IN (SELECT code FROM covered) OR x.code IN (SELECT code FROM above))))"
                ));
            }
        }
        if let Some(s) = in_state {
            args.push(Arg::Text(s.to_string()));
            conds.push(format!("state = ${}", args.len()));
        }
        if let Some(c) = &q.category {
            args.push(Arg::Text(c.clone()));
            conds.push(format!("category = ${}", args.len()));
        }
        if let Some(f) = q.from {
            args.push(Arg::Int(f));
            conds.push(format!("created_at >= ${}", args.len()));
        }
        if let Some(u) = q.until {
            args.push(Arg::Int(u));
            conds.push(format!("created_at < ${}", args.len()));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        Visible { with, filter, args }
    }

    async fn rows(&self, state: &AppState, sql: &str) -> HubResult<Vec<sqlx::any::AnyRow>> {
        let mut q = sqlx::query(sql);
        for a in &self.args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        Ok(q.fetch_all(&state.db.pool).await?)
    }

    async fn count(&self, state: &AppState) -> HubResult<usize> {
        let sql = format!(
            "{}SELECT COUNT(*) AS n FROM clips {}",
            self.with, self.filter
        );
        let rows = self.rows(state, &sql).await?;
        let n: i64 = match rows.first() {
            Some(r) => col(r, "n")?,
            None => 0,
        };
        Ok(n.max(0) as usize)
    }

    async fn clips(&self, state: &AppState, window: &str) -> HubResult<Vec<ClipInfo>> {
        let sql = format!(
            "{}SELECT {COLUMNS} FROM clips {} ORDER BY created_at DESC, id{window}",
            self.with, self.filter
        );
        self.rows(state, &sql).await?.iter().map(from_row).collect()
    }
}

/// The clips `user` may see, newest first, optionally in one state (all of
/// them: for the approval queue, the broadcast form and the JSON API).
pub async fn list(
    state: &AppState,
    user: &User,
    in_state: Option<&str>,
) -> HubResult<Vec<ClipInfo>> {
    let mut clips = Visible::new(user, in_state).clips(state, "").await?;
    with_stations(state, &mut clips).await?;
    Ok(clips)
}

/// How many clips `user` may see in `in_state` (one COUNT).
pub async fn count(state: &AppState, user: &User, in_state: Option<&str>) -> HubResult<usize> {
    Visible::new(user, in_state).count(state).await
}

/// Local announcements carry their stations (the pages label them).
async fn with_stations(state: &AppState, clips: &mut [ClipInfo]) -> HubResult<()> {
    if clips.is_empty() {
        return Ok(());
    }
    let bound = super::local_clips::all(state).await?;
    for c in clips {
        if let Some(s) = bound.get(&c.id) {
            c.stations = s.clone();
        }
    }
    Ok(())
}

/// Page `page` (1-based; clamped into range) of `per_page` clips of what
/// [`list`] would return, and the total for the pager: two short queries,
/// whatever the number of clips.
pub async fn list_page(
    state: &AppState,
    user: &User,
    in_state: Option<&str>,
    page: usize,
    per_page: usize,
    q: &Search,
) -> HubResult<ClipPage> {
    let per_page = per_page.max(1);
    let v = Visible::search(user, in_state, q);
    let folded = q.folded();
    let (total, page, pages, mut clips) = if folded.is_empty() {
        let total = v.count(state).await?;
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let window = format!(" LIMIT {per_page} OFFSET {}", (page - 1) * per_page);
        (total, page, pages, v.clips(state, &window).await?)
    } else {
        let mut all = v.clips(state, "").await?;
        all.retain(|c| title_matches(&c.title, &folded));
        let total = all.len();
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let shown = all
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .collect();
        (total, page, pages, shown)
    };
    with_stations(state, &mut clips).await?;
    Ok(ClipPage {
        clips,
        total,
        page,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::title_matches;

    #[test]
    fn titles_match_without_accents_or_case() {
        let f = crate::feed::publish::slug("ban TIN  trua");
        assert!(title_matches("Bản tin trưa", &f));
        assert!(title_matches("Bản tin trưa", ""));
        assert!(!title_matches("Thời tiết", &f));
        let f = crate::feed::publish::slug("Đường");
        assert!(title_matches("Sửa đường liên xã", &f));
    }
}
