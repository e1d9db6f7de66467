-- Listen again (issue 21), sqlite dialect (keep in step with the other dialect's
-- 0011_public_clips.sql): a clip marked `public = false` at upload stays off
-- the citizens' pages (/p/AREA, its podcast, embed and bulletin board).
-- 1 = public (the default), 0 = staff and stations only.
ALTER TABLE clips ADD COLUMN public INTEGER NOT NULL DEFAULT 1;
