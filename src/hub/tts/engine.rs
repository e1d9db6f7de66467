//! Running the speech engine for one text: in a temp dir of its own under
//! `STATE/tmp/` (removed afterwards, whatever happens), either hub.toml's
//! `[tts] command` (an argv, never a shell, in its own process group, the
//! whole group killed past `timeout`; stderr kept for the refusal) or its
//! `url` (POST `{"text","voice"}`, audio back, capped at `max_upload`).
//! The result is a `TempAudio`, exactly what an upload gives.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::config::{Engine, TtsConfig};
use crate::hub::auth::password::random_token;
use crate::hub::error::{HubError, HubResult};
use crate::hub::upload::TempAudio;

/// A directory removed with everything in it when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The engine failed: the reason (a `tts-err-…` message), for the person who asked.
fn failed(id: &'static str, args: &[(&'static str, String)]) -> HubError {
    HubError::Unavailable(super::reason(id, args))
}

/// `text` (already speakable) in `voice` → an audio file in `tmp_dir`.
pub async fn speak(
    cfg: &TtsConfig,
    tmp_dir: &Path,
    text: &str,
    voice: &str,
    max_bytes: u64,
) -> HubResult<TempAudio> {
    let dir = TempDir(tmp_dir.join(format!("tts-{}", random_token(12))));
    std::fs::create_dir_all(&dir.0)?;
    let out = dir.0.join("out.wav");
    match &cfg.engine {
        Engine::Command(argv) => {
            let text_file = dir.0.join("text.txt");
            std::fs::write(&text_file, text)?;
            let args: Vec<String> = argv
                .iter()
                .map(|a| {
                    a.replace("{text_file}", &text_file.to_string_lossy())
                        .replace("{out_wav}", &out.to_string_lossy())
                        .replace("{voice}", voice)
                })
                .collect();
            let (work, timeout) = (dir.0.clone(), cfg.timeout);
            tokio::task::spawn_blocking(move || run(&args, &work, timeout))
                .await
                .map_err(HubError::internal)??;
        }
        Engine::Url(url) => {
            let bytes = fetch(url, text, voice, cfg.timeout, max_bytes).await?;
            std::fs::write(&out, bytes)?;
        }
    }
    let len = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Err(failed("tts-err-no-audio", &[]));
    }
    if len > max_bytes {
        return Err(crate::hub::upload::too_large(max_bytes));
    }
    TempAudio::adopt(&out, tmp_dir)?.ok_or_else(|| failed("tts-err-not-audio", &[]))
}

/// The last lines the engine wrote to stderr (at most 300 characters).
fn tail(path: &Path) -> String {
    let s = std::fs::read_to_string(path).unwrap_or_default();
    let s = s.trim();
    let start = s.char_indices().rev().nth(299).map(|(i, _)| i).unwrap_or(0);
    s[start..].replace('\n', " ")
}

/// The command, waited for at most `timeout`, then killed with its group.
fn run(args: &[String], dir: &Path, timeout: Duration) -> HubResult<()> {
    use std::os::unix::process::CommandExt;
    let stderr_path = dir.join("stderr.txt");
    let stderr = std::fs::File::create(&stderr_path)?;
    let program = &args[0];
    let mut child = Command::new(program)
        .args(&args[1..])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .process_group(0)
        .spawn()
        .map_err(|e| {
            failed(
                "tts-err-engine-start",
                &[("program", program.clone()), ("error", e.to_string())],
            )
        })?;
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            if status.success() {
                return Ok(());
            }
            let why = tail(&stderr_path);
            return Err(failed(
                "tts-err-engine-failed",
                &[
                    ("program", program.clone()),
                    ("status", status.to_string()),
                    ("detail", why),
                ],
            ));
        }
        if Instant::now() >= deadline {
            // SAFETY: signals the process group the child leads (its own,
            // from `process_group(0)`), so helpers it started go too.
            unsafe {
                libc::killpg(pid, libc::SIGKILL);
            }
            let _ = child.kill();
            let _ = child.wait();
            let secs = timeout.as_secs();
            return Err(failed(
                "tts-err-engine-timeout",
                &[("program", program.clone()), ("seconds", secs.to_string())],
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// POST the text to an HTTP engine; the audio it answers with.
async fn fetch(
    url: &str,
    text: &str,
    voice: &str,
    timeout: Duration,
    max_bytes: u64,
) -> HubResult<Vec<u8>> {
    let net = crate::net::shared().map_err(HubError::internal)?;
    let client = net
        .client(crate::net::ClientKey {
            connect_timeout: Duration::from_secs(10),
            env_proxy: false,
        })
        .map_err(HubError::internal)?;
    let body = serde_json::json!({"text": text, "voice": voice}).to_string();
    let url_s = url.to_string();
    let work = async move {
        let mut resp = client
            .post(&url_s)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(format!("HTTP {}", resp.status()));
        }
        let mut bytes = vec![];
        while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > max_bytes {
                return Err(format!("more than {max_bytes} bytes"));
            }
        }
        Ok(bytes)
    };
    // On the network runtime, where the shared clients live.
    let job = net.handle().spawn(tokio::time::timeout(timeout, work));
    match job.await.map_err(HubError::internal)? {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(failed(
            "tts-err-service-failed",
            &[("url", url.to_string()), ("error", e)],
        )),
        Err(_) => {
            let secs = timeout.as_secs();
            Err(failed(
                "tts-err-service-timeout",
                &[("url", url.to_string()), ("seconds", secs.to_string())],
            ))
        }
    }
}
