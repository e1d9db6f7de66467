//! The hub's web pages (HUB.md "Pages"): server-rendered with maud (compile-
//! checked templates that escape every value), Vietnamese first with an
//! English switch, usable on a 360 px phone, no asset from outside the hub
//! (one stylesheet, `/static/style.css`, cached; small same-origin scripts only as enhancement). Forms are normal HTML forms posting
//! to the same origin, so the core's cross-site guard lets them through.
//! Handlers call the same services as the JSON API (`hub::clips`,
//! `hub::broadcasts`, `hub::users`, `hub::audit`), which check role and
//! scope; a refusal becomes a readable page with the same status.
//!
//! ```text
//! i18n.rs        Lang (?lang=, cookie, config), /lang switch, HUB.md's words
//! layout.rs      the frame (head, top bar, navigation), badges, times
//! css/           the stylesheet: base.css, then one file per area
//! confirm.rs     the confirm step before a dangerous action (works without script)
//! home.rs        / (trang chủ: one section per role: operator, approver, editor, admin)
//! now.rs         a station now (on air, next today), /stations/{id}/now, /static/live.js
//! ctx.rs         Staff extractor (sign-in redirects), error pages
//! service.rs     thin services the core lacks (password change, accounts)
//! signin.rs      /login, /password (one-time password), /logout
//! clips.rs       /clips (search, paging), /clips/{id}, life-cycle actions
//! clip_card.rs   a clip as a card (approved by/when, a station's own), its buttons
//! upload.rs      /clips/new (tải lên), /clips/{id}/edit (fix a rejected clip)
//! tts.rs         /clips/tts (soạn bản tin bằng chữ), /clips/tts/preview (nghe thử)
//! upload_js.rs   /static/upload.js (the upload forms' progress bar)
//! queue.rs       /queue (chờ duyệt)
//! broadcasts.rs  /broadcasts (phát ngay: propose, decide)
//! accounts.rs    /accounts (admins); account_edit.rs /accounts/{id} (edit,
//!                reset password, disable); account_words.rs reach in words, pick lists
//! audit.rs       /audit (admins)
//! stations.rs    /stations, /stations/{id} (đài truyền thanh xã, today's as-run)
//! chain.rs       the station page's acknowledged as-run breaks; an admin acknowledges one
//! timetable.rs   /stations/{id}/programs (lịch phát sóng: status, week picture,
//!                programs, phát ngay / dừng phát); timetable_edit.rs the editor;
//!                timetable_restore.rs "Khôi phục" a deleted program from the history
//! program_edit.rs the program form; week.rs the week picture (pure renders)
//! reports.rs     /reports (báo cáo: filter form, table, SVG chart, CSV/XLSX links)
//! public_*.rs    the citizens' pages, no sign-in (issue 21): public_list.rs
//!                /p/{area} (nghe lại), public_item.rs a bulletin, podcast.rs
//!                /p/{area}/podcast.xml, public_embed.rs /p/{area}/nhung,
//!                public_board.rs /p/{area}/bang-tin, public_audio.rs the
//!                audio, public_frame.rs their frame and /static/public.css
//! ```

mod account_edit;
mod account_words;
mod accounts;
mod audit;
mod audit_words;
mod broadcasts;
mod chain;
mod clip_card;
mod clips;
mod confirm;
mod ctx;
mod days_words;
mod home;
mod i18n;
mod layout;
mod now;
mod podcast;
mod program_edit;
mod public_audio;
mod public_board;
mod public_embed;
mod public_frame;
mod public_item;
mod public_list;
mod queue;
mod reports;
mod service;
mod signin;
mod stations;
mod timetable;
mod timetable_edit;
mod timetable_restore;
mod tts;
mod upload;
mod upload_js;
pub mod week;
mod week_frame;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use super::app::AppState;

/// The pages' routes, merged into the app by `hub::app::router`.
pub fn routes(state: &AppState) -> Router<AppState> {
    // Room for the form's text fields on top of the file itself (as the API).
    let limit =
        usize::try_from(state.cfg.max_upload.saturating_add(1024 * 1024)).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(home::show))
        .route("/static/live.js", get(now::script))
        .route("/stations/{id}/now", get(now::fragment))
        .route("/lang", get(i18n::switch))
        .route("/static/style.css", get(layout::stylesheet))
        .route("/login", get(signin::show).post(signin::submit))
        .route(
            "/password",
            get(signin::password_form).post(signin::password_submit),
        )
        .route("/logout", post(signin::logout))
        .route("/clips", get(clips::list))
        .route(
            "/clips/new",
            get(upload::show)
                .post(upload::submit)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .route("/static/upload.js", get(upload_js::serve))
        .route("/clips/tts", get(tts::show).post(tts::submit))
        .route("/clips/tts/preview", post(tts::preview))
        .route(
            "/clips/{id}/edit",
            get(upload::edit)
                .post(upload::resubmit)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .route("/clips/{id}", get(clips::one))
        .route("/clips/{id}/{action}", post(clips::act))
        .route("/queue", get(queue::show))
        .route(
            "/broadcasts",
            get(broadcasts::list).post(broadcasts::propose),
        )
        .route("/broadcasts/{id}/{action}", post(broadcasts::act))
        .route("/accounts", get(accounts::show).post(accounts::create))
        .route(
            "/accounts/{id}",
            get(account_edit::show).post(account_edit::save),
        )
        .route("/accounts/{id}/{action}", post(account_edit::act))
        .route("/audit", get(audit::show))
        .route("/stations", get(stations::list))
        .route("/stations/{id}", get(stations::one))
        .route("/stations/{id}/acknowledge", post(chain::acknowledge))
        .route("/stations/{id}/programs", get(timetable::show))
        .route(
            "/stations/{id}/programs/edit",
            get(timetable_edit::show).post(timetable_edit::submit),
        )
        .route(
            "/stations/{id}/programs/delete",
            post(timetable_edit::delete),
        )
        .route(
            "/stations/{id}/programs/restore",
            post(timetable_restore::restore),
        )
        .route("/stations/{id}/{action}", post(timetable::remote))
        .route("/reports", get(reports::show))
        .route("/static/public.css", get(public_frame::stylesheet))
        .route("/static/board.js", get(public_board::script))
        .route("/p/{area}", get(public_list::show))
        .route("/p/{area}/podcast.xml", get(podcast::show))
        .route("/p/{area}/nhung", get(public_embed::show))
        .route("/p/{area}/bang-tin", get(public_board::show))
        .route("/p/{area}/audio/{file}", get(public_audio::serve))
        .fallback(ctx::fallback)
}
