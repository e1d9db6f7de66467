//! Passwords: argon2id hashes (PHC strings, own salt each), verification in
//! constant time, and one-time passwords for new accounts.
//!
//! Never logs or returns a password; hashes and checks run on
//! `CHECKS_AT_ONCE` dedicated threads (`verify_limited`, `hash_limited`), so
//! many sign-ins at once queue instead of each taking 19 MiB.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

use crate::hub::error::{HubError, HubResult};

/// The shortest password a user may choose.
pub const MIN_LEN: usize = 10;

/// argon2id hash of `password` (a PHC string).
pub fn hash(password: &str) -> HubResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HubError::internal(format!("argon2: {e}")))
}

/// True when `password` matches `phc`; a damaged hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// How many argon2id checks may run at the same time. Each takes argon2's
/// default 19 MiB and one core for ~50 ms; the hub's machines have 2 cores,
/// so 2 checks keep both busy and more would only queue inside the OS while
/// holding memory. Checks wait their turn in a queue (the rate limit has
/// already reserved their slots).
pub const CHECKS_AT_ONCE: usize = 2;

type Job = Box<dyn FnOnce() + Send>;

/// `CHECKS_AT_ONCE` long-lived threads run every hash and check, one at a
/// time each. Not `spawn_blocking`: the blocking pool starts new threads
/// under load, and each new thread's malloc arena keeps its own freed
/// 19 MiB block (measured: 40 unknown names at once peaked at 410 MB even
/// with a semaphore of 2). With fixed threads the peak stays ~2 × 19 MiB.
fn workers() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<Job>> {
    static TX: std::sync::OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> =
        std::sync::OnceLock::new();
    TX.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for n in 0..CHECKS_AT_ONCE {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => {
                            job();
                            // Give the freed 19 MiB back at once (glibc keeps it otherwise).
                            #[cfg(all(target_os = "linux", target_env = "gnu"))]
                            unsafe {
                                libc::malloc_trim(0);
                            }
                        }
                        Err(_) => return,
                    }
                });
        }
        std::sync::Mutex::new(tx)
    })
}

/// Run `f` on one of the argon2 threads and wait for it without blocking
/// the async runtime.
async fn on_worker<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> HubResult<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    workers()
        .lock()
        .map_err(HubError::internal)?
        .send(job)
        .map_err(HubError::internal)?;
    rx.await.map_err(HubError::internal)
}

/// `verify` on an argon2 thread, at most `CHECKS_AT_ONCE` at a time;
/// `None` (no such account) checks against `dummy_hash`, so it costs the
/// same time and memory as a real account.
pub async fn verify_limited(password: &str, phc: Option<String>) -> HubResult<bool> {
    let p = password.to_string();
    on_worker(move || match phc {
        Some(h) => verify(&p, &h),
        None => {
            verify(&p, dummy_hash());
            false
        }
    })
    .await
}

/// `hash` on an argon2 thread, sharing the limit of `verify_limited`.
pub async fn hash_limited(password: &str) -> HubResult<String> {
    let p = password.to_string();
    on_worker(move || hash(&p)).await?
}

/// A hash that no password matches, verified against when the account does
/// not exist (so the answer takes as long either way).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&random_token(16)).unwrap_or_default())
}

/// `n` random bytes as lower-case hex (session tokens, one-time passwords).
pub fn random_token(n: usize) -> String {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).expect("the OS random source failed");
    hex::encode(buf)
}

/// A one-time password easy to read out on the phone: 4 groups of 4
/// letters and digits without look-alikes (0/O, 1/l/I).
pub fn one_time() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut buf = [0u8; 16];
    getrandom::getrandom(&mut buf).expect("the OS random source failed");
    let chars: Vec<char> = buf
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Refuse passwords that are too short.
pub fn check_new(password: &str) -> HubResult<()> {
    if password.chars().count() < MIN_LEN {
        return Err(HubError::invalid("err-password-must-have-at-least").arg("min_len", MIN_LEN));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_its_password() {
        let h = hash("mật khẩu đúng").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("mật khẩu đúng", &h));
        assert!(!verify("mật khẩu sai", &h));
        assert!(!verify("", &h));
        assert!(!verify("x", "not a hash"));
        assert!(!verify("", dummy_hash()));
    }

    #[test]
    fn one_time_passwords_differ_and_are_long_enough() {
        let a = one_time();
        assert_eq!(a.len(), 19);
        assert_ne!(a, one_time());
        assert!(check_new(&a).is_ok());
        assert!(check_new("short").is_err());
    }
}
