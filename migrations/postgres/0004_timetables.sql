-- Each station's timetable from the hub and every signed document of it (issue 12),
-- PostgreSQL dialect (keep in step with ../sqlite/0004_timetables.sql).
-- `timetables`: what the programs editor last published for a station.
-- `timetable_docs`: every signed programs.toml (programs, play, stop), one per
-- sequence; the primary key keeps two hub processes from issuing one sequence twice.
CREATE TABLE timetables (
    station TEXT PRIMARY KEY NOT NULL REFERENCES stations(id),
    toml TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL
);
CREATE TABLE timetable_docs (
    station TEXT NOT NULL REFERENCES stations(id),
    sequence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    document TEXT NOT NULL,
    signature TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (station, sequence)
);
