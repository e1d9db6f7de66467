//! Station timezone: IANA names with hints, and the system's own zone as the default.
//!
//! Reads /etc/timezone and the /etc/localtime link only (never writes, never
//! changes the process zone). The pure `zone_from_sources` is what tests exercise.

use std::path::Path;
use std::str::FromStr;

use chrono_tz::{Tz, TZ_VARIANTS};

use super::suggest::{closest, edit_distance};

/// Parse an IANA zone name; the error says what is expected and suggests a close name.
pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    if let Ok(tz) = Tz::from_str(name.trim()) {
        return Ok(tz);
    }
    let mut msg = format!("unknown timezone \"{name}\"");
    let names: Vec<&str> = TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    if let Some(same) = names.iter().find(|n| n.eq_ignore_ascii_case(name.trim())) {
        msg.push_str(&format!(": did you mean \"{same}\"?"));
        return Err(msg);
    }
    let wanted = name.trim().replace(' ', "_");
    let lower = wanted.to_lowercase();
    let vietnam = [
        "vietnam", "viet_nam", "hanoi", "ha_noi", "saigon", "ict", "gmt+7", "utc+7", "+07",
    ];
    // A Vietnamese way of saying it, a typo in the whole name, or the right city
    // without its region.
    let best = vietnam
        .iter()
        .any(|v| lower.contains(v))
        .then_some("Asia/Ho_Chi_Minh")
        .or_else(|| closest(&wanted, &names))
        .or_else(|| {
            let city = wanted.rsplit('/').next().unwrap_or(&wanted).to_lowercase();
            names.iter().copied().find(|n| {
                let n_city = n.rsplit('/').next().unwrap_or(n);
                n_city.len() >= 4 && edit_distance(&n_city.to_lowercase(), &city) <= 1
            })
        });
    match best {
        Some(best) => msg.push_str(&format!(": did you mean \"{best}\"?")),
        None => msg.push_str(
            ": expected an IANA name like \"Asia/Ho_Chi_Minh\" (Vietnam), or leave `timezone` out to use the system's zone",
        ),
    }
    Err(msg)
}

/// The system's zone: `$TZ` when it names a zone, else /etc/timezone, else the
/// target of the /etc/localtime link, else UTC.
pub fn system_timezone() -> Tz {
    let tz_env = std::env::var("TZ").ok();
    let etc_timezone = std::fs::read_to_string("/etc/timezone").ok();
    let localtime = std::fs::read_link("/etc/localtime").ok();
    zone_from_sources(
        tz_env.as_deref(),
        etc_timezone.as_deref(),
        localtime.as_deref(),
    )
}

/// Pure core of `system_timezone`.
pub(crate) fn zone_from_sources(
    tz_env: Option<&str>,
    etc_timezone: Option<&str>,
    localtime_link: Option<&Path>,
) -> Tz {
    let from_env = tz_env
        .map(|s| s.trim().trim_start_matches(':'))
        .and_then(|s| Tz::from_str(s).ok());
    let from_file = || etc_timezone.and_then(|s| Tz::from_str(s.trim()).ok());
    let from_link = || {
        let text = localtime_link?.to_string_lossy().into_owned();
        let (_, name) = text.split_once("zoneinfo/")?;
        let name = name
            .trim_start_matches("posix/")
            .trim_start_matches("right/");
        Tz::from_str(name).ok()
    };
    from_env
        .or_else(from_file)
        .or_else(from_link)
        .unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iana_names() {
        assert_eq!(
            parse_timezone("Asia/Ho_Chi_Minh"),
            Ok(Tz::Asia__Ho_Chi_Minh)
        );
        assert_eq!(parse_timezone("UTC"), Ok(Tz::UTC));
    }

    #[test]
    fn hints_for_bad_names() {
        assert_eq!(
            parse_timezone("asia/ho_chi_minh").unwrap_err(),
            "unknown timezone \"asia/ho_chi_minh\": did you mean \"Asia/Ho_Chi_Minh\"?"
        );
        assert_eq!(
            parse_timezone("Asia/Ho_Chi_Min").unwrap_err(),
            "unknown timezone \"Asia/Ho_Chi_Min\": did you mean \"Asia/Ho_Chi_Minh\"?"
        );
        assert_eq!(
            parse_timezone("Ho Chi Minh").unwrap_err(),
            "unknown timezone \"Ho Chi Minh\": did you mean \"Asia/Ho_Chi_Minh\"?"
        );
        assert_eq!(
            parse_timezone("GMT+7").unwrap_err(),
            "unknown timezone \"GMT+7\": did you mean \"Asia/Ho_Chi_Minh\"?"
        );
        assert_eq!(
            parse_timezone("Mars/Base").unwrap_err(),
            "unknown timezone \"Mars/Base\": expected an IANA name like \"Asia/Ho_Chi_Minh\" (Vietnam), or leave `timezone` out to use the system's zone"
        );
    }

    #[test]
    fn system_zone_sources_in_order() {
        let link = Path::new("/usr/share/zoneinfo/Asia/Ho_Chi_Minh");
        assert_eq!(
            zone_from_sources(Some(":Europe/Paris"), Some("Asia/Bangkok\n"), Some(link)),
            Tz::Europe__Paris
        );
        assert_eq!(
            zone_from_sources(Some("garbage"), Some("Asia/Bangkok\n"), Some(link)),
            Tz::Asia__Bangkok
        );
        assert_eq!(
            zone_from_sources(None, None, Some(link)),
            Tz::Asia__Ho_Chi_Minh
        );
        assert_eq!(
            zone_from_sources(
                None,
                Some(""),
                Some(Path::new("../usr/share/zoneinfo/posix/Asia/Saigon"))
            ),
            Tz::Asia__Saigon
        );
        assert_eq!(zone_from_sources(None, None, None), Tz::UTC);
    }
}
