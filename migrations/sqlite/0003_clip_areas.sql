-- Clip areas one row each, so "visible to this account" is a SQL test and the
-- clip list pages in SQL (LIMIT/OFFSET); indexes for its order and the area tree.
CREATE TABLE clip_areas (
    clip_id TEXT NOT NULL REFERENCES clips(id),
    code TEXT NOT NULL,
    PRIMARY KEY (clip_id, code)
);
WITH RECURSIVE s(clip_id, code, rest) AS (
    SELECT id, '', areas || ',' FROM clips
    UNION ALL
    SELECT clip_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM s WHERE rest <> ''
)
INSERT OR IGNORE INTO clip_areas (clip_id, code)
SELECT clip_id, trim(code) FROM s WHERE trim(code) <> '';
CREATE INDEX clips_order ON clips (created_at DESC, id);
CREATE INDEX clips_state_order ON clips (state, created_at DESC, id);
CREATE INDEX clips_created_by ON clips (created_by);
CREATE INDEX areas_parent ON areas (parent);
