-- Stations and their link (issue 11), PostgreSQL dialect (keep in step with ../sqlite/0002_stations.sql).
CREATE TABLE stations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    areas TEXT NOT NULL,
    code_hash TEXT,
    code_expires BIGINT,
    token_hash TEXT UNIQUE,
    enrolled_at BIGINT,
    created_at BIGINT NOT NULL,
    last_seen BIGINT,
    heartbeat_s BIGINT NOT NULL,
    status TEXT,
    clock_offset_s BIGINT,
    asrun_last TEXT NOT NULL,
    asrun_lines BIGINT NOT NULL,
    chain_break TEXT
);
CREATE TABLE asrun (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station TEXT NOT NULL REFERENCES stations(id),
    hash TEXT NOT NULL,
    prev TEXT NOT NULL,
    line TEXT NOT NULL,
    event TEXT NOT NULL,
    occurrence TEXT NOT NULL,
    program TEXT NOT NULL,
    title TEXT NOT NULL,
    scheduled BIGINT NOT NULL,
    outcome TEXT,
    seconds DOUBLE PRECISION NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX asrun_station_hash ON asrun (station, hash);
CREATE INDEX asrun_scheduled ON asrun (scheduled, station);
