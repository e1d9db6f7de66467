//! The config module's error type, for callers that want one `Error` value
//! (the CLI, `loa reload`) rather than the list of diagnostics.
//!
//! Owns only wording; positions live in `Diagnostic`.

use std::path::PathBuf;

use super::diag::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read at all.
    #[error("cannot read the config file {}: {source}; check the path (--config or $LOA_CONFIG) and its permissions", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not UTF-8 (the position is in the diagnostic).
    #[error("the config file is not UTF-8 text: save it as UTF-8 (most editors offer \"UTF-8\" in Save As)")]
    NotUtf8,
    /// The config has errors: every diagnostic, one per line, as `loa check` prints them.
    #[error("{}", lines(.0))]
    Invalid(Vec<Diagnostic>),
}

fn lines(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl From<Vec<Diagnostic>> for ConfigError {
    fn from(diags: Vec<Diagnostic>) -> Self {
        ConfigError::Invalid(diags)
    }
}
