//! `GET /feed/…` as stations fetch it: the manifest, its signature and each
//! station's programs document straight from the database (the newest row,
//! so every hub process answers the same bytes, with a strong ETag made of
//! the sequence and the content hash for conditional polls), and clip files
//! from this process's content-addressed store (fetched from the database
//! first when missing; served with ranges by tower-http). Anything else under
//! `/feed/` (`minisign.pub`) comes from `STATE/feed/`.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use crate::feed::programs::{PROGRAMS_FILE, PROGRAMS_SIG};
use crate::hub::app::AppState;
use crate::hub::db::col;
use crate::hub::error::{HubError, HubResult};

/// The routes under `/feed/` the database answers.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed/manifest.json", get(manifest))
        .route("/feed/manifest.json.minisig", get(manifest_sig))
        .route("/feed/stations/{id}/{file}", get(programs))
        .route("/feed/clips/{name}", get(clip))
}

fn missing() -> HubError {
    HubError::not_found("err-no-such-file")
}

/// A document with its ETag; 304 when the poller already has it.
fn document(headers: &HeaderMap, body: String, tag: String, ctype: &'static str) -> Response {
    let etag = format!("\"{tag}\"");
    let matched = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if matched {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, body).into_response()
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn short_hash(s: &str) -> String {
    hex::encode(&Sha256::digest(s.as_bytes())[..8])
}

async fn manifest(State(state): State<AppState>, headers: HeaderMap) -> HubResult<Response> {
    let m = super::latest(&state.db).await?.ok_or_else(missing)?;
    let tag = format!("m{}-{}", m.sequence, &m.sha256[..16.min(m.sha256.len())]);
    Ok(document(&headers, m.manifest, tag, "application/json"))
}

async fn manifest_sig(State(state): State<AppState>, headers: HeaderMap) -> HubResult<Response> {
    let m = super::latest(&state.db).await?.ok_or_else(missing)?;
    let tag = format!("s{}-{}", m.sequence, short_hash(&m.signature));
    Ok(document(
        &headers,
        m.signature,
        tag,
        "application/octet-stream",
    ))
}

async fn programs(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> HubResult<Response> {
    let sig = match file.as_str() {
        PROGRAMS_FILE => false,
        PROGRAMS_SIG => true,
        _ => return Err(missing()),
    };
    let r = sqlx::query(
        "SELECT sequence, document, signature FROM timetable_docs WHERE station = $1 \
         ORDER BY sequence DESC LIMIT 1",
    )
    .bind(&id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(missing)?;
    let seq: i64 = col(&r, "sequence")?;
    let doc: String = col(&r, "document")?;
    let signature: String = col(&r, "signature")?;
    Ok(if sig {
        let tag = format!("s{seq}-{}", short_hash(&signature));
        document(&headers, signature, tag, "application/octet-stream")
    } else {
        let tag = format!("p{seq}-{}", short_hash(&doc));
        document(&headers, doc, tag, "application/toml")
    })
}

async fn clip(
    State(state): State<AppState>,
    Path(name): Path<String>,
    req: Request,
) -> HubResult<Response> {
    let (sha, ext) = super::blobs::valid_name(&name).ok_or_else(missing)?;
    // Only approved audio is ever served from /feed/.
    sqlx::query(
        "SELECT id FROM clips WHERE sha256 = $1 AND ext = $2 AND state = 'approved' LIMIT 1",
    )
    .bind(sha)
    .bind(ext)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(missing)?;
    file(&state, sha, ext, req).await
}

/// A stored clip's bytes (`sha.ext`) answering `req`: ranges (206 with
/// Content-Range) by tower-http, the content hash as a strong ETag, so
/// If-None-Match and If-Range work the same from every hub process. The
/// caller has checked that the asker may have it (here: approved; the
/// citizens' pages: public in their area).
pub async fn file(state: &AppState, sha: &str, ext: &str, req: Request) -> HubResult<Response> {
    let path = super::blobs::local(state, sha, ext).await?;
    // The validator is the content hash, the same from every process (the
    // file's own mtime differs between processes' caches).
    let etag = format!("\"{sha}\"");
    let mut req = req;
    let h = req.headers_mut();
    let matches = |v: Option<&HeaderValue>| {
        v.and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    };
    if matches(h.get(header::IF_NONE_MATCH)) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut().insert(
            header::ETAG,
            HeaderValue::from_str(&etag).map_err(HubError::internal)?,
        );
        return Ok(r);
    }
    if h.contains_key(header::IF_RANGE) && !matches(h.get(header::IF_RANGE)) {
        h.remove(header::RANGE);
    }
    for k in [
        header::IF_RANGE,
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
        header::IF_MATCH,
        header::IF_UNMODIFIED_SINCE,
    ] {
        h.remove(k);
    }
    let mut r = tower_http::services::ServeFile::new(path)
        .oneshot(req)
        .await
        .map_err(HubError::internal)?;
    let h = r.headers_mut();
    h.remove(header::LAST_MODIFIED);
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(HubError::internal)?,
    );
    Ok(r.map(Body::new))
}
