//! One CSV cell that no spreadsheet runs as a formula (CSV injection), for
//! every CSV the program writes: the station's as-run export and the hub's
//! report and audit exports.
//!
//! A spreadsheet may split a line on another separator than the one written
//! (Vietnamese Excel splits on `;`; a paste splits on tabs) and may trim
//! leading blanks, so it is not enough to look at the first character: every
//! piece that could start a cell — the cell's start and what follows each
//! `,` `;` tab CR LF — is checked after its leading blanks, and a `=`, `+`,
//! `-` or `@` there gets a `'` in front (OWASP's advice). A cell starting
//! with a tab or CR gets one too. A defused cell, and any holding a
//! separator or a quote, is quoted (`"` doubled).

/// Characters after which a spreadsheet may start a new cell.
const SEPARATORS: [char; 5] = [',', ';', '\t', '\r', '\n'];
/// First characters a spreadsheet runs as a formula.
const TRIGGERS: [char; 4] = ['=', '+', '-', '@'];

/// `s` as one CSV cell (see the module comment).
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut defused = false;
    if s.starts_with(['\t', '\r']) {
        out.push('\'');
        defused = true;
    }
    let mut at_start = true;
    for c in s.chars() {
        if SEPARATORS.contains(&c) {
            at_start = true;
        } else if at_start && TRIGGERS.contains(&c) {
            out.push('\'');
            defused = true;
            at_start = false;
        } else if !c.is_whitespace() {
            at_start = false;
        }
        out.push(c);
    }
    if defused || out.contains(SEPARATORS) || out.contains('"') {
        format!("\"{}\"", out.replace('"', "\"\""))
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn plain_text_passes_unquoted() {
        assert_eq!(cell("ok"), "ok");
        assert_eq!(cell("Đài xã Phước Dinh"), "Đài xã Phước Dinh");
        assert_eq!(cell("2026-11-27"), "2026-11-27");
        assert_eq!(cell("a-b@c"), "a-b@c");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn a_formula_first_is_defused_and_quoted() {
        assert_eq!(cell("=1+1"), "\"'=1+1\"");
        assert_eq!(cell("-1"), "\"'-1\"");
        assert_eq!(cell("+1"), "\"'+1\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn blanks_before_a_formula_do_not_hide_it() {
        assert_eq!(cell(" =2+2"), "\" '=2+2\"");
        assert_eq!(cell("\u{a0}\u{3000}=2+2"), "\"\u{a0}\u{3000}'=2+2\"");
        assert_eq!(cell("\t=2+2"), "\"'\t'=2+2\"");
        assert_eq!(cell("\r=2+2"), "\"'\r'=2+2\"");
        assert_eq!(cell("\tabc"), "\"'\tabc\"");
    }

    #[test]
    fn every_piece_another_separator_would_make_is_defused() {
        assert_eq!(cell("a;=1+1"), "\"a;'=1+1\"");
        assert_eq!(cell("a,=1+1"), "\"a,'=1+1\"");
        assert_eq!(cell("a; =1+1"), "\"a; '=1+1\"");
        assert_eq!(cell("a\t@x"), "\"a\t'@x\"");
        assert_eq!(cell("a\n-1\r\n+2"), "\"a\n'-1\r\n'+2\"");
        assert_eq!(cell("x;y"), "\"x;y\"");
        // A formula character inside a piece is text already.
        assert_eq!(cell("a=1"), "a=1");
    }
}
