-- The feed clip ids an as-run line's items carry (issue 18), sqlite dialect
-- (keep in step with ../postgres/0009_asrun_clips.sql): a JSON array of the
-- items' `clip` fields, in item order, or NULL for a line with none (lines
-- from stations older than the field, and lines of station files only).
-- Reports count a clip's category by these ids: two clips may share one
-- audio file. For a NULL line they fall back to the items' SHA-256.
ALTER TABLE asrun ADD COLUMN clip_ids TEXT;
