//! Administrative units (code, name, parent) and area scope: which code lies
//! under which. `covers(a, b)` is true when `b` is `a` or lies under it, so
//! province `58` covers district `589` and commune `22936`.
//!
//! Owns the `areas` table, the CSV import (`loa hub areas import`) and the
//! small bundled demo list (`areas.csv`: two provinces with a few districts
//! and communes, for the demo and the tests; load the official list for real
//! use). The tree is cached in memory and re-read when an unknown code shows up.

use std::collections::HashMap;

use super::db::{col, Db};
use super::error::{HubError, HubResult};

/// The bundled demo list, loaded by `loa hub init`.
pub const BUNDLED_CSV: &str = include_str!("areas.csv");

/// One administrative unit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
}

/// The tree of all units, by code.
#[derive(Debug, Default, Clone)]
pub struct AreaTree {
    units: HashMap<String, Area>,
}

impl AreaTree {
    pub fn from_list(list: Vec<Area>) -> AreaTree {
        AreaTree {
            units: list.into_iter().map(|a| (a.code.clone(), a)).collect(),
        }
    }

    pub fn contains(&self, code: &str) -> bool {
        self.units.contains_key(code)
    }

    /// Every unit, in no particular order.
    pub fn list(&self) -> Vec<Area> {
        self.units.values().cloned().collect()
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.units.get(code).map(|a| a.name.as_str())
    }

    /// The unit directly above `code` (none for a province or an unknown code).
    pub fn parent(&self, code: &str) -> Option<&str> {
        self.units.get(code).and_then(|a| a.parent.as_deref())
    }

    /// True when `inner` is `outer` or lies under it (a broken parent chain
    /// or a loop ends the walk: never true by accident).
    pub fn covers(&self, outer: &str, inner: &str) -> bool {
        let mut code = inner;
        for _ in 0..16 {
            if code == outer {
                return true;
            }
            match self.units.get(code).and_then(|a| a.parent.as_deref()) {
                Some(p) => code = p,
                None => return false,
            }
        }
        false
    }

    /// True when some code of `scope` covers `code`.
    pub fn in_scope(&self, scope: &[String], code: &str) -> bool {
        scope.iter().any(|s| self.covers(s, code))
    }
}

/// Parse `code,name,parent` CSV (a header line is skipped; quotes allowed).
pub fn parse_csv(text: &str) -> Result<Vec<Area>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = vec![];
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields = split_csv_line(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        if n == 0 && fields.first().map(|f| f.eq_ignore_ascii_case("code")) == Some(true) {
            continue;
        }
        if fields.len() < 2 || fields.len() > 3 {
            return Err(format!(
                "line {}: expected code,name,parent (3 fields), found {}",
                n + 1,
                fields.len()
            ));
        }
        let code = fields[0].trim().to_string();
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!(
                "line {}: code `{code}` must be letters and digits",
                n + 1
            ));
        }
        let parent = fields
            .get(2)
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        out.push(Area {
            code,
            name: fields[1].trim().to_string(),
            parent,
        });
    }
    let codes: std::collections::HashSet<&str> = out.iter().map(|a| a.code.as_str()).collect();
    if codes.len() != out.len() {
        return Err("a code appears twice".into());
    }
    Ok(out)
}

fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    if quoted {
        return Err("a quote is not closed".into());
    }
    fields.push(cur);
    Ok(fields)
}

/// Insert or update every unit of `list`; returns how many were written.
pub async fn import(db: &Db, list: &[Area]) -> HubResult<usize> {
    let mut tx = db.begin_write().await?;
    for a in list {
        let updated = sqlx::query("UPDATE areas SET name = $1, parent = $2 WHERE code = $3")
            .bind(&a.name)
            .bind(a.parent.clone())
            .bind(&a.code)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO areas (code, name, parent) VALUES ($1, $2, $3)")
                .bind(&a.code)
                .bind(&a.name)
                .bind(a.parent.clone())
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(list.len())
}

/// Read the whole tree from the database.
pub async fn load(db: &Db) -> HubResult<AreaTree> {
    let rows = sqlx::query("SELECT code, name, parent FROM areas")
        .fetch_all(&db.pool)
        .await?;
    let mut list = Vec::with_capacity(rows.len());
    for r in &rows {
        list.push(Area {
            code: col(r, "code")?,
            name: col(r, "name")?,
            parent: col(r, "parent")?,
        });
    }
    Ok(AreaTree::from_list(list))
}

/// Check that every code is known; `Err` names the first unknown one.
pub fn check_known(tree: &AreaTree, codes: &[String]) -> HubResult<()> {
    match codes.iter().find(|c| !tree.contains(c)) {
        None => Ok(()),
        Some(c) => Err(HubError::invalid("err-area-code-not-in-list").arg("c", c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_parses_and_nests() {
        let t = AreaTree::from_list(parse_csv(BUNDLED_CSV).unwrap());
        assert!(t.covers("58", "22936"));
        assert!(t.covers("589", "22936"));
        assert!(t.covers("22936", "22936"));
        assert!(!t.covers("56", "22936"));
        assert!(!t.covers("22936", "589"));
        assert!(!t.covers("58", "unknown"));
        assert_eq!(t.name("22936"), Some("Xã Phước Dinh"));
    }

    #[test]
    fn csv_quotes_and_errors() {
        let l = parse_csv("1,\"Tỉnh A, B\",\n2,\"x \"\"y\"\"\",1\n").unwrap();
        assert_eq!(l[0].name, "Tỉnh A, B");
        assert_eq!(l[1].name, "x \"y\"");
        assert_eq!(l[1].parent.as_deref(), Some("1"));
        assert!(parse_csv("1,a\n1,b\n").unwrap_err().contains("twice"));
        assert!(parse_csv("1,\"a\n").unwrap_err().contains("quote"));
        assert!(parse_csv("x y,a,\n").unwrap_err().contains("letters"));
    }

    #[test]
    fn a_parent_loop_never_covers() {
        let t = AreaTree::from_list(vec![
            Area {
                code: "1".into(),
                name: "a".into(),
                parent: Some("2".into()),
            },
            Area {
                code: "2".into(),
                name: "b".into(),
                parent: Some("1".into()),
            },
        ]);
        assert!(!t.covers("3", "1"));
    }
}
