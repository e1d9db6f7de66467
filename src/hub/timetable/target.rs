//! Play now checks its target against what the station has before anything
//! is signed or sent: a program of the hub's timetable or of the station's
//! own config (as its heartbeat reported them), a file its heartbeat listed
//! (with or without its extension, as the station finds it), or an approved
//! hub clip that reaches it. A station that never reported what it has is
//! not judged here (it still refuses an unknown target itself).

use super::{check::known_for, station_row, TimetableError};
use crate::hub::app::AppState;
use crate::hub::db::col;
use crate::hub::error::Reason;

/// Ids of the `[[program]]` tables of a TOML text (none when it does not parse).
fn program_ids(toml_text: &str) -> Vec<String> {
    let Ok(t) = toml_text.parse::<toml::Table>() else {
        return vec![];
    };
    t.get("program")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("id").and_then(toml::Value::as_str).map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Does a file list hold `target` (its name, or its name without extension)?
fn has_file(files: &[String], target: &str) -> bool {
    files.iter().any(|f| {
        f == target
            || f.rsplit_once('.')
                .is_some_and(|(stem, _)| stem == target && !stem.is_empty())
    })
}

/// `Ok` when `station` has `target`; else the refusal, in both languages.
pub(super) async fn check(
    state: &AppState,
    station: &str,
    target: &str,
) -> Result<(), TimetableError> {
    let row = station_row(&state.db, station)
        .await?
        .ok_or(TimetableError::NoStation)?;
    let known = known_for(state, &row).await?;
    let own: Option<String> = sqlx::query("SELECT own_programs FROM stations WHERE id = $1")
        .bind(station)
        .fetch_optional(&state.db.pool)
        .await?
        .and_then(|r| col::<Option<String>>(&r, "own_programs").ok().flatten());
    let files: Option<Vec<String>> = known.files.map(|f| f.into_iter().collect());
    if files.is_none() && own.is_none() {
        return Ok(());
    }
    let hub = super::current(&state.db, station)
        .await?
        .map(|t| t.toml)
        .unwrap_or_default();
    let found = program_ids(&hub).iter().any(|p| p == target)
        || own
            .as_deref()
            .is_some_and(|o| program_ids(o).iter().any(|p| p == target))
        || files.as_deref().is_some_and(|f| has_file(f, target))
        || known
            .feed_clips
            .as_ref()
            .is_some_and(|c| c.contains(target));
    if found {
        return Ok(());
    }
    Err(TimetableError::NotOnStation(
        Reason::new("station-play-target-unknown").arg("target", target),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_and_files_by_name_or_stem() {
        let t = "[[program]]\nid = \"sang\"\nat = [\"05:00\"]\nplay = [\"a.ogg\"]\n";
        assert_eq!(program_ids(t), vec!["sang".to_string()]);
        assert!(program_ids("[[program]\n").is_empty());
        let files = vec!["chime.ogg".to_string(), "ban-tin.mp3".into()];
        assert!(has_file(&files, "chime.ogg"));
        assert!(has_file(&files, "ban-tin"));
        assert!(!has_file(&files, "ban"));
        assert!(!has_file(&files, "tin-sang"));
    }

    #[test]
    fn the_refusal_reads_in_both_languages() {
        let vi = crate::tr!(
            crate::i18n::Lang::Vi,
            "station-play-target-unknown",
            target = "x"
        );
        assert!(vi.starts_with("Đài không có"), "{vi}");
        let en = crate::tr!(
            crate::i18n::Lang::En,
            "station-play-target-unknown",
            target = "x"
        );
        assert!(en.contains("Nothing was sent"), "{en}");
    }
}
