//! cache: each clip's `Measure`, keyed by the sha256 of its bytes, kept across restarts
//! in STATE/loudness.json (a JSON object: sha256 hex -> Measure). Never fails: a missing
//! or corrupt file starts empty, a write error is logged. Owns only that one file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{measure_file, LoudnessError, Measure};

/// The cache file's name in the state directory.
pub(crate) const FILE_NAME: &str = "loudness.json";

/// Shared, cheap to clone: every clone sees the same entries.
#[derive(Clone)]
pub struct Cache {
    map: Arc<Mutex<BTreeMap<String, Measure>>>,
    /// Held while writing the file; None for an in-memory cache.
    file: Option<Arc<Mutex<PathBuf>>>,
}

impl Cache {
    /// The cache in `state_dir`/loudness.json. A missing file is an empty cache; an
    /// unreadable or corrupt one is logged and replaced on the next insert.
    pub fn open(state_dir: &Path) -> Cache {
        let path = state_dir.join(FILE_NAME);
        let map = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<BTreeMap<String, Measure>>(&bytes) {
                Ok(map) => map,
                Err(e) => {
                    tracing::warn!(
                        "loudness cache {}: corrupt ({e}); starting empty, clips will be measured again",
                        path.display()
                    );
                    BTreeMap::new()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => {
                tracing::warn!(
                    "loudness cache {}: cannot read ({e}); starting empty, check the state directory's permissions",
                    path.display()
                );
                BTreeMap::new()
            }
        };
        Cache {
            map: Arc::new(Mutex::new(map)),
            file: Some(Arc::new(Mutex::new(path))),
        }
    }

    /// A cache that never touches the disk (tests, `null` runs).
    pub fn in_memory() -> Cache {
        Cache {
            map: Arc::new(Mutex::new(BTreeMap::new())),
            file: None,
        }
    }

    /// The measure of the clip whose bytes hash to `sha256`, if known.
    pub fn get(&self, sha256: &str) -> Option<Measure> {
        self.lock().get(sha256).copied()
    }

    /// Remember `m` for `sha256` and persist the cache (atomically; errors are logged).
    pub fn insert(&self, sha256: &str, m: Measure) {
        self.lock().insert(sha256.to_string(), m);
        self.persist();
    }

    /// The cached measure, or measure the file now (outside the lock), remember and return it.
    pub fn measure_cached(&self, sha256: &str, path: &Path) -> Result<Measure, LoudnessError> {
        if let Some(m) = self.get(sha256) {
            return Ok(m);
        }
        let m = measure_file(path)?;
        self.insert(sha256, m);
        Ok(m)
    }

    /// Number of clips cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// No clip cached.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Measure>> {
        // A panic elsewhere while holding the lock leaves a valid map: keep using it.
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Write the whole map. The snapshot is taken while holding the file lock, so the
    /// last writer always writes a map containing every insert made before it.
    fn persist(&self) {
        let Some(file) = &self.file else { return };
        let path = file.lock().unwrap_or_else(|p| p.into_inner());
        let bytes = match serde_json::to_vec_pretty(&*self.lock()) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!("loudness cache {}: cannot serialise: {e}", path.display());
                return;
            }
        };
        if let Err(e) = write_atomically(&path, &bytes) {
            tracing::warn!(
                "loudness cache {}: cannot write ({e}); measures are kept in memory only, check free space and permissions",
                path.display()
            );
        }
    }
}

/// Write `bytes` to a temporary file beside `path`, fsync it, rename it over `path`, and
/// fsync the directory (best effort).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(i: Option<f64>, tp: f64, s: f64) -> Measure {
        Measure {
            integrated_lufs: i,
            true_peak_dbtp: tp,
            seconds: s,
            aired_gain_db: None,
        }
    }

    #[test]
    fn round_trip_through_the_state_dir() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(dir.path());
        assert!(c.is_empty());
        c.insert("aa", m(Some(-23.5), -3.25, 12.5));
        c.insert("bb", m(None, -200.0, 0.25));
        assert_eq!(c.len(), 2);
        let again = Cache::open(dir.path());
        assert_eq!(again.len(), 2);
        assert_eq!(again.get("aa"), Some(m(Some(-23.5), -3.25, 12.5)));
        assert_eq!(again.get("bb"), Some(m(None, -200.0, 0.25)));
        assert_eq!(again.get("cc"), None);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(FILE_NAME)]);
    }

    #[test]
    fn corrupt_file_starts_empty_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();
        let c = Cache::open(dir.path());
        assert!(c.is_empty());
        c.insert("aa", m(Some(-16.0), -1.0, 1.0));
        assert_eq!(Cache::open(dir.path()).get("aa"), c.get("aa"));
    }

    #[test]
    fn in_memory_never_writes_and_clones_share() {
        let c = Cache::in_memory();
        let d = c.clone();
        d.insert("aa", m(Some(-20.0), -6.0, 2.0));
        assert_eq!(c.get("aa"), Some(m(Some(-20.0), -6.0, 2.0)));
    }

    #[test]
    fn unwritable_dir_is_logged_not_fatal() {
        let c = Cache::open(Path::new("/nonexistent/loa/state"));
        c.insert("aa", m(Some(-20.0), -6.0, 2.0));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn measure_cached_measures_once() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(dir.path());
        let missing = dir.path().join("missing.wav");
        assert!(c.measure_cached("aa", &missing).is_err());
        assert!(c.is_empty());
        // Cached entries are returned without touching the (missing) file.
        c.insert("aa", m(Some(-18.0), -2.0, 3.0));
        assert_eq!(
            c.measure_cached("aa", &missing).unwrap(),
            m(Some(-18.0), -2.0, 3.0)
        );
    }
}
