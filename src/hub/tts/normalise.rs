//! Vietnamese text made speakable before it reaches the speech engine:
//! dates ("7/12/2026" → "ngày bảy tháng mười hai năm hai nghìn không trăm
//! hai mươi sáu"), times ("14h30", "14:30" → "mười bốn giờ ba mươi"),
//! numbers ("2.500.000" → "hai triệu năm trăm nghìn", "2,5" → "hai phẩy
//! năm"), ranges ("cấp 10-11" → "cấp mười đến mười một"), units after a
//! number (km/h, mm, °C, %, đ) and the abbreviations of official notices
//! (UBND, HĐND, TP., P., Q., …). Everything else is kept as written. Pure:
//! no I/O, table-tested below. Also the sentence a warning's repeats start
//! with ("Bản tin phát lúc … giờ ngày …", `issued_at`).

use chrono::{Datelike, NaiveDateTime, Timelike};

use super::numbers::{number, written};

/// Abbreviations, whole words, case as written (longest first where one
/// is a prefix of another).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("UBMTTQ", "ủy ban mặt trận tổ quốc"),
    ("UBND", "ủy ban nhân dân"),
    ("HĐND", "hội đồng nhân dân"),
    ("MTTQ", "mặt trận tổ quốc"),
    ("PCTT", "phòng chống thiên tai"),
    ("TKCN", "tìm kiếm cứu nạn"),
    ("PCCC", "phòng cháy chữa cháy"),
    ("BCH", "ban chỉ huy"),
    ("BHYT", "bảo hiểm y tế"),
    ("BHXH", "bảo hiểm xã hội"),
    ("THCS", "trung học cơ sở"),
    ("THPT", "trung học phổ thông"),
    ("CSGT", "cảnh sát giao thông"),
    ("ATGT", "an toàn giao thông"),
    ("ANTT", "an ninh trật tự"),
    ("HTX", "hợp tác xã"),
    ("TTYT", "trung tâm y tế"),
    ("QL", "quốc lộ"),
    ("TW", "trung ương"),
    ("HCM", "Hồ Chí Minh"),
    ("VNĐ", "đồng"),
    ("VND", "đồng"),
    ("VN", "Việt Nam"),
    ("TP", "thành phố"),
];

/// Abbreviations ending in a dot: only before a space, a capital or a
/// digit ("TP. Huế", "TP.HCM", "Q. 1"), so a sentence's last letter is safe.
const DOTTED: &[(&str, &str)] = &[
    ("TP.", "thành phố"),
    ("Tp.", "thành phố"),
    ("TX.", "thị xã"),
    ("TT.", "thị trấn"),
    ("P.", "phường"),
    ("Q.", "quận"),
];

/// Units read after a number (longest first).
const UNITS: &[(&str, &str)] = &[
    ("km/h", "ki lô mét một giờ"),
    ("km²", "ki lô mét vuông"),
    ("km2", "ki lô mét vuông"),
    ("km", "ki lô mét"),
    ("m/s", "mét một giây"),
    ("mm", "mi li mét"),
    ("cm", "xen ti mét"),
    ("m³", "mét khối"),
    ("m3", "mét khối"),
    ("m²", "mét vuông"),
    ("m2", "mét vuông"),
    ("m", "mét"),
    ("kg", "ki lô gam"),
    ("ha", "héc ta"),
    ("ml", "mi li lít"),
    ("°C", "độ C"),
    ("ºC", "độ C"),
    ("°", "độ"),
    ("%", "phần trăm"),
    ("VNĐ", "đồng"),
    ("VND", "đồng"),
    ("đ", "đồng"),
];

/// The text as it should be spoken.
pub fn normalise(text: &str) -> String {
    let c: Vec<char> = text
        .chars()
        .map(|ch| {
            if ch.is_control() && ch != '\n' {
                ' '
            } else {
                ch
            }
        })
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < c.len() {
        let at_word = i == 0 || !c[i - 1].is_alphanumeric();
        if at_word {
            if let Some((end, said)) = date(&c, i, &out)
                .or_else(|| time(&c, i))
                .or_else(|| abbreviation(&c, i))
            {
                push_words(&mut out, &said, c.get(end));
                i = end;
                continue;
            }
            if c[i].is_ascii_digit() {
                let (end, said) = number_with_unit(&c, i);
                push_words(&mut out, &said, c.get(end));
                i = end;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// `said` into `out`, a space before it after a letter and after it before
/// one ("50km" → "năm mươi ki lô mét").
fn push_words(out: &mut String, said: &str, next: Option<&char>) {
    if out.chars().last().is_some_and(char::is_alphanumeric) {
        out.push(' ');
    }
    out.push_str(said);
    if next.is_some_and(|n| n.is_alphanumeric()) {
        out.push(' ');
    }
}

/// The end of the run of ASCII digits from `i`.
fn digits_end(c: &[char], i: usize) -> usize {
    let mut j = i;
    while j < c.len() && c[j].is_ascii_digit() {
        j += 1;
    }
    j
}

fn value(c: &[char], from: usize, to: usize) -> u64 {
    c[from..to]
        .iter()
        .fold(0, |n, d| n * 10 + u64::from(d.to_digit(10).unwrap_or(0)))
}

fn ends_word(c: &[char], j: usize) -> bool {
    j >= c.len() || !c[j].is_alphanumeric()
}

/// The last word written before, lowercased ("ngày", "tháng").
fn word_before(out: &str) -> String {
    out.trim_end()
        .rsplit(|ch: char| !ch.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// A month's name: "tháng tư", not "tháng bốn".
fn month(m: u64) -> String {
    if m == 4 {
        "tư".into()
    } else {
        number(m)
    }
}

/// `d/m/yyyy`, `d/m` or `m/yyyy`.
fn date(c: &[char], i: usize, out: &str) -> Option<(usize, String)> {
    let a_end = digits_end(c, i);
    if !(1..=2).contains(&(a_end - i)) || c.get(a_end) != Some(&'/') {
        return None;
    }
    let b_end = digits_end(c, a_end + 1);
    let b_len = b_end - a_end - 1;
    let a = value(c, i, a_end);
    let before = word_before(out);
    if b_len == 4 && ends_word(c, b_end) && (1..=12).contains(&a) {
        // "12/2026": a month and its year.
        let y = value(c, a_end + 1, b_end);
        let lead = if before == "tháng" { "" } else { "tháng " };
        return Some((b_end, format!("{lead}{} năm {}", month(a), number(y))));
    }
    if !(1..=2).contains(&b_len) {
        return None;
    }
    let b = value(c, a_end + 1, b_end);
    if !(1..=31).contains(&a) || !(1..=12).contains(&b) {
        return None;
    }
    let lead = if before == "ngày" { "" } else { "ngày " };
    let dm = format!("{lead}{} tháng {}", number(a), month(b));
    if c.get(b_end) == Some(&'/') {
        let y_end = digits_end(c, b_end + 1);
        if y_end - b_end - 1 == 4 && ends_word(c, y_end) {
            let y = value(c, b_end + 1, y_end);
            return Some((y_end, format!("{dm} năm {}", number(y))));
        }
        return None;
    }
    ends_word(c, b_end).then_some((b_end, dm))
}

/// `14h30`, `14h`, `14:30`.
fn time(c: &[char], i: usize) -> Option<(usize, String)> {
    let h_end = digits_end(c, i);
    if !(1..=2).contains(&(h_end - i)) {
        return None;
    }
    let sep = *c.get(h_end)?;
    if !matches!(sep, 'h' | 'H' | ':') {
        return None;
    }
    let h = value(c, i, h_end);
    let m_end = digits_end(c, h_end + 1);
    let (end, m) = match m_end - h_end - 1 {
        2 => (m_end, Some(value(c, h_end + 1, m_end))),
        0 if sep != ':' => (h_end + 1, None),
        _ => return None,
    };
    if h > 24 || m.is_some_and(|m| m > 59) || !ends_word(c, end) {
        return None;
    }
    Some(match m {
        None | Some(0) => (end, format!("{} giờ", number(h))),
        Some(m) if m < 10 => (end, format!("{} giờ {} phút", number(h), number(m))),
        Some(m) => (end, format!("{} giờ {}", number(h), number(m))),
    })
}

fn starts_with(c: &[char], i: usize, s: &str) -> Option<usize> {
    let mut j = i;
    for ch in s.chars() {
        if c.get(j) != Some(&ch) {
            return None;
        }
        j += 1;
    }
    Some(j)
}

fn abbreviation(c: &[char], i: usize) -> Option<(usize, String)> {
    for (abbr, said) in DOTTED {
        if let Some(j) = starts_with(c, i, abbr) {
            if c.get(j)
                .is_some_and(|n| n.is_whitespace() || n.is_uppercase() || n.is_ascii_digit())
            {
                return Some((j, (*said).to_string()));
            }
        }
    }
    for (abbr, said) in ABBREVIATIONS {
        if let Some(j) = starts_with(c, i, abbr) {
            if ends_word(c, j) {
                return Some((j, (*said).to_string()));
            }
        }
    }
    None
}

/// A number from `i` (digits with `.` / `,` inside), then a range's second
/// number ("10-11", "10 – 11") or a unit ("50 km/h", "30%").
fn number_with_unit(c: &[char], i: usize) -> (usize, String) {
    let mut j = i;
    while j < c.len()
        && (c[j].is_ascii_digit()
            || ((c[j] == '.' || c[j] == ',') && c.get(j + 1).is_some_and(char::is_ascii_digit)))
    {
        j += 1;
    }
    let s: String = c[i..j].iter().collect();
    let mut said = written(&s).unwrap_or_else(|| loose(&s));
    // A range: "10-11", "10 - 11", "10–11".
    let mut k = j;
    while c.get(k) == Some(&' ') {
        k += 1;
    }
    if matches!(c.get(k), Some('-' | '–')) {
        let mut m = k + 1;
        while c.get(m) == Some(&' ') {
            m += 1;
        }
        if c.get(m).is_some_and(char::is_ascii_digit) {
            let (end, rest) = number_with_unit(c, m);
            return (end, format!("{said} đến {rest}"));
        }
    }
    // A unit, right after or after one space.
    let at = if c.get(j) == Some(&' ') { j + 1 } else { j };
    for (unit, words) in UNITS {
        if let Some(e) = starts_with(c, at, unit) {
            let last_alnum = unit.chars().last().is_some_and(char::is_alphanumeric);
            if !last_alnum || ends_word(c, e) {
                said.push(' ');
                said.push_str(words);
                return (e, said);
            }
        }
    }
    (j, said)
}

/// Digits with separators that are not Vietnamese thousands ("1.5",
/// "12.34"): each run read as a number, "chấm" / "phẩy" between them.
fn loose(s: &str) -> String {
    let mut words = vec![];
    let mut run = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            run.push(ch);
            continue;
        }
        if !run.is_empty() {
            words.push(written(&run).unwrap_or_default());
            run.clear();
        }
        words.push(if ch == ',' { "phẩy" } else { "chấm" }.to_string());
    }
    if !run.is_empty() {
        words.push(written(&run).unwrap_or_default());
    }
    words.join(" ")
}

/// The sentence a repeat of a warning may start with, as written ("Bản tin
/// phát lúc 14 giờ 30 ngày 7/12/2026."), from the issue time in the hub's
/// time zone; `normalise` makes it speakable ("… mười bốn giờ ba mươi ngày
/// bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu.").
pub fn issued_at(t: NaiveDateTime) -> String {
    let clock = match t.minute() {
        0 => format!("{} giờ", t.hour()),
        m => format!("{} giờ {m}", t.hour()),
    };
    format!(
        "Bản tin phát lúc {clock} ngày {}/{}/{}.",
        t.day(),
        t.month(),
        t.year()
    )
}

/// `issued_at`, as spoken.
pub fn issued_at_spoken(t: NaiveDateTime) -> String {
    normalise(&issued_at(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_made_speakable() {
        for (input, want) in [
            ("12", "mười hai"),
            ("Phạt 2.500.000 đồng", "Phạt hai triệu năm trăm nghìn đồng"),
            ("Phạt 2.500.000đ.", "Phạt hai triệu năm trăm nghìn đồng."),
            ("lúc 14h30 hôm nay", "lúc mười bốn giờ ba mươi hôm nay"),
            ("lúc 14:30.", "lúc mười bốn giờ ba mươi."),
            ("từ 7h đến 11h", "từ bảy giờ đến mười một giờ"),
            ("lúc 8h05", "lúc tám giờ năm phút"),
            (
                "7/12/2026",
                "ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu",
            ),
            (
                "ngày 7/12/2026,",
                "ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu,",
            ),
            (
                "Ngày 30/4 và 1/5",
                "Ngày ba mươi tháng tư và ngày một tháng năm",
            ),
            (
                "tháng 12/2026",
                "tháng mười hai năm hai nghìn không trăm hai mươi sáu",
            ),
            ("UBND xã Tân Lập", "ủy ban nhân dân xã Tân Lập"),
            ("HĐND huyện", "hội đồng nhân dân huyện"),
            ("TP. Huế", "thành phố Huế"),
            ("TP.HCM", "thành phố Hồ Chí Minh"),
            ("P. Phú Hội, Q. 1", "phường Phú Hội, quận một"),
            ("cuối câu là chữ P.", "cuối câu là chữ P."),
            ("gió 90 km/h", "gió chín mươi ki lô mét một giờ"),
            ("mưa 150mm", "mưa một trăm năm mươi mi li mét"),
            (
                "bão cấp 12, giật cấp 14",
                "bão cấp mười hai, giật cấp mười bốn",
            ),
            ("gió cấp 10-11", "gió cấp mười đến mười một"),
            ("mưa 100 – 200 mm", "mưa một trăm đến hai trăm mi li mét"),
            ("nhiệt độ 35°C", "nhiệt độ ba mươi lăm độ C"),
            ("tăng 2,5%", "tăng hai phẩy năm phần trăm"),
            (
                "gọi 0912345678",
                "gọi không chín một hai ba bốn năm sáu bảy tám",
            ),
            ("Quốc lộ 1A", "Quốc lộ một A"),
            ("QL1A", "QL1A"),
            ("phiên bản 1.5", "phiên bản một chấm năm"),
            ("5 mét", "năm mét"),
            ("dòng một\ndòng hai", "dòng một\ndòng hai"),
            ("không có số", "không có số"),
        ] {
            assert_eq!(normalise(input), want, "{input}");
        }
    }

    #[test]
    fn the_issue_time_sentence() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(14, 30, 0)
            .unwrap();
        assert_eq!(issued_at(t), "Bản tin phát lúc 14 giờ 30 ngày 7/12/2026.");
        assert_eq!(
            issued_at_spoken(t),
            "Bản tin phát lúc mười bốn giờ ba mươi ngày bảy tháng mười hai năm hai nghìn không trăm hai mươi sáu."
        );
        let t = t.with_minute(0).unwrap();
        assert_eq!(issued_at(t), "Bản tin phát lúc 14 giờ ngày 7/12/2026.");
    }
}
