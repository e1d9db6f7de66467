//! The confirm step before a dangerous action (delete, withdraw, stop, play
//! now inside quiet hours), made to work without script: the action's own
//! form posts without `confirm=yes`; its handler answers with `ask`, a page
//! that says what will happen and posts the same fields again with
//! `confirm=yes` (the same-origin guard covers it like every form). "Quay
//! lại" goes back and nothing is done.

use axum::response::Response;
use maud::html;

use super::ctx::Staff;
use crate::tr;

/// The form field that says the person has confirmed.
pub const FIELD: &str = "confirm";

/// Did this post come from the confirm page?
pub fn confirmed(v: Option<&str>) -> bool {
    v == Some("yes")
}

/// What to ask.
pub struct Ask<'a> {
    /// Where the confirmed form posts (the action's own URL).
    pub action: &'a str,
    /// What will happen, in the reader's language.
    pub question: String,
    /// The button's words ("Xóa chương trình").
    pub yes: String,
    /// The fields to post again (besides `confirm=yes`).
    pub fields: Vec<(&'a str, String)>,
    /// Where "Quay lại" goes.
    pub back: &'a str,
}

/// The confirm page.
pub fn ask(s: &Staff, nav: &str, a: Ask) -> Response {
    let l = s.lang;
    let title = tr!(l, "confirm-title");
    let body = html! {
        h1 { (title) }
        div class="confirm" {
            p class="question" { (a.question) }
            form method="post" action=(a.action) {
                @for (k, v) in &a.fields {
                    input type="hidden" name=(k) value=(v);
                }
                input type="hidden" name=(FIELD) value="yes";
                button type="submit" class="danger" id="confirm-yes" { (a.yes) }
            }
            a class="btn plain" id="confirm-back" href=(a.back) { (tr!(l, "confirm-back")) }
        }
    };
    s.render(nav, &title, body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_yes_confirms() {
        assert!(super::confirmed(Some("yes")));
        assert!(!super::confirmed(Some("")));
        assert!(!super::confirmed(None));
    }
}
