-- loa hub schema, SQLite dialect (keep in step with ../postgres/0001_init.sql).
-- Times are Unix seconds (i64); lists are comma-separated text.
CREATE TABLE areas (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    parent TEXT
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    must_change INTEGER NOT NULL,
    roles TEXT NOT NULL,
    areas TEXT NOT NULL,
    stations TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (kind, key, at);
CREATE TABLE clips (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    lang TEXT NOT NULL,
    areas TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    level TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    ext TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    lufs REAL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL
);
CREATE INDEX clips_state ON clips (state, created_at);
CREATE TABLE broadcasts (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    at INTEGER NOT NULL,
    play TEXT NOT NULL,
    priority INTEGER NOT NULL,
    areas TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
