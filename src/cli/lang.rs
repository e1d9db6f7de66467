//! The language the station's command line speaks: `LOA_LANG` / `LC_ALL` /
//! `LC_MESSAGES` / `LANG` (`vi_VN.UTF-8` → Vietnamese), else the config's
//! `[station] language = "vi"`, else English. Read from the config text
//! leniently, so a config with errors still gets its diagnostics in its language.

use std::path::Path;

use crate::i18n::Lang;

/// The language for messages about the config at `path`.
pub(crate) fn of_config(path: &Path) -> Lang {
    let configured = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| configured(&t))
        .unwrap_or(Lang::En);
    Lang::from_env(configured)
}

/// The language for messages about a loaded config: the environment, else
/// its `[station] language`, else English.
pub(crate) fn of(cfg: &crate::config::Config) -> Lang {
    Lang::from_env(cfg.station.language.unwrap_or(Lang::En))
}

/// `[station] language` of a config text, if it parses that far.
fn configured(text: &str) -> Option<Lang> {
    let v: toml::Table = match text.parse() {
        Ok(v) => v,
        // A config with a syntax error: the line `language = "vi"` alone.
        Err(_) => {
            return text.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "language")
                    .then(|| Lang::parse(v.trim().trim_matches('"')))
                    .flatten()
            })
        }
    };
    let s = v.get("station")?.get("language")?.as_str()?;
    Lang::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_the_config_text() {
        assert_eq!(
            configured("[station]\nname = \"x\"\nlanguage = \"vi\"\n"),
            Some(Lang::Vi)
        );
        assert_eq!(configured("[station]\nname = \"x\"\n"), None);
        assert_eq!(
            configured("[station]\nlanguage = \"vi\"\n[[program]\n"),
            Some(Lang::Vi)
        );
    }
}
