//! The audit log read a page at a time for the audit page: filtered by who
//! (the account name), what (a group of actions) and when (from–to, Unix
//! seconds), newest first, with the number of matching rows for paging.

use super::audit::Entry;
use super::db::{col, Db};
use super::error::HubResult;

/// Groups of actions the page filters by: (key, the action prefixes).
pub const GROUPS: &[(&str, &[&str])] = &[
    ("sign-in", &["login", "logout", "password_"]),
    ("accounts", &["user_"]),
    ("clips", &["clip_"]),
    ("broadcasts", &["broadcast_"]),
    ("stations", &["station_", "asrun_", "restore"]),
    ("timetables", &["timetable_", "remote_"]),
];

/// What to show.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor: Option<String>,
    pub group: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

fn where_clause(f: &Filter) -> (String, Vec<String>, Vec<i64>) {
    let mut parts = vec!["1 = 1".to_string()];
    let mut texts = vec![];
    let mut nums = vec![];
    let mut n = 0;
    if let Some(a) = &f.actor {
        n += 1;
        parts.push(format!("actor = ${n}"));
        texts.push(a.clone());
    }
    if let Some(g) = f.group.as_deref() {
        let prefixes = GROUPS
            .iter()
            .find(|(k, _)| *k == g)
            .map(|(_, p)| *p)
            .unwrap_or(&["\u{0}"]);
        let mut ors = vec![];
        for p in prefixes {
            n += 1;
            ors.push(format!("action LIKE ${n}"));
            texts.push(format!("{p}%"));
        }
        parts.push(format!("({})", ors.join(" OR ")));
    }
    for (v, op) in [(f.from, ">="), (f.to, "<")] {
        if let Some(v) = v {
            n += 1;
            parts.push(format!("at {op} ${n}"));
            nums.push(v);
        }
    }
    (parts.join(" AND "), texts, nums)
}

/// One page of matching rows (newest first) and how many match in all.
pub async fn page(db: &Db, f: &Filter, limit: i64, offset: i64) -> HubResult<(Vec<Entry>, i64)> {
    let (w, texts, nums) = where_clause(f);
    let count_sql = format!("SELECT COUNT(*) AS n FROM audit WHERE {w}");
    let mut q = sqlx::query(&count_sql);
    for t in &texts {
        q = q.bind(t.clone());
    }
    for v in &nums {
        q = q.bind(*v);
    }
    let total: i64 = col(&q.fetch_one(&db.pool).await?, "n")?;
    let sql = format!(
        "SELECT id, at, actor, address, action, target, before, after, prev, hash \
         FROM audit WHERE {w} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query(&sql);
    for t in &texts {
        q = q.bind(t.clone());
    }
    for v in &nums {
        q = q.bind(*v);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let entries = rows
        .iter()
        .map(super::audit::entry)
        .collect::<HubResult<Vec<_>>>()?;
    Ok((entries, total))
}

/// Every account name that appears in the log (for the "who" list).
pub async fn actors(db: &Db) -> HubResult<Vec<String>> {
    let rows = sqlx::query("SELECT DISTINCT actor FROM audit ORDER BY actor")
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| col(r, "actor")).collect()
}
