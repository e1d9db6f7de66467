//! One sync of one feed into the store, in the only safe order: conditional
//! GET of the manifest (capped) -> its signature (capped) -> verify -> parse ->
//! sequence and expiry checks -> size budget -> download and hash-verify every
//! clip this station needs -> commit index + accepted state in one atomic
//! rename -> remove clips nothing references any more. Anything failing before
//! the commit leaves the index and the accepted sequence exactly as they were.
//!
//! Knows nothing of playout or the schedule (the poll back-off is in state.rs): "is this
//! file on air" comes in as `in_use`, the signature check as `verify`.
//!
//! What survives a kill at any point: `index.json` is either the old or the new
//! one (never a mix); `partial/<sha256>.part` holds the bytes received so far
//! (not fsynced; after a power cut a bad tail is caught by the hash check and
//! the partial restarts); verified clips already renamed into place stay as
//! unreferenced files and are reused by hash. `index.json.tmp`/`feeds.json.tmp`
//! may linger and are overwritten. Nothing else is kept.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::fetch::{FeedUrl, FetchError, FetchOptions, Fetcher, Small};
use super::manifest::{for_station, targets, Clip, Manifest, MAX_MANIFEST_BYTES};
use super::state::Accepted;
use super::store::{past_valid_until, InstallError, Store, StoredBroadcast, StoredClip};

/// Checks a detached signature: (manifest bytes, `manifest.json.minisig` text).
pub type Verify = dyn Fn(&[u8], &str) -> Result<(), String>;

/// The signature file may not be larger than this.
pub const MAX_SIGNATURE_BYTES: u64 = 4096;
/// Partials of clips no feed wants are deleted after this long untouched.
pub const PARTIAL_MAX_AGE: Duration = Duration::from_secs(3 * 24 * 3600);

/// One feed to follow.
#[derive(Debug, Clone)]
pub struct FeedSpec {
    /// `http(s)://.../manifest.json` or `file:///.../manifest.json`.
    pub url: String,
    /// Scopes clip and broadcast ids and the accepted state (e.g. the URL).
    pub key: String,
    /// All feeds together may not reference more bytes than this.
    pub max_store: Option<u64>,
    /// The station's id at this feed (hub feeds): clips bound to other
    /// stations are left alone.
    pub station: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyncResult {
    /// 304, or the same sequence as accepted.
    Unchanged,
    /// A new manifest was accepted and committed.
    Updated,
    /// The feed offered something untrustworthy or unacceptable; store untouched.
    Refused(String),
    /// Network, server or disk trouble; store untouched, retry with back-off.
    Failed(String),
}

impl std::fmt::Display for SyncResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncResult::Unchanged => write!(f, "unchanged"),
            SyncResult::Updated => write!(f, "updated"),
            SyncResult::Refused(r) => write!(f, "refused: {r}"),
            SyncResult::Failed(r) => write!(f, "failed: {r}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncReport {
    /// The feed key.
    pub feed: String,
    pub result: SyncResult,
    /// Clip ids of this feed newly in the index / no longer in it.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// The accepted sequence after this sync.
    pub sequence: Option<u64>,
    /// The accepted manifest (or the newest offered) has expired.
    pub stale: bool,
    /// Requests made (HTTP requests or file reads).
    pub requests: u32,
    /// Body bytes received.
    pub bytes: u64,
}

impl SyncReport {
    /// Whether the back-off should reset (Updated or Unchanged).
    pub fn ok(&self) -> bool {
        matches!(self.result, SyncResult::Updated | SyncResult::Unchanged)
    }
}

/// A clip download's progress, for a progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub clip: String,
    pub done: u64,
    pub total: u64,
}

enum Stop {
    Refused(String),
    Failed(String),
    /// Refused because the offered manifest has expired: the feed is stale.
    Expired(String),
}

/// Sync one feed with the default timeouts (connect 10 s, no data 30 s).
#[allow(clippy::too_many_arguments)]
pub fn sync(
    store: &mut Store,
    feed: &FeedSpec,
    station_areas: &[String],
    station_lang: &[String],
    verify: &Verify,
    now: DateTime<Utc>,
    in_use: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(Progress),
) -> SyncReport {
    let opts = FetchOptions::default();
    let ctx = Ctx {
        feed,
        station_areas,
        station_lang,
        verify,
        now,
    };
    sync_with(store, &ctx, in_use, progress, &opts)
}

/// Everything a sync reads besides the store.
pub struct Ctx<'a> {
    pub feed: &'a FeedSpec,
    pub station_areas: &'a [String],
    pub station_lang: &'a [String],
    pub verify: &'a Verify,
    pub now: DateTime<Utc>,
}

/// [`sync`] with explicit fetch options (timeouts, proxy).
pub fn sync_with(
    store: &mut Store,
    ctx: &Ctx,
    in_use: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(Progress),
    opts: &FetchOptions,
) -> SyncReport {
    let key = ctx.feed.key.as_str();
    let ids_of = |s: &Store| -> HashSet<String> {
        s.clips()
            .iter()
            .filter(|c| c.feed == key)
            .map(|c| c.id.clone())
            .collect()
    };
    let before = ids_of(store);
    let mut fetcher = Fetcher::new(opts);
    let outcome = run(store, ctx, &mut fetcher, progress);
    let mut expired = false;
    let result = match outcome {
        Ok(true) => SyncResult::Updated,
        Ok(false) => SyncResult::Unchanged,
        Err(Stop::Refused(r)) => SyncResult::Refused(r),
        Err(Stop::Failed(r)) => SyncResult::Failed(r),
        Err(Stop::Expired(r)) => {
            expired = true;
            SyncResult::Refused(r)
        }
    };
    let ok = matches!(result, SyncResult::Updated | SyncResult::Unchanged);
    if ok {
        prune_expired(store, ctx.now);
        store.collect_garbage(in_use, PARTIAL_MAX_AGE);
    }
    let after = ids_of(store);
    let mut added: Vec<String> = after.difference(&before).cloned().collect();
    let mut removed: Vec<String> = before.difference(&after).cloned().collect();
    added.sort();
    removed.sort();
    let accepted = store.accepted(key);
    let stale = expired || accepted.is_some_and(|a| a.is_stale(ctx.now));
    let report = SyncReport {
        feed: key.to_string(),
        sequence: accepted.map(|a| a.sequence),
        result,
        added,
        removed,
        stale,
        requests: fetcher.requests,
        bytes: fetcher.bytes,
    };
    match &report.result {
        SyncResult::Updated => tracing::info!(
            "feed {key}: updated to sequence {:?} (+{} -{} clips, {} bytes)",
            report.sequence,
            report.added.len(),
            report.removed.len(),
            report.bytes
        ),
        SyncResult::Unchanged => tracing::debug!("feed {key}: unchanged"),
        SyncResult::Refused(r) => tracing::warn!("feed {key}: refused: {r}"),
        SyncResult::Failed(r) => tracing::warn!("feed {key}: failed: {r}"),
    }
    let mut st = store.status(key).cloned().unwrap_or_default();
    st.last_attempt = Some(ctx.now);
    if ok {
        st.last_success = Some(ctx.now);
        st.failures = 0;
    } else {
        st.failures = st.failures.saturating_add(1);
    }
    st.last_result = report.result.to_string();
    st.stale = stale;
    store.set_status(key, st);
    report
}

/// Whether a clip's language is one the station airs (empty = any / all).
pub fn lang_ok(clip_lang: &str, station_lang: &[String]) -> bool {
    clip_lang.is_empty() || station_lang.is_empty() || station_lang.iter().any(|l| l == clip_lang)
}

fn run(
    store: &mut Store,
    ctx: &Ctx,
    f: &mut Fetcher,
    progress: &mut dyn FnMut(Progress),
) -> Result<bool, Stop> {
    let key = ctx.feed.key.as_str();
    let url = FeedUrl::parse(&ctx.feed.url).map_err(|e| Stop::Failed(e.to_string()))?;
    let acc = store.accepted(key).cloned();
    let selection = selection_key(ctx.station_areas, ctx.station_lang);
    // Areas or languages changed in the config: fetch and apply again.
    let reselect = acc.as_ref().is_some_and(|a| a.selection != selection);
    let cond = acc.as_ref().filter(|_| !reselect);
    let got = f
        .get_small(
            &url.manifest(),
            MAX_MANIFEST_BYTES as u64,
            cond.and_then(|a| a.etag.as_deref()),
            cond.and_then(|a| a.last_modified.as_deref()),
        )
        .map_err(|e| match e {
            FetchError::TooLarge { .. } => Stop::Refused(format!("manifest: {e}")),
            e => Stop::Failed(format!("manifest: {e}")),
        })?;
    let Small::Body {
        data,
        etag,
        last_modified,
    } = got
    else {
        return Ok(false);
    };
    let sig = match f.get_small(&url.signature(), MAX_SIGNATURE_BYTES, None, None) {
        Ok(Small::Body { data, .. }) => data,
        Ok(Small::NotModified) => return Err(Stop::Failed("signature: unexpected 304".into())),
        Err(e @ (FetchError::Status { code: 404, .. } | FetchError::Missing(_))) => {
            return Err(Stop::Refused(format!(
                "signature: the feed is unsigned ({e}); unsigned feeds are refused"
            )))
        }
        Err(e @ FetchError::TooLarge { .. }) => {
            return Err(Stop::Refused(format!("signature: {e}")))
        }
        Err(e) => return Err(Stop::Failed(format!("signature: {e}"))),
    };
    let sig = String::from_utf8(sig)
        .map_err(|_| Stop::Refused("signature: manifest.json.minisig is not text".into()))?;
    (ctx.verify)(&data, &sig).map_err(|e| Stop::Refused(format!("signature: {e}")))?;
    let m = Manifest::parse(&data).map_err(|e| Stop::Refused(e.to_string()))?;
    if let Some(a) = &acc {
        if m.sequence < a.sequence {
            return Err(Stop::Refused(format!(
                "rollback: sequence {} is lower than the accepted {}",
                m.sequence, a.sequence
            )));
        }
        if m.sequence == a.sequence && !reselect {
            // Same document: remember the new validators so polls stay cheap.
            if a.etag != etag || a.last_modified != last_modified {
                let mut idx = store.index().clone();
                if let Some(a) = idx.feeds.get_mut(key) {
                    a.etag = etag;
                    a.last_modified = last_modified;
                }
                store.commit(idx).map_err(|e| Stop::Failed(e.to_string()))?;
            }
            return Ok(false);
        }
    }
    if m.expires_at <= ctx.now {
        return Err(Stop::Expired(format!(
            "expired at {}: keeping the stored clips; the publisher must re-sign the feed",
            m.expires_at.to_rfc3339()
        )));
    }
    let wanted: Vec<&Clip> = m
        .clips
        .iter()
        .filter(|c| {
            targets(&c.areas, ctx.station_areas)
                && for_station(&c.stations, ctx.feed.station.as_deref())
                && lang_ok(&c.lang, ctx.station_lang)
                && !past_valid_until(c.valid_until, ctx.now)
        })
        .collect();
    check_budget(store, key, &wanted, ctx.feed.max_store)?;
    store.set_pending(key, wanted.iter().map(|c| c.sha256.clone()).collect());
    let mut fetched = HashSet::new();
    for c in &wanted {
        if !fetched.insert(c.sha256.as_str()) {
            continue;
        }
        match store.has_clip(&c.sha256, c.bytes) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(msg) => return Err(Stop::Refused(format!("clip {}: {msg}", c.id))),
        }
        let src = url
            .clip(&c.path)
            .map_err(|e| Stop::Refused(format!("clip {}: {e}", c.id)))?;
        let part = store.partial_path(&c.sha256);
        let mut report = |done| {
            progress(Progress {
                clip: c.id.clone(),
                done,
                total: c.bytes,
            })
        };
        f.download(&src, &part, c.bytes, &mut report)
            .map_err(|e| Stop::Failed(format!("clip {}: {e}", c.id)))?;
        match store.install(&c.sha256) {
            Ok(()) => {}
            Err(InstallError::Mismatch(got)) => {
                return Err(Stop::Failed(format!(
                    "sha256 mismatch for clip {} from {}: got {got}, the manifest says {}; \
                     the download restarts next sync",
                    c.id,
                    src.display(),
                    c.sha256
                )))
            }
            Err(InstallError::Io(e)) => return Err(Stop::Failed(e.to_string())),
        }
    }
    let mut idx = store.index().clone();
    idx.clips.retain(|c| c.feed != key);
    idx.broadcasts.retain(|b| b.feed != key);
    idx.clips.extend(wanted.iter().map(|c| StoredClip {
        feed: key.to_string(),
        id: c.id.clone(),
        title: c.title.clone(),
        category: c.category.clone(),
        lang: c.lang.clone(),
        sha256: c.sha256.clone(),
        bytes: c.bytes,
        duration_s: c.duration_s,
        valid_from: c.valid_from,
        valid_until: c.valid_until,
        areas: c.areas.clone(),
        published_at: m.published_at,
        level: c.level,
    }));
    let ids: HashSet<&str> = wanted.iter().map(|c| c.id.as_str()).collect();
    for b in m
        .broadcasts
        .iter()
        .filter(|b| targets(&b.areas, ctx.station_areas))
    {
        let play: Vec<String> = b
            .play
            .iter()
            .filter(|p| ids.contains(p.as_str()))
            .cloned()
            .collect();
        if !play.is_empty() {
            idx.broadcasts.push(StoredBroadcast {
                feed: key.to_string(),
                id: b.id.clone(),
                title: b.title.clone(),
                at: b.at,
                play,
                priority: b.priority,
                areas: b.areas.clone(),
            });
        }
    }
    idx.feeds.insert(
        key.to_string(),
        Accepted {
            sequence: m.sequence,
            etag,
            last_modified,
            published_at: m.published_at,
            expires_at: m.expires_at,
            selection,
        },
    );
    store.commit(idx).map_err(|e| Stop::Failed(e.to_string()))?;
    store.set_pending(key, HashSet::new());
    Ok(true)
}

/// A fingerprint of what the station selects clips by (sorted areas and languages).
pub fn selection_key(areas: &[String], lang: &[String]) -> String {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v.dedup();
        v.join(",")
    };
    format!("areas={};lang={}", sorted(areas), sorted(lang))
}

/// Refuse before downloading if all feeds' clips would exceed `max_store`.
fn check_budget(
    store: &Store,
    key: &str,
    wanted: &[&Clip],
    max_store: Option<u64>,
) -> Result<(), Stop> {
    let Some(max) = max_store else {
        return Ok(());
    };
    let mut seen = HashSet::new();
    let others = store
        .clips()
        .iter()
        .filter(|c| c.feed != key)
        .map(|c| (c.sha256.as_str(), c.bytes));
    let mine = wanted.iter().map(|c| (c.sha256.as_str(), c.bytes));
    let total: u64 = others
        .chain(mine)
        .filter(|(h, _)| seen.insert(*h))
        .map(|(_, b)| b)
        .sum();
    if total > max {
        return Err(Stop::Refused(format!(
            "store: the clips of all feeds would take {total} bytes, over max_store \
             ({max} bytes); raise max_store or ask the publisher for fewer clips"
        )));
    }
    Ok(())
}

/// Drop index entries whose `valid_until` is over everywhere (best effort).
fn prune_expired(store: &mut Store, now: DateTime<Utc>) {
    if !store
        .clips()
        .iter()
        .any(|c| past_valid_until(c.valid_until, now))
    {
        return;
    }
    let mut idx = store.index().clone();
    idx.clips.retain(|c| !past_valid_until(c.valid_until, now));
    if let Err(e) = store.commit(idx) {
        tracing::warn!("could not drop expired clips from the store index: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_filter() {
        let st = vec!["vi".to_string(), "cjm".to_string()];
        assert!(lang_ok("", &st));
        assert!(lang_ok("cjm", &st));
        assert!(!lang_ok("en", &st));
        assert!(lang_ok("en", &[]));
    }
}
