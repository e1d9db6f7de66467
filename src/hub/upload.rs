//! Receiving an upload: a multipart body streamed field by field, the audio
//! file chunk by chunk into `STATE/tmp/` (hashed on the way, capped at
//! `max_upload`), its format told from its first bytes (never from the name),
//! then decoded and measured (duration, EBU R128) in turn, within hub.toml
//! `max_duration` (`measure.rs`).
//!
//! A `TempAudio` deletes its file when dropped unless `keep` moved it into
//! the store, so an upload cut halfway, refused or failed leaves nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use axum::extract::multipart::{Multipart, MultipartError};
use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::auth::password::random_token;
use super::error::{HubError, HubResult, Reason};

/// The largest text field of an upload form.
const MAX_FIELD: usize = 64 * 1024;

/// An uploaded audio file in `STATE/tmp/`, removed on drop unless kept.
#[derive(Debug)]
pub struct TempAudio {
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    /// `wav`, `mp3`, `ogg`, `flac` or `m4a`, from the content.
    pub ext: &'static str,
    kept: bool,
}

impl TempAudio {
    /// Move the file to `target` (same file system); it is then no longer removed.
    pub fn keep(mut self, target: &Path) -> std::io::Result<()> {
        if target.exists() {
            // The same audio again (same hash): the stored copy serves both.
            std::fs::remove_file(&self.path)?;
        } else {
            std::fs::rename(&self.path, target)?;
        }
        self.kept = true;
        Ok(())
    }
}

impl TempAudio {
    /// A file some other part of the hub wrote (the speech engine's output)
    /// taken as an upload: hashed, its format told from its first bytes,
    /// moved to `tmp_dir`. `None`: not a supported audio format.
    pub fn adopt(src: &Path, tmp_dir: &Path) -> std::io::Result<Option<TempAudio>> {
        use std::io::Read;
        let mut f = std::fs::File::open(src)?;
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(16);
        let mut buf = vec![0u8; 64 * 1024];
        let mut bytes = 0u64;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            if head.len() < 16 {
                let k = (16 - head.len()).min(n);
                head.extend_from_slice(&buf[..k]);
            }
            hasher.update(&buf[..n]);
            bytes += n as u64;
        }
        let Some(ext) = sniff(&head) else {
            return Ok(None);
        };
        std::fs::create_dir_all(tmp_dir)?;
        let path = tmp_dir.join(format!("upload-{}.{ext}", random_token(12)));
        std::fs::rename(src, &path)?;
        Ok(Some(TempAudio {
            path,
            sha256: hex::encode(hasher.finalize()),
            bytes,
            ext,
            kept: false,
        }))
    }
}

impl Drop for TempAudio {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The form's text fields and its audio file.
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<TempAudio>,
    /// Why the file was refused (empty, not audio, too large): the text
    /// fields read before and after it are kept, so a form can come back
    /// as typed; `clips::create` returns this error first.
    pub file_error: Option<HubError>,
    /// A text bulletin's text, kept with the clip (`hub::tts`; never from a form).
    pub text: Option<String>,
}

/// The audio format of a file, from its first bytes.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WAVE" {
        Some("wav")
    } else if head.starts_with(b"fLaC") {
        Some("flac")
    } else if head.starts_with(b"OggS") {
        Some("ogg")
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        Some("m4a")
    } else if head.starts_with(b"ID3")
        || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0)
    {
        Some("mp3")
    } else {
        None
    }
}

fn multipart_error(e: MultipartError, max: u64) -> HubError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max)
    } else {
        HubError::Invalid(
            Reason::new("err-upload-was-cut-off-malformed").arg("body_text", e.body_text()),
        )
    }
}

pub fn too_large(max: u64) -> HubError {
    let mib = max as f64 / (1024.0 * 1024.0);
    HubError::TooLarge(Reason::new("err-file-over-mib-limit-max").arg("mib", format!("{:.0}", mib)))
}

/// Read the whole form; the `file` field goes to a temp file in `tmp_dir`.
/// A file part with no name and no bytes (a form posted without choosing a
/// file) is no file. A refused file is `file_error`; a body cut at the size
/// limit stops the reading there, with the fields read so far.
pub async fn receive(mut form: Multipart, tmp_dir: &Path, max: u64) -> HubResult<Upload> {
    let mut up = Upload {
        fields: HashMap::new(),
        file: None,
        file_error: None,
        text: None,
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                up.file_error = Some(multipart_error(e, max));
                break;
            }
        };
        let is_file = field.name() == Some("file");
        match read_field(field, &mut up, tmp_dir, max).await {
            Ok(()) => {}
            Err(e) if is_file && !matches!(e, HubError::Internal(_)) => {
                let cut = matches!(e, HubError::TooLarge(_));
                up.file_error = Some(e);
                if cut {
                    break;
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(up)
}

/// One part of the form into `up`.
async fn read_field(
    mut field: axum::extract::multipart::Field<'_>,
    up: &mut Upload,
    tmp_dir: &Path,
    max: u64,
) -> HubResult<()> {
    let (fields, file) = (&mut up.fields, &mut up.file);
    {
        let name = field.name().unwrap_or("").to_string();
        let unnamed = field.file_name().is_none_or(str::is_empty);
        if name == "file" {
            if file.is_some() {
                return Err(HubError::invalid("err-upload-one-file-at-time"));
            }
            tokio::fs::create_dir_all(tmp_dir).await?;
            let part = tmp_dir.join(format!("upload-{}.part", random_token(12)));
            let mut tmp = TempAudio {
                path: part.clone(),
                sha256: String::new(),
                bytes: 0,
                ext: "",
                kept: false,
            };
            let mut out = tokio::fs::File::create(&part).await?;
            let mut hasher = Sha256::new();
            let mut head: Vec<u8> = Vec::with_capacity(16);
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, max))? {
                tmp.bytes += chunk.len() as u64;
                if tmp.bytes > max {
                    return Err(too_large(max));
                }
                if head.len() < 16 {
                    let n = (16 - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..n]);
                }
                hasher.update(&chunk);
                out.write_all(&chunk).await?;
            }
            out.sync_all().await?;
            drop(out);
            if tmp.bytes == 0 {
                if unnamed {
                    return Ok(());
                }
                return Err(HubError::invalid("err-file-empty"));
            }
            let Some(ext) = sniff(&head) else {
                return Err(HubError::invalid("err-file-not-supported-audio-format"));
            };
            let named = part.with_extension(ext);
            tokio::fs::rename(&part, &named).await?;
            tmp.path = named;
            tmp.ext = ext;
            tmp.sha256 = hex::encode(hasher.finalize());
            *file = Some(tmp);
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, max))? {
                text.extend_from_slice(&chunk);
                if text.len() > MAX_FIELD {
                    return Err(HubError::invalid("err-field-too-long").arg("name", &name));
                }
            }
            let text = String::from_utf8(text)
                .map_err(|_| HubError::invalid("err-field-not-utf-8").arg("name", &name))?;
            fields.insert(name, text);
        }
    }
    Ok(())
}

pub use super::measure::{measure, Measured};

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn formats_are_told_from_content() {
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), Some("wav"));
        assert_eq!(sniff(b"fLaC\0\0"), Some("flac"));
        assert_eq!(sniff(b"OggS\0\x02"), Some("ogg"));
        assert_eq!(sniff(b"ID3\x04\0"), Some("mp3"));
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0]), Some("mp3"));
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A "), Some("m4a"));
        assert_eq!(sniff(b"<script>alert(1)"), None);
        assert_eq!(sniff(b""), None);
    }
}
