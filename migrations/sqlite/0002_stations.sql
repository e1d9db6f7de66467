-- Stations and their link (issue 11), SQLite dialect (keep in step with ../postgres/0002_stations.sql).
CREATE TABLE stations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    areas TEXT NOT NULL,
    code_hash TEXT,
    code_expires INTEGER,
    token_hash TEXT UNIQUE,
    enrolled_at INTEGER,
    created_at INTEGER NOT NULL,
    last_seen INTEGER,
    heartbeat_s INTEGER NOT NULL,
    status TEXT,
    clock_offset_s INTEGER,
    asrun_last TEXT NOT NULL,
    asrun_lines INTEGER NOT NULL,
    chain_break TEXT
);
CREATE TABLE asrun (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    station TEXT NOT NULL REFERENCES stations(id),
    hash TEXT NOT NULL,
    prev TEXT NOT NULL,
    line TEXT NOT NULL,
    event TEXT NOT NULL,
    occurrence TEXT NOT NULL,
    program TEXT NOT NULL,
    title TEXT NOT NULL,
    scheduled INTEGER NOT NULL,
    outcome TEXT,
    seconds REAL NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX asrun_station_hash ON asrun (station, hash);
CREATE INDEX asrun_scheduled ON asrun (scheduled, station);
