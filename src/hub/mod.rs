//! `loa hub`: the provincial hub of HUB.md — accounts, roles and area scope,
//! clip upload and approval, pushed broadcasts, the signed feed, the audit log.
//! Built only with the `hub` Cargo feature (default on); the station daemon
//! never touches this module, so `loa run` pays nothing for it.
//!
//! # Module map
//!
//! ```text
//! cli.rs        `loa hub init | run | user add | areas import` (clap + what each does)
//! config.rs     hub.toml ([hub] table), diagnostics as file:line:col
//! app.rs        AppState (config, Db, area tree, signing key, locks), router(), serve()
//! db.rs         Db = sqlx AnyPool + dialect; migrations (migrations/{sqlite,postgres})
//! error.rs      HubError: every refusal -> status + {"error","reason","reason_en"}
//! http/         below the routes: serving with header / idle / progress timeouts,
//!               connections per address, Host and Origin names, security headers (CSP)
//! outage.rs     database out of reach -> 503, disk full -> 507 (what `?` maps to)
//! recover.rs    at start: what a crash left (cut-off uploads, clip files no row
//!               names) is cleaned; the feed itself is reconciled by publish.rs
//! fault.rs      test hook: LOA_HUB_FAULT=POINT kills the hub there (crash tests)
//! auth/         password (argon2id, 2 checks at once), session (cookie, CurrentUser/SignedIn/ClientAddr
//!               extractors), ratelimit (failed logins, 429), csrf (cross-site refusal)
//! users.rs      accounts and roles (service; admins create accounts)
//! areas.rs      administrative units, scope (`covers`), CSV import, bundled demo list
//! audit.rs      the chained audit log: append, list, verify
//! scope.rs      role and area-scope rules every service applies (403 with a reason):
//!               who sees an item (`sees`), who may make an account (`may_grant`)
//! upload.rs     multipart streamed to STATE/tmp, format sniffed, decoded and measured
//! measure.rs    an upload's cost bounded: declared length first, max_duration, one decode queue
//! lifecycle.rs  the one life cycle of clips and broadcasts: who decides, refusals,
//!               the audited transition, the feed re-signed
//! clips.rs      clip service: create from an upload, submit, visibility
//! broadcasts.rs pushed broadcasts service (proposal; approval waits for its clips)
//! publish.rs    the feed: manifest of approved items, signed under a cross-process
//!               lock, stored in the database; reconcile() heals a missed re-sign
//! store/        what the hub publishes, in the database (manifests, clip bytes),
//!               served from it at /feed/; STATE/feed/ is a cache of it
//! backup/       `loa hub backup DEST` / `loa hub restore SRC` (sequence floors)
//! stations.rs   stations: `station add` (enrolment code), enrol (token), StationAuth
//! heartbeat.rs  station heartbeats (shape check, online by the hub's clock), stations list
//! asrun.rs      stations' as-run lines: chain checked across uploads, breaks flagged
//! chain.rs      an admin acknowledges a break (on record for good); the chain resumes
//! reports.rs    as-run report: rows, summary, CSV (BOM, formulas defused); chart.rs its SVG;
//!               xlsx.rs its Excel workbook (summary and detail sheets);
//!               report_words.rs the exports' words in the reader's language
//! nudge.rs      new feed sequence -> every events stream (LISTEN/NOTIFY across processes)
//! timetable/    each station's programs from the hub: check, sign, publish; play now / stop
//! api/          JSON handlers under /api/v1, one file per resource
//! pages/        server-rendered pages (`pages::routes()`, merged by app::router)
//! ```
//!
//! # How to add a route
//!
//! Add a handler in the resource's file under `api/` (or `pages/`) and list it
//! in that file's `routes()`; `api::routes()` merges them under `/api/v1`. Paths
//! use axum 0.8 syntax (`/clips/{id}`). Handlers return `HubResult<T>`: a
//! `HubError` becomes the right status with a JSON reason (pages may map it to
//! HTML instead: `HubError::status()` and `reason()` are public).
//!
//! # How to get the current user
//!
//! Take `CurrentUser` as an argument (it derefs to `users::User`: `roles`,
//! `areas`, `stations`, `has(Role::Approver)`); a request without a valid
//! session is refused with 401, and a user who must still change a one-time
//! password with 403. `SignedIn` accepts that user too (password change page).
//! `ClientAddr` gives the client's address for the audit log. State-changing
//! requests from another site never reach a handler (auth/csrf.rs).
//!
//! # How to call services
//!
//! Business rules live in the services, never in handlers, so the JSON API and
//! the pages share them: e.g. `lifecycle::approve::<ClipInfo>(&state, &user, &addr, id)`,
//! `clips::list(&state, &user, filter)`, `users::add(&state.db, new)`. Each checks
//! role and scope itself and writes its audit row (`state.audit(event)`).
//!
//! # How tests start a hub
//!
//! `tests/common/hub.rs`: `Hub::start(Backend::Sqlite)` (or `Backend::Postgres`,
//! a private cluster from `tests/common/hub_pg.rs`) writes a hub.toml in a temp
//! folder, runs the real `loa hub init --json` and `loa hub run` on a free port,
//! waits for it to answer, and gives a small HTTP client with cookies
//! (`hub.login("name", "pw")`, `client.post_json(...)`). `hub.add_user(...)`
//! runs `loa hub user add --password-stdin --json`.

pub mod api;
pub mod app;
pub mod areas;
pub mod asrun;
pub mod audit;
pub mod audit_query;
pub mod auth;
pub mod backup;
pub mod broadcasts;
pub mod chain;
pub mod chart;
pub mod cli;
pub mod clip_edit;
pub mod clip_list;
pub mod clips;
pub mod config;
pub mod db;
pub mod error;
pub mod fault;
pub mod heartbeat;
pub mod http;
pub mod lifecycle;
pub mod local_clips;
pub mod measure;
pub mod nudge;
pub mod outage;
pub mod pages;
pub mod pending;
pub mod program_form;
pub mod public;
pub mod publish;
pub mod recover;
pub mod refusal;
pub mod report_words;
pub mod reports;
pub mod scope;
pub mod stations;
pub mod store;
pub mod timetable;
pub mod tts;
pub mod upload;
pub mod user_admin;
pub mod users;
pub mod xlsx;

pub use app::AppState;
pub use error::{HubError, HubResult};
