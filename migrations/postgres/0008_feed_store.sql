-- Several hub processes, one system (issue 17), PostgreSQL dialect (keep in step
-- with ../sqlite/0008_feed_store.sql). The database is the source of truth
-- of what the hub publishes; STATE/feed/ is a cache every process rebuilds.
-- `feed_manifests`: every signed manifest, one per sequence (the primary key
-- keeps two processes from publishing two manifests with one sequence).
-- `clip_blobs`: clip bytes by content (sha256), in 1 MiB parts; PostgreSQL
-- hubs fill it so every process can serve every clip (SQLite keeps the files
-- in STATE/clips/, so the table stays empty here).
-- `hub_meta`: named numbers, e.g. the sequence floors a restore sets.
CREATE TABLE feed_manifests (
    sequence BIGINT PRIMARY KEY NOT NULL,
    manifest TEXT NOT NULL,
    signature TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE TABLE clip_blobs (
    sha256 TEXT NOT NULL,
    part BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (sha256, part)
);
CREATE TABLE hub_meta (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);
