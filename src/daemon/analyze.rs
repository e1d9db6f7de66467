//! The loudness analyzer: a low-priority background thread that measures every clip
//! the station may air (station files named in the config, feed clips in the store)
//! once, ahead of air time, so a broadcast never waits for a measurement. Results go
//! to the shared loudness cache (keyed by content hash). Never touches the output.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::SystemTime;

use crate::config::{Config, Item};
use crate::feed::view::FeedView;
use crate::loudness::{clip_level, Cache};

/// A clip to measure: its content hash when known (store clips are named by it).
pub(super) struct Clip {
    pub path: PathBuf,
    pub sha256: Option<String>,
}

pub(super) struct Analyzer {
    tx: Sender<(Vec<Clip>, f64)>,
}

impl Analyzer {
    pub fn spawn(cache: Cache) -> Option<Analyzer> {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("loa-loudness".into())
            .spawn(move || run(cache, rx))
            .map_err(|e| tracing::warn!("cannot start the loudness analyzer: {e}"))
            .ok()?;
        Some(Analyzer { tx })
    }

    /// Measure whatever of `clips` is not measured yet for `target_lufs` (newest
    /// request wins).
    pub fn request(&self, clips: Vec<Clip>, target_lufs: f64) {
        let _ = self.tx.send((clips, target_lufs));
    }
}

/// Every clip `cfg` and `view` can air.
pub(super) fn clips(cfg: &Config, view: &FeedView) -> Vec<Clip> {
    fn walk(items: &[Item], out: &mut Vec<Clip>) {
        for i in items {
            match i {
                Item::File(p) => out.push(Clip {
                    path: p.clone(),
                    sha256: None,
                }),
                Item::Stream { fallback, .. } => walk(fallback, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for p in &cfg.programs {
        walk(&p.play, &mut out);
    }
    out.extend(view.clips.iter().map(|c| Clip {
        path: view.clip_path(&c.sha256),
        sha256: Some(c.sha256.clone()),
    }));
    out
}

fn run(cache: Cache, rx: Receiver<(Vec<Clip>, f64)>) {
    lower_priority();
    // Station files: (path) -> (size, mtime, sha256), so unchanged files are not re-read.
    let mut hashes: HashMap<PathBuf, (u64, Option<SystemTime>, String)> = HashMap::new();
    while let Ok(mut job) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            job = newer;
        }
        let (clips, target) = job;
        let mut measured = 0;
        for clip in clips {
            let Some(sha) = clip.sha256.or_else(|| hash(&mut hashes, &clip.path)) else {
                continue;
            };
            if cache.get(&sha).is_some() {
                // Measured; a limited clip may still need its second pass.
                let _ = clip_level(&cache, &sha, &clip.path, target, true);
                continue;
            }
            match clip_level(&cache, &sha, &clip.path, target, true) {
                Ok(g) => {
                    measured += 1;
                    tracing::debug!(
                        "loudness of {}: {:?}, airs with {:+.1} dB{}",
                        clip.path.display(),
                        cache.get(&sha).map(|m| m.integrated_lufs),
                        g.gain_db,
                        if g.limit { " (limited)" } else { "" }
                    );
                }
                Err(e) => tracing::debug!("cannot measure {}: {e}", clip.path.display()),
            }
        }
        if measured > 0 {
            tracing::info!("measured the loudness of {measured} clip(s)");
        }
    }
}

fn hash(
    memo: &mut HashMap<PathBuf, (u64, Option<SystemTime>, String)>,
    path: &PathBuf,
) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let key = (meta.len(), meta.modified().ok());
    if let Some((len, mtime, sha)) = memo.get(path) {
        if (*len, *mtime) == key {
            return Some(sha.clone());
        }
    }
    let sha = crate::playout::sha256_file(path).ok()?;
    memo.insert(path.clone(), (key.0, key.1, sha.clone()));
    Some(sha)
}

/// Analysis must never compete with playout: run this thread at nice 10.
fn lower_priority() {
    // SAFETY: plain syscalls on the calling thread's id; no memory is shared.
    let r = unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10)
    };
    if r != 0 {
        tracing::debug!("cannot lower the loudness analyzer's priority");
    }
}
