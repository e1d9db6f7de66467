//! The messages people read, in their language: one Project Fluent
//! catalogue per language (`locales/vi/*.ftl`, `locales/en/*.ftl`, listed in
//! `catalogue.rs`), looked up by id with named arguments — never text
//! assembled from fragments. Vietnamese is the users' language; English is
//! the switch. Station and hub share it: the hub renders what stations report
//! (a code and its arguments) in the reader's language.
//!
//! ```ignore
//! let s = tr!(lang, "catalogue-test", n = 3, who = "phe-duyet");
//! ```
//!
//! Numbers with a fraction, dates and weekdays are formatted by `format`
//! (decimal comma, dd/mm/yyyy, T2…CN) before they become arguments.

mod catalogue;
pub mod format;
mod lang;
mod msg;

pub use lang::{Args, Lang};
pub use msg::Msg;

/// Look a message up: `tr!(lang, "id")` or `tr!(lang, "id", name = value, …)`.
/// Values are anything Fluent takes (`&str`, `String`, integers).
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:literal) => {
        $lang.tr($id)
    };
    ($lang:expr, $id:literal, $($k:ident = $v:expr),+ $(,)?) => {{
        let mut a = $crate::i18n::Args::new();
        $( a.set(stringify!($k), $v); )+
        $lang.trf($id, &a)
    }};
}

#[cfg(test)]
mod tests;
