//! The `loa hub …` commands: `init`, `run`, `user add`, `areas import`,
//! `station add`, `backup`, `restore`.
//! Argument definitions (clap) and what each does; exit status 0 success,
//! 1 failure, 2 usage or an invalid config (SPEC.md).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;
use tokio::sync::Mutex;

use super::areas;
use super::audit::{self, Event};
use super::config::{self, HubConfig, DEFAULT_CONFIG};
use super::db::Db;
use super::error::HubError;
use super::users::{self, NewUser, Role};

#[derive(Subcommand, Debug)]
pub enum HubCommand {
    /// Create the state folder, database, signing key and first admin account (never overwrites).
    Init {
        /// Print {"url", "user", "password", "public_key"} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the pages, the API and the feed until SIGTERM.
    Run,
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Administrative units (code, name, parent) for scopes and names.
    #[command(subcommand)]
    Areas(AreasCommand),
    /// Loudspeaker stations.
    #[command(subcommand)]
    Station(StationCommand),
    /// Copy the database (a consistent snapshot, while the hub runs), the signing key and the clips into the new folder DEST.
    Backup {
        /// A new (or empty) folder.
        dest: PathBuf,
    },
    /// Restore a backup onto the fresh state folder (and, for PostgreSQL, the empty database) the config names.
    Restore {
        /// The folder `loa hub backup` made.
        src: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum StationCommand {
    /// Register a station; prints a one-time enrolment code (valid 7 days) for `loa enroll`.
    Add {
        /// The station's id, [a-z0-9-]+.
        id: String,
        /// Its name, e.g. "Đài truyền thanh xã Phước Dinh".
        #[arg(long)]
        name: String,
        /// Administrative codes it answers to, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        areas: Vec<String>,
        /// Print {"station", "code"} as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Make an account; prints a one-time password (changed at first sign-in).
    Add {
        name: String,
        /// admin, editor, approver, operator, viewer (comma-separated for several).
        #[arg(long, value_delimiter = ',', required = true)]
        role: Vec<String>,
        /// Administrative codes the account serves, comma-separated.
        #[arg(long, value_delimiter = ',')]
        areas: Vec<String>,
        /// Station ids an operator runs, comma-separated.
        #[arg(long, value_delimiter = ',')]
        stations: Vec<String>,
        /// Read the password from stdin instead of making a one-time one (for scripts).
        #[arg(long)]
        password_stdin: bool,
        /// Print {"user", "password"} as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AreasCommand {
    /// Load or update units from a CSV file: code,name,parent (header optional).
    Import { file: PathBuf },
}

/// The hub config path: `--config` when given on the command line, else
/// `$LOA_HUB_CONFIG`, else /etc/loa/hub.toml (the global `--config` default
/// and `$LOA_CONFIG` name the station's config, not the hub's).
pub fn config_path(given: &Path) -> PathBuf {
    let explicit = std::env::args().any(|a| a == "--config" || a.starts_with("--config="));
    if explicit {
        given.to_path_buf()
    } else {
        std::env::var_os("LOA_HUB_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG))
    }
}

/// Run one `loa hub` command.
pub fn dispatch(config_file: &Path, cmd: HubCommand) -> anyhow::Result<ExitCode> {
    // The database holds password hashes and the state the signing key:
    // nothing the hub creates is readable by others.
    // SAFETY: umask only sets the process's file-creation mask.
    unsafe {
        libc::umask(0o027);
    }
    let cfg = match config::load(config_file) {
        Ok(c) => c,
        Err(diags) => return Ok(crate::cli::print_invalid(&diags)),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(async move {
        match cmd {
            HubCommand::Init { json } => init(cfg, json).await,
            HubCommand::Run => {
                let state = super::app::AppState::open(cfg).await?;
                super::app::serve(state).await?;
                Ok(ExitCode::SUCCESS)
            }
            HubCommand::User(UserCommand::Add {
                name,
                role,
                areas,
                stations,
                password_stdin,
                json,
            }) => user_add(cfg, name, role, areas, stations, password_stdin, json).await,
            HubCommand::Areas(AreasCommand::Import { file }) => areas_import(cfg, &file).await,
            HubCommand::Station(StationCommand::Add {
                id,
                name,
                areas,
                json,
            }) => station_add(cfg, id, name, areas, json).await,
            HubCommand::Backup { dest } => backup(cfg, &dest).await,
            HubCommand::Restore { src } => restore(cfg, &src).await,
        }
    });
    match result {
        Ok(code) => Ok(code),
        Err(CliError::Usage(m)) => {
            eprintln!("loa hub: {m}");
            Ok(ExitCode::from(2))
        }
        Err(CliError::Hub(e)) => {
            let msg = match &e {
                HubError::Internal(d) => d.clone(),
                other => other.reason().text(crate::i18n::Lang::En),
            };
            eprintln!("loa hub: {msg}");
            Ok(ExitCode::from(1))
        }
    }
}

#[derive(Debug)]
enum CliError {
    Usage(String),
    Hub(HubError),
}

impl From<HubError> for CliError {
    fn from(e: HubError) -> CliError {
        CliError::Hub(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError::Hub(e.into())
    }
}

fn cli_event(action: &str, target: String, after: String) -> Event {
    let who = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "?".into());
    Event {
        actor: format!("cli:{who}"),
        address: "local".into(),
        action: action.into(),
        target,
        before: String::new(),
        after,
    }
}

async fn init(cfg: HubConfig, as_json: bool) -> Result<ExitCode, CliError> {
    let db_file = cfg.database.strip_prefix("sqlite://").map(PathBuf::from);
    if db_file.as_ref().is_some_and(|f| f.exists()) || cfg.feed_dir().exists() {
        return Err(CliError::Hub(HubError::internal(format!(
            "{} is already initialised (it has a database or a feed): init never overwrites; \
             use another [hub] state folder, or move this one away",
            cfg.state.display()
        ))));
    }
    for d in [cfg.state.clone(), cfg.uploads_dir(), cfg.tmp_dir()] {
        std::fs::create_dir_all(&d)?;
    }
    let db = Db::open(&cfg.database).await?;
    let existing: i64 = {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&db.pool)
            .await
            .map_err(HubError::from)?;
        super::db::col(&row, "n")?
    };
    if existing > 0 {
        return Err(CliError::Hub(HubError::internal(
            "the database already has accounts: init never overwrites; use an empty database",
        )));
    }
    // The signing key: the one `key` names if it exists, else a new one.
    if !cfg.key.exists() {
        let dir = cfg.key.parent().unwrap_or(&cfg.state).to_path_buf();
        let unencrypted = std::env::var_os(crate::feed::sign::PASSWORD_ENV).is_none();
        let made = crate::feed::keygen::keygen(&dir, unencrypted, None)
            .map_err(|e| HubError::internal(format!("cannot make the signing key: {e}")))?;
        if made.secret_key != cfg.key {
            std::fs::rename(&made.secret_key, &cfg.key)?;
        }
    }
    let list = areas::parse_csv(areas::BUNDLED_CSV).map_err(HubError::internal)?;
    areas::import(&db, &list).await?;
    let lock = Mutex::new(());
    let (admin, password) = users::add(
        &db,
        NewUser {
            name: "admin".into(),
            roles: vec![Role::Admin],
            areas: vec![],
            stations: vec![],
            password: None,
        },
    )
    .await?;
    audit::append(
        &db,
        &lock,
        cli_event(
            "init",
            "hub".into(),
            json!({"admin": admin.name}).to_string(),
        ),
    )
    .await?;
    drop(db);
    let state = super::app::AppState::open(cfg.clone()).await?;
    super::publish::publish_now(&state).await?;
    let public_key = crate::feed::sign::public_key_of(&state.key).map_err(HubError::internal)?;
    let url = cfg.public_url.clone();
    if as_json {
        println!(
            "{}",
            json!({"url": url, "user": admin.name, "password": password, "public_key": public_key})
        );
    } else {
        println!(
            "loa hub: khởi tạo xong / initialised {}",
            cfg.state.display()
        );
        println!("  địa chỉ / URL:                    {url}");
        println!("  tài khoản quản trị / admin:       {}", admin.name);
        println!("  mật khẩu dùng một lần / password: {password}  (đổi khi đăng nhập lần đầu / change it at first sign-in)");
        println!("  khóa công khai của bản tin / feed public key: {public_key}");
        println!("  trạm đài / stations: [feed] url = \"{url}/feed/manifest.json\", public_key = \"{public_key}\"");
    }
    Ok(ExitCode::SUCCESS)
}

async fn user_add(
    cfg: HubConfig,
    name: String,
    role: Vec<String>,
    areas_list: Vec<String>,
    stations: Vec<String>,
    password_stdin: bool,
    as_json: bool,
) -> Result<ExitCode, CliError> {
    let mut roles = vec![];
    for r in &role {
        let r: Role = r.parse().map_err(CliError::Usage)?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    let password = if password_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Some(s.trim_end_matches(['\n', '\r']).to_string())
    } else {
        None
    };
    let db = Db::open(&cfg.database).await?;
    let tree = areas::load(&db).await?;
    areas::check_known(&tree, &areas_list)?;
    let (user, password) = users::add(
        &db,
        NewUser {
            name,
            roles,
            areas: areas_list,
            stations,
            password,
        },
    )
    .await?;
    let lock = Mutex::new(());
    audit::append(
        &db,
        &lock,
        cli_event(
            "user_add",
            format!("user:{}", user.name),
            serde_json::to_string(&user).unwrap_or_default(),
        ),
    )
    .await?;
    if as_json {
        println!("{}", json!({"user": user.name, "password": password}));
    } else if user.must_change_password {
        println!(
            "tài khoản / account {}: mật khẩu dùng một lần / one-time password {password} (đổi khi đăng nhập lần đầu / changed at first sign-in)",
            user.name
        );
    } else {
        println!("tài khoản / account {}: đã tạo / created", user.name);
    }
    Ok(ExitCode::SUCCESS)
}

async fn areas_import(cfg: HubConfig, file: &Path) -> Result<ExitCode, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| HubError::internal(format!("cannot read {}: {e}", file.display())))?;
    let list =
        areas::parse_csv(&text).map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?;
    let db = Db::open(&cfg.database).await?;
    let n = areas::import(&db, &list).await?;
    let lock = Mutex::new(());
    audit::append(
        &db,
        &lock,
        cli_event(
            "areas_import",
            format!("file:{}", file.display()),
            json!({"units": n}).to_string(),
        ),
    )
    .await?;
    println!("đã nạp / imported {n} đơn vị hành chính / administrative units");
    Ok(ExitCode::SUCCESS)
}

async fn station_add(
    cfg: HubConfig,
    id: String,
    name: String,
    areas_list: Vec<String>,
    as_json: bool,
) -> Result<ExitCode, CliError> {
    let db = Db::open(&cfg.database).await?;
    let tree = areas::load(&db).await?;
    areas::check_known(&tree, &areas_list)?;
    let code = super::stations::add(&db, &id, &name, &areas_list).await?;
    let ev = cli_event("station_add", String::new(), String::new());
    let lock = Mutex::new(());
    audit::append(
        &db,
        &lock,
        super::stations::cli_added(&id, &name, &areas_list, ev.actor),
    )
    .await?;
    if as_json {
        println!("{}", json!({"station": id, "code": code}));
    } else {
        println!("trạm / station {id}: mã đăng ký dùng một lần / one-time enrolment code {code}");
        println!(
            "  có hạn 7 ngày / valid 7 days; trên máy trạm / on the station box: loa enroll {} {code}",
            cfg.public_url
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn backup(cfg: HubConfig, dest: &Path) -> Result<ExitCode, CliError> {
    let info = super::backup::backup(&cfg, dest).await?;
    println!(
        "đã sao lưu / backed up {} ({}): {}, {} bản tin / clips, bản tin số / feed sequence {}",
        dest.display(),
        info.dialect,
        info.database,
        info.clips,
        info.feed_sequence
    );
    Ok(ExitCode::SUCCESS)
}

async fn restore(cfg: HubConfig, src: &Path) -> Result<ExitCode, CliError> {
    let r = super::backup::restore(&cfg, src).await?;
    println!(
        "đã khôi phục / restored {} (sao lưu lúc / backed up at {}) vào / into {}",
        src.display(),
        r.info.created_at,
        cfg.state.display()
    );
    println!(
        "  số thứ tự bản tin từ / feed sequence from {}, lịch phát từ / programs from {} (cao hơn mọi số đã phát / above anything published)",
        r.feed_floor + 1,
        r.programs_floor + 1
    );
    println!(
        "  tiếp theo / next: loa hub run --config {}",
        cfg.file.display()
    );
    Ok(ExitCode::SUCCESS)
}
