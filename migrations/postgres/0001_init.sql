-- loa hub schema, PostgreSQL dialect (keep in step with ../sqlite/0001_init.sql).
-- Times are Unix seconds (i64); lists are comma-separated text.
CREATE TABLE areas (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    parent TEXT
);
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    must_change BIGINT NOT NULL,
    roles TEXT NOT NULL,
    areas TEXT NOT NULL,
    stations TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
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
    bytes BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    lufs DOUBLE PRECISION,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX clips_state ON clips (state, created_at);
CREATE TABLE broadcasts (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    at BIGINT NOT NULL,
    play TEXT NOT NULL,
    priority BIGINT NOT NULL,
    areas TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);
CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
