//! The running hub: shared state (`AppState`), the router (API, pages, the
//! feed folder), and serving until SIGTERM/SIGINT with `Type=notify` READY
//! (the connection limits and security headers are `http/`'s).
//!
//! Handlers get everything through `State<AppState>`; nothing here knows a
//! route's business (that is the services: `clips`, `broadcasts`, `users`…).

use std::sync::{Arc, RwLock};

use axum::Router;
use minisign::SecretKey;
use tokio::sync::Mutex;
use tower_http::services::ServeDir;

use super::areas::{self, AreaTree};
use super::audit;
use super::config::HubConfig;
use super::db::Db;
use super::error::{HubError, HubResult};

/// What every handler and service shares; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<HubConfig>,
    pub db: Db,
    pub areas: Arc<RwLock<AreaTree>>,
    /// The feed signing key (loaded, decrypted, at start).
    pub key: Arc<SecretKey>,
    /// Serialises audit appends in this process.
    pub audit_lock: Arc<Mutex<()>>,
    /// Serialises feed publishing in this process (`store::lock_feed` across processes).
    pub publish_lock: Arc<Mutex<()>>,
    /// Station nudges and the shutdown of their streams (`nudge.rs`).
    pub link: Arc<super::nudge::LinkHub>,
}

impl AppState {
    /// Open the database (migrating it) and load the key and the area tree.
    pub async fn open(cfg: HubConfig) -> HubResult<AppState> {
        let db = Db::open(&cfg.database).await?;
        let key_path = cfg.key.clone();
        let key = tokio::task::spawn_blocking(move || {
            crate::feed::sign::load_secret_key(&key_path, credential_password())
        })
        .await
        .map_err(HubError::internal)?
        .map_err(HubError::internal)?;
        let tree = areas::load(&db).await?;
        // The sequence the database serves (every process the same).
        let seq = super::store::latest(&db).await?.map_or(0, |m| m.sequence);
        Ok(AppState {
            link: super::nudge::LinkHub::new(seq),
            cfg: Arc::new(cfg),
            db,
            areas: Arc::new(RwLock::new(tree)),
            key: Arc::new(key),
            audit_lock: Arc::new(Mutex::new(())),
            publish_lock: Arc::new(Mutex::new(())),
        })
    }

    /// Append an audit row.
    pub async fn audit(&self, e: audit::Event) -> HubResult<()> {
        audit::append(&self.db, &self.audit_lock, e).await
    }

    /// The area tree, re-read from the database first when it lacks one of
    /// `codes` (an import made while the hub runs).
    pub async fn area_tree(&self, codes: &[String]) -> HubResult<AreaTree> {
        {
            let t = self.areas.read().map_err(HubError::internal)?;
            if codes.iter().all(|c| t.contains(c)) {
                return Ok(t.clone());
            }
        }
        let fresh = areas::load(&self.db).await?;
        *self.areas.write().map_err(HubError::internal)? = fresh.clone();
        Ok(fresh)
    }
}

/// The key's password from a systemd credential (`LoadCredential=loa-key-password`),
/// else `LOA_KEY_PASSWORD` (read by `load_secret_key`).
fn credential_password() -> Option<String> {
    let dir = std::env::var_os("CREDENTIALS_DIRECTORY")?;
    let p = std::path::Path::new(&dir).join("loa-key-password");
    std::fs::read_to_string(p)
        .ok()
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
}

/// Every route of the hub.
pub fn router(state: AppState) -> Router {
    let feed = ServeDir::new(state.cfg.feed_dir());
    Router::new()
        .nest("/api/v1", super::api::routes(&state))
        .merge(super::pages::routes(&state))
        .merge(super::store::serve::routes())
        .nest_service("/feed", feed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::csrf::guard,
        ))
        // Outermost: a foreign Host never reaches the cross-site check, and
        // every answer (refusals too) carries the security headers.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::http::host::guard,
        ))
        .layer(axum::middleware::from_fn(super::http::headers::set))
        .with_state(state)
}

/// Each station holds an events stream (one socket): raise the soft limit of
/// open files to the hard one (systemd sets both with `LimitNOFILE=`, and
/// its seccomp filter refuses this call, which is then harmless).
fn raise_open_files() {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain getrlimit/setrlimit on a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 && r.rlim_cur < r.rlim_max {
            r.rlim_cur = r.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &r);
        }
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 && r.rlim_cur < 4096 {
            tracing::warn!(
                "hub: only {} open files allowed: each station's events stream takes one; raise LimitNOFILE= / ulimit -n",
                r.rlim_cur
            );
        }
    }
}

/// Serve until SIGTERM or SIGINT; tell systemd READY once listening.
pub async fn serve(state: AppState) -> HubResult<()> {
    raise_open_files();
    // What a crash left is mended before anyone can connect.
    super::recover::at_start(&state).await?;
    let listen = state.cfg.listen;
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        HubError::internal(format!(
            "cannot listen on {listen}: {e}; change [hub] listen or stop what uses the port"
        ))
    })?;
    let local = listener.local_addr()?;
    super::publish::ensure_fresh(&state).await?;
    let refresher = tokio::spawn(super::publish::refresh_loop(state.clone()));
    let follower = tokio::spawn(super::store::cache::follow(state.clone()));
    let listener_task = (state.db.dialect == super::db::Dialect::Postgres).then(|| {
        tokio::spawn(super::nudge::listen(
            state.cfg.database.clone(),
            state.link.clone(),
        ))
    });
    let app = router(state.clone());
    tracing::info!("loa hub: listening on {local} ({})", state.cfg.public_url);
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
    let limits = state.cfg.limits;
    let per_address = super::http::per_address::PerAddress::new(
        limits.max_connections_per_address,
        &state.cfg.trusted_proxies,
    );
    super::http::serve::serve(listener, app, limits, per_address, {
        let link = state.link.clone();
        async move {
            shutdown().await;
            // Open event streams would hold the shutdown forever (axum#2673).
            link.stop();
        }
    })
    .await;
    refresher.abort();
    follower.abort();
    if let Some(t) = listener_task {
        t.abort();
    }
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    tracing::info!("loa hub: stopped");
    Ok(())
}

async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
