//! Times of day as commune officials write them — "11h30", "11:30",
//! "11 giờ 30", "11g30", "7h", "5 giờ chiều" — read into SPEC.md's `at`
//! form ("HH:MM", "HH:MM:SS" when seconds are given). A list is separated by
//! commas, semicolons, "và" or plain spaces ("5h 17h"). A refusal says what
//! was wrong (`TimeError`), rendered in the reader's language by the form.

/// Why a text is not a time of day (the text is the piece refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Empty,
    NotATime(String),
    Hour(String, u32),
    Minute(String, u32),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A number and how many digits it had.
    Num(u32, usize),
    /// Between hours and minutes: `h`, `g`, `giờ`, `:`, `.`.
    Sep,
    /// After minutes: `phút`, `p`, `'`.
    MinWord,
    /// Part of the day: sáng, trưa, chiều, tối, đêm.
    Part(Part),
    /// Between times: `,`, `;`, `và`.
    Next,
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Morning,
    Noon,
    Afternoon,
    Evening,
    Night,
}

fn word(w: &str) -> Tok {
    match w {
        "h" | "g" | "giờ" | "gio" | "giơ" => Tok::Sep,
        "p" | "ph" | "phút" | "phut" | "m" => Tok::MinWord,
        "sáng" | "sang" => Tok::Part(Part::Morning),
        "trưa" | "trua" => Tok::Part(Part::Noon),
        "chiều" | "chieu" => Tok::Part(Part::Afternoon),
        "tối" | "toi" => Tok::Part(Part::Evening),
        "đêm" | "dem" | "khuya" => Tok::Part(Part::Night),
        "và" | "va" => Tok::Next,
        other => Tok::Other(other.to_string()),
    }
}

/// Tokens with the byte range of the text each came from.
fn tokens(s: &str) -> Vec<(Tok, usize, usize)> {
    let mut out = vec![];
    let mut chars = s.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        let run = |chars: &mut std::iter::Peekable<std::str::CharIndices>, f: fn(char) -> bool| {
            let mut end = at;
            while let Some(&(i, d)) = chars.peek() {
                if !f(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            end
        };
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_digit() {
            let end = run(&mut chars, |d| d.is_ascii_digit());
            let n = &s[at..end];
            let v = n.parse::<u32>().unwrap_or(u32::MAX);
            out.push((Tok::Num(v, n.len()), at, end));
        } else if c.is_alphabetic() {
            let end = run(&mut chars, char::is_alphabetic);
            out.push((word(&s[at..end].to_lowercase()), at, end));
        } else {
            chars.next();
            let t = match c {
                ':' | '.' => Tok::Sep,
                '\'' | '’' => Tok::MinWord,
                ',' | ';' | '/' => Tok::Next,
                _ => Tok::Other(c.to_string()),
            };
            out.push((t, at, at + c.len_utf8()));
        }
    }
    out
}

fn apply_part(h: u32, part: Option<Part>) -> u32 {
    match (part, h) {
        (Some(Part::Afternoon | Part::Evening), 1..=11) => h + 12,
        (Some(Part::Noon), 1..=3) => h + 12,
        (Some(Part::Night), 6..=11) => h + 12,
        (Some(Part::Night), 12) => 0,
        _ => h,
    }
}

/// Every time of day in `s`, in SPEC's form, in the order written.
pub fn parse_times(s: &str) -> Result<Vec<String>, TimeError> {
    let toks = tokens(s);
    let kind = |i: usize| toks.get(i).map(|t| &t.0);
    let text = |a: usize, b: usize| {
        let b = b.min(toks.len());
        if a >= b {
            return String::new();
        }
        s[toks[a].1..toks[b - 1].2].to_string()
    };
    let mut out = vec![];
    let mut i = 0;
    while i < toks.len() {
        if toks[i].0 == Tok::Next {
            i += 1;
            continue;
        }
        let start = i;
        let (h, hl) = match toks[i].0 {
            Tok::Num(h, len) => (h, len),
            _ => return Err(TimeError::NotATime(text(start, toks.len()))),
        };
        i += 1;
        let mut m = 0;
        let mut sec = None;
        let mut minute_given = false;
        if kind(i) == Some(&Tok::Sep) {
            // "11:30" / "11.30" or "11h30" / "11 giờ 30".
            let colon = !s[toks[i].1..toks[i].2].chars().all(char::is_alphabetic);
            i += 1;
            // "7h 17h": a number followed by its own separator starts the next time.
            let next_is_hour = !colon && kind(i + 1) == Some(&Tok::Sep);
            if let Some(Tok::Num(v, len)) = kind(i) {
                if !next_is_hour {
                    if *len > 2 {
                        return Err(TimeError::NotATime(text(start, i + 1)));
                    }
                    m = *v;
                    minute_given = true;
                    i += 1;
                    if colon && kind(i) == Some(&Tok::Sep) {
                        match kind(i + 1) {
                            Some(Tok::Num(v, 2)) => {
                                sec = Some(*v);
                                i += 2;
                            }
                            _ => return Err(TimeError::NotATime(text(start, i + 1))),
                        }
                    }
                }
            }
        }
        if minute_given && kind(i) == Some(&Tok::MinWord) {
            i += 1;
        }
        let mut part = None;
        if let Some(Tok::Part(p)) = kind(i) {
            part = Some(*p);
            i += 1;
        }
        if let Some(Tok::Other(_) | Tok::Sep | Tok::MinWord | Tok::Part(_)) = kind(i) {
            return Err(TimeError::NotATime(text(start, i + 1)));
        }
        let written = text(start, i);
        if hl > 2 {
            return Err(TimeError::NotATime(written));
        }
        let h = apply_part(h, part);
        if h > 23 {
            return Err(TimeError::Hour(written, h));
        }
        if m > 59 {
            return Err(TimeError::Minute(written, m));
        }
        if sec.is_some_and(|s| s > 59) {
            return Err(TimeError::NotATime(written));
        }
        out.push(match sec {
            Some(s) => format!("{h:02}:{m:02}:{s:02}"),
            None => format!("{h:02}:{m:02}"),
        });
    }
    if out.is_empty() {
        return Err(TimeError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> String {
        let v = parse_times(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        v[0].clone()
    }

    #[test]
    fn their_ways_of_writing_a_time() {
        for (s, want) in [
            ("11h30", "11:30"),
            ("11H30", "11:30"),
            ("11:30", "11:30"),
            ("11 giờ 30", "11:30"),
            ("11 giờ 30 phút", "11:30"),
            ("11 gio 30", "11:30"),
            ("11g30", "11:30"),
            ("11g30p", "11:30"),
            ("11h30'", "11:30"),
            ("11.30", "11:30"),
            ("7h", "07:00"),
            ("7 giờ", "07:00"),
            ("7", "07:00"),
            ("07:05", "07:05"),
            ("0h", "00:00"),
            ("23h59", "23:59"),
            ("5:00:30", "05:00:30"),
            ("  6h15  ", "06:15"),
            ("5 giờ chiều", "17:00"),
            ("5h30 chiều", "17:30"),
            ("7 giờ tối", "19:00"),
            ("6 giờ sáng", "06:00"),
            ("12 giờ trưa", "12:00"),
            ("1 giờ trưa", "13:00"),
            ("12 giờ đêm", "00:00"),
            ("17h chiều", "17:00"),
        ] {
            assert_eq!(one(s), want, "{s}");
        }
    }

    #[test]
    fn lists_of_times() {
        let v = |s: &str| parse_times(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
        assert_eq!(v("05:00, 17:00"), ["05:00", "17:00"]);
        assert_eq!(v("05:00 17:00"), ["05:00", "17:00"]);
        assert_eq!(v("5h; 17h"), ["05:00", "17:00"]);
        assert_eq!(v("5h 17h"), ["05:00", "17:00"]);
        assert_eq!(v("7h 17h30"), ["07:00", "17:30"]);
        assert_eq!(v("5h 17:30"), ["05:00", "17:30"]);
        assert_eq!(v("5h30 và 17h"), ["05:30", "17:00"]);
        assert_eq!(v("5 giờ 30, 17 giờ"), ["05:30", "17:00"]);
        assert_eq!(v("6h sáng, 5h chiều"), ["06:00", "17:00"]);
        assert_eq!(v("11h30,"), ["11:30"]);
    }

    #[test]
    fn what_is_not_a_time_is_refused_with_the_reason() {
        assert_eq!(parse_times("25h"), Err(TimeError::Hour("25h".into(), 25)));
        assert_eq!(
            parse_times("24:00"),
            Err(TimeError::Hour("24:00".into(), 24))
        );
        assert_eq!(
            parse_times("11h75"),
            Err(TimeError::Minute("11h75".into(), 75))
        );
        assert_eq!(parse_times(""), Err(TimeError::Empty));
        assert_eq!(parse_times("  , "), Err(TimeError::Empty));
        assert!(matches!(parse_times("trưa"), Err(TimeError::NotATime(_))));
        assert!(matches!(parse_times("1130"), Err(TimeError::NotATime(_))));
        assert!(matches!(parse_times("11h300"), Err(TimeError::NotATime(_))));
        assert!(matches!(parse_times("11h30x"), Err(TimeError::NotATime(_))));
        assert!(matches!(
            parse_times("5h, abc"),
            Err(TimeError::NotATime(_))
        ));
        // "11 30" is two numbers: 30 is no hour.
        assert_eq!(parse_times("11 30"), Err(TimeError::Hour("30".into(), 30)));
    }
}
