//! `GET /api/v1/reports/asrun?from=&to=&area=&station=&category=&format=json|csv|svg|xlsx`:
//! the as-run report (rules in `hub::reports`, the chart in `hub::chart`),
//! for any signed-in account, inside its scope. CSV, XLSX and SVG speak the
//! reader's language (`?lang=`, the language cookie, else the hub's).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::hub::app::AppState;
use crate::hub::auth::CurrentUser;
use crate::hub::error::{HubError, HubResult};
use crate::hub::reports::{self, Query as ReportQuery};
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/asrun", get(asrun))
}

async fn asrun(
    State(state): State<AppState>,
    user: CurrentUser,
    lang: Lang,
    Query(q): Query<ReportQuery>,
) -> HubResult<Response> {
    let rep = reports::build(&state, &user, &q).await?;
    let res = respond(rep, q.format.as_deref().unwrap_or("json"), lang);
    reports::give_back_memory();
    res
}

/// The report in `format` (CSV, XLSX and SVG in the reader's language `l`);
/// `rep` is dropped before the body goes out.
fn respond(rep: reports::Report, format: &str, l: Lang) -> HubResult<Response> {
    let name = format!("bao-cao-phat-song-{}-{}", rep.from, rep.to);
    Ok(match format {
        "json" => Json(rep).into_response(),
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            reports::csv(&rep, l),
        )
            .into_response(),
        "xlsx" => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
            ],
            crate::hub::xlsx::xlsx(&rep, l)?,
        )
            .into_response(),
        "svg" => (
            [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
            crate::hub::chart::svg(&rep, l),
        )
            .into_response(),
        other => {
            return Err(HubError::bad_request("err-format-not-offered-json-csv").arg("other", other))
        }
    })
}
