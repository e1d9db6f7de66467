-- Each station's timetable from the hub and every signed document of it (issue 12),
-- SQLite dialect (keep in step with ../postgres/0004_timetables.sql).
-- `timetables`: what the programs editor last published for a station.
-- `timetable_docs`: every signed programs.toml (programs, play, stop), one per
-- sequence; the primary key keeps two hub processes from issuing one sequence twice.
CREATE TABLE timetables (
    station TEXT PRIMARY KEY NOT NULL REFERENCES stations(id),
    toml TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    published_by TEXT NOT NULL
);
CREATE TABLE timetable_docs (
    station TEXT NOT NULL REFERENCES stations(id),
    sequence INTEGER NOT NULL,
    kind TEXT NOT NULL,
    document TEXT NOT NULL,
    signature TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (station, sequence)
);
