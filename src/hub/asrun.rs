//! Stations' as-run logs on the hub (HUB.md `POST …/asrun`): raw lines, in
//! order, each checked against the chain — its `prev` must be the SHA-256 of
//! the line before it (the newest line the hub holds, `stations.asrun_last`).
//! Lines held already are accepted again without duplicating; a line that
//! does not follow is refused with 409 and `last`, nothing of the batch is
//! stored, and the break is flagged on the station (`chain_break`), never
//! merged. A batch is stored in one transaction, and only if the station's
//! `asrun_last` is still what it read (two hub processes cannot interleave).
//! Once an admin acknowledges the break (`hub::chain`), the next batch that
//! brings new lines may hold one line that does not follow: it starts a new
//! stretch, on record in `asrun_breaks`. After that batch the chain is
//! checked as before.
//!
//! Owns the `asrun` table and `stations.asrun_last|asrun_lines|chain_break`.

use serde::Serialize;
use serde_json::Value;

use super::app::AppState;
use super::audit::Event;
use super::db::{col, now_s};
use super::error::{HubError, HubResult, Reason};

/// SHA-256 (hex) of a line's bytes without its newline: the as-run chain's hash.
pub fn hash(line: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(line))
}

/// Most lines in one upload.
pub const MAX_LINES: usize = 1000;
/// The biggest upload body.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// What an upload got.
#[derive(Debug, Serialize, PartialEq)]
pub enum Answer {
    /// `{"accepted", "last"}`.
    Accepted { accepted: usize, last: String },
    /// 409: line `index` (0-based in the batch) does not follow `last`.
    Break {
        last: String,
        index: usize,
        reason: String,
    },
}

/// The fields the hub keeps beside the raw line.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub hash: String,
    pub prev: String,
    pub event: String,
    pub occurrence: String,
    pub program: String,
    pub title: String,
    pub scheduled: i64,
    pub outcome: Option<String>,
    pub seconds: f64,
    /// The items' feed clip ids (their `clip`), as a JSON array in item
    /// order; `None` when no item carries one (older stations).
    pub clip_ids: Option<String>,
}

fn bad_line(i: usize, what: Reason) -> HubError {
    HubError::bad_request("err-as-run-line-0-based")
        .arg("i", i)
        .arg_msg("what", what)
}

/// Parse one raw line (400 naming the line and the field).
pub fn parse(i: usize, line: &str) -> HubResult<Parsed> {
    let v: Value = serde_json::from_str(line)
        .map_err(|e| bad_line(i, Reason::new("err-line-not-json").arg("e", e)))?;
    let s = |k: &str| -> HubResult<String> {
        v.get(k)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| bad_line(i, Reason::new("err-line-field-string").arg("k", k)))
    };
    let prev = s("prev")?;
    if prev.len() != 64 || !prev.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad_line(i, Reason::new("err-line-prev")));
    }
    let scheduled = chrono::DateTime::parse_from_rfc3339(&s("scheduled")?)
        .map_err(|_| bad_line(i, Reason::new("err-line-scheduled")))?
        .timestamp();
    let event = s("event")?;
    if event != "on_air" && event != "outcome" {
        return Err(bad_line(i, Reason::new("err-line-event")));
    }
    let items = v.get("items").and_then(Value::as_array);
    let seconds = items
        .map(|a| {
            a.iter()
                .filter_map(|it| it.get("seconds").and_then(Value::as_f64))
                .filter(|x| x.is_finite() && *x >= 0.0)
                .sum()
        })
        .unwrap_or(0.0);
    let clips: Vec<&str> = items
        .into_iter()
        .flatten()
        .filter_map(|it| it.get("clip").and_then(Value::as_str))
        .collect();
    let clip_ids = (!clips.is_empty()).then(|| Value::from(clips).to_string());
    Ok(Parsed {
        hash: hash(line.as_bytes()),
        prev,
        event,
        occurrence: s("occurrence")?,
        program: s("program")?,
        title: s("title")?,
        scheduled,
        outcome: v.get("outcome").and_then(Value::as_str).map(String::from),
        seconds,
        clip_ids,
    })
}

/// Take a batch of `station`'s raw lines.
pub async fn upload(
    state: &AppState,
    station: &str,
    address: &str,
    lines: &[String],
) -> HubResult<Answer> {
    if lines.len() > MAX_LINES {
        return Err(HubError::TooLarge(
            super::error::Reason::new("err-at-most-lines-per-upload").arg("max_lines", MAX_LINES),
        ));
    }
    let parsed: Vec<Parsed> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| parse(i, l))
        .collect::<HubResult<_>>()?;
    let mut tx = state.db.begin_write().await?;
    let row = sqlx::query("SELECT asrun_last, asrun_resume FROM stations WHERE id = $1")
        .bind(station)
        .fetch_one(&mut *tx)
        .await?;
    let start: String = col(&row, "asrun_last")?;
    // An admin acknowledged a break: in this batch one new line that does not
    // follow may start a new stretch (recorded in `asrun_breaks`); the batch
    // spends the resumption either way.
    let mut resume = col::<i64>(&row, "asrun_resume")? != 0;
    let mut first_fresh: Option<String> = None;
    let mut last = start.clone();
    let mut fresh = 0usize;
    let now = now_s();
    for (i, (p, line)) in parsed.iter().zip(lines).enumerate() {
        let held = sqlx::query("SELECT id FROM asrun WHERE station = $1 AND hash = $2")
            .bind(station)
            .bind(&p.hash)
            .fetch_optional(&mut *tx)
            .await?;
        if held.is_some() {
            continue;
        }
        if first_fresh.is_none() {
            first_fresh = Some(p.hash.clone());
        }
        if p.prev != last && resume {
            resume = false;
            super::chain::resumed(&mut tx, station, &p.hash).await?;
        } else if p.prev != last {
            drop(tx);
            let reason = format!(
                "line {} of an upload ({}) has prev {} but the newest line the hub holds is {}: the station's log was edited, cut or sent out of order",
                i, p.occurrence, p.prev, last
            );
            flag(state, station, address, &reason).await?;
            return Ok(Answer::Break {
                last: start,
                index: i,
                reason,
            });
        }
        sqlx::query(
            "INSERT INTO asrun (station, hash, prev, line, event, occurrence, program, title, scheduled, outcome, seconds, received_at, clip_ids) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(station)
        .bind(&p.hash)
        .bind(&p.prev)
        .bind(line)
        .bind(&p.event)
        .bind(&p.occurrence)
        .bind(&p.program)
        .bind(&p.title)
        .bind(p.scheduled)
        .bind(p.outcome.clone())
        .bind(p.seconds)
        .bind(now)
        .bind(p.clip_ids.clone())
        .execute(&mut *tx)
        .await?;
        last = p.hash.clone();
        fresh += 1;
    }
    if let (true, Some(h)) = (resume, &first_fresh) {
        // The first batch after an acknowledgment followed all along (the
        // station had found its place itself): the resumption is spent.
        super::chain::resumed(&mut tx, station, h).await?;
    }
    if fresh > 0 {
        let moved = sqlx::query(
            "UPDATE stations SET asrun_last = $1, asrun_lines = asrun_lines + $2 WHERE id = $3 AND asrun_last = $4",
        )
        .bind(&last)
        .bind(fresh as i64)
        .bind(station)
        .bind(&start)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(HubError::conflict("err-another-upload-station-was-stored"));
        }
    }
    tx.commit().await?;
    super::fault::point("after-asrun-commit");
    Ok(Answer::Accepted {
        accepted: lines.len(),
        last,
    })
}

/// One uploaded line as a station's page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Logged {
    pub event: String,
    pub program: String,
    pub title: String,
    /// Unix seconds.
    pub scheduled: i64,
    pub outcome: Option<String>,
    pub seconds: f64,
}

/// The lines of station `id` scheduled in `[lo, hi)` (Unix seconds), in the
/// station's order, if `user` may see the station (else 404 as `heartbeat::one`).
pub async fn lines_between(
    state: &AppState,
    user: &super::users::User,
    id: &str,
    lo: i64,
    hi: i64,
) -> HubResult<Vec<Logged>> {
    super::heartbeat::one(state, user, id).await?;
    let rows = sqlx::query(
        "SELECT event, program, title, scheduled, outcome, seconds FROM asrun \
         WHERE station = $1 AND scheduled >= $2 AND scheduled < $3 ORDER BY id",
    )
    .bind(id)
    .bind(lo)
    .bind(hi)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Logged {
                event: col(r, "event")?,
                program: col(r, "program")?,
                title: col(r, "title")?,
                scheduled: col(r, "scheduled")?,
                outcome: col(r, "outcome")?,
                seconds: col(r, "seconds")?,
            })
        })
        .collect()
}

async fn flag(state: &AppState, station: &str, address: &str, reason: &str) -> HubResult<()> {
    let before = sqlx::query("SELECT chain_break FROM stations WHERE id = $1")
        .bind(station)
        .fetch_one(&state.db.pool)
        .await?;
    let before: Option<String> = col(&before, "chain_break")?;
    if before.is_some() {
        return Ok(());
    }
    sqlx::query("UPDATE stations SET chain_break = $1, chain_break_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(now_s())
        .bind(station)
        .execute(&state.db.pool)
        .await?;
    tracing::warn!("hub: station {station:?}: as-run chain break: {reason:?}");
    state
        .audit(Event {
            actor: format!("station:{station}"),
            address: address.into(),
            action: "asrun_break".into(),
            target: format!("station:{station}"),
            before: String::new(),
            after: serde_json::json!({ "chain_break": reason }).to_string(),
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_line_parses_and_sums_its_items() {
        let l = r#"{"event":"outcome","occurrence":"sang@2026-11-27T05:00:00+07:00","program":"sang","title":"Bản tin","scheduled":"2026-11-27T05:00:00.000+07:00","outcome":"aired","items":[{"name":"a","seconds":1.5},{"name":"b","seconds":2.0}],"prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#;
        let p = parse(0, l).unwrap();
        assert_eq!(p.seconds, 3.5);
        assert_eq!(p.outcome.as_deref(), Some("aired"));
        assert_eq!(p.hash, hash(l.as_bytes()));
        assert_eq!(p.clip_ids, None, "an older line carries no clip id");
    }

    #[test]
    fn the_items_feed_clip_ids_are_kept_in_order() {
        let l = r#"{"event":"outcome","occurrence":"s@1","program":"s","title":"T","scheduled":"2026-11-27T05:00:00.000+07:00","outcome":"aired","items":[{"name":"tin-a","clip":"tin-a","sha256":"aa","seconds":1.0},{"name":"chuong.ogg","sha256":"bb","seconds":2.0},{"name":"priority tin-b","clip":"tin-b","sha256":"aa","seconds":3.0}],"prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#;
        let p = parse(0, l).unwrap();
        assert_eq!(p.clip_ids.as_deref(), Some(r#"["tin-a","tin-b"]"#));
        assert_eq!(p.seconds, 6.0);
    }

    #[test]
    fn bad_lines_name_the_field() {
        for (l, want) in [
            ("nope", "not JSON"),
            (r#"{"prev":"x"}"#, "`prev`"),
            (
                r#"{"prev":"0000000000000000000000000000000000000000000000000000000000000000","scheduled":"then"}"#,
                "`scheduled`",
            ),
        ] {
            let e = parse(3, l).unwrap_err();
            assert!(
                e.reason().text(crate::i18n::Lang::En).contains(want),
                "{l}: {e}"
            );
            assert!(e.reason().text(crate::i18n::Lang::En).contains("line 3"));
        }
    }
}
