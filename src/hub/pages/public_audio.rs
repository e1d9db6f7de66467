//! `GET /p/{area}/audio/{id}.{ext}`: a public bulletin's audio for citizens
//! and podcast apps — only a clip `hub::public` lists for the area (else a
//! 404 like any missing file), streamed with ranges (206 + Content-Range:
//! players seek, downloads resume on 3G) by the store's file server, with
//! its content type and a day's cache (the bytes never change: the address
//! names the clip and the ETag is its content hash).

use axum::extract::{Path, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

use crate::hub::app::AppState;
use crate::hub::clips::mime;
use crate::hub::error::{HubError, HubResult};
use crate::hub::public;

async fn answer(state: &AppState, area: &str, file: &str, req: Request) -> HubResult<Response> {
    let missing = || HubError::not_found("err-public-no-file");
    let (id, ext) = file.rsplit_once('.').ok_or_else(missing)?;
    let (tree, _) = public::area(state, area).await?;
    let c = public::one(state, &tree, area, id).await?;
    if c.format != ext {
        return Err(missing());
    }
    let mut r = crate::hub::store::serve::file(state, &c.sha256, &c.format, req).await?;
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(mime(&c.format)));
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(r)
}

/// `GET /p/{area}/audio/{file}`.
pub async fn serve(
    State(state): State<AppState>,
    Path((area, file)): Path<(String, String)>,
    req: Request,
) -> Response {
    match answer(&state, &area, &file, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}
