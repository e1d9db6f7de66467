//! Reading numbers the Vietnamese way: "21" → "hai mươi mốt", "105" → "một
//! trăm linh năm", "2500000" → "hai triệu năm trăm nghìn", "2026" → "hai
//! nghìn không trăm hai mươi sáu". Pure; used by `normalise.rs`.

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// One digit alone ("0" → "không").
pub fn digit(d: u8) -> &'static str {
    DIGITS[usize::from(d % 10)]
}

/// A string of digits read one by one (phone numbers, codes).
pub fn digits(s: &str) -> String {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| digit(b - b'0'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 0–999; `full`: the group follows a higher one, so its hundreds and
/// tens are said even when zero ("không trăm linh năm").
fn group(n: u64, full: bool) -> Vec<&'static str> {
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut w = vec![];
    if h > 0 || full {
        w.push(DIGITS[h as usize]);
        w.push("trăm");
    }
    match t {
        0 => {
            if u > 0 && !w.is_empty() {
                w.push("linh");
            }
            if u > 0 || w.is_empty() {
                w.push(DIGITS[u as usize]);
            }
        }
        1 => {
            w.push("mười");
            match u {
                0 => {}
                5 => w.push("lăm"),
                _ => w.push(DIGITS[u as usize]),
            }
        }
        _ => {
            w.push(DIGITS[t as usize]);
            w.push("mươi");
            match u {
                0 => {}
                1 => w.push("mốt"),
                5 => w.push("lăm"),
                _ => w.push(DIGITS[u as usize]),
            }
        }
    }
    w
}

/// A whole number in words.
pub fn number(n: u64) -> String {
    if n == 0 {
        return "không".into();
    }
    words(n, false).join(" ")
}

/// `n` > 0 in words; `started`: a higher part was said before it. Past a
/// billion the billions are a number of their own ("một nghìn hai trăm tỷ").
fn words(n: u64, started: bool) -> Vec<&'static str> {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        let mut w = words(n / BILLION, started);
        w.push("tỷ");
        if !n.is_multiple_of(BILLION) {
            w.extend(words(n % BILLION, true));
        }
        return w;
    }
    let scales = ["", "nghìn", "triệu"];
    let groups = [n / 1_000_000, (n / 1000) % 1000, n % 1000];
    let mut w = vec![];
    let mut started = started;
    for (i, g) in groups.iter().enumerate() {
        if *g == 0 {
            continue;
        }
        w.extend(group(*g, started));
        let scale = scales[2 - i];
        if !scale.is_empty() {
            w.push(scale);
        }
        started = true;
    }
    w
}

/// A number as written ("2.500.000", "2,5", "12", "0912345678"): dots
/// group thousands, a comma is the decimal point ("phẩy"); a long number
/// with a leading zero (a telephone) is read digit by digit. `None` when
/// `s` is not such a number.
pub fn written(s: &str) -> Option<String> {
    let (int, frac) = match s.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    if int.contains('.') {
        // Thousands groups: 1–3 digits, then groups of exactly three.
        let mut parts = int.split('.');
        let first = parts.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || parts.clone().any(|p| p.len() != 3) {
            return None;
        }
    }
    let plain: String = int.chars().filter(|c| *c != '.').collect();
    // A telephone (leading zero) or a number too long for words: digit by digit.
    let by_digit =
        (plain.len() > 1 && plain.starts_with('0') && frac.is_none()) || plain.len() > 18;
    let whole = if by_digit {
        digits(&plain)
    } else {
        number(plain.parse().ok()?)
    };
    Some(match frac {
        Some(f) => {
            // "2,5" → "hai phẩy năm"; "2,05" → "hai phẩy không năm".
            let f_words = if f.starts_with('0') || f.len() > 3 {
                digits(f)
            } else {
                number(f.parse().ok()?)
            };
            format!("{whole} phẩy {f_words}")
        }
        None => whole,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_the_vietnamese_way() {
        for (n, want) in [
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (12, "mười hai"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (25, "hai mươi lăm"),
            (30, "ba mươi"),
            (100, "một trăm"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (999, "chín trăm chín mươi chín"),
            (1000, "một nghìn"),
            (1005, "một nghìn không trăm linh năm"),
            (2026, "hai nghìn không trăm hai mươi sáu"),
            (10_000, "mười nghìn"),
            (2_500_000, "hai triệu năm trăm nghìn"),
            (1_000_005, "một triệu không trăm linh năm"),
            (3_000_000_000, "ba tỷ"),
            (1_200_000_000_000, "một nghìn hai trăm tỷ"),
        ] {
            assert_eq!(number(n), want, "{n}");
        }
    }

    #[test]
    fn written_numbers() {
        for (s, want) in [
            ("12", Some("mười hai")),
            ("2.500.000", Some("hai triệu năm trăm nghìn")),
            ("2,5", Some("hai phẩy năm")),
            ("0,75", Some("không phẩy bảy mươi lăm")),
            ("2,05", Some("hai phẩy không năm")),
            (
                "0912345678",
                Some("không chín một hai ba bốn năm sáu bảy tám"),
            ),
            ("1.5", None),
            ("12.34.567", None),
            ("abc", None),
            ("", None),
        ] {
            assert_eq!(written(s).as_deref(), want, "{s}");
        }
    }
}
