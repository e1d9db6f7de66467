//! Listing clips: which clips an account may see, newest first, optionally
//! in one state, paged in SQL. The scope test is `scope::sees` written as
//! SQL, so a page reads only its own rows: the whole province's admins and
//! report readers see every clip, others their own, those without areas
//! (for the whole province) and those with an area (`clip_areas`) under one
//! of the account's areas or above one (a province's bulletin reaches its
//! communes). Under and above are the area tree walked from the account's
//! codes by recursive queries, at most 15 levels — the walk
//! `AreaTree::covers` makes, so the list agrees with `clips::get`.

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
    Visible::new(user, in_state).clips(state, "").await
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
) -> HubResult<ClipPage> {
    let per_page = per_page.max(1);
    let v = Visible::new(user, in_state);
    let total = v.count(state).await?;
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let window = format!(" LIMIT {per_page} OFFSET {}", (page - 1) * per_page);
    let clips = v.clips(state, &window).await?;
    Ok(ClipPage {
        clips,
        total,
        page,
        pages,
    })
}
