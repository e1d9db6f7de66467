-- Clip areas one row each, so "visible to this account" is a SQL test and the
-- clip list pages in SQL (LIMIT/OFFSET); indexes for its order and the area tree.
CREATE TABLE clip_areas (
    clip_id TEXT NOT NULL REFERENCES clips(id),
    code TEXT NOT NULL,
    PRIMARY KEY (clip_id, code)
);
INSERT INTO clip_areas (clip_id, code)
SELECT DISTINCT id, trim(a) FROM clips, unnest(string_to_array(areas, ',')) AS a
WHERE trim(a) <> '';
CREATE INDEX clips_order ON clips (created_at DESC, id);
CREATE INDEX clips_state_order ON clips (state, created_at DESC, id);
CREATE INDEX clips_created_by ON clips (created_by);
CREATE INDEX areas_parent ON areas (parent);
