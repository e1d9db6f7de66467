//! The station's copy of its timetable from the hub: the last accepted
//! document and its signature in `STATE/hub-programs.toml` (+ `.minisig`),
//! so a restart while the hub is down airs it; the checks a fetched document
//! must pass (signature with the hub's key from `STATE/hub.json`, this
//! station's id, a higher sequence, not expired, programs valid like
//! `loa check`, no id shared with the config file's programs); and merging
//! the accepted programs into the config the daemon runs.
//!
//! Plain synchronous code: the follower (`follow.rs`) calls `vet` on the
//! network thread, the daemon calls `validate`, `save` and `merge` on its loop.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::creds::Credentials;
use crate::config::{load_programs_str, Config, FileCheck, Program, ProgramsOptions};
use crate::feed::programs::{parse_header, Header, HEADER_KEYS, MAX_DOC};

/// The accepted document in STATE.
pub const STORED_FILE: &str = "hub-programs.toml";
pub const STORED_SIG: &str = "hub-programs.toml.minisig";

/// A document fetched from the hub whose signature, station and sequence passed.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub doc: String,
    pub sig: String,
    pub header: Header,
}

/// What the heartbeat says about the hub's timetable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The sequence airing now.
    pub applied: Option<u64>,
    /// Why the newest document was refused (or a command not aired).
    pub error: Option<String>,
    /// The same as a message (code + arguments) the hub renders.
    pub msg: Option<crate::i18n::Msg>,
}

/// The hub's programs merged into a config: what airs, and any problem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    pub applied: Option<u64>,
    pub error: Option<String>,
    /// Ids of the hub's programs now in the config.
    pub ids: Vec<String>,
}

/// The stored (accepted) document, verified again with the hub's key.
pub fn stored(state: &Path, creds: &Credentials) -> Option<Fetched> {
    let doc = std::fs::read_to_string(state.join(STORED_FILE)).ok()?;
    let sig = std::fs::read_to_string(state.join(STORED_SIG)).ok()?;
    match vet_signed(&doc, &sig, creds) {
        Ok(header) => Some(Fetched { doc, sig, header }),
        Err(e) => {
            tracing::error!(
                "hub link: the stored timetable {} is not usable ({e}); it is ignored until the hub sends a new one",
                state.join(STORED_FILE).display()
            );
            None
        }
    }
}

/// The sequence of the accepted document (0: none).
pub fn accepted_sequence(state: &Path, creds: &Credentials) -> u64 {
    stored(state, creds).map_or(0, |f| f.header.sequence)
}

/// Signature, format and station id of a document.
pub fn vet_signed(doc: &str, sig: &str, creds: &Credentials) -> Result<Header, String> {
    if doc.len() > MAX_DOC {
        return Err(format!("the document is over {MAX_DOC} bytes"));
    }
    crate::feed::sign::verify(doc.as_bytes(), sig, &creds.public_key)
        .map_err(|e| format!("signature refused: {e}"))?;
    let header = parse_header(doc).map_err(|e| e.to_string())?;
    if header.station != creds.station {
        return Err(format!(
            "the document is for station \"{}\", this station is \"{}\"",
            header.station, creds.station
        ));
    }
    Ok(header)
}

/// Everything `vet_signed` checks, plus: a higher sequence than the accepted
/// one, not expired. `Ok(None)`: it is the accepted document itself.
pub fn vet(
    doc: &str,
    sig: &str,
    creds: &Credentials,
    accepted: Option<&Fetched>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Fetched>, String> {
    let header = vet_signed(doc, sig, creds)?;
    let old = accepted.map_or(0, |a| a.header.sequence);
    if header.sequence < old {
        return Err(format!(
            "sequence {} is older than the accepted {old}: a replayed or rolled-back document",
            header.sequence
        ));
    }
    if header.sequence == old {
        return if accepted.is_some_and(|a| a.doc == doc) {
            Ok(None)
        } else {
            Err(format!(
                "sequence {old} is already accepted with other content: refused"
            ))
        };
    }
    if header.expires_at.with_timezone(&chrono::Utc) <= now {
        return Err(format!(
            "sequence {} expired at {}: the hub must sign it again",
            header.sequence, header.expires_at
        ));
    }
    Ok(Some(Fetched {
        doc: doc.to_string(),
        sig: sig.to_string(),
        header,
    }))
}

/// The programs of a document, validated like `loa check` (files under the
/// station's clips folder; a missing file is a warning, as at `loa run`).
pub fn programs_of(doc: &str, clips: &Path) -> Result<Vec<Program>, String> {
    let opts = ProgramsOptions {
        clips,
        header_keys: HEADER_KEYS,
        files: FileCheck::Disk,
        feed_clips: None,
    };
    match load_programs_str(doc, Path::new("programs.toml"), &opts) {
        Ok(l) => {
            for w in &l.warnings {
                tracing::warn!("hub timetable: {w}");
            }
            Ok(l.programs)
        }
        Err(diags) => {
            let errs: Vec<String> = diags
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.to_string())
                .collect();
            Err(format!(
                "the programs have errors: {}",
                errs.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
            ))
        }
    }
}

/// Refuse programs that share an id with the config file's own.
pub fn check_clash(own: &[Program], hub: &[Program], config: &Path) -> Result<(), String> {
    let mine: HashSet<&str> = own.iter().map(|p| p.id.as_str()).collect();
    let both: Vec<&str> = hub
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| mine.contains(id))
        .collect();
    if both.is_empty() {
        return Ok(());
    }
    Err(format!(
        "program id {} is both in the hub's timetable and in the station's config file {}: rename one of them",
        both.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", "),
        config.display()
    ))
}

/// The programs of a fetched document, checked against the config file's own.
pub fn validate(f: &Fetched, own: &[Program], cfg: &Config) -> Result<Vec<Program>, String> {
    let programs = programs_of(&f.doc, &cfg.paths.clips)
        .map_err(|e| format!("sequence {}: {e}", f.header.sequence))?;
    check_clash(own, &programs, &cfg.path)
        .map_err(|e| format!("sequence {}: {e}", f.header.sequence))?;
    Ok(programs)
}

/// Keep an accepted document in STATE (each file written aside, fsynced, renamed).
pub fn save(state: &Path, f: &Fetched) -> std::io::Result<()> {
    for (name, body) in [(STORED_SIG, &f.sig), (STORED_FILE, &f.doc)] {
        let tmp: PathBuf = state.join(format!(".{name}.new"));
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(body.as_bytes())?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, state.join(name))?;
    }
    Ok(())
}

/// Add the accepted hub programs to `cfg` (read from its config file alone).
/// A clash or an invalid stored document leaves them out, with the reason.
pub fn merge(cfg: &mut Config) -> Merged {
    let creds = match Credentials::read(&cfg.paths.state) {
        Ok(Some(c)) => c,
        _ => return Merged::default(),
    };
    let Some(f) = stored(&cfg.paths.state, &creds) else {
        return Merged::default();
    };
    match validate(&f, &cfg.programs, cfg) {
        Ok(programs) => {
            let ids = programs.iter().map(|p| p.id.clone()).collect();
            cfg.programs.extend(programs);
            Merged {
                applied: Some(f.header.sequence),
                error: None,
                ids,
            }
        }
        Err(e) => {
            tracing::error!("hub timetable not applied: {e}");
            Merged {
                applied: None,
                error: Some(e),
                ids: vec![],
            }
        }
    }
}

#[cfg(test)]
#[path = "programs_tests.rs"]
mod tests;
