//! Which feed clips a program's `{ category, count }` and `{ clip }` items air,
//! and which `priority`-level clips are still due today.
//!
//! Pure: given the store's clips, the station's areas and languages, the
//! local date and when each clip last aired, it picks. Among the `normal` clips
//! of a category valid today for this station: least recently aired first (never
//! aired first of all), newest first among equals — so every current
//! announcement gets airtime before any repeats. `priority` clips never rotate in
//! categories: they air once a day at the start of a program (see `priority_due`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::manifest::{targets, ClipLevel};
use super::store::StoredClip;

/// Who the station is, for targeting.
#[derive(Debug, Clone, Copy)]
pub struct Station<'a> {
    pub areas: &'a [String],
    /// Empty = every language.
    pub lang: &'a [String],
    pub today: NaiveDate,
}

/// Whether `clip` may air at this station today.
pub fn eligible(clip: &StoredClip, st: &Station) -> bool {
    targets(&clip.areas, st.areas)
        && (clip.lang.is_empty() || st.lang.is_empty() || st.lang.contains(&clip.lang))
        && clip.valid_from.is_none_or(|f| f <= st.today)
        && clip.valid_until.is_none_or(|u| st.today <= u)
}

/// Up to `count` clips of `category`, in airing order.
pub fn category<'a>(
    clips: &'a [StoredClip],
    category: &str,
    count: u32,
    st: &Station,
    last_aired: &HashMap<String, DateTime<Utc>>,
) -> Vec<&'a StoredClip> {
    let mut pool: Vec<&StoredClip> = clips
        .iter()
        .filter(|c| c.category == category && c.level == ClipLevel::Normal && eligible(c, st))
        .collect();
    pool.sort_by(|a, b| {
        let (la, lb) = (last_aired.get(&a.sha256), last_aired.get(&b.sha256));
        la.cmp(&lb) // None (never aired) sorts first
            .then_with(|| b.valid_from.cmp(&a.valid_from))
            .then_with(|| b.published_at.cmp(&a.published_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    pool.dedup_by(|a, b| a.sha256 == b.sha256);
    pool.truncate(count as usize);
    pool
}

/// The `priority` clips that must air at the start of the next program today: valid
/// today for this station and not aired yet today (a clip's last airing, from the
/// as-run log, on today's local date in `tz`). Oldest published first; one per
/// content.
pub fn priority_due<'a>(
    clips: &'a [StoredClip],
    st: &Station,
    last_aired: &HashMap<String, DateTime<Utc>>,
    tz: Tz,
) -> Vec<&'a StoredClip> {
    let aired_today = |c: &StoredClip| {
        last_aired
            .get(&c.sha256)
            .is_some_and(|t| t.with_timezone(&tz).date_naive() == st.today)
    };
    let mut due: Vec<&StoredClip> = clips
        .iter()
        .filter(|c| c.level == ClipLevel::Priority && eligible(c, st) && !aired_today(c))
        .collect();
    due.sort_by(|a, b| {
        a.published_at
            .cmp(&b.published_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut seen = std::collections::HashSet::new();
    due.retain(|c| seen.insert(c.sha256.clone()));
    due
}

/// The clip with this id, if it may air here today.
pub fn by_id<'a>(clips: &'a [StoredClip], id: &str, st: &Station) -> Option<&'a StoredClip> {
    clips.iter().find(|c| c.id == id && eligible(c, st))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeDelta, TimeZone};

    fn clip(id: &str, cat: &str, from: u32, areas: &[&str], lang: &str) -> StoredClip {
        let tz = FixedOffset::east_opt(7 * 3600).unwrap();
        StoredClip {
            feed: "f".into(),
            id: id.into(),
            title: id.into(),
            category: cat.into(),
            lang: lang.into(),
            sha256: format!("sha-{id}"),
            bytes: 1,
            duration_s: Some(30.0),
            valid_from: NaiveDate::from_ymd_opt(2026, 11, from),
            valid_until: NaiveDate::from_ymd_opt(2026, 12, 31),
            areas: areas.iter().map(|s| s.to_string()).collect(),
            published_at: tz.with_ymd_and_hms(2026, 11, from, 8, 0, 0).unwrap(),
            level: ClipLevel::Normal,
        }
    }

    fn station<'a>(areas: &'a [String], lang: &'a [String], day: u32) -> Station<'a> {
        Station {
            areas,
            lang,
            today: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        }
    }

    #[test]
    fn other_areas_languages_and_dates_never_air() {
        let areas = vec!["58".to_string(), "589".to_string()];
        let lang = vec!["vi".to_string()];
        let clips = vec![
            clip("ok", "cchc", 20, &["58"], "vi"),
            clip("other-area", "cchc", 20, &["01"], "vi"),
            clip("other-lang", "cchc", 20, &[], "cjm"),
            clip("future", "cchc", 29, &[], "vi"),
            clip("other-cat", "tin", 20, &[], "vi"),
        ];
        let got = category(
            &clips,
            "cchc",
            10,
            &station(&areas, &lang, 27),
            &HashMap::new(),
        );
        assert_eq!(
            got.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["ok"]
        );
        assert!(by_id(&clips, "other-area", &station(&areas, &lang, 27)).is_none());
        assert!(by_id(&clips, "ok", &station(&areas, &lang, 27)).is_some());
        let all_lang: Vec<String> = Vec::new();
        let got = category(
            &clips,
            "cchc",
            10,
            &station(&areas, &all_lang, 27),
            &HashMap::new(),
        );
        assert_eq!(got.len(), 2, "an empty lang list airs every language");
    }

    #[test]
    fn newest_first_among_never_aired() {
        let a: Vec<String> = Vec::new();
        let clips = vec![
            clip("cu", "c", 10, &[], ""),
            clip("moi", "c", 25, &[], ""),
            clip("giua", "c", 20, &[], ""),
        ];
        let got = category(&clips, "c", 3, &station(&a, &a, 27), &HashMap::new());
        assert_eq!(
            got.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["moi", "giua", "cu"]
        );
    }

    #[test]
    fn over_a_week_every_clip_airs_before_any_repeats() {
        let a: Vec<String> = Vec::new();
        let clips: Vec<StoredClip> = (1..=7)
            .map(|i| clip(&format!("c{i}"), "cchc", i, &[], ""))
            .collect();
        let mut last: HashMap<String, DateTime<Utc>> = HashMap::new();
        let mut t = Utc.with_ymd_and_hms(2026, 11, 27, 22, 0, 0).unwrap();
        let mut aired: Vec<String> = Vec::new();
        // Two sessions a day for a week, two clips of the category each.
        for session in 0..14 {
            let day = 20 + (session / 2) as u32;
            for c in category(&clips, "cchc", 2, &station(&a, &a, day.min(30)), &last) {
                aired.push(c.id.clone());
                last.insert(c.sha256.clone(), t);
                t += TimeDelta::seconds(30);
            }
            t += TimeDelta::hours(12);
        }
        for window in aired.chunks(7).filter(|w| w.len() == 7) {
            let mut w = window.to_vec();
            w.sort();
            w.dedup();
            assert_eq!(
                w.len(),
                7,
                "each run of 7 airings holds every clip once: {aired:?}"
            );
        }
        assert_eq!(aired.len(), 28);
    }

    #[test]
    fn priority_clips_are_due_once_a_day_where_targeted_and_never_in_categories() {
        let areas = vec!["58".to_string()];
        let lang = vec!["vi".to_string()];
        let prio = |id: &str, from: u32, areas: &[&str], lang: &str| StoredClip {
            level: ClipLevel::Priority,
            ..clip(id, "cchc", from, areas, lang)
        };
        let clips = vec![
            prio("khan-2", 22, &["58"], "vi"),
            prio("khan-1", 21, &[], "vi"),
            prio("other-area", 21, &["01"], "vi"),
            prio("other-lang", 21, &[], "cjm"),
            prio("tomorrow", 28, &[], "vi"),
            clip("thuong", "cchc", 20, &[], "vi"),
        ];
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let st = station(&areas, &lang, 27);
        let ids = |v: Vec<&StoredClip>| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        let mut last = HashMap::new();
        // Oldest published first; other areas, languages and days are not due.
        assert_eq!(
            ids(priority_due(&clips, &st, &last, tz)),
            ["khan-1", "khan-2"]
        );
        // A category item never picks a priority clip.
        assert_eq!(ids(category(&clips, "cchc", 9, &st, &last)), ["thuong"]);
        // Aired at 06:00 local today: no longer due today ...
        let today_6h = Utc.with_ymd_and_hms(2026, 11, 26, 23, 0, 0).unwrap();
        last.insert("sha-khan-1".to_string(), today_6h);
        assert_eq!(ids(priority_due(&clips, &st, &last, tz)), ["khan-2"]);
        // ... due again tomorrow, by the station's local date (23:30 UTC is the
        // 28th in Vietnam).
        let st28 = station(&areas, &lang, 28);
        assert_eq!(
            ids(priority_due(&clips, &st28, &last, tz)),
            ["khan-1", "khan-2", "tomorrow"]
        );
        let late = Utc.with_ymd_and_hms(2026, 11, 27, 17, 30, 0).unwrap();
        last.insert("sha-khan-2".to_string(), late);
        assert_eq!(
            ids(priority_due(&clips, &st28, &last, tz)),
            ["khan-1", "tomorrow"]
        );
    }
}
