//! "Did you mean ...?" hints: nearest valid name to a misspelt one.
//!
//! Pure string functions; owns no schema knowledge (callers pass the candidates).

/// Levenshtein distance between two strings, by characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word` if it is close enough to be a likely typo
/// (case-insensitive; at most 1 edit for short words, 2 for longer, 3 for long).
pub(crate) fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let limit = match lower.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("volume", "volume"), 0);
        assert_eq!(edit_distance("volum", "volume"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("Đài", "Dai"), 2);
    }

    #[test]
    fn closest_candidates() {
        let keys = ["device", "volume", "quiet_hours", "power_on", "power_off"];
        assert_eq!(closest("volumn", &keys), Some("volume"));
        assert_eq!(closest("quiet_hour", &keys), Some("quiet_hours"));
        assert_eq!(closest("Device", &keys), Some("device"));
        assert_eq!(closest("speaker", &keys), None);
        assert_eq!(closest("at", &["at", "id"]), Some("at"));
        assert_eq!(closest("xy", &["at", "id"]), None);
    }
}
