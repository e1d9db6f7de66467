-- The station's own programs (its config file's [[program]] tables, as its
-- heartbeat last sent them), sqlite dialect (keep in step with the other
-- dialect's 0007_own_programs.sql): drawn in the hub's week picture next to
-- the hub's timetable. The digest is what the heartbeat answers, so the
-- station sends the text only when it changed.
ALTER TABLE stations ADD COLUMN own_programs TEXT;
ALTER TABLE stations ADD COLUMN own_programs_sha256 TEXT;
