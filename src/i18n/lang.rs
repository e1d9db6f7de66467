//! `Lang` (vi or en) and the lookup in its catalogue. Bundles are built once,
//! on first use; a message id that is missing is logged and shown as its id
//! (the catalogue tests keep that from shipping).

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::catalogue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Vi,
    En,
}

/// Named arguments of a message.
#[derive(Default)]
pub struct Args(FluentArgs<'static>);

impl Args {
    pub fn new() -> Args {
        Args(FluentArgs::new())
    }

    pub fn set(&mut self, name: &'static str, v: impl Into<FluentValue<'static>>) {
        self.0.set(name, v.into());
    }

    /// An argument whose name is only known at run time (a `Msg` from the wire).
    pub fn set_owned(&mut self, name: String, v: String) {
        self.0.set(name, FluentValue::from(v));
    }

    pub fn set_str(&mut self, name: &'static str, v: impl Into<String>) {
        self.0.set(name, FluentValue::from(v.into()));
    }
}

type Bundle = FluentBundle<FluentResource>;

fn build(tag: &str, files: &[(&str, &str)]) -> Bundle {
    let id: LanguageIdentifier = tag.parse().expect("a language tag");
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No bidi isolation marks around arguments: Vietnamese and English are
    // both left to right, and the marks would end up in CSV and logs.
    b.set_use_isolating(false);
    for (name, text) in files {
        let res = match FluentResource::try_new(text.to_string()) {
            Ok(r) => r,
            Err((r, errs)) => {
                tracing::error!("catalogue {tag}/{name}: {errs:?}");
                r
            }
        };
        if let Err(errs) = b.add_resource(res) {
            tracing::error!("catalogue {tag}/{name}: {errs:?}");
        }
    }
    b
}

fn bundle(lang: Lang) -> &'static Bundle {
    static VI: OnceLock<Bundle> = OnceLock::new();
    static EN: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::Vi => VI.get_or_init(|| build("vi", catalogue::VI)),
        Lang::En => EN.get_or_init(|| build("en", catalogue::EN)),
    }
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        match s.get(..2) {
            Some("vi") => Some(Lang::Vi),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language of the command line: `LOA_LANG`, else `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` (`vi_VN.UTF-8` → vi), else `fallback`.
    pub fn from_env(fallback: Lang) -> Lang {
        ["LOA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(fallback)
    }

    /// The message `id`.
    pub fn tr(self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with its arguments.
    pub fn trf(self, id: &str, args: &Args) -> String {
        self.format(id, Some(&args.0))
    }

    /// Does the catalogue have `id`?
    pub fn has(self, id: &str) -> bool {
        bundle(self).has_message(id)
    }

    fn format(self, id: &str, args: Option<&FluentArgs>) -> String {
        let b = bundle(self);
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!("catalogue {}: no message {id:?}", self.code());
            return id.to_string();
        };
        let mut errs = vec![];
        let s = b.format_pattern(pattern, args, &mut errs);
        if !errs.is_empty() {
            tracing::warn!("catalogue {}: {id}: {errs:?}", self.code());
        }
        s.into_owned()
    }
}
