//! Withdrawing a clip or broadcast (`--remove`) and pushing a broadcast
//! (`--broadcast`): the checks against the feed, on the manifest in memory.

use chrono::{DateTime, FixedOffset};

use super::error::PublishError;
use super::stage::check_areas;
use crate::feed::manifest::{check_id, Broadcast, Manifest};

/// Withdraw the clip (or else broadcast) `id`; returns the clip file to
/// delete once the manifest is written, if no other clip uses it.
pub(super) fn remove(m: &mut Manifest, id: &str) -> Result<Option<String>, PublishError> {
    let clip = m.clips.iter().position(|c| c.id == id);
    let bcast = m.broadcasts.iter().position(|b| b.id == id);
    match (clip, bcast) {
        (Some(_), Some(_)) => Err(PublishError::Ambiguous(id.to_string())),
        (None, None) => Err(PublishError::Unknown(id.to_string())),
        (None, Some(i)) => {
            m.broadcasts.remove(i);
            Ok(None)
        }
        (Some(i), None) => {
            if let Some(b) = m.broadcasts.iter().find(|b| b.play.iter().any(|p| p == id)) {
                return Err(PublishError::ClipInUse {
                    id: id.to_string(),
                    broadcast: b.id.clone(),
                });
            }
            let c = m.clips.remove(i);
            let shared = m.clips.iter().any(|o| o.path == c.path);
            Ok((!shared).then_some(c.path))
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn broadcast(
    m: &Manifest,
    id: &str,
    title: &Option<String>,
    at: DateTime<FixedOffset>,
    play: &[String],
    priority: u32,
    areas: &[String],
    now: DateTime<FixedOffset>,
) -> Result<Broadcast, PublishError> {
    check_id(id).map_err(|reason| PublishError::BadValue {
        what: "broadcast id",
        value: id.to_string(),
        reason,
    })?;
    if m.broadcasts.iter().any(|b| b.id == id) {
        return Err(PublishError::DuplicateBroadcast(id.to_string()));
    }
    if m.clips.iter().any(|c| c.id == id) {
        return Err(PublishError::IdTaken {
            id: id.to_string(),
            kind: "clip",
        });
    }
    if play.is_empty() {
        return Err(PublishError::BroadcastEmpty { id: id.to_string() });
    }
    let mut first_title = None;
    for p in play {
        match m.clips.iter().find(|c| &c.id == p) {
            Some(c) => {
                first_title.get_or_insert_with(|| c.title.clone());
            }
            None => {
                return Err(PublishError::BroadcastUnknownClip {
                    broadcast: id.to_string(),
                    clip: p.clone(),
                })
            }
        }
    }
    if at <= now {
        return Err(PublishError::BroadcastInPast {
            id: id.to_string(),
            at,
            now,
        });
    }
    Ok(Broadcast {
        id: id.to_string(),
        title: title
            .clone()
            .or(first_title)
            .unwrap_or_else(|| id.to_string()),
        at,
        play: play.to_vec(),
        priority,
        areas: check_areas(areas)?,
    })
}
