//! `loa hub restore SRC`: a backup (see mod.rs) onto a fresh state folder
//! and, for PostgreSQL, an empty database; never over an existing hub. Then
//! the sequence floors (`RESTORE_GAP` past the highest sequence the backup
//! knows of), so the restored hub's first manifest and programs documents
//! are above anything the old hub handed out, and an audit row.

use std::path::Path;

use serde_json::json;

use super::{fail, files, highest, shown, Info, CLIPS_DIR, FORMAT, INFO_FILE, KEY_FILE};
use crate::hub::config::HubConfig;
use crate::hub::db::{col, Db, Dialect};
use crate::hub::error::HubResult;
use crate::hub::store::{raise_meta, FEED_FLOOR, PROGRAMS_FLOOR};

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub info: Info,
    /// The restored hub publishes its feed above this…
    pub feed_floor: u64,
    /// …and every station's programs above this.
    pub programs_floor: u64,
}

fn read_info(src: &Path) -> HubResult<Info> {
    let path = src.join(INFO_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        fail(
            format!("{} không phải bản sao lưu của loa hub (thiếu {INFO_FILE}: {e})", shown(src).display()),
            format!("{} is not a finished loa hub backup (no {INFO_FILE}: {e}); give the folder `loa hub backup` made", shown(src).display()),
        )
    })?;
    let info: Info = serde_json::from_str(&text).map_err(|e| {
        fail(
            format!("{} hỏng: {e}", path.display()),
            format!("{} is damaged: {e}", path.display()),
        )
    })?;
    if info.loa_hub_backup != FORMAT {
        return Err(fail(
            format!("bản sao lưu dạng {} không được hỗ trợ", info.loa_hub_backup),
            format!(
                "backup format {} is not supported by this loa ({}); use the loa that made it",
                info.loa_hub_backup,
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    for (name, sha) in &info.files {
        let got = files::sha256_file(&src.join(name)).map_err(|e| {
            fail(
                format!("thiếu {name} trong bản sao lưu: {e}"),
                format!("{name} is missing from the backup: {e}"),
            )
        })?;
        if &got != sha {
            return Err(fail(
                format!("{name} trong bản sao lưu bị hỏng"),
                format!("{name} in the backup is damaged (its hash does not match backup.json)"),
            ));
        }
    }
    Ok(info)
}

/// Restore the backup in `src` onto the fresh hub `cfg` describes.
pub async fn restore(cfg: &HubConfig, src: &Path) -> HubResult<Restored> {
    let info = read_info(src)?;
    let dialect = if cfg.database.starts_with("sqlite:") {
        Dialect::Sqlite
    } else {
        Dialect::Postgres
    };
    if info.dialect != super::dialect_name(dialect) {
        return Err(fail(
            format!(
                "bản sao lưu là của {}, còn [hub] database trong cấu hình là {}",
                info.dialect,
                super::dialect_name(dialect)
            ),
            format!(
                "the backup is of a {} hub but the config's [hub] database is {}: set database to match",
                info.dialect,
                super::dialect_name(dialect)
            ),
        ));
    }
    files::fresh_folder(&cfg.state, "[hub] state").map_err(|_| {
        fail(
            format!(
                "{} đã có dữ liệu: khôi phục không ghi đè; đặt [hub] state là một thư mục mới",
                shown(&cfg.state).display()
            ),
            format!(
                "{} is not empty: restore never overwrites a hub; point [hub] state at a new folder",
                shown(&cfg.state).display()
            ),
        )
    })?;
    let key_sha = info.files.get(KEY_FILE).cloned().unwrap_or_default();
    if cfg.key.exists() && files::sha256_file(&cfg.key)? != key_sha {
        return Err(fail(
            format!("{} đã có một khóa khác: không ghi đè", cfg.key.display()),
            format!(
                "{} already holds another key: nothing is overwritten; move it away or set [hub] key elsewhere",
                cfg.key.display()
            ),
        ));
    }
    if dialect == Dialect::Postgres {
        empty_database(&cfg.database).await?;
    }

    for d in [cfg.state.clone(), cfg.uploads_dir(), cfg.tmp_dir()] {
        std::fs::create_dir_all(&d)?;
    }
    files::private(&cfg.state, 0o750)?;
    if !cfg.key.exists() {
        if let Some(dir) = cfg.key.parent() {
            std::fs::create_dir_all(dir)?;
        }
        files::copy_synced(&src.join(KEY_FILE), &cfg.key)?;
        files::private(&cfg.key, 0o600)?;
    }
    match dialect {
        Dialect::Sqlite => {
            let file = cfg.database.trim_start_matches("sqlite://");
            let file = file.split('?').next().unwrap_or(file);
            files::copy_synced(&src.join(&info.database), Path::new(file))?;
            files::private(Path::new(file), 0o640)?;
        }
        Dialect::Postgres => {
            let dump = src.join(&info.database).to_string_lossy().into_owned();
            files::run(
                "pg_restore",
                &[
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    cfg.database.as_str(),
                    dump.as_str(),
                ],
            )?;
        }
    }
    if src.join(CLIPS_DIR).is_dir() {
        files::copy_clips(&src.join(CLIPS_DIR), &cfg.uploads_dir())?;
    }

    // The schema of this loa, then the floors.
    let db = Db::open(&cfg.database).await?;
    let (feed, programs) = highest(&db).await?;
    let feed = feed.max(info.feed_sequence);
    let programs = programs.max(info.programs_sequence);
    let (feed_floor, programs_floor) = (feed + super::RESTORE_GAP, programs + super::RESTORE_GAP);
    let mut tx = db.begin_write().await?;
    raise_meta(&mut tx, FEED_FLOOR, feed_floor as i64).await?;
    raise_meta(&mut tx, PROGRAMS_FLOOR, programs_floor as i64).await?;
    let ev = crate::hub::audit::Event {
        actor: format!(
            "cli:{}",
            std::env::var("SUDO_USER")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_else(|_| "?".into())
        ),
        address: "local".into(),
        action: "restore".into(),
        target: "hub".into(),
        before: String::new(),
        after: json!({
            "backup": info.created_at,
            "from": shown(src).display().to_string(),
            "feed_floor": feed_floor,
            "programs_floor": programs_floor,
        })
        .to_string(),
    };
    crate::hub::audit::append_in(db.dialect, &mut tx, &ev).await?;
    tx.commit().await?;
    Ok(Restored {
        info,
        feed_floor,
        programs_floor,
    })
}

/// PostgreSQL: the target database must hold no tables.
async fn empty_database(url: &str) -> HubResult<()> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .map_err(|e| {
            fail(
                format!("không mở được cơ sở dữ liệu: {e}"),
                format!(
                    "cannot open the database {}: {e}; create an empty one first (createdb)",
                    crate::hub::db::redact(url)
                ),
            )
        })?;
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&pool)
    .await?;
    let n: i64 = col(&r, "n")?;
    pool.close().await;
    if n > 0 {
        return Err(fail(
            "cơ sở dữ liệu đích đã có bảng: khôi phục không ghi đè",
            format!(
                "the database {} already has tables: restore never overwrites; give an empty database (createdb)",
                crate::hub::db::redact(url)
            ),
        ));
    }
    Ok(())
}
